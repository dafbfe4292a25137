"""Publishing a responded request to the disclosure log, scheduling it, and taking it down.

The public version is fixed at publication from the publication review (services.publication_review):
every public text with the requester's data removed and each possible personal data item decided by an
officer. Only that version is ever shown; the request's own record is never changed by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.batches import unexplained_exemptions
from app.domain.errors import InvalidInput
from app.domain.exemptions import BY_CODE
from app.domain.history import EventKind
from app.domain.lifecycle import Status
from app.domain.outcomes import Outcome
from app.domain.publication import PublicationState
from app.domain.publication_review import PublicReview
from app.domain.redaction import REDACTED
from app.domain.regimes import Regime
from app.models import Document, DocumentText, FoiRequest, PublicTextEdit, RequestEvent, RequestExemption, User
from app.models.base import affected_rows
from app.services import publication_review as review_service
from app.services.clock import now_utc, today_in
from app.services.errors import Conflict
from app.services.files.names import renamed_like
from app.services.publication_review import ReviewInputs, document_field
from app.services.search import index_request, remove_from_index, restart_numbering

PUBLISHABLE = {Status.RESPONDED.value, Status.INTERNAL_REVIEW.value, Status.REVIEW_COMPLETED.value}
MAX_SUMMARY = 5_000
# a release held back longer than this is a typed year gone wrong ("2062" for "2026"), not a plan
MAX_SCHEDULE_AHEAD = timedelta(days=366)


@dataclass
class PublicVersion:
    """What the public would see, what was taken out, and what an officer must check before publishing."""

    title: str
    body: str
    response: str
    summary: str
    released_documents: list[Document]
    review: PublicReview
    warnings: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # what kinds of data were found and removed

    def document_title(self, document: Document) -> str:
        return self.review.public(document_field(document.id, "title"))

    def document_filename(self, document: Document) -> str:
        return self.review.public(document_field(document.id, "filename"))


async def preview(session: AsyncSession, reference: str) -> PublicVersion:
    inputs = await review_service.inputs_for(session, reference)
    codes = list(await session.scalars(select(RequestExemption.code).where(RequestExemption.request_id == inputs.request.id)))
    return public_version(inputs, codes)


def public_version(inputs: ReviewInputs, exemptions: list[str]) -> PublicVersion:
    """The public version of a request under review, with the warnings an officer should read first
    (shared by the preview of one request and of a release batch)."""
    request = inputs.request
    review = inputs.review()
    version = PublicVersion(
        title=review.public("title"),
        body=review.public("body"),
        response=review.public("response"),
        summary=review.public("summary"),
        released_documents=inputs.documents,
        review=review,
        removed=sorted({finding.reason for _, finding in review.redactions}),
    )
    if request.status not in PUBLISHABLE:
        version.warnings.append(f"The request is {Status(request.status).label.lower()}: only answered requests can be published.")
    if not inputs.documents and request.outcome in {Outcome.GRANTED_IN_FULL.value, Outcome.GRANTED_IN_PART.value}:
        version.warnings.append("No document is marked for release, although information was released.")
    if not version.summary:
        version.warnings.append("There is no public summary.")
    redactions = len(review.redactions)
    if redactions:
        version.warnings.append(
            f"{redactions} piece{'s' if redactions != 1 else ''} of personal data found in the text "
            f"({', '.join(version.removed)}) will be replaced by [redacted]."
        )
    unreviewed = len(review.unreviewed)
    if unreviewed:
        version.warnings.append(
            f"{unreviewed} possible personal data {'item needs' if unreviewed == 1 else 'items need'} your review before publishing."
        )
    unexplained = unexplained_exemptions(request.response, exemptions)
    if unexplained:
        labels = "; ".join(BY_CODE[code].label for code in unexplained)
        version.warnings.append(
            f"{Regime(request.regime).rules.exemption_word.capitalize()} applied with no note in the response: {labels}. "
            "Readers will not see why information was withheld."
        )
    return version


def check_publish_time(at: datetime | None, zone: ZoneInfo, now: datetime, *, within_a_year: bool = True) -> datetime | None:
    """A scheduled time must be in the future: a past one is a typo, never "publish now"; so is
    one more than a year ahead, when it schedules (a batch's planned time is only a plan)."""
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    if at <= now:
        raise InvalidInput(
            "at",
            f"{at.astimezone(zone):%-d %B %Y at %H:%M} is in the past (it is now {now.astimezone(zone):%-d %B %Y, %H:%M}): "
            "choose a later time, or publish now",
        )
    if within_a_year and at > now + MAX_SCHEDULE_AHEAD:
        raise InvalidInput(
            "at",
            f"{at.astimezone(zone):%-d %B %Y at %H:%M} is more than a year ahead: check the year (it is now {now.astimezone(zone):%Y})",
        )
    return at


async def publish(
    session: AsyncSession,
    reference: str,
    *,
    actor: User,
    zone: ZoneInfo,
    summary: str | None = None,
    at: datetime | None = None,
) -> FoiRequest:
    """Publishes now, or schedules for `at` (which must be in the future); the public version is
    fixed here, and refused while anything in it is not reviewed."""
    now = now_utc()
    at = check_publish_time(at, zone, now)
    inputs = await review_service.inputs_for(session, reference, lock=True)
    request = inputs.request
    if request.batch_id is not None and request.publication_state != PublicationState.WITHDRAWN:
        raise Conflict(f"{request.reference} is in a release batch: it is published with the batch (or take it out of the batch first)")
    if summary is not None:
        summary = summary.strip()
        if len(summary) > MAX_SUMMARY:
            raise InvalidInput("summary", f"at most {MAX_SUMMARY} characters")
        if summary != (inputs.edits.get("summary", request.public_summary or "")):
            await session.execute(delete(PublicTextEdit).where(PublicTextEdit.request_id == request.id, PublicTextEdit.field == "summary"))
            session.add(PublicTextEdit(request_id=request.id, field="summary", text=summary, edited_by_id=actor.id, edited_at=now))
            inputs.edits["summary"] = summary
    await publish_loaded(session, inputs, actor=actor, zone=zone, at=at, now=now)
    return request


async def publish_loaded(
    session: AsyncSession,
    inputs: ReviewInputs,
    *,
    actor: User | None,
    zone: ZoneInfo,
    at: datetime | None = None,
    now: datetime | None = None,
    details: dict[str, Any] | None = None,
) -> FoiRequest:
    """Publishes (or schedules) one locked request from its review inputs, already loaded: `publish`
    loads one request's; a release batch loads all its requests' at once, then publishes each."""
    request = inputs.request
    if request.status not in PUBLISHABLE:
        raise Conflict(f"{request.reference} is {request.status}: only answered requests can be published")
    if request.publication_state == PublicationState.PUBLISHED:
        raise Conflict(f"{request.reference} is already published")
    review = inputs.review()
    blocking = review.blocking()
    if blocking:
        raise Conflict(f"{request.reference} cannot be published yet: " + " ".join(blocking))
    now = now or now_utc()
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    request.public_title = review.public("title")
    request.public_body = review.public("body")
    request.public_response = review.public("response") or None
    request.public_summary = review.public("summary") or None
    for document in inputs.documents:
        await _fix_public_document(session, document, review)
    request.withdrawn_at = None
    request.withdrawn_reason = None
    event_details: dict[str, Any]
    if at is not None and at > now:
        request.publication_state, request.publish_at = PublicationState.SCHEDULED.value, at
        action, event_details = EventKind.SCHEDULE_PUBLICATION.value, {"publish_at": at.isoformat()}
    else:
        request.publication_state, request.published_at, request.publish_at = PublicationState.PUBLISHED.value, now, None
        restart_numbering(request)
        action, event_details = EventKind.PUBLISH.value, {}
    # counts only: what was redacted is personal data, and the history is read by every officer
    event_details |= {"redactions": len(review.redactions), "reviewed": len(review.suspicions)}
    request.version += 1
    session.add(
        RequestEvent(
            request_id=request.id,
            action=action,
            from_status=request.status,
            to_status=request.status,
            occurred_on=today_in(zone),
            actor_id=actor.id if actor else None,
            details={**event_details, **(details or {})},
        )
    )
    await session.flush()
    if request.publication_state == PublicationState.PUBLISHED:
        await index_request(session, request.id)
    return request


async def release_late_document(session: AsyncSession, request: FoiRequest, document: Document) -> None:
    """A file released after its request was published (or scheduled) goes public with it, so it
    gets the same treatment as at publication: its title, file name and text with the requester's data removed,
    and refused (409, nothing changed) while anything in them would need an officer's review."""
    inputs = (await review_service.load_inputs(session, [request]))[request.id]
    review = inputs.review()
    names = {document_field(document.id, part) for part in ("title", "filename", "text")}
    left = [s for s in review.unreviewed if s.field in names]
    if left:
        listed = "; ".join(f"'{s.text}' ({s.reason})" for s in left[:5])
        raise Conflict(
            f"{request.reference} is published, and this document may hold personal data: {listed}. "
            "Rename it or upload a redacted copy; or take the request down, review it and publish it again"
        )
    await _fix_public_document(session, document, review)
    await session.flush()
    await index_request(session, request.id)


async def _fix_public_document(session: AsyncSession, document: Document, review: PublicReview) -> None:
    document.public_title = review.public(document_field(document.id, "title")) or "Document"
    # "[redacted]" would lose its brackets to the file name rules and leave a stray space
    filename = review.public(document_field(document.id, "filename")).replace(REDACTED, "redacted")
    document.public_filename = renamed_like(filename, document.filename)
    await session.execute(
        update(DocumentText)
        .where(DocumentText.document_id == document.id)
        .values(public_text=review.public(document_field(document.id, "text")))
    )


async def unpublish(session: AsyncSession, reference: str, *, actor: User, zone: ZoneInfo, reason: str) -> FoiRequest:
    """Takes a request down: its content leaves the public site; a notice of the withdrawal stays."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "say why it is being taken down (recorded in the history, not shown publicly)")
    request = await review_service.lock_request(session, reference)
    if request.publication_state not in (PublicationState.PUBLISHED, PublicationState.SCHEDULED):
        raise Conflict(f"{request.reference} is not published or scheduled")
    request.publication_state = PublicationState.WITHDRAWN.value
    request.withdrawn_at = now_utc()
    request.withdrawn_reason = reason
    request.publish_at = None
    request.version += 1
    session.add(
        RequestEvent(
            request_id=request.id,
            action=EventKind.UNPUBLISH.value,
            from_status=request.status,
            to_status=request.status,
            occurred_on=today_in(zone),
            actor_id=actor.id,
            note=reason,
            details={},
        )
    )
    await remove_from_index(session, request.id)
    return request


async def publish_due(session: AsyncSession, zone: ZoneInfo) -> list[str]:
    """Publishes every scheduled request whose time has come; safe to run on several hosts at once:
    the guarded state change lets exactly one run publish each request."""
    now = now_utc()
    statement = (
        select(FoiRequest.id, FoiRequest.reference, FoiRequest.status)
        .where(FoiRequest.publication_state == PublicationState.SCHEDULED.value, FoiRequest.publish_at <= now)
        .order_by(FoiRequest.publish_at, FoiRequest.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        # rows another run has locked are skipped, not waited for: each run takes its own share
        statement = statement.with_for_update(of=FoiRequest, skip_locked=True)
    due = list(await session.execute(statement))
    published = []
    for request_id, reference, status in due:
        claimed = await session.execute(
            update(FoiRequest)
            .where(FoiRequest.id == request_id, FoiRequest.publication_state == PublicationState.SCHEDULED.value)
            .values(
                publication_state=PublicationState.PUBLISHED.value,
                published_at=now,
                publish_at=None,
                search_seq=None,
                version=FoiRequest.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if affected_rows(claimed) != 1:
            continue
        session.add(
            RequestEvent(
                request_id=request_id,
                action=EventKind.PUBLISH.value,
                from_status=status,
                to_status=status,
                occurred_on=today_in(zone),
                actor_id=None,
                details={"scheduled": True},
            )
        )
        await session.flush()
        await index_request(session, request_id)
        published.append(reference)
    return published
