"""batches imports reports outbox

Revision ID: 0003
Revises: 0002
Release batches, bulk-operation audit records, the e-mail outbox, and on requests: the batch,
an import key (so importing a file twice adds nothing) and the facts timeliness reports read.

Create Date: 2026-11-23 22:26:33.532792
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outbox_messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('sent_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_kind'), ['kind'], unique=False)

    op.create_table('bulk_operations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('request_count', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_bulk_operations_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_operations'))
    )
    op.create_table('release_batches',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('publish_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('approved_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('published_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_release_batches_approved_by_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_release_batches_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_batches')),
    sa.UniqueConstraint('slug', name=op.f('uq_release_batches_slug'))
    )
    with op.batch_alter_table('release_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_batches_state'), ['state'], unique=False)

    # plain ALTER TABLE ... ADD COLUMN on both engines: a batch copy of the requests table would
    # have to drop a table that request_events and the search index refer to
    for column in (
        sa.Column('response_due_on', sa.Date(), nullable=True),
        sa.Column('response_base_due_on', sa.Date(), nullable=True),
        sa.Column('extension_late', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('response_working_days', sa.Integer(), nullable=True),
        sa.Column('review_requested_on', sa.Date(), nullable=True),
        sa.Column('review_due_on', sa.Date(), nullable=True),
        sa.Column('review_completed_on', sa.Date(), nullable=True),
        sa.Column('import_key', sa.String(length=64), nullable=True),
    ):
        op.add_column('requests', column)
    if op.get_bind().dialect.name == "postgresql":
        op.add_column('requests', sa.Column('batch_id', sa.BigInteger(), nullable=True))
        op.create_foreign_key(op.f('fk_requests_batch_id_release_batches'), 'requests', 'release_batches', ['batch_id'], ['id'])
    else:
        op.execute("ALTER TABLE requests ADD COLUMN batch_id INTEGER REFERENCES release_batches (id)")
    op.create_index('uq_requests_import_key', 'requests', ['import_key'], unique=True)
    op.create_index(op.f('ix_requests_batch_id'), 'requests', ['batch_id'], unique=False)
    op.create_index('ix_requests_responded_on', 'requests', ['responded_on', 'department_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_requests_responded_on', table_name='requests')
    op.drop_index(op.f('ix_requests_batch_id'), table_name='requests')
    op.drop_index('uq_requests_import_key', table_name='requests')
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f('fk_requests_batch_id_release_batches'), 'requests', type_='foreignkey')
    for name in ('batch_id', 'import_key', 'review_completed_on', 'review_due_on', 'review_requested_on',
                 'response_working_days', 'extension_late', 'response_base_due_on', 'response_due_on'):
        op.drop_column('requests', name)

    with op.batch_alter_table('release_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_batches_state'))

    op.drop_table('release_batches')
    op.drop_table('bulk_operations')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_kind'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_created_at'))

    op.drop_table('outbox_messages')
