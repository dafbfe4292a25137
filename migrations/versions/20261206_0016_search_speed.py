"""search speed: the public search's filters read from an index

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 07:00:00

A public search with an outcome, department or batch filter walks the matches newest first and
checks each one's request until it has counted 1,000 (a department's share of a common word: about
8,000 requests looked at). Reading each request's row for that (a few kilobytes of text each) is
what made such a search slow at a million requests; this index holds what the filters check, for
published requests only (those with a search_seq).

Named `disclosure_search_...` because it is the search's own, kept by migrations and not declared in
the models (app/migrations.py leaves the search indexes out of the models comparison).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX disclosure_search_filters ON requests "
        "(search_seq, outcome, department_id, batch_id, publication_state) WHERE search_seq IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX disclosure_search_filters")
