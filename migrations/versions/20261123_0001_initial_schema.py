"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 21:43:50.417886

Tables for requests, requesters (personal data apart), departments, users, tokens, events,
documents and calendar corrections; the exemptions reference list; triggers that make
request_events append-only on both engines.
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('departments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments')),
    sa.UniqueConstraint('slug', name=op.f('uq_departments_slug'))
    )
    op.create_table('exemptions',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('regime', sa.String(length=10), nullable=False),
    sa.Column('provision', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('absolute', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_exemptions'))
    )
    op.create_table('reference_counters',
    sa.Column('regime', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('regime', 'year', name=op.f('pk_reference_counters'))
    )
    op.create_table('requesters',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requesters'))
    )
    op.create_table('store_items',
    sa.Column('id', advanced_alchemy.types.guid.GUID(length=16), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('namespace', sa.String(length=255), nullable=False),
    sa.Column('value', sa.LargeBinary(), nullable=False),
    sa.Column('expires_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_items')),
    sa.UniqueConstraint('key', 'namespace', name='uq_store_items_key_namespace')
    )
    with op.batch_alter_table('store_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_items_expires_at'), ['expires_at'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('last_used_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('revoked_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('calendar_corrections',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('nation', sa.String(length=3), nullable=False),
    sa.Column('change', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calendar_corrections_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_corrections')),
    sa.UniqueConstraint('day', 'nation', name=op.f('uq_calendar_corrections_day'))
    )
    op.create_table('requests',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('regime', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('received_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('department_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('assignee_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('requester_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('review_outcome', sa.String(length=30), nullable=True),
    sa.Column('deadline_stage', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('original_due_on', sa.Date(), nullable=True),
    sa.Column('working_days_limit', sa.Integer(), nullable=False),
    sa.Column('clock_stopped', sa.Boolean(), nullable=False),
    sa.Column('clock_state', sa.String(length=40), nullable=False),
    sa.Column('deadline_flags', sa.String(length=200), nullable=False),
    sa.Column('calendar_version', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_requests_assignee_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_requests_created_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_requests_department_id_departments')),
    sa.ForeignKeyConstraint(['requester_id'], ['requesters.id'], name=op.f('fk_requests_requester_id_requesters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requests')),
    sa.UniqueConstraint('reference', name=op.f('uq_requests_reference'))
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requests_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_department_id'), ['department_id'], unique=False)
        batch_op.create_index('ix_requests_open_due_on', ['due_on', 'id'], unique=False, sqlite_where=sa.text("status IN ('awaiting_approval', 'awaiting_clarification', 'awaiting_fee', 'in_progress', 'internal_review', 'new')"), postgresql_where=sa.text("status IN ('awaiting_approval', 'awaiting_clarification', 'awaiting_fee', 'in_progress', 'internal_review', 'new')"))
        batch_op.create_index(batch_op.f('ix_requests_received_on'), ['received_on'], unique=False)
        batch_op.create_index('ix_requests_regime_received_on', ['regime', 'received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_status'), ['status'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('request_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('for_release', sa.Boolean(), nullable=False),
    sa.Column('uploaded_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('uploaded_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_documents_request_id_requests')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_sha256'), ['sha256'], unique=False)

    op.create_table('request_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('request_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('imported', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_request_events_actor_id_users')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_request_events_request_id_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_events'))
    )
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.create_index('ix_request_events_request_id_id', ['request_id', 'id'], unique=False)

    op.create_table('request_exemptions',
    sa.Column('request_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['code'], ['exemptions.code'], name=op.f('fk_request_exemptions_code_exemptions')),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_request_exemptions_request_id_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'code', name=op.f('pk_request_exemptions'))
    )
    with op.batch_alter_table('request_exemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_exemptions_code'), ['code'], unique=False)

    # The exemptions table was seeded here from the live list in app/domain; a migration must not
    # change with the code, so it no longer is: migration 0009 drops the table and its foreign key,
    # and the lists are declared with each regime (app/domain/regimes/<regime>.py).
    _create_append_only_triggers()


def _create_append_only_triggers() -> None:
    """The status history is evidence: the database itself refuses to change or remove an event."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'request_events is append-only: % refused', TG_OP;
            END;
            $$
            """
        )
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER request_events_no_{operation.lower()} BEFORE {operation} ON request_events "
                "FOR EACH ROW EXECUTE FUNCTION request_events_append_only()"
            )
        op.execute(
            "CREATE TRIGGER request_events_no_truncate BEFORE TRUNCATE ON request_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION request_events_append_only()"
        )
    else:
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER request_events_no_{operation.lower()} BEFORE {operation} ON request_events "
                f"BEGIN SELECT RAISE(ABORT, 'request_events is append-only: {operation} refused'); END"
            )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("update", "delete", "truncate"):
            op.execute(f"DROP TRIGGER request_events_no_{name} ON request_events")
        op.execute("DROP FUNCTION request_events_append_only()")
    else:
        for name in ("update", "delete"):
            op.execute(f"DROP TRIGGER request_events_no_{name}")


def downgrade() -> None:
    _drop_append_only_triggers()
    with op.batch_alter_table('request_exemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_exemptions_code'))

    op.drop_table('request_exemptions')
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_index('ix_request_events_request_id_id')

    op.drop_table('request_events')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_sha256'))
        batch_op.drop_index(batch_op.f('ix_documents_request_id'))

    op.drop_table('documents')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requests_status'))
        batch_op.drop_index(batch_op.f('ix_requests_requester_id'))
        batch_op.drop_index('ix_requests_regime_received_on')
        batch_op.drop_index(batch_op.f('ix_requests_received_on'))
        batch_op.drop_index('ix_requests_open_due_on', sqlite_where=sa.text("status IN ('awaiting_approval', 'awaiting_clarification', 'awaiting_fee', 'in_progress', 'internal_review', 'new')"), postgresql_where=sa.text("status IN ('awaiting_approval', 'awaiting_clarification', 'awaiting_fee', 'in_progress', 'internal_review', 'new')"))
        batch_op.drop_index(batch_op.f('ix_requests_department_id'))
        batch_op.drop_index(batch_op.f('ix_requests_assignee_id'))

    op.drop_table('requests')
    op.drop_table('calendar_corrections')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    with op.batch_alter_table('store_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_items_expires_at'))

    op.drop_table('store_items')
    op.drop_table('requesters')
    op.drop_table('reference_counters')
    op.drop_table('exemptions')
    op.drop_table('departments')
