"""records management: legal holds and anonymised requests

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 06:10:00

`requests.legal_hold_reason` and `legal_hold_at`: a manager's hold (who placed it is in the history),
which keeps a request from the retention policy while a complaint or appeal is open;
`requests.anonymised_at`: when `foi retention` removed its requester data.

The history stays append-only, with one exception made here: an event of a request already marked
anonymised may have its `note` and `details` rewritten (every other column as it was), so that the
retention policy can take the requester's data out of what the history quotes. Deleting an event is
still refused, and so is any other change.
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNCHANGED = (
    "NEW.id = OLD.id AND NEW.request_id = OLD.request_id AND NEW.action = OLD.action "
    "AND NEW.from_status IS NOT DISTINCT FROM OLD.from_status AND NEW.to_status = OLD.to_status "
    "AND NEW.occurred_on = OLD.occurred_on AND NEW.recorded_at = OLD.recorded_at "
    "AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.imported = OLD.imported"
)
_ANONYMISED = "EXISTS (SELECT 1 FROM requests WHERE requests.id = OLD.request_id AND requests.anonymised_at IS NOT NULL)"


def upgrade() -> None:
    # a plain ALTER TABLE on both engines (SQLite 3.35+): rebuilding requests would trip the triggers
    # that read it
    op.add_column("requests", sa.Column("legal_hold_reason", sa.Text(), nullable=True))
    op.add_column("requests", sa.Column("legal_hold_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True))
    op.add_column("requests", sa.Column("anonymised_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER request_events_no_update ON request_events")
        op.execute(
            f"""
            CREATE FUNCTION request_events_update_only_anonymised() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {_UNCHANGED} AND {_ANONYMISED} THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'request_events is append-only: UPDATE refused';
            END;
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events "
            "FOR EACH ROW EXECUTE FUNCTION request_events_update_only_anonymised()"
        )
    else:
        op.execute("DROP TRIGGER request_events_no_update")
        op.execute(
            "CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events "
            f"WHEN NOT ({_UNCHANGED.replace('IS NOT DISTINCT FROM', 'IS')} AND {_ANONYMISED}) "
            "BEGIN SELECT RAISE(ABORT, 'request_events is append-only: UPDATE refused'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER request_events_no_update ON request_events")
        op.execute("DROP FUNCTION request_events_update_only_anonymised()")
        op.execute(
            "CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events "
            "FOR EACH ROW EXECUTE FUNCTION request_events_append_only()"
        )
    else:
        op.execute("DROP TRIGGER request_events_no_update")
        op.execute(
            "CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events "
            "BEGIN SELECT RAISE(ABORT, 'request_events is append-only: UPDATE refused'); END"
        )
    op.drop_column("requests", "anonymised_at")
    op.drop_column("requests", "legal_hold_at")
    op.drop_column("requests", "legal_hold_reason")
