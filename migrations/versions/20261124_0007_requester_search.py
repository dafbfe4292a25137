"""staff search by requester: trigram indexes of requesters' names and e-mail addresses

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 14:00:00.000000

Officers look for everything one person has asked (repeated requests, s.14(2); aggregating costs,
s.12). As for titles (0006): SQLite's FTS5 trigram tokenizer in an external-content table kept by
triggers; PostgreSQL's pg_trgm GIN indexes, which ILIKE uses as it is. Staff side only: requesters
never reach a public page, and neither does this index.
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
        op.execute("CREATE INDEX ix_requesters_name_trigrams ON requesters USING gin (name gin_trgm_ops)")
        op.execute("CREATE INDEX ix_requesters_email_trigrams ON requesters USING gin (email gin_trgm_ops)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE requester_search USING fts5("
        "name, email, content = 'requesters', content_rowid = 'id', tokenize = 'trigram')"
    )
    op.execute("INSERT INTO requester_search (requester_search) VALUES ('rebuild')")
    op.execute(
        """
        CREATE TRIGGER requester_search_insert AFTER INSERT ON requesters BEGIN
            INSERT INTO requester_search (rowid, name, email) VALUES (new.id, new.name, new.email);
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER requester_search_delete AFTER DELETE ON requesters BEGIN
            INSERT INTO requester_search (requester_search, rowid, name, email) VALUES ('delete', old.id, old.name, old.email);
        END
        """
    )
    op.execute(
        """
        CREATE TRIGGER requester_search_update AFTER UPDATE OF name, email ON requesters BEGIN
            INSERT INTO requester_search (requester_search, rowid, name, email) VALUES ('delete', old.id, old.name, old.email);
            INSERT INTO requester_search (rowid, name, email) VALUES (new.id, new.name, new.email);
        END
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_requesters_email_trigrams")
        op.execute("DROP INDEX ix_requesters_name_trigrams")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER requester_search_{trigger}")
    op.execute("DROP TABLE requester_search")
