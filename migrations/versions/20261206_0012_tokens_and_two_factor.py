"""API tokens that expire and are named; TOTP two-factor authentication and recovery codes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 06:10:00

`api_tokens.expires_at` is when a token stops working (every token has one); `revoked_by_id` who
revoked it (an admin, or its owner). Tokens that exist before this upgrade are given an expiry of
the upgrade's moment plus 90 days (the default FOI_TOKEN_LIFETIME_DAYS), so none keeps working for
ever: replace them before then (`foi tokens list` shows when each expires).

`users.totp_secret` and `totp_enabled_at` hold a member of staff's two-factor authentication (on
while `totp_enabled_at` is set), `totp_last_step` the time step of the last code taken (so a code
is never taken twice); `two_factor_reset_at` and `two_factor_reset_by` the last time an admin
turned it off for them and who (their name then; 'the foi command' for `foi users reset-2fa`). `recovery_codes` keeps
the SHA-256 of each one-time recovery code, and when it was used.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXISTING_TOKENS_LIFETIME = timedelta(days=90)
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


def upgrade() -> None:
    op.create_table(
        "recovery_codes",
        sa.Column("id", _ID, sa.Identity(always=False, start=1, increment=1), nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("used_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_recovery_codes_code_hash")),
    )
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", _WHEN, nullable=True))
        batch_op.add_column(sa.Column("revoked_by_id", _ID, nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_api_tokens_revoked_by_id_users"), "users", ["revoked_by_id"], ["id"])
    tokens = sa.table("api_tokens", sa.column("expires_at", _WHEN))
    op.execute(tokens.update().values(expires_at=datetime.now(UTC) + EXISTING_TOKENS_LIFETIME))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("expires_at", existing_type=_WHEN, nullable=False)

    # plain columns, added in place: SQLite would rebuild `users` for a foreign key, and cannot drop a
    # table other tables point at while foreign keys are on
    op.add_column("users", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column("users", sa.Column("totp_enabled_at", _WHEN, nullable=True))
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.add_column("users", sa.Column("two_factor_reset_at", _WHEN, nullable=True))
    op.add_column("users", sa.Column("two_factor_reset_by", sa.String(length=200), nullable=True))


def downgrade() -> None:
    for column in ("two_factor_reset_by", "two_factor_reset_at", "totp_last_step", "totp_enabled_at", "totp_secret"):
        op.drop_column("users", column)

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_api_tokens_revoked_by_id_users"), type_="foreignkey")
        batch_op.drop_column("revoked_by_id")
        batch_op.drop_column("expires_at")

    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_codes_user_id"))
    op.drop_table("recovery_codes")
