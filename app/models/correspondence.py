"""What passed between the authority and a requester: notices sent from a case's steps, and the
messages that came in. Personal data (addresses, the texts): staff only, never on a public surface."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import BigIntBase, DefaultBase, utcnow


class Correspondence(BigIntBase):
    """One letter or e-mail on a request, kept exactly as sent or received.

    Outgoing: queued with the step that drafts it (one transaction), then sent by the sender
    (app/services/correspondence.py), which claims a row by changing its delivery state so that two
    senders never send it twice."""

    __tablename__ = "correspondence"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"))
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    kind: Mapped[str] = mapped_column(
        String(40)
    )  # a NoticeKind (out); in: request, reply, clarification_reply, review_request, message (not from the requester), bounce
    at: Mapped[datetime] = mapped_column(default=utcnow)  # queued (out), received by our server (in)
    subject: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(Text, default="")  # to (out) or from (in): an e-mail or a postal address
    by: Mapped[str] = mapped_column(String(10), default="email")  # "email" | "post" | "web"
    body: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str | None] = mapped_column(String(300), default=None)
    in_reply_to: Mapped[str | None] = mapped_column(String(300), default=None)
    # out: queued | sending | sent | failed | bounced; post: sent once printed; in: None
    delivery: Mapped[str | None] = mapped_column(String(10), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("request_events.id"), default=None)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("notice_templates.id"), default=None)
    # document ids: attached to an outgoing notice, or kept from an incoming message
    documents: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_correspondence_request_id_id", "request_id", "id"),
        Index("ix_correspondence_message_id", "message_id"),
        # the sender's queue: what is waiting or failed
        Index("ix_correspondence_delivery", "delivery", "id"),
    )


class NoticeTemplate(BigIntBase):
    """An authority's own text for one notice under one regime; every save is a new version, and the
    newest is used. No row: the shipped text (app/domain/notices)."""

    __tablename__ = "notice_templates"

    kind: Mapped[str] = mapped_column(String(40))
    regime: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    is_shipped: Mapped[bool] = mapped_column(default=False)  # a reset to the shipped text
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "regime", "version", name="uq_notice_templates_kind_regime_version"),)


class InboundMessage(DefaultBase):
    """Each e-mail taken in, by its Message-ID: the key that makes intake idempotent, and safe to run
    from several hosts at once (the insert of this row is the claim)."""

    __tablename__ = "inbound_messages"

    message_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))  # created | filed | ignored | bounce
    reason: Mapped[str] = mapped_column(Text, default="")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), default=None)
    correspondence_id: Mapped[int | None] = mapped_column(ForeignKey("correspondence.id"), default=None)
