"""staff search by requester: an index of requesters' names and e-mail addresses

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 14:00:00.000000

Officers look for everything one person has asked (repeated requests, s.14(2); aggregating costs,
s.12). As for titles (0006): a pg_trgm GIN index on PostgreSQL, which ILIKE uses as it is; on SQLite
an index of the two columns that a substring search reads instead of the table. Staff side only:
requesters never reach a public page.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_requesters_search ON requesters USING gin (name gin_trgm_ops, email gin_trgm_ops)")
    else:
        op.execute("CREATE INDEX ix_requesters_search ON requesters (name, email)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_requesters_search")
