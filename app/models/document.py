from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import BigIntBase, DefaultBase, utcnow


class Document(BigIntBase):
    """A file on a request; content lives in content-addressed storage under its SHA-256."""

    __tablename__ = "documents"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    for_release: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What the public gets, fixed when the document is released or its request published: the
    # title and file name with personal data removed, and the file without its PDF metadata.
    public_title: Mapped[str | None] = mapped_column(String(300), default=None)
    public_filename: Mapped[str | None] = mapped_column(String(255), default=None)
    public_sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    public_size: Mapped[int | None] = mapped_column(BigInteger, default=None)


class DocumentText(DefaultBase):
    """Text extracted from a document, for the search index; kept apart so listings stay light."""

    __tablename__ = "document_texts"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    # the text as the public search index holds it: personal data removed at publication
    public_text: Mapped[str | None] = mapped_column(Text, default=None)
