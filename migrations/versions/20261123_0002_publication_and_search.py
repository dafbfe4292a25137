"""publication and search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 22:11:27.846744

The public version of a request (publication state, redacted texts, takedown), extracted document
text, and the full-text index of published requests: FTS5 on SQLite, tsvector with GIN on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('document_texts',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_texts_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_texts'))
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publication_state', sa.String(length=20), server_default='unpublished', nullable=False))
        batch_op.add_column(sa.Column('publish_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('published_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('public_title', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('public_summary', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('public_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('public_response', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('search_seq', sa.BigInteger(), nullable=True))
        batch_op.create_index('ix_requests_publication', ['publication_state', 'published_at', 'search_seq'], unique=False)
        batch_op.create_index('uq_requests_search_seq', ['search_seq'], unique=True)

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE TABLE disclosure_search (
                request_id BIGINT PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
                seq BIGINT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                response TEXT NOT NULL,
                documents TEXT NOT NULL,
                search_vector TSVECTOR NOT NULL
            )
            """
        )
        op.execute("CREATE INDEX ix_disclosure_search_vector ON disclosure_search USING GIN (search_vector)")
        op.execute("CREATE SEQUENCE disclosure_search_seq")
    else:
        # rowid is the request's search_seq (order of first publication); porter stemming to match
        # PostgreSQL's english configuration
        op.execute(
            "CREATE VIRTUAL TABLE disclosure_search USING fts5("
            "title, body, response, documents, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    op.execute("DROP TABLE disclosure_search")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE disclosure_search_seq")
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('uq_requests_search_seq')
        batch_op.drop_index('ix_requests_publication')
        batch_op.drop_column('search_seq')
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('public_response')
        batch_op.drop_column('public_body')
        batch_op.drop_column('public_summary')
        batch_op.drop_column('public_title')
        batch_op.drop_column('published_at')
        batch_op.drop_column('publish_at')
        batch_op.drop_column('publication_state')

    op.drop_table('document_texts')
