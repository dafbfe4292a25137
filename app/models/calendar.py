from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import BigIntBase, utcnow


class CalendarCorrection(BigIntBase):
    """An authority's correction to the bank holiday calendar (a proclamation, an error)."""

    __tablename__ = "calendar_corrections"

    day: Mapped[date] = mapped_column(Date)
    nation: Mapped[str] = mapped_column(String(3))
    change: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("day", "nation"),)
