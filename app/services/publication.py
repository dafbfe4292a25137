"""Publishing a responded request to the disclosure log, scheduling it, and taking it down.

The public version is fixed at publication: title, request and response with the requester's
name, email and address removed, and an officer's summary. Only that version is ever shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.batches import unexplained_exemptions
from app.domain.errors import InvalidInput
from app.domain.exemptions import BY_CODE
from app.domain.lifecycle import Status
from app.domain.outcomes import Outcome
from app.domain.redaction import PersonalData, find_personal_data, redact
from app.models import Document, FoiRequest, RequestEvent, RequestExemption, Requester, User
from app.services.clock import now_utc, today_in
from app.services.errors import Conflict, NotFound
from app.services.search import index_request, remove_from_index, restart_numbering

PUBLISHABLE = {Status.RESPONDED.value, Status.INTERNAL_REVIEW.value, Status.REVIEW_COMPLETED.value}
MAX_SUMMARY = 5_000


@dataclass
class PublicVersion:
    """What the public would see, and what an officer should check before publishing."""

    title: str
    body: str
    response: str
    summary: str
    released_documents: list[Document]
    warnings: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # kinds of personal data found and removed


async def _load(session: AsyncSession, reference: str, lock: bool = False) -> tuple[FoiRequest, Requester]:
    statement = select(FoiRequest).where(FoiRequest.reference == reference.strip().upper())
    request = await session.scalar(statement.with_for_update() if lock else statement)
    if request is None:
        raise NotFound(f"no request {reference}")
    requester = await session.get(Requester, request.requester_id)
    assert requester is not None
    return request, requester


def _person(requester: Requester) -> PersonalData:
    return PersonalData(name=requester.name, email=requester.email, address=requester.address)


async def preview(session: AsyncSession, reference: str, summary: str | None = None) -> PublicVersion:
    request, requester = await _load(session, reference)
    documents = list(
        await session.scalars(
            select(Document).where(Document.request_id == request.id, Document.for_release.is_(True)).order_by(Document.id)
        )
    )
    codes = list(await session.scalars(select(RequestExemption.code).where(RequestExemption.request_id == request.id)))
    return public_version(request, requester, documents, codes, summary)


def public_version(
    request: FoiRequest, requester: Requester, documents: list[Document], exemptions: list[str], summary: str | None = None
) -> PublicVersion:
    """The public version of a loaded request, with the warnings an officer should read first
    (shared by the preview of one request and of a release batch)."""
    person = _person(requester)
    originals = [request.title, request.body, request.response or "", summary if summary is not None else (request.public_summary or "")]
    removed = sorted({kind for original in originals for kind in find_personal_data(original, person)})
    version = PublicVersion(
        title=redact(request.title, person),
        body=redact(request.body, person),
        response=redact(request.response, person),
        summary=redact(summary if summary is not None else request.public_summary, person),
        released_documents=documents,
        removed=removed,
    )
    if request.status not in PUBLISHABLE:
        version.warnings.append(f"The request is {Status(request.status).label.lower()}: only answered requests can be published.")
    if not documents and request.outcome in {Outcome.GRANTED_IN_FULL.value, Outcome.GRANTED_IN_PART.value}:
        version.warnings.append("No document is marked for release, although information was released.")
    if not version.summary:
        version.warnings.append("There is no public summary.")
    if removed:
        kinds = [kind for kind in ("name", "email", "address") if kind in removed]
        listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
        version.warnings.append(f"The requester's {listed} appeared in the text and will be replaced by [redacted].")
    unexplained = unexplained_exemptions(request.response, exemptions)
    if unexplained:
        labels = "; ".join(BY_CODE[code].label for code in unexplained)
        version.warnings.append(
            f"Exemption applied with no note in the response: {labels}. Readers will not see why information was withheld."
        )
    return version


async def publish(
    session: AsyncSession,
    reference: str,
    *,
    actor: User,
    zone: ZoneInfo,
    summary: str | None = None,
    at: datetime | None = None,
) -> FoiRequest:
    """Publishes now, or schedules for `at`; the public texts are fixed here, redacted."""
    request, requester = await _load(session, reference, lock=True)
    if request.batch_id is not None and request.publication_state != "withdrawn":
        raise Conflict(f"{request.reference} is in a release batch: it is published with the batch (or take it out of the batch first)")
    if summary is not None and len(summary) > MAX_SUMMARY:
        raise InvalidInput("summary", f"at most {MAX_SUMMARY} characters")
    await publish_in_transaction(session, request, requester, actor=actor, zone=zone, summary=summary, at=at)
    await session.commit()
    return request


async def publish_in_transaction(
    session: AsyncSession,
    request: FoiRequest,
    requester: Requester,
    *,
    actor: User | None,
    zone: ZoneInfo,
    summary: str | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
    details: dict[str, Any] | None = None,
) -> FoiRequest:
    """Publishes (or schedules) one locked request inside the caller's transaction, without
    committing: a release batch publishes all its requests this way, in one transaction."""
    if request.status not in PUBLISHABLE:
        raise Conflict(f"{request.reference} is {request.status}: only answered requests can be published")
    if request.publication_state == "published":
        raise Conflict(f"{request.reference} is already published")
    now = now or now_utc()
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    person = _person(requester)
    request.public_title = redact(request.title, person)
    request.public_body = redact(request.body, person)
    request.public_response = redact(request.response, person) or None
    request.public_summary = redact(summary if summary is not None else request.public_summary, person) or None
    request.withdrawn_at = None
    request.withdrawn_reason = None
    if at is not None and at > now:
        request.publication_state, request.publish_at = "scheduled", at
        action, event_details = "schedule_publication", {"publish_at": at.isoformat()}
    else:
        request.publication_state, request.published_at, request.publish_at = "published", now, None
        restart_numbering(request)
        action, event_details = "publish", {}
    request.version += 1
    session.add(
        RequestEvent(
            request_id=request.id, action=action, from_status=request.status, to_status=request.status,
            occurred_on=today_in(zone), actor_id=actor.id if actor else None, details={**event_details, **(details or {})},
        )
    )
    await session.flush()
    if request.publication_state == "published":
        await index_request(session, request.id)
    return request


async def unpublish(session: AsyncSession, reference: str, *, actor: User, zone: ZoneInfo, reason: str) -> FoiRequest:
    """Takes a request down: its content leaves the public site; a notice of the withdrawal stays."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "say why it is being taken down (recorded in the history, not shown publicly)")
    request, _ = await _load(session, reference, lock=True)
    if request.publication_state not in {"published", "scheduled"}:
        raise Conflict(f"{request.reference} is not published or scheduled")
    request.publication_state = "withdrawn"
    request.withdrawn_at = now_utc()
    request.withdrawn_reason = reason
    request.publish_at = None
    request.version += 1
    session.add(
        RequestEvent(
            request_id=request.id, action="unpublish", from_status=request.status, to_status=request.status,
            occurred_on=today_in(zone), actor_id=actor.id, note=reason, details={},
        )
    )
    await remove_from_index(session, request.id)
    await session.commit()
    return request


async def publish_due(session: AsyncSession, zone: ZoneInfo) -> list[str]:
    """Publishes every scheduled request whose time has come; safe to run on several hosts at once:
    the guarded state change lets exactly one run publish each request."""
    now = now_utc()
    statement = (
        select(FoiRequest.id, FoiRequest.reference, FoiRequest.status)
        .where(FoiRequest.publication_state == "scheduled", FoiRequest.publish_at <= now)
        .order_by(FoiRequest.publish_at, FoiRequest.id)
    )
    if session.bind.dialect.name == "postgresql":
        # rows another run has locked are skipped, not waited for: each run takes its own share
        statement = statement.with_for_update(of=FoiRequest, skip_locked=True)
    due = list(await session.execute(statement))
    published = []
    for request_id, reference, status in due:
        claimed = await session.execute(
            update(FoiRequest)
            .where(FoiRequest.id == request_id, FoiRequest.publication_state == "scheduled")
            .values(publication_state="published", published_at=now, publish_at=None, search_seq=None, version=FoiRequest.version + 1)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        session.add(
            RequestEvent(
                request_id=request_id, action="publish", from_status=status, to_status=status,
                occurred_on=today_in(zone), actor_id=None, details={"scheduled": True},
            )
        )
        await session.flush()
        await index_request(session, request_id)
        published.append(reference)
    await session.commit()
    return published
