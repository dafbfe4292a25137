from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.lifecycle import OPEN_STATUSES
from app.domain.publication import PublicationState
from app.models.base import BigIntBase, DefaultBase, utcnow
from app.models.batch import ReleaseBatch
from app.models.department import Department
from app.models.requester import Requester
from app.models.user import User

_OPEN_SQL = "status IN ({})".format(", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES)))


class FoiRequest(BigIntBase):
    __tablename__ = "requests"

    reference: Mapped[str] = mapped_column(String(24), unique=True)
    regime: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
    received_on: Mapped[date] = mapped_column(Date, index=True)
    # when a posted request was posted, for the regimes that presume its receipt from it (FOISA s.74(2)(a))
    posted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    channel: Mapped[str] = mapped_column(String(20))
    # the form the requester would like the information in (FOIA s.11), as they wrote it
    preferred_format: Mapped[str | None] = mapped_column(String(500), default=None)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True, default=None)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    requester_id: Mapped[int] = mapped_column(ForeignKey("requesters.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    status: Mapped[str] = mapped_column(String(30), index=True)
    outcome: Mapped[str | None] = mapped_column(String(40), default=None)
    response: Mapped[str | None] = mapped_column(Text, default=None)
    responded_on: Mapped[date | None] = mapped_column(Date, default=None)
    review_outcome: Mapped[str | None] = mapped_column(String(30), default=None)
    # Derived by the deadline engine from the events; never typed, never edited in place.
    deadline_stage: Mapped[str] = mapped_column(String(20), default="initial")
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    original_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    working_days_limit: Mapped[int] = mapped_column(Integer, default=20)
    clock_stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    clock_state: Mapped[str] = mapped_column(String(40), default="running")
    deadline_flags: Mapped[str] = mapped_column(String(200), default="")
    calendar_version: Mapped[str] = mapped_column(String(80), default="")
    # Facts for timeliness reports, kept when a later stage (an internal review) runs its own clock.
    response_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    response_base_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    extension_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    response_working_days: Mapped[int | None] = mapped_column(Integer, default=None)
    review_requested_on: Mapped[date | None] = mapped_column(Date, default=None)
    review_due_on: Mapped[date | None] = mapped_column(Date, default=None)
    review_completed_on: Mapped[date | None] = mapped_column(Date, default=None)
    # Release batches and historic imports
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("release_batches.id"), index=True, default=None)
    import_key: Mapped[str | None] = mapped_column(String(64), default=None)
    # The public version, fixed when published: personal data already removed from these texts.
    publication_state: Mapped[str] = mapped_column(
        String(20), default=PublicationState.UNPUBLISHED.value, server_default=PublicationState.UNPUBLISHED.value
    )
    publish_at: Mapped[datetime | None] = mapped_column(default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    public_title: Mapped[str | None] = mapped_column(String(300), default=None)
    public_summary: Mapped[str | None] = mapped_column(Text, default=None)
    public_body: Mapped[str | None] = mapped_column(Text, default=None)
    public_response: Mapped[str | None] = mapped_column(Text, default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text, default=None)
    # Order of first publication: the search index's row number, so "newest released" and date
    # ranges are ranges of one integer and a search can stop early (docs/performance.md)
    search_seq: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # Records management (app/domain/retention.py): a legal hold keeps the request from the retention
    # policy while a complaint or appeal is open (who placed it is in the history);
    # anonymised_at is when its requester data was removed.
    legal_hold_reason: Mapped[str | None] = mapped_column(Text, default=None)
    legal_hold_at: Mapped[datetime | None] = mapped_column(default=None)
    anonymised_at: Mapped[datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    department: Mapped[Department | None] = relationship(lazy="raise")
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="raise")
    requester: Mapped[Requester] = relationship(lazy="raise")
    batch: Mapped[ReleaseBatch | None] = relationship(lazy="raise")

    __table_args__ = (
        # The staff list and the overdue report read open requests by due date: a partial index
        # keeps them fast at a million rows (docs/performance.md).
        Index(
            "ix_requests_open_due_on",
            "due_on",
            "id",
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_requests_regime_received_on", "regime", "received_on"),
        # timeliness reports read answered requests by the day they were answered
        Index("ix_requests_responded_on", "responded_on", "department_id"),
        Index("uq_requests_import_key", "import_key", unique=True),
        # the disclosure log lists published requests newest first; date ranges map to search_seq
        Index("ix_requests_publication", "publication_state", "published_at", "search_seq"),
        Index("uq_requests_search_seq", "search_seq", unique=True),
    )


class RequestExemption(DefaultBase):
    __tablename__ = "request_exemptions"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True)
    # a code declared by the request's regime (app/domain/regimes), checked by the domain before any write
    code: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ReferenceCounter(DefaultBase):
    """The last number handed out per regime and year; incremented atomically, never decremented."""

    __tablename__ = "reference_counters"

    regime: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
