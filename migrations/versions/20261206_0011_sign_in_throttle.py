"""sign-in attempts counted per account and per address

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 06:10:00

`sign_in_counters` holds, for each account and each source address that tried to sign in during the
last minute, how many attempts its current window has seen and when that window started. Each
attempt is one upsert (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`), so every process and host
counts in the same row and a limit of N lets exactly N through. The key is an HMAC of the e-mail
address or the network address with the app's secret: neither is stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_counters",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_started_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_counters")),
    )
    with op.batch_alter_table("sign_in_counters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_counters_window_started_at"), ["window_started_at"], unique=False)
    # the counters of the rate limit this replaces (Litestar's, per address only) are no longer read
    op.execute("DELETE FROM store_items WHERE namespace = 'rate_limit'")


def downgrade() -> None:
    with op.batch_alter_table("sign_in_counters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_counters_window_started_at"))
    op.drop_table("sign_in_counters")
