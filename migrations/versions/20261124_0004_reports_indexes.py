"""reports indexes: the monthly rollup the timeliness report reads, and the triggers that keep it honest

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00.000000

Counting a million requests on every report view takes seconds on both engines, so the reports
read monthly counts (report_rollup, and their yearly sums in report_rollup_years) and count live only
the days at the edges of a period.
Triggers on requests and request_exemptions note the month of every request that is written
and department (report_stale_months), whoever writes it; the reports service recounts them before
it reads. Every month that already has requests is noted here, so the first report builds the rollup.
Also a small covering index of open requests for the overdue report, the dashboard and reminders.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the columns a report counts: a change to any other column (a title, a publication) moves no figure
_COUNTED = (
    "received_on, department_id, status, outcome, responded_on, response_due_on, response_base_due_on, "
    "extension_late, response_working_days, review_requested_on, review_due_on, review_completed_on, review_outcome"
)


def upgrade() -> None:
    op.create_table('report_rollup',
    sa.Column('department_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('facet', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('department_id', 'month', 'facet', 'key', name=op.f('pk_report_rollup')),
    sqlite_with_rowid=False
    )
    op.create_table('report_rollup_years',
    sa.Column('department_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('year', sa.String(length=4), nullable=False),
    sa.Column('facet', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('department_id', 'year', 'facet', 'key', name=op.f('pk_report_rollup_years')),
    sqlite_with_rowid=False
    )
    op.create_table('report_stale_months',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False, start=1, increment=1), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_stale_months'))
    )
    with op.batch_alter_table('report_stale_months', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_stale_months_month'), ['month'], unique=False)

    # open requests, with every column the overdue report, the dashboard and reminders count by
    open_sql = "status IN ('awaiting_approval', 'awaiting_clarification', 'awaiting_fee', 'in_progress', 'internal_review', 'new')"
    op.create_index(
        'ix_requests_open_report', 'requests',
        ['due_on', 'regime', 'clock_stopped', 'deadline_stage', 'status', 'department_id', 'assignee_id', 'received_on'],
        unique=False, sqlite_where=sa.text(open_sql), postgresql_where=sa.text(open_sql),
    )

    if op.get_bind().dialect.name == "postgresql":
        _create_postgresql_triggers()
        op.execute(
            "INSERT INTO report_stale_months (month, department_id) "
            "SELECT DISTINCT to_char(received_on, 'YYYY-MM'), coalesce(department_id, 0) FROM requests"
        )
    else:
        _create_sqlite_triggers()
        op.execute(
            "INSERT INTO report_stale_months (month, department_id) "
            "SELECT DISTINCT substr(received_on, 1, 7), coalesce(department_id, 0) FROM requests"
        )


def _create_postgresql_triggers() -> None:
    # statement-level with transition tables: a bulk write of thousands of requests notes each of
    # its months once, not once per row
    for table, month_of in (
        ("requests", "SELECT to_char(received_on, 'YYYY-MM'), coalesce(department_id, 0) FROM {rows}"),
        (
            "request_exemptions",
            ("SELECT to_char(r.received_on, 'YYYY-MM'), coalesce(r.department_id, 0) FROM requests r "
            "WHERE r.id IN (SELECT request_id FROM {rows})"),
        ),
    ):
        for operation, rows in (("INSERT", ("new_rows",)), ("UPDATE", ("old_rows", "new_rows")), ("DELETE", ("old_rows",))):
            if table == "request_exemptions" and operation == "UPDATE":
                continue
            name = f"{table}_report_stale_{operation.lower()}"
            selects = " UNION ".join(month_of.format(rows=r) for r in rows)
            op.execute(
                f"""
                CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO report_stale_months (month, department_id) SELECT DISTINCT m, d FROM ({selects}) AS noted(m, d);
                    RETURN NULL;
                END;
                $$
                """
            )
            referencing = " ".join(f"{'OLD' if r == 'old_rows' else 'NEW'} TABLE AS {r}" for r in rows)
            op.execute(
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )


def _sqlite_note(month: str, department: str) -> str:
    # writers take turns on SQLite, so one note per month and department is enough until recounted
    return (
        f"INSERT INTO report_stale_months (month, department_id) SELECT {month}, {department} "
        f"WHERE NOT EXISTS (SELECT 1 FROM report_stale_months WHERE month = {month} AND department_id = {department});"
    )


def _create_sqlite_triggers() -> None:
    new = ("substr(NEW.received_on, 1, 7)", "coalesce(NEW.department_id, 0)")
    old = ("substr(OLD.received_on, 1, 7)", "coalesce(OLD.department_id, 0)")
    op.execute(f"CREATE TRIGGER requests_report_stale_insert AFTER INSERT ON requests BEGIN {_sqlite_note(*new)} END")
    op.execute(
        f"CREATE TRIGGER requests_report_stale_update AFTER UPDATE OF {_COUNTED} ON requests "
        f"BEGIN {_sqlite_note(*new)} {_sqlite_note(*old)} END"
    )
    op.execute(f"CREATE TRIGGER requests_report_stale_delete AFTER DELETE ON requests BEGIN {_sqlite_note(*old)} END")
    for operation, row in (("insert", "NEW"), ("delete", "OLD")):
        month = f"(SELECT substr(received_on, 1, 7) FROM requests WHERE id = {row}.request_id)"
        department = f"(SELECT coalesce(department_id, 0) FROM requests WHERE id = {row}.request_id)"
        op.execute(
            f"CREATE TRIGGER request_exemptions_report_stale_{operation} AFTER {operation.upper()} ON request_exemptions "
            f"WHEN {month} IS NOT NULL BEGIN {_sqlite_note(month, department)} END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, operations in (("requests", ("insert", "update", "delete")), ("request_exemptions", ("insert", "delete"))):
            for operation in operations:
                name = f"{table}_report_stale_{operation}"
                op.execute(f"DROP TRIGGER {name} ON {table}")
                op.execute(f"DROP FUNCTION {name}()")
    else:
        for name in (
            "requests_report_stale_insert", "requests_report_stale_update", "requests_report_stale_delete",
            "request_exemptions_report_stale_insert", "request_exemptions_report_stale_delete",
        ):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_index('ix_requests_open_report', table_name='requests')
    with op.batch_alter_table('report_stale_months', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_stale_months_month'))

    op.drop_table('report_stale_months')
    op.drop_table('report_rollup_years')
    op.drop_table('report_rollup')
