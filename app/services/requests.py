"""Logging requests, moving them through their lifecycle, editing their details, reading them back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from msgspec import UNSET, Struct, UnsetType
from sqlalchemy import Select, and_, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.domain.batches import void_approval
from app.domain.dates import parse_date, spoken_date
from app.domain.deadlines import Deadline, WorkingCalendar, date_of_receipt
from app.domain.errors import InvalidInput, InvalidInputs
from app.domain.history import EventKind, event_label, is_step
from app.domain.lifecycle import (
    APPROVAL_ACTIONS,
    CLOCK_ACTIONS,
    OPEN_STATUSES,
    Action,
    Actor,
    ApprovalState,
    Status,
    Step,
    Transition,
    approval_state,
    check_note,
    is_limit_extended,
    plan_action,
)
from app.domain.outcomes import Channel
from app.domain.regimes import SELECT_REGIME, Regime
from app.models import (
    Correspondence,
    Department,
    FoiRequest,
    ReleaseBatch,
    Requester,
    RequestEvent,
    RequestExemption,
    User,
)
from app.models.base import affected_rows
from app.services.clock import local_date, now_utc, today_in
from app.services.deadlines import (
    Calendars,
    EventFacts,
    compute_for,
    events_of,
    store_deadline,
    working_days_taken,
)
from app.services.errors import Conflict, NotFound
from app.services.references import allocate_reference
from app.services.scope import EVERYTHING, Scope, scope_of
from app.services.sent import SentDate, SentInteger, SentText, SentTextOrNull
from app.services.users import Role, normalise_email

LOG_ACTION = EventKind.LOG.value  # the first event of every request: it was received and logged
EDIT_ACTION = EventKind.EDIT_DETAILS.value
MAX_TITLE = 300
MAX_BODY = 100_000


# ---------------------------------------------------------------- input


class RequesterDetails(Struct):
    """Who made the request: a name, and an email or a postal address to reply to (FOIA s.8(1)(b))."""

    name: str
    email: str | None = None
    address: str | None = None


class NewRequest(Struct):
    """A request to log, as the API's JSON body gives it (docs/contract.md, "new request") and as the
    staff form is read into it (app/web/pages/requests.py); checked here, by `check_new_request` and
    `create_request`."""

    regime: str
    title: str
    body: str
    requester: RequesterDetails
    channel: str = Channel.EMAIL.value
    received_on: date | None = None
    received_at: datetime | None = None
    department: str | None = None  # slug
    assignee: str | None = None  # email
    posted_on: date | None = None  # a posted request: the day it was posted (FOISA s.74(2)(a))
    preferred_format: str | None = None  # the form the requester would like the information in (FOIA s.11)


@dataclass
class RequestFilters:
    status: list[str] = field(default_factory=list)
    regime: str | None = None
    department: str | None = None
    assignee: str | None = None  # an email, or "me"/"none" resolved by the caller
    overdue: bool = False
    due_before: date | None = None
    q: str | None = None  # a reference, or text anywhere in the title
    requester: str | None = None  # text anywhere in the requester's name or e-mail (staff only)


def parse_regime(value: str | None) -> Regime:
    try:
        return Regime((value or "").strip().lower())
    except ValueError:
        raise InvalidInput("regime", SELECT_REGIME) from None


def parse_channel(value: str | None) -> Channel:
    try:
        return Channel((value or "").strip().lower())
    except ValueError:
        raise InvalidInput("channel", "Select how the request was received") from None


# bidirectional embedding, override and isolate controls: "‮" would show a name or title reversed on
# the staff pages, in notices and on the public log (a spoofing trick), and nobody types them meaning text
_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


# what to say when a field a request needs is left empty (GOV.UK: "Enter …", the same beside the
# field and in the error summary)
_MISSING = {"title": "Enter a title", "body": "Enter what was asked", "requester.name": "Enter the requester's name"}
NO_ADDRESS = "Enter an email address or a postal address to reply to"
ONLY_POSTED = "Only a request sent by post has a date it was posted: choose Post, or leave the date the letter was posted empty"


def _clean_text(value: str | None, field_name: str, limit: int, required: bool = True) -> str:
    text = (value or "").translate(_BIDI_CONTROLS).replace("\r\n", "\n").strip()  # one line ending, whatever sent it
    if required and not text:
        raise InvalidInput(field_name, _MISSING.get(field_name, "must not be empty"))
    if len(text) > limit:
        raise InvalidInput(field_name, f"must be {limit:,} characters or fewer (it is {len(text):,})")
    return text


def _received_moment(data: NewRequest, zone: ZoneInfo) -> datetime:
    """The moment of receipt; a bare date means the start of that day in the authority's zone."""
    if data.received_at is not None:
        moment = data.received_at if data.received_at.tzinfo else data.received_at.replace(tzinfo=zone)
    elif data.received_on is not None:
        moment = datetime.combine(data.received_on, time(9, 0), tzinfo=zone)
    else:
        moment = now_utc()
    if local_date(moment, zone) > today_in(zone):
        raise InvalidInput("received_on", "cannot be in the future")
    return moment


def _receipt(data: NewRequest, regime: Regime, channel: Channel, zone: ZoneInfo) -> tuple[datetime, date]:
    """The moment and date of receipt: when it arrived; for a posted request whose arrival is not
    known, the date its regime presumes from the posting date (`date_of_receipt`, FOISA s.74(2)(a))."""
    if data.posted_on is not None and channel is not Channel.POST:
        raise InvalidInput("posted_on", ONLY_POSTED)
    if data.posted_on is None or data.received_on is not None or data.received_at is not None:
        arrived_at = _received_moment(data, zone)
        date_of_receipt(regime, local_date(arrived_at, zone), data.posted_on)  # a posting date after it arrived is refused
        return arrived_at, local_date(arrived_at, zone)
    received_on = date_of_receipt(regime, None, data.posted_on)
    if received_on > today_in(zone):
        raise InvalidInput(
            "received_on",
            f"A letter posted on {spoken_date(data.posted_on)} is presumed received on {spoken_date(received_on)}, which is still to come: "
            "enter the date it arrived",
        )
    return datetime.combine(received_on, time(9, 0), tzinfo=zone), received_on


def check_new_request(data: NewRequest, zone: ZoneInfo) -> dict[str, str]:
    """Every problem with a new request at once, by field, for forms that show them beside the fields."""
    checks = [
        lambda: parse_regime(data.regime),
        lambda: parse_channel(data.channel),
        lambda: _clean_text(data.title, "title", MAX_TITLE),
        lambda: _clean_text(data.body, "body", MAX_BODY),
        lambda: _clean_text(data.requester.name, "requester.name", 200),
        lambda: normalise_email(data.requester.email, "requester.email") if data.requester.email else None,
        lambda: _clean_text(data.requester.address, "requester.address", 1000, required=False),
        lambda: _clean_text(data.preferred_format, "preferred_format", 500, required=False),
        lambda: _receipt(data, parse_regime(data.regime), parse_channel(data.channel), zone),
    ]
    errors: dict[str, str] = {}
    for check in checks:
        try:
            check()
        except InvalidInput as problem:
            errors.setdefault(problem.field, problem.message)
    if not data.requester.email and not (data.requester.address or "").strip():
        errors.setdefault("requester.email", NO_ADDRESS)
    return errors


# ---------------------------------------------------------------- writing


async def create_request(
    session: AsyncSession, data: NewRequest, actor: User | None, zone: ZoneInfo, *, recorded_at: datetime | None = None
) -> FoiRequest:
    """Logs a new request. `recorded_at` is for loading history (demo data, imports); default now.
    No actor: the request came in by itself (the public form, an e-mail)."""
    regime = parse_regime(data.regime)
    channel = parse_channel(data.channel)
    title = _clean_text(data.title, "title", MAX_TITLE)
    body = _clean_text(data.body, "body", MAX_BODY)
    requester_name = _clean_text(data.requester.name, "requester.name", 200)
    requester_email = normalise_email(data.requester.email, "requester.email") if data.requester.email else None
    requester_address = _clean_text(data.requester.address, "requester.address", 1000, required=False) or None
    preferred_format = _clean_text(data.preferred_format, "preferred_format", 500, required=False) or None
    if not requester_email and not requester_address:
        # FOIA s.8(1)(b): a valid request gives an address for correspondence
        raise InvalidInput("requester.email", NO_ADDRESS)
    received_at, received_on = _receipt(data, regime, channel, zone)
    # under department scope an officer logs requests for their own department (by default), no other
    department_slug = await scope_of(session).department_for_new(session, data.department)
    department = await _department_by_slug(session, department_slug) if department_slug else None
    assignee = await _assignable_user(session, data.assignee) if data.assignee else None

    requester = Requester(name=requester_name, email=requester_email, address=requester_address)
    session.add(requester)
    reference = await allocate_reference(session, regime, received_on.year)
    request = FoiRequest(
        reference=reference,
        regime=regime.value,
        title=title,
        body=body,
        received_at=received_at,
        received_on=received_on,
        posted_on=data.posted_on,
        channel=channel.value,
        preferred_format=preferred_format,
        department_id=department.id if department else None,
        assignee_id=assignee.id if assignee else None,
        requester=requester,
        created_by_id=actor.id if actor else None,
        status=Status.NEW.value,
        version=1,
    )
    # the due date is known before the request is stored: one INSERT, no UPDATE after it (a write
    # transaction's every statement holds SQLite's write lock a little longer)
    calendars = await Calendars.load(session)
    store_deadline(request, compute_for(regime, received_on, [], calendars))
    session.add(request)
    await session.flush()
    session.add(
        RequestEvent(
            request_id=request.id,
            action=LOG_ACTION,
            from_status=None,
            to_status=Status.NEW.value,
            occurred_on=received_on,
            recorded_at=recorded_at or now_utc(),
            actor_id=actor.id if actor else None,
            details={"channel": channel.value, **({"assignee": assignee.email} if assignee else {})},
        )
    )
    await session.flush()
    return request


async def apply_action(
    session: AsyncSession,
    reference: str,
    *,
    action: str,
    params: dict[str, Any],
    actor: User | None,
    zone: ZoneInfo,
    on: date | None = None,
    note: str | None = None,
    recorded_at: datetime | None = None,
    extra_details: dict[str, Any] | None = None,
) -> FoiRequest:
    """One lifecycle step on one request, in the caller's unit of work (a bulk operation runs many in
    one); `extra_details` are recorded on the event (a bulk operation's id). No actor: the tracker
    itself (the acknowledgement of a request that came in by the web form or by e-mail)."""
    request = await _lock_request(session, reference)
    today = today_in(zone)
    on = on or today
    # what was sent is said wrong all at once (the date, each parameter, the note), after the rules of
    # who and when: an officer returning a draft hears why not first
    problems = [InvalidInput("on", "cannot be in the future")] if on > today else []
    try:
        note = _clean_text(note, "note", 20_000, required=False) or None
    except InvalidInput as problem:
        note, problems = None, [*problems, problem]
    regime = Regime(request.regime)
    history = await events_of(session, request.id)
    calendars = await Calendars.load(session)
    try:
        transition = plan_action(
            status=Status(request.status),
            regime=regime,
            action=action,
            params=params,
            received_on=request.received_on,
            on=on,
            actor=acting_as(actor) if actor else None,
            approval=await approval_of(session, request.id) if action in (*APPROVAL_ACTIONS, Action.RESPOND) else None,
            lapses_on=compute_for(regime, request.received_on, history, calendars).lapses_on if action == Action.LAPSE else None,
            limit_extended=limit_extended(request),
        )
    except InvalidInput as problem:
        problems = [*problems, *InvalidInputs.of(problem)]
        transition = None
    try:
        check_note(action, note)
    except InvalidInput as problem:
        problems.append(problem)
    if problems:
        raise InvalidInputs(problems) if len(problems) > 1 else problems[0]
    assert transition is not None
    _check_clock_order(transition.action, on, history)
    await _carry_out(session, request, transition, on)

    session.add(
        RequestEvent(
            request_id=request.id,
            action=transition.action.value,
            from_status=transition.from_status.value,
            to_status=transition.to_status.value,
            occurred_on=on,
            recorded_at=recorded_at or now_utc(),
            actor_id=actor.id if actor else None,
            note=note,
            details={**transition.details, **(extra_details or {})},
        )
    )
    request.status = transition.to_status.value
    history.append(EventFacts(transition.action.value, on, transition.details))
    deadline = compute_for(regime, request.received_on, history, calendars)
    store_deadline(request, deadline)
    _record_timeliness(request, transition.action, on, deadline, calendars.for_regime(regime))
    request.version += 1
    await session.flush()
    return request


def limit_extended(request: FoiRequest) -> bool:
    """`is_limit_extended` of the request's stored deadline columns."""
    return is_limit_extended(Regime(request.regime), Status(request.status), request.working_days_limit)


def acting_as(user: User) -> Actor:
    """The member of staff as the lifecycle's rules see them: approving is a manager's (or an admin's) check."""
    return Actor(user.id, Role(user.role).allows(Role.MANAGER))


async def approval_of(session: AsyncSession, request_id: int) -> ApprovalState:
    """Where the latest draft submitted for approval stands, from the request's history."""
    rows = await session.execute(
        select(RequestEvent.action, RequestEvent.actor_id, RequestEvent.details, RequestEvent.note)
        .where(RequestEvent.request_id == request_id, RequestEvent.action.in_([a.value for a in APPROVAL_ACTIONS]))
        .order_by(RequestEvent.id)
    )
    return approval_state(Step(action, actor_id, details or {}, note) for action, actor_id, details, note in rows)


async def lapse_dates(session: AsyncSession, requests: list[FoiRequest]) -> dict[int, date | None]:
    """For requests waiting on the requester, the first day each may be closed as lapsed (the date
    their page shows), read from their histories in one query."""
    waiting = [r for r in requests if r.status in (Status.AWAITING_CLARIFICATION, Status.AWAITING_FEE)]
    if not waiting:
        return {}
    histories: dict[int, list[EventFacts]] = {r.id: [] for r in waiting}
    rows = await session.execute(
        select(RequestEvent.request_id, RequestEvent.action, RequestEvent.occurred_on, RequestEvent.details)
        .where(RequestEvent.request_id.in_(list(histories)))
        .order_by(RequestEvent.request_id, RequestEvent.id)
    )
    for request_id, action, on, details in rows:
        histories[request_id].append(EventFacts(action, on, details or {}))
    calendars = await Calendars.load(session)
    return {r.id: compute_for(Regime(r.regime), r.received_on, histories[r.id], calendars).lapses_on for r in waiting}


def _check_clock_order(action: Action, on: date, history: list[EventFacts]) -> None:
    """A clock step dated before an earlier one would rewrite the past the deadline rests on."""
    if action not in CLOCK_ACTIONS:
        return
    clock_dates = [e.on for e in history if e.action in CLOCK_ACTIONS]
    if clock_dates and on < max(clock_dates):
        raise InvalidInput(
            "on",
            f"must be the same as or after the date of the previous step that stopped or extended the clock ({spoken_date(max(clock_dates))})",
        )


def _record_timeliness(request: FoiRequest, action: Action, on: date, deadline: Deadline, calendar: WorkingCalendar) -> None:
    """Facts the timeliness reports read, fixed when the step happens."""
    if action is Action.RESPOND:
        request.response_working_days = working_days_taken(deadline, on, calendar)
    elif action is Action.REQUEST_INTERNAL_REVIEW:
        request.review_requested_on = on
    elif action is Action.COMPLETE_INTERNAL_REVIEW:
        request.review_completed_on = on


async def _carry_out(session: AsyncSession, request: FoiRequest, transition: Transition, on: date) -> None:
    details = transition.details
    if transition.action is Action.ASSIGN:
        assignee = await _assignable_user(session, details["assignee"])
        request.assignee_id = assignee.id
        details["assignee_name"] = assignee.name
    elif transition.action is Action.RESPOND:
        request.outcome = details["outcome"]
        request.response = details["response"] or None
        request.responded_on = on
        await session.execute(delete(RequestExemption).where(RequestExemption.request_id == request.id))
        session.add_all(RequestExemption(request_id=request.id, code=code) for code in details["exemptions"])
    elif transition.action is Action.COMPLETE_INTERNAL_REVIEW:
        request.review_outcome = details["review_outcome"]


EDITABLE = (
    "title",
    "body",
    "channel",
    "received_on",
    "posted_on",
    "department",
    "requester_name",
    "requester_email",
    "requester_address",
)


class RequesterChanges(Struct, forbid_unknown_fields=True):
    name: SentText = UNSET
    email: SentTextOrNull = UNSET  # an email to reply to
    address: SentTextOrNull = UNSET  # or a postal address (FOIA s.8(1)(b))


class DetailsChanges(Struct, forbid_unknown_fields=True):
    """An edit of what a request says: only the fields sent change, each checked by `edit_details`
    (app/services/sent.py). `received_on` (YYYY-MM-DD) recomputes the due date; `department` is a
    slug; `version` is the one last read (409 if the request changed since). The API's PATCH body and
    the edit form (`from_form`) both become one of these."""

    version: SentInteger = UNSET
    title: SentText = UNSET
    body: SentText = UNSET
    channel: SentText = UNSET
    received_on: SentDate = UNSET
    posted_on: SentDate = UNSET  # a letter's posting date; empty clears it
    department: SentTextOrNull = UNSET
    requester: RequesterChanges | UnsetType = UNSET

    @classmethod
    def from_form(cls, values: Mapping[str, Any]) -> DetailsChanges:
        """The edit form's fields, text as typed (the requester's are requester_name, ...)."""
        sent = {key: values[key] for key in EDITABLE if isinstance(values.get(key), str)}
        who = {key: sent.pop(f"requester_{key}") for key in ("name", "email", "address") if f"requester_{key}" in sent}
        return cls(**sent, **({"requester": RequesterChanges(**who)} if who else {}))

    def edits(self) -> dict[str, Any]:
        """The fields sent, by the names `edit_details` checks them under."""
        found = {
            key: getattr(self, key)
            for key in ("title", "body", "channel", "received_on", "posted_on", "department")
            if getattr(self, key) is not UNSET
        }
        if not isinstance(self.requester, UnsetType):
            found |= {f"requester_{key}": getattr(self.requester, key) for key in ("name", "email", "address")}
            found = {key: value for key, value in found.items() if value is not UNSET}
        return found


# what the history says changed; a requester's details are only ever named together, never valued
EDIT_LABELS = {
    "title": "title",
    "body": "request text",
    "channel": "channel",
    "received_on": "date received",
    "posted_on": "date posted",
    "department": "department",
    "requester": "requester details",
}


class InvalidDetails(InvalidInput):
    """Every problem with an edit at once, by field (forms show them beside the fields); as an
    InvalidInput it names the first."""

    def __init__(self, errors: dict[str, str]) -> None:
        field_name, message = next(iter(errors.items()))
        super().__init__(field_name, message)
        self.errors = errors


@dataclass(frozen=True)
class DetailsEdit:
    """What an edit did: the request as it is now, and what the history records of the change."""

    request: FoiRequest
    changed: list[str]  # keys of EDIT_LABELS, in form order
    received_on_before: date | None = None  # set when the date of receipt changed
    due_on_before: date | None = None  # the due date before that change

    @property
    def labels(self) -> list[str]:
        return [EDIT_LABELS[key] for key in self.changed]


def _iso_or_none(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _parse_received_on(value: Any) -> date:
    return parse_date(value, "received_on", required=True, missing="give the date the request was received")


def _first_step(history: list[EventFacts]) -> EventFacts | None:
    steps = [event for event in history if is_step(event.action)]
    return min(steps, key=lambda event: event.on) if steps else None


def _step_name(action: str) -> str:
    return event_label(action).lower()


# the details' fields in the order the edit form shows them, which its error summary follows
DETAILS_FIELD_ORDER = (
    "title",
    "body",
    "received_on",
    "posted_on",
    "channel",
    "department",
    "requester.name",
    "requester.email",
    "requester.address",
)


def in_form_order(errors: dict[str, str]) -> dict[str, str]:
    """Problems with an edit in the order the form shows their fields, so a summary reads top to bottom."""
    order = DETAILS_FIELD_ORDER
    return dict(sorted(errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


async def edit_details(
    session: AsyncSession, reference: str, sent: DetailsChanges, expected_version: int, actor: User, zone: ZoneInfo
) -> DetailsEdit:
    """Edits what a request says (not where it is in its lifecycle); refuses a stale version.

    Every value is checked before anything is written, so a refused edit leaves the request as it
    was. A new date of receipt recomputes the due date from the request's events.
    """
    changes = sent.edits()
    request = await _lock_request(session, reference)
    if request.version != expected_version:
        raise Conflict(
            f"{request.reference} was changed by someone else since you loaded it (version {request.version}, yours "
            f"{expected_version}); nothing was saved: reload it and make your change again"
        )
    requester = await session.get(Requester, request.requester_id)
    assert requester is not None
    current_department = await session.get(Department, request.department_id) if request.department_id else None

    errors: dict[str, str] = {}
    wanted: dict[str, Any] = {}

    def check(key: str, read: Any) -> None:
        if key not in changes:
            return
        dated = key in ("received_on", "posted_on")
        if changes[key] is not None and not isinstance(changes[key], (str, date) if dated else str):
            # a number or a list from a script: refused by name, never a crash
            message = "must be a date (YYYY-MM-DD)" if dated else "must be text"
            errors.setdefault(key.replace("requester_", "requester."), message)
            return
        try:
            wanted[key] = read(changes[key])
        except InvalidInput as problem:
            errors.setdefault(problem.field, problem.message)

    check("title", lambda v: _clean_text(v, "title", MAX_TITLE))
    check("body", lambda v: _clean_text(v, "body", MAX_BODY))
    check("channel", lambda v: parse_channel(v).value)
    check("received_on", _parse_received_on)
    check("posted_on", lambda v: None if v in (None, "") else _parse_received_on(v))
    check("requester_name", lambda v: _clean_text(v, "requester.name", 200))
    check("requester_email", lambda v: normalise_email(v, "requester.email") if (v or "").strip() else None)
    check("requester_address", lambda v: _clean_text(v, "requester.address", 1000, required=False) or None)
    check("department", lambda v: v)
    if "department" in wanted:
        slug = (wanted.pop("department") or "").strip()
        try:
            wanted["department"] = await _department_by_slug(session, slug) if slug else None
        except InvalidInput as problem:
            errors.setdefault(problem.field, problem.message)

    history = await events_of(session, request.id)
    new_received_on = wanted.get("received_on", request.received_on)
    if "received_on" in wanted and new_received_on != request.received_on:
        first_step = _first_step(history)
        if new_received_on > today_in(zone):
            errors.setdefault("received_on", "cannot be in the future")
        elif first_step is not None and new_received_on > first_step.on:
            errors.setdefault(
                "received_on",
                f"cannot be after {spoken_date(first_step.on)}, when the first step was recorded ({_step_name(first_step.action)})",
            )
    if wanted.get("posted_on") is not None:
        if wanted.get("channel", request.channel) != Channel.POST:
            errors.setdefault("posted_on", ONLY_POSTED)
        elif wanted["posted_on"] > new_received_on:
            errors.setdefault(
                "posted_on", f"must be the same as or before the date the request was received ({spoken_date(new_received_on)})"
            )
    if request.anonymised_at is not None:
        # the retention policy removed the requester's data for good: it is never entered again
        removed = f"was removed under the retention policy on {spoken_date(request.anonymised_at)} and cannot be entered again"
        for key, current in (
            ("requester_name", requester.name),
            ("requester_email", requester.email),
            ("requester_address", requester.address),
        ):
            if key in wanted and wanted[key] != current:
                errors.setdefault(key.replace("requester_", "requester."), removed)
    email = wanted.get("requester_email", requester.email)
    address = wanted.get("requester_address", requester.address)
    if request.anonymised_at is None and not email and not address and "requester.email" not in errors:
        # FOIA s.8(1)(b): a valid request gives an address for correspondence
        errors["requester.email"] = NO_ADDRESS

    regime = Regime(request.regime)
    calendars: Calendars | None = None
    deadline: Deadline | None = None
    if not errors and new_received_on != request.received_on:
        calendars = await Calendars.load(session)
        try:
            deadline = compute_for(regime, new_received_on, history, calendars)
        except InvalidInput as problem:
            errors["received_on"] = problem.message
    if errors:
        raise InvalidDetails(in_form_order(errors))

    # what changes, and what the history may say of it (values only of what is not personal)
    changed: list[str] = []
    values: dict[str, list[Any]] = {}
    for key, column in (("title", "title"), ("channel", "channel")):
        if key in wanted and wanted[key] != getattr(request, column):
            changed.append(key)
            values[key] = [getattr(request, column), wanted[key]]
    if "body" in wanted and wanted["body"] != request.body:
        changed.append("body")
    if new_received_on != request.received_on:
        changed.append("received_on")
        values["received_on"] = [request.received_on.isoformat(), new_received_on.isoformat()]
    if "posted_on" in wanted and wanted["posted_on"] != request.posted_on:
        changed.append("posted_on")
        values["posted_on"] = [_iso_or_none(request.posted_on), _iso_or_none(wanted["posted_on"])]
    if "department" in wanted and (wanted["department"].id if wanted["department"] else None) != request.department_id:
        changed.append("department")
        values["department"] = [
            current_department.name if current_department else None,
            wanted["department"].name if wanted["department"] else None,
        ]
    requester_changes = {
        attribute: wanted[key]
        for key, attribute in (("requester_name", "name"), ("requester_email", "email"), ("requester_address", "address"))
        if key in wanted and wanted[key] != getattr(requester, attribute)
    }
    if requester_changes:
        changed.append("requester")
    if not changed:
        return DetailsEdit(request, [])
    changed.sort(key=list(EDIT_LABELS).index)

    # the version check and the increment are one statement, so two racing editors cannot both win
    result = await session.execute(
        update(FoiRequest)
        .where(FoiRequest.id == request.id, FoiRequest.version == expected_version)
        .values(version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(result) != 1:
        raise Conflict(f"{request.reference} was changed by someone else; nothing was saved: reload it and try again")

    received_on_before = request.received_on if "received_on" in changed else None
    due_on_before = request.due_on
    for key in ("title", "body", "channel"):
        if key in changed:
            setattr(request, key, wanted[key])
    if "posted_on" in changed:
        request.posted_on = wanted["posted_on"]
    if "channel" in changed and request.channel != Channel.POST:
        request.posted_on = None  # only a letter has a posting date
    if "department" in changed:
        request.department_id = wanted["department"].id if wanted["department"] else None
    for attribute, value in requester_changes.items():
        setattr(requester, attribute, value)
    details: dict[str, Any] = {"changed": [EDIT_LABELS[key] for key in changed], "values": values}
    if deadline is not None and calendars is not None:
        # the time of day it arrived stays; only the day moves
        local_time_of_day = request.received_at.astimezone(zone).timetz().replace(tzinfo=None)
        request.received_at = datetime.combine(new_received_on, local_time_of_day, tzinfo=zone)
        request.received_on = new_received_on
        details["due_on"] = [_iso(request.due_on), _iso(deadline.due_on)]
        store_deadline(request, deadline)
        _recount_response_days(request, regime, history, calendars)
    session.add(
        RequestEvent(
            request_id=request.id,
            action=EDIT_ACTION,
            from_status=request.status,
            to_status=request.status,
            occurred_on=today_in(zone),
            actor_id=actor.id,
            details=details,
        )
    )
    await void_batch_approval(session, request)
    await session.flush()
    await session.refresh(request)
    return DetailsEdit(request, changed, received_on_before, due_on_before if received_on_before else None)


async def update_details(
    session: AsyncSession, reference: str, sent: DetailsChanges, expected_version: int, actor: User, zone: ZoneInfo
) -> FoiRequest:
    """`edit_details`, for callers that need only the request."""
    return (await edit_details(session, reference, sent, expected_version, actor, zone)).request


def _recount_response_days(request: FoiRequest, regime: Regime, history: list[EventFacts], calendars: Calendars) -> None:
    """The working days a response took run from the date of receipt: counted again as the response did."""
    if request.responded_on is None:
        return
    responses = [index for index, event in enumerate(history) if event.action == Action.RESPOND]
    if not responses:
        return
    until_response = history[: responses[-1] + 1]
    deadline = compute_for(regime, request.received_on, until_response, calendars)
    request.response_working_days = working_days_taken(deadline, request.responded_on, calendars.for_regime(regime))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


async def void_batch_approval(session: AsyncSession, request: FoiRequest) -> None:
    """A change to a request in an approved (or scheduled) release batch sends the batch back to
    draft: its approval covered the request as it was."""
    if request.batch_id is not None:
        batch = await session.get(ReleaseBatch, request.batch_id, with_for_update=True)
        if batch is not None:
            void_approval(batch)


async def _lock_request(session: AsyncSession, reference: str) -> FoiRequest:
    # FOR UPDATE serialises two actions on one request on PostgreSQL; SQLite's write lock already does
    request = await session.scalar(select(FoiRequest).where(FoiRequest.reference == reference.strip().upper()).with_for_update())
    if request is None:
        raise NotFound(f"no request {reference}")
    return request


async def _department_by_slug(session: AsyncSession, slug: str) -> Department:
    department = await session.scalar(select(Department).where(Department.slug == slug.strip()))
    if department is None:
        raise InvalidInput("department", f"no department '{slug}'")
    return department


async def _assignable_user(session: AsyncSession, email: str) -> User:
    user = await session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        raise InvalidInput("assignee", f"no active member of staff with email {email}")
    return user


# ---------------------------------------------------------------- reading


@dataclass
class RequestDetail:
    request: FoiRequest
    exemptions: list[str]
    events: list[RequestEvent]  # newest first
    correspondence: list[Correspondence] = field(default_factory=list)  # oldest first


async def get_request(session: AsyncSession, reference: str, with_history: bool = True) -> RequestDetail:
    request = await session.scalar(
        select(FoiRequest)
        .where(FoiRequest.reference == reference.strip().upper())
        .options(
            joinedload(FoiRequest.department),
            joinedload(FoiRequest.assignee),
            joinedload(FoiRequest.requester),
            joinedload(FoiRequest.batch),
        )
    )
    if request is None:
        raise NotFound(f"no request {reference}")
    codes = list(
        await session.scalars(
            select(RequestExemption.code).where(RequestExemption.request_id == request.id).order_by(RequestExemption.code)
        )
    )
    events: list[RequestEvent] = []
    if with_history:
        events = list(
            await session.scalars(
                select(RequestEvent)
                .where(RequestEvent.request_id == request.id)
                .options(joinedload(RequestEvent.actor))
                .order_by(RequestEvent.id.desc())
            )
        )
    letters: list[Correspondence] = []
    if with_history:
        letters = list(
            await session.scalars(select(Correspondence).where(Correspondence.request_id == request.id).order_by(Correspondence.id))
        )
    return RequestDetail(request, codes, events, letters)


@dataclass
class RequestPage:
    rows: list[FoiRequest]
    total: int
    page: int
    per_page: int
    notice: str | None = None  # why the list is empty whatever the filters (an officer in no department)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def past_last_page(self) -> bool:
        """A page number beyond the last page (a link kept from a longer list): the page says how many
        pages there are and links to the last, instead of an empty page."""
        return self.total > 0 and self.page > self.pages


def _filtered(
    statement: Select, filters: RequestFilters, today: date, dialect: str, title_ids: list[int] | None = None, scope: Scope = EVERYTHING
) -> Select:
    conditions = [scope.condition()] if scope.limited else []
    if filters.status:
        conditions.append(_status_in(sorted(set(filters.status))))
    if filters.regime:
        conditions.append(FoiRequest.regime == parse_regime(filters.regime).value)
    if filters.department:
        conditions.append(FoiRequest.department_id == select(Department.id).where(Department.slug == filters.department).scalar_subquery())
    if filters.assignee == "none":
        conditions.append(FoiRequest.assignee_id.is_(None))
    elif filters.assignee:
        conditions.append(FoiRequest.assignee_id == select(User.id).where(User.email == filters.assignee.lower()).scalar_subquery())
    if filters.overdue:
        conditions.append(and_(_status_in(_OPEN), FoiRequest.due_on < today))
    if filters.due_before:
        conditions.append(and_(_status_in(_OPEN), FoiRequest.due_on <= filters.due_before))
    if filters.q:
        text = filters.q.strip()
        in_title = FoiRequest.id.in_(title_ids) if title_ids is not None else _contains(FoiRequest.title, text, dialect)
        conditions.append(or_(FoiRequest.reference == text.upper(), in_title))
    if filters.requester and filters.requester.strip():
        conditions.append(FoiRequest.requester_id.in_(_requesters_matching(filters.requester.strip(), dialect)))
    return statement.where(*conditions)


def _contains_pattern(text: str) -> str:
    """A LIKE pattern (escape: backslash) for the text anywhere, its % and _ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(column: Any, text: str, dialect: str) -> Any:
    """The column contains the text, in any case. SQLite's LIKE already ignores case (ASCII, as its
    lower() does) and is three times quicker than lower(column) LIKE; PostgreSQL's ILIKE is what its
    pg_trgm indexes serve."""
    pattern = _contains_pattern(text)
    return column.like(pattern, escape="\\") if dialect == "sqlite" else column.ilike(pattern, escape="\\")


def _requesters_matching(text: str, dialect: str) -> Any:
    """Requesters whose name or e-mail contains the text, read from migration 0007's index (pg_trgm;
    on SQLite the index of both columns, a fraction of the table)."""
    return select(Requester.id).where(or_(_contains(Requester.name, text, dialect), _contains(Requester.email, text, dialect)))


# At most this many titles are looked up one by one; text in more titles is searched in the list's
# own order, which stops as soon as the page is full.
TITLE_MATCHES_LIMIT = 2_000


async def _few_title_matches(session: AsyncSession, filters: RequestFilters) -> list[int] | None:
    """SQLite: the ids of the requests whose titles contain the text, read once from the index of
    titles (migration 0006) for both the page and its count, when there are few. None otherwise: when
    there are many, when the list keeps to open requests (their partial index is small enough to
    read), and always on PostgreSQL, whose planner weighs its trigram index itself."""
    text = (filters.q or "").strip()
    if not text or session.get_bind().dialect.name != "sqlite" or (filters.status and set(filters.status) <= set(_OPEN)):
        return None
    found = select(FoiRequest.id).where(_contains(FoiRequest.title, text, "sqlite")).limit(TITLE_MATCHES_LIMIT + 1)
    ids = list(await session.scalars(found))
    return ids if len(ids) <= TITLE_MATCHES_LIMIT else None


_OPEN = sorted(status.value for status in OPEN_STATUSES)


def _status_in(statuses: list[str]) -> Any:
    """Statuses written into the SQL rather than bound: only then can SQLite see that the query
    matches the partial index on open requests (its WHERE lists the same statuses)."""
    known = {status.value for status in Status}
    return FoiRequest.status.in_(bindparam(None, [s for s in statuses if s in known], expanding=True, literal_execute=True))


def _ordering(filters: RequestFilters) -> tuple:
    """Open work soonest due first, stopped clocks (no due date) last, read in the partial index's
    order on both engines (an "IS NULL" sort key would sort every open request instead)."""
    if filters.status and set(filters.status) <= set(_OPEN):
        return (FoiRequest.due_on.asc().nulls_last(), FoiRequest.id)
    return (FoiRequest.received_on.desc(), FoiRequest.id.desc())


# a filter's value that is none of its choices (a link mistyped or kept from before), said in the list
# form's own words instead of silently listing everything or nothing
FILTER_PROBLEMS = {
    "status": "Select a status from the list",
    "regime": "Select a law from the list",
    "department": "Select a department from the list",
    "assignee": "Select who the requests are assigned to from the list",
}
FILTER_LABELS = {"status": "Status", "regime": "Law", "department": "Department", "assignee": "Assigned to"}


async def filter_problems(session: AsyncSession, filters: RequestFilters) -> list[InvalidInput]:
    """Each filter whose value is none of its choices: a status that is not one, a law, a department
    slug or an officer's e-mail ("none": nobody) that the service does not know. A blank one is no filter."""
    problems = []
    known_statuses = {s.value for s in Status}
    if any(value not in known_statuses for value in filters.status):
        problems.append("status")
    if filters.regime and filters.regime.strip().lower() not in {r.value for r in Regime}:
        problems.append("regime")
    if filters.department and await session.scalar(select(Department.id).where(Department.slug == filters.department)) is None:
        problems.append("department")
    if (
        filters.assignee
        and filters.assignee != "none"
        and await session.scalar(select(User.id).where(User.email == filters.assignee.lower())) is None
    ):
        problems.append("assignee")
    return [InvalidInput(name, FILTER_PROBLEMS[name], label=FILTER_LABELS[name]) for name in problems]


async def list_requests(session: AsyncSession, filters: RequestFilters, *, today: date, page: int = 1, per_page: int = 25) -> RequestPage:
    """A page of requests matching the filters, within the department scope left on the session
    (app/services/scope.py): an officer's list, search and counts hold their department's only. A
    filter of a value none of its choices is refused (`filter_problems`), never read as no filter."""
    problems = await filter_problems(session, filters)
    if problems:
        raise problems[0]
    page = max(1, page)
    dialect = session.get_bind().dialect.name
    scope = scope_of(session)
    title_ids = await _few_title_matches(session, filters)
    total = await session.scalar(_filtered(select(func.count(FoiRequest.id)), filters, today, dialect, title_ids, scope)) or 0
    statement = (
        _filtered(select(FoiRequest), filters, today, dialect, title_ids, scope)
        .options(joinedload(FoiRequest.department), joinedload(FoiRequest.assignee), joinedload(FoiRequest.batch))
        .order_by(*_ordering(filters))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = list(await session.scalars(statement))
    return RequestPage(rows, total, page, per_page, scope.notice)


async def exemptions_by_request(session: AsyncSession, request_ids: list[int]) -> dict[int, list[str]]:
    """Exemption codes for a page of requests, in one query."""
    found: dict[int, list[str]] = {request_id: [] for request_id in request_ids}
    if request_ids:
        rows = await session.execute(
            select(RequestExemption.request_id, RequestExemption.code)
            .where(RequestExemption.request_id.in_(request_ids))
            .order_by(RequestExemption.code)
        )
        for request_id, code in rows:
            found[request_id].append(code)
    return found
