"""regimes declared in code: the exemptions table goes; a posted request's date of posting

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 01:00:00.000000

The exemptions and exceptions are declared with each regime (app/domain/regimes/<regime>.py) and
checked there before any write, so the table that copied them (and the foreign key to it) goes: a
new regime's list then needs no migration. `requests.posted_on` records when a request sent by post
was posted, for the regimes that presume its receipt from that date (FOISA s.74(2)(a)).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = 'fk_request_exemptions_code_exemptions'


def upgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('posted_on', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(_FK, 'request_exemptions', type_='foreignkey')
    else:
        # SQLite rebuilds the table to drop a foreign key, and a rebuilt table loses its triggers:
        # put back the report rollup's (migration 0004).
        _drop_sqlite_triggers()
        with op.batch_alter_table('request_exemptions', schema=None, recreate='always') as batch_op:
            batch_op.drop_constraint(_FK, type_='foreignkey')
        _create_sqlite_triggers()
    op.drop_table('exemptions')


def downgrade() -> None:
    op.create_table('exemptions',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('regime', sa.String(length=10), nullable=False),
    sa.Column('provision', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('absolute', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_exemptions'))
    )
    # the codes in use, so that the foreign key holds; their titles are in the code, not here
    op.execute(
        "INSERT INTO exemptions (code, regime, provision, title, absolute) "
        "SELECT DISTINCT code, lower(substr(code, 1, instr(code, '-') - 1)), code, code, false FROM request_exemptions"
        if op.get_bind().dialect.name == 'sqlite'
        else "INSERT INTO exemptions (code, regime, provision, title, absolute) "
        "SELECT DISTINCT code, lower(split_part(code, '-', 1)), code, code, false FROM request_exemptions"
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.create_foreign_key(_FK, 'request_exemptions', 'exemptions', ['code'], ['code'])
    else:
        _drop_sqlite_triggers()
        with op.batch_alter_table('request_exemptions', schema=None, recreate='always') as batch_op:
            batch_op.create_foreign_key(_FK, 'exemptions', ['code'], ['code'])
        _create_sqlite_triggers()
    # a plain ALTER TABLE on both engines (SQLite 3.35+): rebuilding requests would trip the triggers
    # that read it
    op.drop_column('requests', 'posted_on')


def _sqlite_note(month: str, department: str) -> str:
    return (
        f"INSERT INTO report_stale_months (month, department_id) SELECT {month}, {department} "
        f"WHERE NOT EXISTS (SELECT 1 FROM report_stale_months WHERE month = {month} AND department_id = {department});"
    )


def _drop_sqlite_triggers() -> None:
    for operation in ('insert', 'delete'):
        op.execute(f"DROP TRIGGER IF EXISTS request_exemptions_report_stale_{operation}")


def _create_sqlite_triggers() -> None:
    # as created by migration 0004
    for operation, row in (("insert", "NEW"), ("delete", "OLD")):
        month = f"(SELECT substr(received_on, 1, 7) FROM requests WHERE id = {row}.request_id)"
        department = f"(SELECT coalesce(department_id, 0) FROM requests WHERE id = {row}.request_id)"
        op.execute(
            f"CREATE TRIGGER request_exemptions_report_stale_{operation} AFTER {operation.upper()} ON request_exemptions "
            f"WHEN {month} IS NOT NULL BEGIN {_sqlite_note(month, department)} END"
        )
