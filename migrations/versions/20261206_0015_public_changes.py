"""public changes signalled by the database: what keeps the cached public pages right

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 06:30:00

Every app process keeps the public pages it has rendered (app/web/public_cache.py) until something
public changes. The database itself says when, whatever wrote the change (a page, the API, an
import, the scheduler, the CLI, another host): triggers on the tables the public pages show.

- PostgreSQL: the triggers `NOTIFY foi_public_changes` with the transaction's id (sent on commit,
  once per transaction); each process listens.
- SQLite: the triggers add one to `public_changes.generation`; a process notices that the database
  file changed (a commit by anyone) and reads that one number.

Public = a request that is or was published (its public texts, documents, exemptions), release
batches that are published, departments (their names are shown) and the exemption list.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SHOWN = "('published', 'withdrawn')"
# (table, row condition) for each trigger; NEW/OLD as each event has them
_REQUEST_ROW = {
    "INSERT": f"NEW.publication_state IN {_SHOWN}",
    "UPDATE": f"OLD.publication_state IN {_SHOWN} OR NEW.publication_state IN {_SHOWN}",
    "DELETE": f"OLD.publication_state IN {_SHOWN}",
}
_BATCH_ROW = {
    "INSERT": "NEW.state = 'published'",
    "UPDATE": "OLD.state = 'published' OR NEW.state = 'published'",
    "DELETE": "OLD.state = 'published'",
}


def _of_shown_request(row: str) -> str:
    return f"EXISTS (SELECT 1 FROM requests WHERE requests.id = {row}.request_id AND requests.publication_state IN {_SHOWN})"


_CHILD_ROW = {
    "INSERT": _of_shown_request("NEW"),
    "UPDATE": f"{_of_shown_request('OLD')} OR {_of_shown_request('NEW')}",
    "DELETE": _of_shown_request("OLD"),
}
_TABLES = {
    "requests": _REQUEST_ROW,
    "documents": _CHILD_ROW,
    "request_exemptions": _CHILD_ROW,
    "release_batches": _BATCH_ROW,
    "departments": {"INSERT": "1 = 1", "UPDATE": "1 = 1", "DELETE": "1 = 1"},
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION foi_public_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('foi_public_changes', txid_current()::text);
                RETURN NULL;
            END $$
            """
        )
        for table, conditions in _TABLES.items():
            for event, condition in conditions.items():
                if "EXISTS" in condition:
                    # a trigger's WHEN cannot hold a subquery: the check goes in a function of its own
                    function = f"foi_public_changed_{table}_{event.lower()}"
                    op.execute(
                        f"""
                        CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF {condition} THEN
                                PERFORM pg_notify('foi_public_changes', txid_current()::text);
                            END IF;
                            RETURN NULL;
                        END $$
                        """
                    )
                    op.execute(
                        f"CREATE TRIGGER public_change_{table}_{event.lower()} AFTER {event} ON {table} "
                        f"FOR EACH ROW EXECUTE FUNCTION {function}()"
                    )
                else:
                    op.execute(
                        f"CREATE TRIGGER public_change_{table}_{event.lower()} AFTER {event} ON {table} "
                        f"FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION foi_public_changed()"
                    )
        return
    op.create_table(
        "public_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("generation", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO public_changes (id, generation) VALUES (1, 0)")
    for table, conditions in _TABLES.items():
        for event, condition in conditions.items():
            op.execute(
                f"CREATE TRIGGER public_change_{table}_{event.lower()} AFTER {event} ON {table} "
                f"WHEN {condition} BEGIN UPDATE public_changes SET generation = generation + 1 WHERE id = 1; END"
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, conditions in _TABLES.items():
        for event, condition in conditions.items():
            op.execute(f"DROP TRIGGER IF EXISTS public_change_{table}_{event.lower()}" + (f" ON {table}" if postgres else ""))
            if postgres and "EXISTS" in condition:
                op.execute(f"DROP FUNCTION IF EXISTS foi_public_changed_{table}_{event.lower()}()")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS foi_public_changed()")
    else:
        op.drop_table("public_changes")
