from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import BigIntBase, utcnow
from app.models.user import User


class RequestEvent(BigIntBase):
    """One action on a request. Append-only: database triggers refuse UPDATE and DELETE."""

    __tablename__ = "request_events"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    occurred_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    imported: Mapped[bool] = mapped_column(default=False)

    actor: Mapped[User | None] = relationship(lazy="raise")

    __table_args__ = (Index("ix_request_events_request_id_id", "request_id", "id"),)
