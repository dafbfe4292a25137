from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.batches import BatchState
from app.models.base import BigIntBase, utcnow


class ReleaseBatch(BigIntBase):
    """Requests released together ("a batch of older FOI documents"): published all at once."""

    __tablename__ = "release_batches"

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # the public version, fixed at publication with every requester's personal data removed
    public_title: Mapped[str | None] = mapped_column(String(300), default=None)
    public_description: Mapped[str | None] = mapped_column(Text, default=None)
    # draft -> approved -> scheduled -> published
    state: Mapped[str] = mapped_column(String(20), default=BatchState.DRAFT.value, index=True)
    publish_at: Mapped[datetime | None] = mapped_column(default=None)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
