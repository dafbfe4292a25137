"""E-mail in: one message becomes a new request, a reply filed on one, a bounce marking a notice
undelivered, or nothing (an automatic reply, a loop), in one unit of work.

Idempotent by Message-ID, and safe from several hosts at once: the first thing written is the
`InboundMessage` row keyed by the message's id. A second run finds it and does nothing; two runs at
the same moment both insert it, and the database lets one through (PostgreSQL holds the second insert
until the first commits, then refuses it; SQLite's write transactions take turns), so the other rolls
back everything and says "already filed". A message that could not be filed is recorded as such and
tried again whenever it comes in again (the cause may have been ours, and fixed since): the row is
claimed again by an UPDATE that only matches it while it still says "not filed", so of two runs at
once one files it and the other finds nothing to claim.

Only the requester can answer for their request: a message from any other address that names a
request, or answers one of its messages, is filed on it as a "message", never as the requester's
reply, clarification or request for an internal review (each of which offers staff a step).

A message about a request anonymised under the retention policy (answering one of its messages, or
naming its reference) is never filed on it: that would give the request back the personal data the
policy removed for good. It becomes a new request, whose note names the old reference (the sender's
own words cite it); the anonymised request is not told. A bounce of one of its notices is ignored.

Nothing here prints or logs who sent a message: the lines for the command name the outcome and the
reference only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.domain.errors import Conflict, DomainError
from app.domain.inbound import (
    Attachment,
    InboundFacts,
    Kind,
    UnreadableMessage,
    message_id_of,
    message_id_variants,
    read_message,
    request_text,
    shorten,
    title_from,
    whole_message,
)
from app.domain.lifecycle import Action, Status
from app.domain.outcomes import Channel
from app.domain.regimes import Regime
from app.models import Correspondence, FoiRequest, InboundMessage, Requester, RequestEvent
from app.services.clock import local_date
from app.services.documents import add_document
from app.services.files.storage import ContentStore, StorageFailure
from app.services.requests import MAX_BODY, NewRequest, RequesterDetails, create_request
from app.services.unit_of_work import UnitOfWork, unit_of_work

CLARIFICATION_REQUEST = "clarification_request"  # NoticeKind.CLARIFICATION_REQUEST's stored value
NOT_FILED = "not filed: "  # the reason of a message that could not be filed (left where it was)

# what a message filed on a request is (Correspondence.kind), and the line that says so
REPLY = "reply"
CLARIFICATION_REPLY = "clarification_reply"
REVIEW_REQUEST = "review_request"
MESSAGE = "message"  # from someone other than the requester: it offers staff no step
_FILED_AS = {
    REPLY: "a reply",
    CLARIFICATION_REPLY: "a reply to the clarification request",
    REVIEW_REQUEST: "a request for internal review",
    MESSAGE: "a message from someone other than the requester",
}


class Outcome:
    CREATED = "created"
    FILED = "filed"
    IGNORED = "ignored"
    BOUNCE = "bounce"
    ALREADY = "already"  # taken in before (by this run or another host)
    FAILED = "failed"  # could not be filed; recorded, and tried again when it comes in again


@dataclass(frozen=True)
class IntakeResult:
    outcome: str
    message_id: str
    line: str  # one line for the command: no name, no address
    reference: str | None = None
    earlier: str | None = None  # ALREADY: what happened to it then (its outcome)
    earlier_failed: bool = False  # FAILED: tried before and not filed then either, for the same reason


class AlreadyFiled(Conflict):
    """Another run took this message in first (its Message-ID is recorded)."""


# ---------------------------------------------------------------- entry points


async def take_message(sessions: async_sessionmaker[AsyncSession], raw: bytes, settings: Settings) -> IntakeResult:
    """Files one message in its own unit of work. A message refused for what it holds (an address
    that cannot be answered, say) is recorded as not filed, with the reason, and nothing else is kept;
    it is tried again when it comes in again. UnreadableMessage (not an e-mail at all) reaches the
    caller; so do database errors."""
    try:
        async with unit_of_work(sessions, zone=settings.zone) as uow:
            return await file_message(uow, raw, settings)
    except AlreadyFiled as taken:
        return IntakeResult(Outcome.ALREADY, str(taken), "already filed")
    except (UnreadableMessage, StorageFailure):
        raise  # not the message's fault: left where it is and tried again (the store's error is logged)
    except DomainError as problem:
        message_id = message_id_of(raw)
        reason = f"{NOT_FILED}{problem}"[:2000]
        async with unit_of_work(sessions, zone=settings.zone) as uow:
            before = await _record_failure(uow, message_id, reason)
        return IntakeResult(Outcome.FAILED, message_id, reason, earlier_failed=before == reason)


async def file_message(uow: UnitOfWork, raw: bytes, settings: Settings) -> IntakeResult:
    """One message, filed in the caller's unit of work (see the module's docstring)."""
    facts = read_message(raw, now=uow.now, own_addresses=own_addresses(settings))
    session = uow.session
    claim = await session.get(InboundMessage, facts.message_id)
    if claim is not None:
        if not _failed(claim):
            return IntakeResult(Outcome.ALREADY, facts.message_id, "already filed", earlier=claim.outcome)
        await _claim_again(uow, facts, claim)
    else:
        claim = InboundMessage(
            message_id=facts.message_id,
            received_at=facts.received_at,
            processed_at=uow.now,
            outcome=Outcome.IGNORED,
            reason="",
        )
        session.add(claim)
        try:
            await session.flush()
        except IntegrityError:
            raise AlreadyFiled(facts.message_id) from None

    if facts.kind is Kind.BOUNCE:
        result = await _file_bounce(uow, facts, claim)
    elif facts.kind is not Kind.MESSAGE:
        claim.reason = facts.why
        result = IntakeResult(Outcome.IGNORED, facts.message_id, f"ignored: {facts.why}")
    else:
        request, kind = await _request_answered(session, facts)
        if request is not None and request.anonymised_at is not None:
            # filed on it, the message would give back to an anonymised request the personal data the
            # retention policy removed: it is a new request (see `_new_request`)
            result = await _new_request(uow, settings, facts, claim, names=request)
        elif request is not None:
            result = await _file_reply(uow, settings, facts, claim, request, kind)
        else:
            result = await _new_request(uow, settings, facts, claim)
    claim.outcome = result.outcome
    await session.flush()
    return result


def own_addresses(settings: Settings) -> list[str]:
    """The tracker's own addresses: a message from one of them is a loop."""
    return [address for address in (settings.mail.sender, settings.correspondence.request_email, settings.imap.user) if "@" in address]


async def after_new_request(uow: UnitOfWork, request: FoiRequest, settings: Settings) -> None:
    """What follows a request that came in by e-mail: its acknowledgement (unless FOI_AUTO_ACKNOWLEDGE=off)."""
    if settings.correspondence.auto_acknowledge:
        from app.services.correspondence import acknowledge_new_request

        await acknowledge_new_request(uow, request, settings)


# ---------------------------------------------------------------- the kinds of message


async def _file_bounce(uow: UnitOfWork, facts: InboundFacts, claim: InboundMessage) -> IntakeResult:
    assert facts.bounce is not None
    session = uow.session
    original = facts.bounce.original_message_id
    notice = None
    if original:
        notice = await session.scalar(
            select(Correspondence)
            .where(Correspondence.direction == "out", Correspondence.message_id.in_(message_id_variants(original)))
            .order_by(Correspondence.id.desc())
            .limit(1)
        )
    if notice is None:
        claim.reason = "a bounce of a message this tracker did not send"
        return IntakeResult(Outcome.IGNORED, facts.message_id, f"ignored: {claim.reason}")
    if await session.scalar(select(FoiRequest.anonymised_at).where(FoiRequest.id == notice.request_id)) is not None:
        # a bounce quotes the requester's address: nothing of it goes back on an anonymised request
        claim.reason = "a bounce of a notice on a request anonymised under the retention policy"
        return IntakeResult(Outcome.IGNORED, facts.message_id, f"ignored: {claim.reason}")
    notice.delivery = "bounced"
    notice.error = facts.bounce.reason or "returned as undeliverable"
    filed = _incoming(facts, notice.request_id, "bounce", [])
    filed.in_reply_to = notice.message_id
    session.add(filed)
    await session.flush()
    reference = await _reference_of(session, notice.request_id)
    claim.request_id, claim.correspondence_id = notice.request_id, filed.id
    claim.reason = "notice undelivered"
    return IntakeResult(Outcome.BOUNCE, facts.message_id, f"bounce: notice {notice.id} on {reference} marked undelivered", reference)


async def _request_answered(session: AsyncSession, facts: InboundFacts) -> tuple[FoiRequest | None, str]:
    """The request a message answers, and as what (see `_filed_as`)."""
    request, answers_clarification = await _request_named(session, facts)
    if request is None:
        return None, ""
    return request, await _filed_as(session, facts, request, answers_clarification)


async def _request_named(session: AsyncSession, facts: InboundFacts) -> tuple[FoiRequest | None, bool]:
    """The request a message is about, and whether it answers that request's clarification request:
    by the ids it answers (a notice sent, or a message taken in), then by WhatDoTheyKnow's per-request
    address, then by a reference in its subject."""
    if facts.threads:
        variants = [variant for message_id in facts.threads for variant in message_id_variants(message_id)]
        rows = (
            await session.execute(
                select(Correspondence.message_id, Correspondence.request_id, Correspondence.direction, Correspondence.kind).where(
                    Correspondence.message_id.in_(variants)
                )
            )
        ).all()
        by_id = {message_id_variants(row.message_id)[0]: row for row in rows if row.message_id}
        for message_id in facts.threads:
            row = by_id.get(message_id)
            if row is not None:
                request = await session.get_one(FoiRequest, row.request_id)
                return request, row.direction == "out" and row.kind == CLARIFICATION_REQUEST
    if facts.whatdotheyknow:
        # WhatDoTheyKnow writes from the request's own address: a later message from it is that request's
        sender_request = await session.scalar(
            select(FoiRequest)
            .join(Requester, Requester.id == FoiRequest.requester_id)
            .where(Requester.email == facts.sender_address, FoiRequest.channel == Channel.WHATDOTHEYKNOW.value)
            .order_by(FoiRequest.id.desc())
            .limit(1)
        )
        if sender_request is not None:
            return sender_request, False
    for reference in facts.cited_references:
        cited = await session.scalar(select(FoiRequest).where(FoiRequest.reference == reference))
        if cited is not None:
            return cited, False
    return None, False


async def _filed_as(session: AsyncSession, facts: InboundFacts, request: FoiRequest, answers_clarification: bool) -> str:
    """What a message about a request is. From the requester's own address (their e-mail; for
    WhatDoTheyKnow the request's own address, kept as theirs), compared in any case: a request for
    internal review (asked for on a responded request), the clarification (an answer to the
    clarification request, or while the request waits for one), or a reply. From anyone else, whatever
    it says or answers: a message, which offers no step (a stranger must not restart the clock)."""
    requester_email = await session.scalar(select(Requester.email).where(Requester.id == request.requester_id))
    from_requester = bool(facts.sender_address) and (requester_email or "").strip().lower() == facts.sender_address
    if not from_requester:
        return MESSAGE
    if request.status == Status.RESPONDED.value and facts.asks_for_review:
        return REVIEW_REQUEST
    if answers_clarification or request.status == Status.AWAITING_CLARIFICATION.value:
        return CLARIFICATION_REPLY
    return REPLY


async def _file_reply(
    uow: UnitOfWork, settings: Settings, facts: InboundFacts, claim: InboundMessage, request: FoiRequest, kind: str
) -> IntakeResult:
    kept, refused = await _keep_attachments(uow, settings, request.reference, list(facts.attachments))
    filed = _incoming(facts, request.id, kind, kept)
    uow.session.add(filed)
    await uow.session.flush()
    if refused:
        _note(uow, request, _refusals_note(refused))
    claim.request_id, claim.correspondence_id = request.id, filed.id
    claim.reason = kind
    return IntakeResult(Outcome.FILED, facts.message_id, f"filed on {request.reference} as {_FILED_AS[kind]}", request.reference)


async def _new_request(
    uow: UnitOfWork, settings: Settings, facts: InboundFacts, claim: InboundMessage, *, names: FoiRequest | None = None
) -> IntakeResult:
    """A new request from the message. `names`: the anonymised request the message answers or names,
    which it is not filed on: its requester data was removed for good when its retention period was
    over, and the message is new personal data the authority now holds, to be dealt with on its own
    (a new request under the Act, or closed by the officer if it asks for nothing), under its own
    retention period. The new request says which request it named; the anonymised one is not told."""
    session = uow.session
    body = facts.text
    if not body:
        body = "(The e-mail had no text; see its attachments.)" if facts.attachments else "(The e-mail had no text.)"
    body, cut = request_text(body, MAX_BODY)
    channel = Channel.WHATDOTHEYKNOW if facts.whatdotheyknow else Channel.EMAIL
    request = await create_request(
        session,
        NewRequest(
            regime=Regime.FOIA.value,  # officers change the law on the request when it is another
            title=title_from(facts),
            body=body,
            requester=RequesterDetails(name=shorten(facts.requester_name, 200) or "Unknown", email=facts.sender_address or None),
            channel=channel.value,
            received_at=facts.received_at,
        ),
        None,
        uow.zone,
        recorded_at=uow.now,
    )
    attachments = list(facts.attachments)
    if cut:  # the whole text, where the request's text says it is
        attachments.insert(0, whole_message(facts.text))
    kept, refused = await _keep_attachments(uow, settings, request.reference, attachments)
    filed = _incoming(facts, request.id, "request", kept)
    session.add(filed)
    await session.flush()
    if facts.whatdotheyknow:
        _note(
            uow,
            request,
            "Made through WhatDoTheyKnow: every reply goes to the request's address there and is published on "
            "WhatDoTheyKnow too, so write the response for the public.",
        )
    if refused:
        _note(uow, request, _refusals_note(refused))
    line = f"created {request.reference}"
    if names is not None and names.anonymised_at is not None:
        on = local_date(names.anonymised_at, uow.zone)
        _note(
            uow,
            request,
            f"This e-mail answers or names {names.reference}, whose requester data was removed under the retention policy on "
            f"{on.day} {on:%B %Y}. It was logged as a new request and nothing of it was added to that one.",
        )
        line += f" (it names {names.reference}, anonymised under the retention policy)"
    claim.request_id, claim.correspondence_id = request.id, filed.id
    claim.reason = "new request"
    await after_new_request(uow, request, settings)
    await session.flush()
    return IntakeResult(Outcome.CREATED, facts.message_id, line, request.reference)


# ---------------------------------------------------------------- pieces


def _incoming(facts: InboundFacts, request_id: int, kind: str, documents: list[int]) -> Correspondence:
    return Correspondence(
        request_id=request_id,
        direction="in",
        kind=kind,
        at=facts.received_at,
        subject=shorten(facts.subject, 300),
        address=facts.sender_address,
        by="email",
        body=facts.text,
        message_id=facts.message_id,
        in_reply_to=facts.in_reply_to[0] if facts.in_reply_to else None,
        delivery=None,
        documents=documents,
    )


async def _keep_attachments(
    uow: UnitOfWork, settings: Settings, reference: str, attachments: list[Attachment]
) -> tuple[list[int], list[str]]:
    """Each attachment kept as an internal document (the upload rules: type by content, size limit);
    one refused is named with why, and never stops the rest."""
    store = ContentStore(settings.storage_dir, settings.max_upload_bytes)
    kept: list[int] = []
    refused: list[str] = []
    for attachment in attachments:
        name = shorten(attachment.filename, 255)
        try:
            document = await add_document(
                uow.session,
                store,
                reference,
                chunks=_chunks(attachment.data),
                filename=name,
                title=shorten(name, 300),
                for_release=False,
                actor=None,
                zone=uow.zone,
            )
        except StorageFailure:
            raise  # the store failed, not the attachment: the whole message waits for the next try
        except DomainError as problem:
            refused.append(f"'{name}': {problem}")
            continue
        kept.append(document.id)
    return kept, refused


async def _chunks(data: bytes, size: int = 1024 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def _refusals_note(refused: list[str]) -> str:
    listed = "\n".join(f"- {line}" for line in refused)
    return f"Attachments of the e-mail not kept (ask the requester for another format if they matter):\n{listed}"


def _note(uow: UnitOfWork, request: FoiRequest, text: str) -> None:
    uow.session.add(
        RequestEvent(
            request_id=request.id,
            action=Action.NOTE.value,
            from_status=request.status,
            to_status=request.status,
            occurred_on=local_date(uow.now, uow.zone),
            recorded_at=uow.now,
            actor_id=None,
            note=text,
            details={"by": "e-mail intake"},
        )
    )


async def _reference_of(session: AsyncSession, request_id: int) -> str:
    return (await session.scalar(select(FoiRequest.reference).where(FoiRequest.id == request_id))) or "?"


def _failed(row: InboundMessage) -> bool:
    """Recorded as not filed (kept as "ignored" with the reason, as rows before retries were)."""
    return row.outcome == Outcome.IGNORED and row.reason.startswith(NOT_FILED)


def _still_failed() -> Any:
    return (InboundMessage.outcome == Outcome.IGNORED) & InboundMessage.reason.startswith(NOT_FILED, autoescape=True)


async def _claim_again(uow: UnitOfWork, facts: InboundFacts, row: InboundMessage) -> None:
    """Claims a message recorded as not filed, for this run only: the UPDATE matches the row only
    while it still says so (PostgreSQL makes a second run's UPDATE wait for the first's commit, then
    finds nothing; SQLite's write transactions take turns), and the claim clears the reason."""
    claimed = await uow.session.execute(
        update(InboundMessage)
        .where(InboundMessage.message_id == facts.message_id, _still_failed())
        .values(received_at=facts.received_at, processed_at=uow.now, reason="")
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise AlreadyFiled(facts.message_id)
    await uow.session.refresh(row)


async def _record_failure(uow: UnitOfWork, message_id: str, reason: str) -> str | None:
    """Kept as ignored with the reason, so that a later run tries it again knowing why it failed; the
    reason it failed for before, if it did. A row another run has filed meanwhile is left alone."""
    session = uow.session
    earlier = await session.get(InboundMessage, message_id)
    if earlier is None:
        try:
            async with session.begin_nested():  # another run may record it at the same moment
                session.add(
                    InboundMessage(message_id=message_id, received_at=uow.now, processed_at=uow.now, outcome=Outcome.IGNORED, reason=reason)
                )
        except IntegrityError:
            pass
        return None
    before = earlier.reason if _failed(earlier) else None
    await session.execute(
        update(InboundMessage)
        .where(InboundMessage.message_id == message_id, _still_failed())
        .values(processed_at=uow.now, reason=reason)
        .execution_options(synchronize_session=False)
    )
    return before
