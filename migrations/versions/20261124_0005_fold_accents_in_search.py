"""search: accents folded on PostgreSQL as on SQLite ("cafe" finds "café")

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 12:00:00.000000

SQLite's FTS5 index already folds accents (unicode61, remove_diacritics 2). PostgreSQL's search
vectors are built from the words app.domain.search_query.tokenize cuts, which now fold them too; the
vectors of published requests whose text has any character outside ASCII are rebuilt here so that
existing releases are found the same way as new ones. Rows of plain ASCII text are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.domain.search_query import tokenize

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000
_REBUILD = sa.text(
    """
    UPDATE disclosure_search SET search_vector =
        setweight(to_tsvector('english', :title_words), 'A') || setweight(to_tsvector('english', :body_words), 'B')
        || setweight(to_tsvector('english', :response_words), 'B')
        || setweight(to_tsvector('english', :documents_words), 'C')
    WHERE request_id = :id
    """
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT request_id, title, body, response, documents FROM disclosure_search "
                "WHERE request_id > :last AND (title || body || response || documents) ~ '[^\\x01-\\x7f]' "
                "ORDER BY request_id LIMIT :batch"
            ),
            {"last": last, "batch": _BATCH},
        ).all()
        if not rows:
            return
        bind.execute(
            _REBUILD,
            [
                {"id": row.request_id, **{f"{column}_words": " ".join(tokenize(getattr(row, column) or "")) for column in
                                          ("title", "body", "response", "documents")}}
                for row in rows
            ],
        )
        last = rows[-1].request_id


def downgrade() -> None:
    # the folded vectors still find every accented word spelled with its accents
    pass
