"""publication review: the public version of documents and batches, officers' public wording and
their decisions on possible personal data

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 22:00:00.000000

What was already public stays as it was: documents of published requests and published batches get
their public title, file name and text copied from what the public has been seeing.
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_MOMENT = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


def upgrade() -> None:
    op.create_table('publication_edits',
    sa.Column('request_id', _ID, nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('edited_by_id', _ID, nullable=True),
    sa.Column('edited_at', _MOMENT, nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_publication_edits_request_id_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_publication_edits_edited_by_id_users')),
    sa.PrimaryKeyConstraint('request_id', 'field', name=op.f('pk_publication_edits'))
    )
    op.create_table('publication_reviews',
    sa.Column('request_id', _ID, nullable=False),
    sa.Column('suspicion_id', sa.String(length=16), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('reviewed_by_id', _ID, nullable=True),
    sa.Column('reviewed_at', _MOMENT, nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_publication_reviews_request_id_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_publication_reviews_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('request_id', 'suspicion_id', name=op.f('pk_publication_reviews'))
    )
    # plain ADD COLUMN on both engines (a batch copy would drop tables others refer to)
    for table, column in (
        ('documents', sa.Column('public_title', sa.String(length=300), nullable=True)),
        ('documents', sa.Column('public_filename', sa.String(length=255), nullable=True)),
        ('documents', sa.Column('public_sha256', sa.String(length=64), nullable=True)),
        ('documents', sa.Column('public_size', sa.BigInteger(), nullable=True)),
        ('document_texts', sa.Column('public_text', sa.Text(), nullable=True)),
        ('release_batches', sa.Column('public_title', sa.String(length=300), nullable=True)),
        ('release_batches', sa.Column('public_description', sa.Text(), nullable=True)),
    ):
        op.add_column(table, column)
    published = "SELECT id FROM requests WHERE publication_state IN ('published', 'scheduled')"
    # files uploaded before this version are published as they were uploaded (metadata and all)
    op.execute("UPDATE documents SET public_sha256 = sha256, public_size = size")
    op.execute(
        "UPDATE documents SET public_title = title, public_filename = filename"
        f" WHERE for_release AND request_id IN ({published})"
    )
    op.execute(
        "UPDATE document_texts SET public_text = text WHERE document_id IN"
        f" (SELECT id FROM documents WHERE for_release AND request_id IN ({published}))"
    )
    op.execute(
        "UPDATE release_batches SET public_title = title, public_description = description"
        " WHERE state IN ('scheduled', 'published')"
    )


def downgrade() -> None:
    for table, column in (
        ('release_batches', 'public_description'), ('release_batches', 'public_title'), ('document_texts', 'public_text'),
        ('documents', 'public_size'), ('documents', 'public_sha256'), ('documents', 'public_filename'), ('documents', 'public_title'),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # SQLite 3.35+ and PostgreSQL alike
    op.drop_table('publication_reviews')
    op.drop_table('publication_edits')
