"""Records management: the retention policy (`foi retention`) and the legal holds that stop it.

`run_retention` removes the requester's data from each request closed more than the retention period
ago (FOI_RETENTION_YEARS; which requests are due is `app/domain/retention.py`), in chunks of
requests, each chunk its own transaction. A request is claimed by one guarded UPDATE (still not
anonymised, still closed, still not held), so two hosts running it at once never do one twice and a
hold placed meanwhile wins; a request already done is not a candidate, so a second run does nothing.
A dry run reads the same candidates and writes nothing.

What happens to a request due:

- The requester row keeps no name, e-mail or address ("Anonymised"); the staff search by requester
  (migration 0007) indexes those columns, so it forgets them with the row.
- Correspondence keeps the record of what passed and when: direction, kind, how it went, dates,
  delivery, message ids (which keep e-mail intake idempotent), the step it belongs to, and its subject
  with the requester's identifiers taken out. Its address, body and delivery error are cleared, for
  every letter and e-mail on the request: a notice is addressed to the requester and quotes their name
  and address, and a message in is their own words (or a third party's). What a notice decided stays
  on the request (outcome, exemptions, response) and in the history.
- The texts kept (the request's title, text, response, preferred format and withdrawal reason, the
  history's notes and details, wording prepared for publication, the titles, names and text of
  released documents) lose the requester's name, e-mail address and postal address, their names
  where they stand alone, and anyone's e-mail address, phone number and postcode, replaced by
  "[redacted]" as publication does (`app/domain/redaction.py`). The history is append-only; migration
  0013 lets the notes and details of an anonymised request's events be rewritten, nothing else.
- Internal documents (never marked for release: working papers, unredacted originals, attachments of
  e-mails in) are deleted with their text, and their files leave the content store once no document
  holds the same bytes (the store keeps identical files once).
- Reminders and digests e-mailed to staff before the cutoff (`outbox_messages`) are deleted: they
  quote request titles, and were all written while the requests they name were open.
- The public record stays as published (the public texts, released documents and their public copies,
  the disclosure log entry), and so does the history, with one event more: "Requester data removed
  under the retention policy". `requests.anonymised_at` says when.

A file is removed after its chunk commits, so a rollback never leaves a document without its file: it
is moved aside, then put back if an upload of the very same bytes is under way (it holds a pin, see
`app/services/files/storage.py`) or a document holds it (such an upload committed meanwhile), and only
otherwise deleted.

Legal holds (`place_legal_hold`, `lift_legal_hold`): managers and admins, with a reason, recorded in
the history with who and why; a held request is never anonymised until the hold is lifted.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from msgspec import Struct
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.domain.errors import Conflict, Forbidden, NotFound
from app.domain.history import EventKind
from app.domain.lifecycle import CLOSED_STATUSES
from app.domain.redaction import PersonalData, apply_redactions, redact, scan
from app.domain.retention import Verdict, closed_on, hold_reason, retention_cutoff, verdict
from app.models import (
    BulkOperation,
    Correspondence,
    Document,
    DocumentText,
    FoiRequest,
    OutboxMessage,
    PublicTextEdit,
    Requester,
    RequestEvent,
    SuspicionReview,
    User,
)
from app.models.base import affected_rows
from app.services.clock import local_date, today_in
from app.services.files.storage import ContentStore
from app.services.unit_of_work import UnitOfWork, unit_of_work
from app.services.users import Role

ANONYMISED_NAME = "Anonymised"
CHUNK = 200
_CLOSED = sorted(status.value for status in CLOSED_STATUSES)
# suspicions that are the requester's own names standing alone: removed too, since nothing of them
# may stay once the period is over (other people's names are left as they are)
_OWN_NAME_KINDS = frozenset({"surname", "given_name_alone"})


@dataclass
class RetentionReport:
    """What a run did (or, dry, would do): counts and references, never anyone's personal data."""

    years: int
    cutoff: date
    dry_run: bool
    anonymised: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # due but for their legal hold
    documents_deleted: int = 0
    files_deleted: int = 0
    taken_elsewhere: int = 0  # claimed by another run meanwhile
    reminders_deleted: int = 0  # staff reminders and digests older than the cutoff (they quote titles)


@dataclass(frozen=True)
class _Candidate:
    id: int
    reference: str
    verdict: Verdict


@dataclass(frozen=True)
class _Done:
    documents: int
    digests: frozenset[str]
    request_id: int = 0
    person: PersonalData | None = None
    bulk_operations: frozenset[int] = frozenset()  # the bulk actions the request took part in


async def run_retention(
    sessions: async_sessionmaker[AsyncSession],
    store: ContentStore,
    *,
    zone: ZoneInfo,
    years: int,
    dry_run: bool = False,
    chunk_size: int = CHUNK,
    on_chunk: Callable[[RetentionReport], None] | None = None,
) -> RetentionReport:
    """Anonymises every request due (see the module's docstring); `dry_run` writes nothing."""
    today = today_in(zone)
    report = RetentionReport(years=years, cutoff=retention_cutoff(today, years), dry_run=dry_run)
    after = 0
    while True:
        async with sessions() as session:
            candidates = await _candidates(session, report.cutoff, after=after, limit=chunk_size)
        if not candidates:
            break
        after = candidates[-1].id
        report.held += [c.reference for c in candidates if c.verdict is Verdict.HELD]
        due = [c for c in candidates if c.verdict is Verdict.DUE]
        if dry_run:
            async with sessions() as session:
                documents, held_files = await _internal_documents(session, [c.id for c in due])
                report.documents_deleted += len(documents)
                report.files_deleted += len(await _unreferenced(session, held_files, besides=documents))
            report.anonymised += [c.reference for c in due]
        elif due:
            digests: set[str] = set()
            async with unit_of_work(sessions, zone=zone) as uow:
                done_here: list[_Done] = []
                for candidate in due:
                    done = await anonymise(uow, candidate.id, years=years)
                    if done is None:
                        report.taken_elsewhere += 1
                        continue
                    report.anonymised.append(candidate.reference)
                    report.documents_deleted += done.documents
                    digests |= done.digests
                    done_here.append(done)
                await _scrub_bulk_operations(uow, done_here)
            report.files_deleted += await _forget_files(sessions, store, digests)
        if on_chunk is not None:
            on_chunk(report)
    report.reminders_deleted = await _old_reminders(sessions, report.cutoff, zone, dry_run=dry_run)
    return report


async def _old_reminders(sessions: async_sessionmaker[AsyncSession], cutoff: date, zone: ZoneInfo, *, dry_run: bool) -> int:
    """The reminders and digests e-mailed to staff before the cutoff, deleted: they quote the titles
    of the requests they were about, and a reminder is only ever about a request still open, so every
    one about a request now due was written before the cutoff."""
    before = datetime.combine(cutoff, time(0), tzinfo=zone)
    old = OutboxMessage.created_at < before
    if dry_run:
        async with sessions() as session:
            return await session.scalar(select(func.count(OutboxMessage.id)).where(old)) or 0
    async with unit_of_work(sessions, zone=zone) as uow:
        return affected_rows(await uow.session.execute(delete(OutboxMessage).where(old)))


async def _candidates(session: AsyncSession, cutoff: date, *, after: int, limit: int) -> list[_Candidate]:
    """The next closed, not yet anonymised requests received before the cutoff (none closed later
    can be due), by id, each with its verdict."""
    closing_step = (
        select(func.max(RequestEvent.occurred_on))
        .where(
            RequestEvent.request_id == FoiRequest.id,
            RequestEvent.to_status == FoiRequest.status,
            or_(RequestEvent.from_status.is_(None), RequestEvent.from_status != RequestEvent.to_status),
        )
        .correlate(FoiRequest)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            FoiRequest.id,
            FoiRequest.reference,
            FoiRequest.status,
            FoiRequest.responded_on,
            FoiRequest.review_completed_on,
            FoiRequest.legal_hold_at,
            closing_step.label("closing_step_on"),
        )
        .where(
            FoiRequest.id > after,
            FoiRequest.status.in_(_CLOSED),
            FoiRequest.anonymised_at.is_(None),
            FoiRequest.received_on < cutoff,
        )
        .order_by(FoiRequest.id)
        .limit(limit)
    )
    return [
        _Candidate(
            row.id,
            row.reference,
            verdict(
                status=row.status,
                closed=closed_on(row.status, row.closing_step_on, row.responded_on, row.review_completed_on),
                held=row.legal_hold_at is not None,
                anonymised=False,
                cutoff=cutoff,
            ),
        )
        for row in rows
    ]


async def anonymise(uow: UnitOfWork, request_id: int, *, years: int) -> _Done | None:
    """Removes one request's requester data in the caller's unit of work; None when another run has
    taken it, or it was held or reopened meanwhile."""
    session = uow.session
    claimed = await session.execute(
        update(FoiRequest)
        .where(
            FoiRequest.id == request_id,
            FoiRequest.anonymised_at.is_(None),
            FoiRequest.legal_hold_at.is_(None),
            FoiRequest.status.in_(_CLOSED),
        )
        .values(anonymised_at=uow.now, version=FoiRequest.version + 1, updated_at=uow.now)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(claimed) != 1:
        return None
    request = await session.scalar(select(FoiRequest).where(FoiRequest.id == request_id).execution_options(populate_existing=True))
    assert request is not None
    requester = await session.get_one(Requester, request.requester_id)
    person = PersonalData(requester.name, requester.email, requester.address)
    scrub = _scrubber(person)
    requester.name, requester.email, requester.address = ANONYMISED_NAME, None, None

    request.title = _cut(scrub(request.title), 300)
    request.body = scrub(request.body)
    request.response = scrub(request.response) if request.response else request.response
    request.preferred_format = _cut(scrub(request.preferred_format), 500) if request.preferred_format else request.preferred_format
    request.withdrawn_reason = scrub(request.withdrawn_reason) if request.withdrawn_reason else request.withdrawn_reason

    documents, digests = await _internal_documents(session, [request_id])
    if documents:
        deleted = set(documents)
        fields = [f"document:{document_id}:%" for document_id in documents]
        await session.execute(delete(DocumentText).where(DocumentText.document_id.in_(documents)))
        for model in (PublicTextEdit, SuspicionReview):
            await session.execute(delete(model).where(model.request_id == request_id, or_(*(model.field.like(f) for f in fields))))
        await session.execute(delete(Document).where(Document.id.in_(documents)))
    else:
        deleted = set()
    for document in await session.scalars(select(Document).where(Document.request_id == request_id)):
        document.title = _cut(scrub(document.title), 300)
        document.filename = _cut(scrub(document.filename), 255)
    for text in await session.scalars(
        select(DocumentText).join(Document, Document.id == DocumentText.document_id).where(Document.request_id == request_id)
    ):
        text.text = scrub(text.text)
    for edit in await session.scalars(select(PublicTextEdit).where(PublicTextEdit.request_id == request_id)):
        edit.text = scrub(edit.text)

    for item in await session.scalars(select(Correspondence).where(Correspondence.request_id == request_id)):
        item.address, item.body, item.error = "", "", None
        item.subject = _cut(scrub(item.subject), 300)
        if deleted and any(d in deleted for d in item.documents or []):
            item.documents = [d for d in item.documents if d not in deleted]

    # the history: its notes and details rewritten where they quote the requester (migration 0013
    # allows this, and only this, once the request is marked anonymised)
    await session.flush()
    bulk_operations: set[int] = set()
    for event in (
        await session.execute(select(RequestEvent.id, RequestEvent.note, RequestEvent.details).where(RequestEvent.request_id == request_id))
    ).all():
        if isinstance(event.details, dict) and isinstance(event.details.get("bulk_operation"), int):
            bulk_operations.add(event.details["bulk_operation"])
        note = scrub(event.note) if event.note else event.note
        details = _scrub_values(event.details, scrub)
        if note != event.note or details != event.details:
            await session.execute(update(RequestEvent).where(RequestEvent.id == event.id).values(note=note, details=details))
    session.add(
        RequestEvent(
            request_id=request_id,
            action=EventKind.ANONYMISE.value,
            from_status=request.status,
            to_status=request.status,
            occurred_on=local_date(uow.now, uow.zone),
            recorded_at=uow.now,
            actor_id=None,
            details={"retention_years": years, "documents_deleted": len(documents)},
        )
    )
    await session.flush()
    return _Done(len(documents), frozenset(digests), request_id, person, frozenset(bulk_operations))


async def _scrub_bulk_operations(uow: UnitOfWork, done: Sequence[_Done]) -> None:
    """A bulk action is one record (`bulk_operations`: what was done, to which references) and the same
    step, with the officer's one note, on each request it changed: that note may name the requester of
    any of them. Each anonymised request's requester is taken out of the records of the bulk actions it
    took part in, and out of those steps on every request of them anonymised too (this chunk's or
    earlier; the history of a request not anonymised stays as it is, append-only)."""
    session = uow.session
    for one in done:
        if not one.bulk_operations or one.person is None:
            continue
        scrub = _scrubber(one.person)
        for operation in await session.scalars(select(BulkOperation).where(BulkOperation.id.in_(sorted(one.bulk_operations)))):
            operation.summary = scrub(operation.summary)
            operation.params = _scrub_values(operation.params, scrub)
        shared = await session.execute(
            select(RequestEvent.id, RequestEvent.note, RequestEvent.details)
            .join(FoiRequest, FoiRequest.id == RequestEvent.request_id)
            .where(
                RequestEvent.request_id != one.request_id,
                FoiRequest.anonymised_at.is_not(None),
                RequestEvent.details["bulk_operation"].as_integer().in_(sorted(one.bulk_operations)),
            )
        )
        for event in shared.all():
            note = scrub(event.note) if event.note else event.note
            details = _scrub_values(event.details, scrub)
            if note != event.note or details != event.details:
                await session.execute(update(RequestEvent).where(RequestEvent.id == event.id).values(note=note, details=details))
    await session.flush()


def _scrubber(person: PersonalData) -> Callable[[str | None], str]:
    def scrub(text: str | None) -> str:
        text = redact(text or "", person)
        if not text.strip():
            return text
        own = [(found.start, found.end) for found in scan(text, [person]).suspicions if found.kind in _OWN_NAME_KINDS]
        return apply_redactions(text, own) if own else text

    return scrub


def _scrub_values(value: Any, scrub: Callable[[str | None], str]) -> Any:
    """A JSON value with each string in it scrubbed (keys are the app's own words)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrub_values(item, scrub) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_values(item, scrub) for key, item in value.items()}
    return value


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def _internal_documents(session: AsyncSession, request_ids: list[int]) -> tuple[list[int], set[str]]:
    """The documents never marked for release on these requests, and the files they hold."""
    if not request_ids:
        return [], set()
    rows = (
        await session.execute(
            select(Document.id, Document.sha256, Document.public_sha256).where(
                Document.request_id.in_(request_ids), Document.for_release.is_(False)
            )
        )
    ).all()
    digests = {row.sha256 for row in rows} | {row.public_sha256 for row in rows if row.public_sha256}
    return [row.id for row in rows], digests


async def _unreferenced(session: AsyncSession, digests: set[str], *, besides: Sequence[int] = ()) -> set[str]:
    """The digests no document holds (leaving out the documents `besides`, about to go)."""
    if not digests:
        return set()
    held = select(Document.sha256, Document.public_sha256).where(or_(Document.sha256.in_(digests), Document.public_sha256.in_(digests)))
    if besides:
        held = held.where(Document.id.not_in(besides))
    used = set()
    for row in (await session.execute(held)).all():
        used |= {row.sha256, row.public_sha256}
    return digests - used


async def _forget_files(sessions: async_sessionmaker[AsyncSession], store: ContentStore, digests: set[str]) -> int:
    """Deletes the files no document holds any more (after the chunk's commit); how many went."""
    async with sessions() as session:
        unused = await _unreferenced(session, digests)
    aside: dict[str, Any] = {}
    for digest in sorted(unused):
        path = store.path_for(digest)
        moved = store.root / "tmp" / f"retention-{digest}-{secrets.token_hex(4)}"
        moved.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(path, moved)
        except FileNotFoundError:
            continue
        aside[digest] = moved
    if not aside:
        return 0
    # an upload of the same bytes under way holds a pin from before it checked the file was in place;
    # looked for before the database: its pin goes only after its commit
    pinned = {digest for digest in aside if store.pinned(digest)}
    async with sessions() as session:
        still_unused = await _unreferenced(session, set(aside)) - pinned
    removed = 0
    for digest, moved in aside.items():
        if digest in still_unused:
            moved.unlink(missing_ok=True)
            removed += 1
            continue
        # an upload of the same bytes under way or committed meanwhile: the file goes back (unless written anew)
        path = store.path_for(digest)
        if path.exists():
            moved.unlink(missing_ok=True)
        else:
            os.replace(moved, path)
    return removed


# ---------------------------------------------------------------- legal holds


class LegalHoldIn(Struct, forbid_unknown_fields=True):
    """Placing or lifting a hold: why (required both ways, for the history)."""

    reason: str = ""


@dataclass(frozen=True)
class LegalHold:
    reference: str
    held: bool
    reason: str | None
    since: datetime | None
    anonymised_at: datetime | None


async def place_legal_hold(uow: UnitOfWork, reference: str, reason: str | None) -> LegalHold:
    """Keeps a request from the retention policy (a manager or admin, with the reason)."""
    actor = _manager(uow)
    why = hold_reason(reason)
    request = await _request(uow.session, reference)
    if request.anonymised_at is not None:
        raise Conflict("the requester's data on this request was already removed under the retention policy: there is nothing to hold")
    if request.legal_hold_at is not None:
        raise Conflict("this request is already under a legal hold: lift it first to give another reason")
    placed = await uow.session.execute(
        update(FoiRequest)
        .where(FoiRequest.id == request.id, FoiRequest.anonymised_at.is_(None), FoiRequest.legal_hold_at.is_(None))
        .values(legal_hold_at=uow.now, legal_hold_reason=why, version=FoiRequest.version + 1, updated_at=uow.now)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(placed) != 1:
        raise Conflict("the request changed meanwhile (held or anonymised by someone else): reload it")
    _record(uow, request, EventKind.PLACE_LEGAL_HOLD, why, actor)
    return await legal_hold_of(uow.session, reference)


async def lift_legal_hold(uow: UnitOfWork, reference: str, reason: str | None) -> LegalHold:
    """Lets the retention policy reach the request again (a manager or admin, saying why)."""
    actor = _manager(uow)
    why = hold_reason(reason)
    request = await _request(uow.session, reference)
    lifted = await uow.session.execute(
        update(FoiRequest)
        .where(FoiRequest.id == request.id, FoiRequest.legal_hold_at.is_not(None))
        .values(legal_hold_at=None, legal_hold_reason=None, version=FoiRequest.version + 1, updated_at=uow.now)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(lifted) != 1:
        raise Conflict("this request is not under a legal hold")
    _record(uow, request, EventKind.LIFT_LEGAL_HOLD, why, actor)
    return await legal_hold_of(uow.session, reference)


async def legal_hold_of(session: AsyncSession, reference: str) -> LegalHold:
    row = (
        await session.execute(
            select(FoiRequest.reference, FoiRequest.legal_hold_at, FoiRequest.legal_hold_reason, FoiRequest.anonymised_at)
            .where(FoiRequest.reference == reference.strip().upper())
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        raise NotFound(f"no request {reference[:40]}")
    return LegalHold(row.reference, row.legal_hold_at is not None, row.legal_hold_reason, row.legal_hold_at, row.anonymised_at)


def _manager(uow: UnitOfWork) -> User:
    actor = uow.staff
    if not Role(actor.role).allows(Role.MANAGER):
        raise Forbidden("only a manager or an admin can place or lift a legal hold")
    return actor


async def _request(session: AsyncSession, reference: str) -> FoiRequest:
    request = await session.scalar(select(FoiRequest).where(FoiRequest.reference == reference.strip().upper()))
    if request is None:
        raise NotFound(f"no request {reference[:40]}")
    return request


def _record(uow: UnitOfWork, request: FoiRequest, kind: EventKind, why: str, actor: User) -> None:
    uow.session.add(
        RequestEvent(
            request_id=request.id,
            action=kind.value,
            from_status=request.status,
            to_status=request.status,
            occurred_on=local_date(uow.now, uow.zone),
            recorded_at=uow.now,
            actor_id=actor.id,
            note=why,
            details={},
        )
    )
