from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import DefaultBase, utcnow


class PublicTextEdit(DefaultBase):
    """An officer's wording of one public field (title, request, a document's title...) before
    publication; the request's own record is never changed by it."""

    __tablename__ = "publication_edits"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(80), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuspicionReview(DefaultBase):
    """An officer's decision on something that may be personal data: redact it, or publish it."""

    __tablename__ = "publication_reviews"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True)
    suspicion_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    field: Mapped[str] = mapped_column(String(80))
    decision: Mapped[str] = mapped_column(String(10))  # "redact" | "accept"
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
