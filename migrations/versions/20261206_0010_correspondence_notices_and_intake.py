"""correspondence: notices sent from a case, messages taken in, the authority's notice texts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 02:16:19.286478

`correspondence` keeps every letter and e-mail on a request exactly as sent or received, with its
delivery state; `notice_templates` the authority's own texts, one row per saved version;
`inbound_messages` each e-mail taken in by its Message-ID, so that intake runs once per message
however often and wherever it runs. `requests.preferred_format` is the form the requester asked for
the information in (FOIA s.11).
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notice_templates",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(always=False, start=1, increment=1), nullable=False
        ),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("regime", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("is_shipped", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_notice_templates_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_templates")),
        sa.UniqueConstraint("kind", "regime", "version", name="uq_notice_templates_kind_regime_version"),
    )
    op.create_table(
        "correspondence",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(always=False, start=1, increment=1), nullable=False
        ),
        sa.Column("request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=True),
        sa.Column("in_reply_to", sa.String(length=300), nullable=True),
        sa.Column("delivery", sa.String(length=10), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("claimed_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("actor_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("template_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_correspondence_actor_id_users")),
        sa.ForeignKeyConstraint(["event_id"], ["request_events.id"], name=op.f("fk_correspondence_event_id_request_events")),
        sa.ForeignKeyConstraint(["request_id"], ["requests.id"], name=op.f("fk_correspondence_request_id_requests")),
        sa.ForeignKeyConstraint(["template_id"], ["notice_templates.id"], name=op.f("fk_correspondence_template_id_notice_templates")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correspondence")),
    )
    with op.batch_alter_table("correspondence", schema=None) as batch_op:
        batch_op.create_index("ix_correspondence_delivery", ["delivery", "id"], unique=False)
        batch_op.create_index("ix_correspondence_message_id", ["message_id"], unique=False)
        batch_op.create_index("ix_correspondence_request_id_id", ["request_id", "id"], unique=False)

    op.create_table(
        "inbound_messages",
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("received_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("processed_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("correspondence_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["correspondence_id"], ["correspondence.id"], name=op.f("fk_inbound_messages_correspondence_id_correspondence")
        ),
        sa.ForeignKeyConstraint(["request_id"], ["requests.id"], name=op.f("fk_inbound_messages_request_id_requests")),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_inbound_messages")),
    )
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preferred_format", sa.String(length=500), nullable=True))


def downgrade() -> None:
    # a plain ALTER TABLE on both engines (SQLite 3.35+): rebuilding requests would trip the triggers
    # that read it
    op.drop_column("requests", "preferred_format")

    op.drop_table("inbound_messages")
    with op.batch_alter_table("correspondence", schema=None) as batch_op:
        batch_op.drop_index("ix_correspondence_request_id_id")
        batch_op.drop_index("ix_correspondence_message_id")
        batch_op.drop_index("ix_correspondence_delivery")

    op.drop_table("correspondence")
    op.drop_table("notice_templates")
