"""Notices sent from a case's steps, and the correspondence kept on it.

A step that has a notice (app/domain/notices `notice_for`) drafts it from the case as the step leaves
it, and queues it in the same unit of work as the step: the step is never recorded without its
notice, nor the notice without its step. Sending comes after the commit (`deliver`): by e-mail
through SMTP, or as a letter printed from the PDF. When the mail server is away the step stands and
the notice waits, shown on the case as not sent with the reason, and is sent again by the periodic
task, by "Send again" on the case or the outbox, or by `foi send-notices`. A notice is claimed before
it is sent (its attempt count moves on in a guarded update), so two senders never send it twice,
and a retry keeps its Message-ID. (Decision recorded in docs/notices.md, "When the mail server is away".)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.domain.errors import InvalidInput, NotFound
from app.domain.lifecycle import Action
from app.domain.notices import (
    REVIEW_ASK_WORKING_DAYS,
    CaseFacts,
    Letterhead,
    Notice,
    NoticeKind,
    NoticeTextError,
    law_for,
    notice_for,
    notice_problems,
    render_notice,
    review_counts_from,
    shipped_text,
)
from app.domain.outcomes import Channel
from app.domain.regimes import Regime
from app.models import Correspondence, Document, FoiRequest, Requester, RequestEvent, User
from app.models.base import affected_rows
from app.services.clock import local_date, now_utc
from app.services.deadlines import Calendars, compute_for, events_of
from app.services.files.storage import ContentStore
from app.services.inputs import NoticeIn
from app.services.mail import Attachment, Mail, new_message_id, send_all
from app.services.notice_templates import current_text
from app.services.requests import apply_action, exemptions_by_request
from app.services.scope import scope_of
from app.services.unit_of_work import UnitOfWork, unit_of_work

logger = logging.getLogger(__name__)

MAX_ATTACHED_BYTES = 20 * 1024 * 1024  # what most mail servers accept in one message, encoding aside
MAX_ATTEMPTS = 8
MAX_NOTICE_CHARS = 100_000  # an officer's edited text; a draft quotes a long request only in part
STALE_CLAIM = timedelta(minutes=10)  # a sender that died mid-send: its claim lapses after this


class Delivery(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"

    @property
    def label(self) -> str:
        return {
            "queued": "Waiting to be sent",
            "sending": "Being sent",
            "sent": "Sent",
            "failed": "Not sent",
            "bounced": "Undelivered (bounced)",
        }[self.value]


class By(StrEnum):
    EMAIL = "email"
    POST = "post"


def letterhead_of(settings: Settings) -> Letterhead:
    said = settings.correspondence
    return Letterhead(
        authority_name=settings.authority_name,
        postal_address="\n".join(said.postal_lines),
        request_email=said.request_email,
        signature=said.signature,
        contact=said.contact,
        base_url=settings.mail.base_url,
    )


# ---------------------------------------------------------------- drafting


async def released_documents(session: AsyncSession, request_id: int, ids: list[int]) -> list[Document]:
    if not ids:
        return []
    found = {d.id: d for d in await session.scalars(select(Document).where(Document.request_id == request_id, Document.id.in_(ids)))}
    for document_id in ids:
        document = found.get(document_id)
        if document is None or not document.for_release:
            raise InvalidInput("notice.documents", f"document {document_id} is not a released document of this request: release it first")
    return [found[i] for i in dict.fromkeys(ids)]


async def case_facts(
    session: AsyncSession,
    request: FoiRequest,
    requester: Requester,
    *,
    today: date,
    details: dict[str, Any] | None = None,
    note: str = "",
    documents: list[Document] | None = None,
) -> CaseFacts:
    """What a notice is drafted from: the case as it stands (after the step, when sent with one), the
    step's values, and the dates worked out with the authority's own calendar."""
    details = details or {}
    regime = Regime(request.regime)
    calendars = await Calendars.load(session)
    calendar = calendars.for_regime(regime)
    history = await events_of(session, request.id)
    deadline = compute_for(regime, request.received_on, history, calendars, posted_on=request.posted_on)
    exemptions = details.get("exemptions")
    if exemptions is None:
        exemptions = (await exemptions_by_request(session, [request.id])).get(request.id, [])
    lapse_by = deadline.lapses_on - timedelta(days=1) if deadline.lapses_on else None
    return CaseFacts(
        reference=request.reference,
        regime=regime,
        title=request.title,
        body=_quoted(request.body),
        requester_name=requester.name,
        received_on=request.received_on,
        due_on=deadline.due_on,
        due_explanation=" ".join(deadline.explanation),
        today=today,
        outcome=details.get("outcome") or request.outcome,
        exemptions=tuple(exemptions),
        response=details.get("response") or request.response or "",
        public_interest=details.get("public_interest") or "",
        responded_on=request.responded_on,
        fee_amount=details.get("fee"),
        estimated_date=deadline.due_on if deadline.extended else None,
        review_outcome=details.get("review_outcome") or request.review_outcome,
        note=note,
        channel=request.channel,
        whatdotheyknow=request.channel == Channel.WHATDOTHEYKNOW.value,
        preferred_format=request.preferred_format,
        documents=tuple(d.public_title or d.title for d in documents or []),
        review_due_by=calendar.add_working_days(
            review_counts_from(regime, today, request.response_due_on or deadline.due_on), REVIEW_ASK_WORKING_DAYS
        ),
        fee_due_by=lapse_by,
        reply_by=lapse_by,
    )


QUOTED_REQUEST_CHARS = 3_000


def _quoted(text: str) -> str:
    """The request as a notice quotes it: a long one (up to 100,000 characters) is cut at a word, so
    that a notice stays a letter and the request is still recognisable."""
    if len(text) <= QUOTED_REQUEST_CHARS:
        return text
    cut = text[:QUOTED_REQUEST_CHARS].rsplit(None, 1)[0]
    return f"{cut} […] (the rest of your request, as you sent it, is on our record)"


async def draft_for(
    session: AsyncSession,
    settings: Settings,
    request: FoiRequest,
    kind: NoticeKind,
    *,
    today: date,
    details: dict[str, Any] | None = None,
    note: str = "",
    documents: list[Document] | None = None,
) -> tuple[Notice, int | None]:
    """The notice drafted from the authority's current text, and that text's saved version (or None)."""
    requester = await session.get_one(Requester, request.requester_id)
    facts = await case_facts(session, request, requester, today=today, details=details, note=note, documents=documents)
    return await _drafted(session, settings, kind, facts)


async def _drafted(session: AsyncSession, settings: Settings, kind: NoticeKind, facts: CaseFacts) -> tuple[Notice, int | None]:
    text, template_id = await current_text(session, kind, facts.regime)
    try:
        return render_notice(kind, text, facts, letterhead_of(settings)), template_id
    except NoticeTextError as problem:
        if template_id is None:
            raise
        # an authority's text that passed its checks but fails on this case: the shipped text serves,
        # rather than a step (or a request made on the public form) refused for a wording problem
        logger.warning("notice text %d failed to render (%s): the shipped text was used", template_id, problem.field)
        return render_notice(kind, shipped_text(kind, facts.regime), facts, letterhead_of(settings)), None


# ---------------------------------------------------------------- queueing with a step


def _keeps_the_routes(text: str) -> bool:
    """An officer's own text still says how to ask for a review and how to complain to the Commissioner."""
    words = text.lower()
    return "review" in words and "commissioner" in words


def _address(requester: Requester, by: By) -> str:
    if by is By.EMAIL:
        if not requester.email:
            raise InvalidInput("notice.by", "the requester gave no e-mail address: send the notice by post")
        return requester.email
    if not (requester.address or "").strip():
        raise InvalidInput("notice.by", "the requester gave no postal address: send the notice by e-mail")
    return requester.address or ""


def _by(value: str) -> By:
    try:
        return By(value)
    except ValueError:
        raise InvalidInput("notice.by", "Select how to send the notice: by email or by post") from None


async def queue_notice(
    uow: UnitOfWork,
    settings: Settings,
    request: FoiRequest,
    kind: NoticeKind,
    notice: NoticeIn,
    *,
    event_id: int | None,
    details: dict[str, Any] | None = None,
    note: str = "",
) -> Correspondence:
    """Drafts (or takes the officer's text) and keeps the notice, queued for e-mail or ready to print."""
    session = uow.session
    by = _by(notice.by)
    requester = await session.get_one(Requester, request.requester_id)
    address = _address(requester, by)
    documents = await released_documents(session, request.id, notice.documents or [])
    if by is By.EMAIL and sum(d.public_size or d.size for d in documents) > MAX_ATTACHED_BYTES:
        raise InvalidInput(
            "notice.documents",
            f"the documents come to more than {MAX_ATTACHED_BYTES // (1024 * 1024)} MB, more than most mail servers take: "
            "attach fewer, or publish them and send the link",
        )
    today = local_date(uow.now, uow.zone)
    facts = await case_facts(session, request, requester, today=today, details=details, note=note, documents=documents)
    problems = notice_problems(kind, facts)
    if problems:
        field_name, message = next(iter(problems.items()))  # the first: the step's form shows one at a time
        raise InvalidInput(field_name, message)
    drafted, template_id = await _drafted(session, settings, kind, facts)
    edited = (notice.text or "").replace("\r\n", "\n").strip()
    if len(edited) > MAX_NOTICE_CHARS:
        raise InvalidInput("notice.text", f"must be {MAX_NOTICE_CHARS:,} characters or fewer (it is {len(edited):,})")
    if edited and not _keeps_the_routes(edited):
        raise InvalidInput(
            "notice.text",
            f"the notice must still tell the requester how to ask for an internal review and how to complain to the "
            f"{law_for(facts.regime).commissioner.name}: keep those paragraphs from the draft",
        )
    body = edited or drafted.body
    subject = " ".join((notice.subject or "").split()) or drafted.subject
    if len(subject) > 300:
        raise InvalidInput("notice.subject", f"must be 300 characters or fewer (it is {len(subject):,})")
    row = Correspondence(
        request_id=request.id,
        direction="out",
        kind=kind.value,
        at=uow.now,
        subject=subject,
        address=address,
        by=by.value,
        body=body,
        message_id=new_message_id(settings.mail) if by is By.EMAIL else None,
        delivery=Delivery.QUEUED.value if by is By.EMAIL else None,
        event_id=event_id,
        actor_id=uow.actor.id if uow.actor else None,
        template_id=template_id,
        documents=[d.id for d in documents],
        created_at=uow.now,
    )
    session.add(row)
    await session.flush()
    if by is By.EMAIL:
        _send_after_commit(uow, settings, row.id)
    return row


def _send_after_commit(uow: UnitOfWork, settings: Settings, correspondence_id: int) -> None:
    sessions = uow.sessions
    if sessions is None:  # a unit of work made by hand (tests): the periodic task sends it
        return

    async def send() -> None:
        await deliver(sessions, settings, ids=[correspondence_id])

    uow.after_commit.append(send)


async def _event_of_step(session: AsyncSession, request_id: int) -> int | None:
    return await session.scalar(
        select(RequestEvent.id).where(RequestEvent.request_id == request_id).order_by(RequestEvent.id.desc()).limit(1)
    )


async def take_step(
    uow: UnitOfWork,
    settings: Settings,
    reference: str,
    *,
    action: str,
    params: dict[str, Any],
    notice: NoticeIn | None = None,
    on: date | None = None,
    note: str | None = None,
    actor: User | None = None,
) -> FoiRequest:
    """A lifecycle step and, when asked, its notice: one unit of work. A notice for a step that has
    none is refused before anything is written."""
    kind = notice_for(action)
    if notice is not None and notice.send and kind is None:
        raise InvalidInput("notice", f"'{action}' sends no notice: leave notice out")
    if notice is not None and notice.send:
        _by(notice.by)  # a wrong value is refused before the step is taken
    request = await apply_action(
        uow.session,
        reference,
        action=action,
        params=params,
        actor=actor if actor is not None else uow.actor,
        zone=uow.zone,
        on=on,
        note=note,
    )
    if notice is not None and notice.send and kind is not None:
        event_id = await _event_of_step(uow.session, request.id)
        details = await uow.session.scalar(select(RequestEvent.details).where(RequestEvent.id == event_id)) or {}
        await queue_notice(uow, settings, request, kind, notice, event_id=event_id, details=details, note=note or "")
    return request


async def draft_after_step(
    uow: UnitOfWork, settings: Settings, reference: str, action: str, *, note: str = "", documents: list[int] | None = None
) -> Notice:
    """The notice `action` would send, drafted from the case as the step just taken in `uow` leaves it
    (the caller rolls the step back: "Draft the notice" records nothing)."""
    kind = notice_for(action)
    if kind is None:
        raise InvalidInput("notice", "this step sends no notice")
    request = await uow.session.scalar(select(FoiRequest).where(FoiRequest.reference == reference.strip().upper()))
    if request is None:
        raise NotFound(f"no request {reference[:40]}")
    event_id = await _event_of_step(uow.session, request.id)
    details = await uow.session.scalar(select(RequestEvent.details).where(RequestEvent.id == event_id)) if event_id else None
    released = await released_documents(uow.session, request.id, documents or [])
    notice, _ = await draft_for(
        uow.session, settings, request, kind, today=local_date(uow.now, uow.zone), details=details or {}, note=note, documents=released
    )
    return notice


async def acknowledge_new_request(uow: UnitOfWork, request: FoiRequest, settings: Settings) -> Correspondence | None:
    """The acknowledgement of a request that came in by itself (the web form, an e-mail): by e-mail
    when the requester gave an address, otherwise a letter to print. Off with FOI_AUTO_ACKNOWLEDGE=off."""
    if not settings.correspondence.auto_acknowledge:
        return None
    requester = await uow.session.get_one(Requester, request.requester_id)
    by = By.EMAIL if requester.email else By.POST
    await take_step(uow, settings, request.reference, action=Action.ACKNOWLEDGE.value, params={}, notice=NoticeIn(send=True, by=by.value))
    return await uow.session.scalar(
        select(Correspondence).where(Correspondence.request_id == request.id).order_by(Correspondence.id.desc()).limit(1)
    )


# ---------------------------------------------------------------- sending


@dataclass(frozen=True)
class DeliveryResult:
    correspondence_id: int
    error: str | None  # None: sent


def _retry_due(now: datetime) -> Any:
    """Queued, or failed and due another try (a wait that grows with each attempt), or claimed by a
    sender that has not finished in STALE_CLAIM."""
    C = Correspondence
    backoff = [
        (C.attempts == attempts) & (C.claimed_at < now - timedelta(minutes=min(5 * 2 ** (attempts - 1), 240)))
        for attempts in range(1, MAX_ATTEMPTS)
    ]
    return or_(
        C.delivery == Delivery.QUEUED.value,
        (C.delivery == Delivery.FAILED.value) & or_(*backoff),
        (C.delivery == Delivery.SENDING.value) & (C.claimed_at < now - STALE_CLAIM),
    )


async def _claim(sessions: async_sessionmaker[AsyncSession], row_id: int, zone: Any, now: datetime) -> Correspondence | None:
    """This sender's claim on one notice: the guarded update succeeds for one sender only."""
    async with unit_of_work(sessions, zone=zone, now=now) as uow:
        row = await uow.session.get(Correspondence, row_id)
        if row is None or row.direction != "out" or row.delivery not in (Delivery.QUEUED, Delivery.FAILED, Delivery.SENDING):
            return None
        if row.delivery == Delivery.SENDING and row.claimed_at and row.claimed_at > now - STALE_CLAIM:
            return None
        claimed = await uow.session.execute(
            update(Correspondence)
            .where(Correspondence.id == row_id, Correspondence.attempts == row.attempts, Correspondence.delivery == row.delivery)
            .values(delivery=Delivery.SENDING.value, claimed_at=now, attempts=row.attempts + 1)
        )
        if affected_rows(claimed) != 1:
            return None
        await uow.session.refresh(row)
        uow.session.expunge(row)
        return row


async def _attachments(sessions: async_sessionmaker[AsyncSession], settings: Settings, row: Correspondence) -> tuple[Attachment, ...]:
    if not row.documents:
        return ()
    async with sessions() as session:
        documents = list(await session.scalars(select(Document).where(Document.id.in_(row.documents)).order_by(Document.id)))
    store = ContentStore(settings.storage_dir)
    attached = []
    for document in documents:
        # the copy the public gets (without its metadata) where there is one
        path = store.path_for(document.public_sha256 or document.sha256)
        attached.append(Attachment(document.public_filename or document.filename, document.content_type, path.read_bytes()))
    return tuple(attached)


async def deliver(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, ids: list[int] | None = None, *, now: datetime | None = None
) -> list[DeliveryResult]:
    """Sends the notices given (or every one due), each once, and records how it went."""
    now = now or now_utc()
    async with sessions() as session:
        query = select(Correspondence.id).where(Correspondence.direction == "out", Correspondence.by == By.EMAIL.value)
        query = query.where(Correspondence.id.in_(ids)) if ids is not None else query.where(_retry_due(now))
        candidates = list(await session.scalars(query.order_by(Correspondence.id).limit(500)))
    results = []
    for row_id in candidates:
        row = await _claim(sessions, row_id, settings.zone, now)
        if row is None:
            continue  # sent, being sent elsewhere, or not due
        try:
            attachments = await _attachments(sessions, settings, row)
        except OSError as problem:
            error: str | None = f"an attached document could not be read ({type(problem).__name__}): check the document store"
        else:
            mail = Mail(
                to=row.address,
                subject=row.subject,
                body=row.body,
                message_id=row.message_id,
                reply_to=settings.correspondence.request_email or None,
                attachments=attachments,
                automatic=False,
            )
            [error] = await send_all(settings.mail, [mail])
        async with unit_of_work(sessions, zone=settings.zone) as uow:
            values: dict[str, Any] = (
                {"delivery": Delivery.SENT.value, "sent_at": now_utc(), "error": None}
                if error is None
                else {"delivery": Delivery.FAILED.value, "error": error}
            )
            await uow.session.execute(update(Correspondence).where(Correspondence.id == row.id).values(**values))
        if error is not None:
            # the reason is on the case; the log says which notice only (an error may quote an address)
            logger.warning("notice %d was not sent (attempt %d)", row.id, row.attempts)
        results.append(DeliveryResult(row.id, error))
    return results


async def send_again(uow: UnitOfWork, settings: Settings, reference: str, correspondence_id: int) -> Correspondence:
    """Puts a notice that was not sent (or bounced, after the address was corrected) back in the queue."""
    row = await one_of(uow.session, reference, correspondence_id)
    if row.direction != "out" or row.by != By.EMAIL.value:
        raise InvalidInput("correspondence", "only an e-mailed notice can be sent again")
    if row.delivery not in (Delivery.FAILED, Delivery.BOUNCED):
        state = Delivery(row.delivery).label.lower() if row.delivery else "sent"
        raise InvalidInput("correspondence", f"this notice is {state}: there is nothing to send again")
    request = await uow.session.get_one(FoiRequest, row.request_id)
    if request.anonymised_at is not None:
        on = local_date(request.anonymised_at, uow.zone)
        raise InvalidInput(
            "correspondence",
            f"The requester's details on {request.reference} were removed under the retention policy on {on.day} {on:%B %Y}: "
            "there is no one to send it to again.",
        )
    requester = await uow.session.get_one(Requester, request.requester_id)
    row.address = _address(requester, By.EMAIL)  # the address as corrected since
    row.delivery = Delivery.QUEUED.value
    row.error = None
    await uow.session.flush()
    _send_after_commit(uow, settings, row.id)
    return row


async def send_again_now(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, reference: str, correspondence_id: int, actor: User | None
) -> DeliveryResult:
    """ "Send again", waiting for the mail server's answer so the officer hears at once how it went."""
    async with unit_of_work(sessions, zone=settings.zone, actor=actor) as uow:
        row = await send_again(uow, settings, reference, correspondence_id)
        uow.after_commit.clear()  # sent here, below, rather than in the background
    [result] = await deliver(sessions, settings, ids=[row.id]) or [DeliveryResult(row.id, "another sender has it in hand")]
    return result


async def mark_posted(uow: UnitOfWork, reference: str, correspondence_id: int, on: date) -> Correspondence:
    """A letter for post has been printed and posted: it is sent from then on."""
    row = await one_of(uow.session, reference, correspondence_id)
    if row.direction != "out" or row.by != By.POST.value:
        raise InvalidInput("correspondence", "only a letter for post is marked as posted")
    if row.delivery == Delivery.SENT:
        posted = local_date(row.sent_at or row.at, uow.zone)
        raise InvalidInput("correspondence", f"this letter was marked as posted on {posted.day} {posted:%B %Y}")
    today = local_date(uow.now, uow.zone)
    if on > today:
        raise InvalidInput("on", "cannot be in the future")
    if on < local_date(row.at, uow.zone):
        raise InvalidInput("on", "cannot be before the letter was written")
    row.delivery = Delivery.SENT.value
    row.sent_at = uow.now if on == today else datetime.combine(on, time(12, 0), tzinfo=uow.zone)
    await uow.session.flush()
    return row


# ---------------------------------------------------------------- reading


async def correspondence_of(session: AsyncSession, request_id: int) -> list[Correspondence]:
    return list(await session.scalars(select(Correspondence).where(Correspondence.request_id == request_id).order_by(Correspondence.id)))


async def one_of(session: AsyncSession, reference: str, correspondence_id: int) -> Correspondence:
    row = await session.scalar(
        select(Correspondence)
        .join(FoiRequest, FoiRequest.id == Correspondence.request_id)
        .where(FoiRequest.reference == reference.upper(), Correspondence.id == correspondence_id)
    )
    if row is None:
        raise NotFound(f"no correspondence {correspondence_id} on request {reference}")
    return row


async def failed_notices(session: AsyncSession, limit: int = 100) -> list[tuple[Correspondence, str]]:
    """Notices that were not sent or bounced, with their request's reference, newest first (the outbox)."""
    rows = await session.execute(
        select(Correspondence, FoiRequest.reference)
        .join(FoiRequest, FoiRequest.id == Correspondence.request_id)
        .where(Correspondence.delivery.in_([Delivery.FAILED.value, Delivery.BOUNCED.value]))
        .where(scope_of(session).condition())  # an officer under department scope: their department's only
        .order_by(Correspondence.id.desc())
        .limit(limit)
    )
    return [(row, reference) for row, reference in rows.tuples()]


async def letters_to_post(session: AsyncSession, limit: int = 100) -> list[tuple[Correspondence, str]]:
    """Letters for post not yet marked as posted, oldest first: the print run."""
    rows = await session.execute(
        select(Correspondence, FoiRequest.reference)
        .join(FoiRequest, FoiRequest.id == Correspondence.request_id)
        .where(Correspondence.direction == "out", Correspondence.by == By.POST.value, Correspondence.delivery.is_(None))
        .where(scope_of(session).condition())  # an officer under department scope: their department's only
        .order_by(Correspondence.id)
        .limit(limit)
    )
    return [(row, reference) for row, reference in rows.tuples()]
