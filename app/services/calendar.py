"""The authority's corrections to the bank holiday calendar, and keeping every open due date right.

A correction changes the working-day calendar; every open request's deadline is then worked out
again in the same transaction, and each request whose due date moved gets a history event.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import msgspec
from msgspec import Struct
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.dates import spoken_date
from app.domain.deadlines import Nation, package_corrections
from app.domain.errors import InvalidInput
from app.domain.history import EventKind
from app.domain.lifecycle import CLOCK_ACTIONS, OPEN_STATUSES, Status
from app.domain.regimes import Regime
from app.models import CalendarCorrection, FoiRequest, RequestEvent, User
from app.models.base import table
from app.services.clock import now_utc, today_in
from app.services.deadlines import Calendars, EventFacts, compute_for, deadline_columns
from app.services.errors import Conflict, NotFound

_CLOCK_ACTIONS = sorted(action.value for action in CLOCK_ACTIONS)  # the steps a due date rests on, as declared
_OPEN = sorted(status.value for status in OPEN_STATUSES)
_BATCH = 5_000


_requests = table(FoiRequest)


def _update_statement(columns: tuple[str, ...]) -> Any:
    """An executemany UPDATE by primary key of these columns; the version moves too, so an editor
    holding the old one is told."""
    return (
        update(_requests)
        .where(_requests.c.id == bindparam("b_id"))
        .values({**{name: bindparam(f"b_{name}") for name in columns}, "version": _requests.c.version + 1})
    )


@dataclass(frozen=True)
class RecomputeReport:
    checked: int
    moved: int
    calendar_versions: tuple[str, ...]


async def list_corrections(session: AsyncSession) -> list[CalendarCorrection]:
    return list(await session.scalars(select(CalendarCorrection).order_by(CalendarCorrection.day.desc(), CalendarCorrection.nation)))


class CorrectionIn(Struct):
    """A correction to the calendar, as the admin's page and the API send it: the `day`, the `nation`
    (ENG, WAL, SCT, NIR), the `change` (`add` a day off, or `remove` one: a working day after all), its
    `name`, the `reason` and the `source` (a proclamation, a notice); `add_correction` checks it."""

    day: date
    nation: str
    change: str
    name: str
    reason: str
    source: str = ""

    def fields(self) -> dict[str, Any]:
        return msgspec.structs.asdict(self)


async def add_correction(
    session: AsyncSession,
    *,
    day: date,
    nation: str,
    change: str,
    name: str,
    reason: str,
    source: str,
    actor: User,
    zone: ZoneInfo,
) -> RecomputeReport:
    try:
        nation_value = Nation(nation.strip().upper())
    except ValueError:
        raise InvalidInput("nation", f"choose one of {', '.join(Nation)}") from None
    if change not in {"add", "remove"}:
        raise InvalidInput("change", "choose 'add' (a day off) or 'remove' (a working day after all)")
    name, reason, source = name.strip(), reason.strip(), source.strip()
    if not name:
        raise InvalidInput("name", "name the day, e.g. 'Coronation bank holiday'")
    if not reason:
        raise InvalidInput("reason", "say why the calendar needs this correction")
    if len(source) > 500:
        raise InvalidInput("source", "at most 500 characters")
    if day.weekday() >= 5 and change == "add":
        raise InvalidInput("day", "is a weekend day, which never counts anyway")
    if await session.scalar(
        select(CalendarCorrection.id).where(CalendarCorrection.day == day, CalendarCorrection.nation == nation_value.value)
    ):
        raise Conflict(f"There is already a correction for {nation_value.label} on {spoken_date(day)}: remove it first")
    session.add(
        CalendarCorrection(
            day=day, nation=nation_value.value, change=change, name=name, reason=reason, source=source, created_by_id=actor.id
        )
    )
    await session.flush()
    why = f"calendar correction: {name} ({nation_value.label}, {spoken_date(day)}, {'added' if change == 'add' else 'removed'})"
    report = await recompute_open_requests(session, actor=actor, zone=zone, reason=why)
    await session.flush()
    return report


async def remove_correction(session: AsyncSession, correction_id: int, *, actor: User, zone: ZoneInfo) -> RecomputeReport:
    correction = await session.get(CalendarCorrection, correction_id)
    if correction is None:
        raise NotFound(f"no calendar correction {correction_id}")
    why = f"calendar correction withdrawn: {correction.name} ({Nation(correction.nation).label}, {spoken_date(correction.day)})"
    await session.execute(delete(CalendarCorrection).where(CalendarCorrection.id == correction_id))
    report = await recompute_open_requests(session, actor=actor, zone=zone, reason=why)
    await session.flush()
    return report


def package_stamp() -> str:
    """What every calendar version built from the installed `holidays` release contains
    ("/holidays-0.109+p1"): a due date computed on another release may be out of date."""
    return f"/holidays-{holidays.__version__}+{package_corrections.VERSION}"


async def recompute_after_package_change(session: AsyncSession, *, zone: ZoneInfo) -> RecomputeReport | None:
    """Recomputes the open due dates when any was computed with another release of the `holidays`
    package (it is pinned exactly, so this runs once after a deliberate upgrade); None when none was."""
    stamp = package_stamp()
    stale = await session.scalar(
        select(FoiRequest.id)
        .where(FoiRequest.status.in_(_OPEN), FoiRequest.calendar_version != "", FoiRequest.calendar_version.not_like(f"%{stamp}%"))
        .limit(1)
    )
    if stale is None:
        return None
    reason = f"bank holiday calendar upgraded (holidays {holidays.__version__})"
    return await recompute_open_requests(session, actor=None, zone=zone, reason=reason)


async def recompute_open_requests(session: AsyncSession, *, actor: User | None, zone: ZoneInfo, reason: str) -> RecomputeReport:
    """Works out every open request's deadline again with the current calendar, in the caller's
    transaction: bulk reads, bulk writes, one history event per request whose due date moved."""
    calendars = await Calendars.load(session)
    stored_columns = (
        "due_on",
        "original_due_on",
        "working_days_limit",
        "calendar_version",
        "deadline_flags",
        "response_due_on",
        "response_base_due_on",
        "extension_late",
        "review_due_on",
    )
    rows = (
        await session.execute(
            select(
                FoiRequest.id,
                FoiRequest.regime,
                FoiRequest.received_on,
                FoiRequest.status,
                *(getattr(FoiRequest, name) for name in stored_columns),
            ).where(FoiRequest.status.in_(_OPEN))
        )
    ).all()
    events: dict[int, list[EventFacts]] = defaultdict(list)
    event_rows = await session.execute(
        select(RequestEvent.request_id, RequestEvent.action, RequestEvent.occurred_on, RequestEvent.details)
        .join(FoiRequest, FoiRequest.id == RequestEvent.request_id)
        .where(FoiRequest.status.in_(_OPEN), RequestEvent.action.in_(_CLOCK_ACTIONS))
        .order_by(RequestEvent.request_id, RequestEvent.id)
    )
    for request_id, action, on, details in event_rows:
        events[request_id].append(EventFacts(action, on, details or {}))

    today = today_in(zone)
    recorded_at = now_utc()
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    history, versions = [], set()
    for row in rows:
        request_id, regime, received_on, status = row[:4]
        current = dict(zip(stored_columns, row[4:], strict=True))
        deadline = compute_for(Regime(regime), received_on, events.get(request_id, []), calendars)
        versions.add(deadline.calendar_version)
        wanted = {name: value for name, value in deadline_columns(Status(status), deadline).items() if name in stored_columns}
        changed = {name: value for name, value in wanted.items() if current[name] != value}
        if not changed:
            continue
        updates[tuple(sorted(wanted))].append({"b_id": request_id, **{f"b_{name}": value for name, value in wanted.items()}})
        if "due_on" in changed:
            due_on = current["due_on"]
            history.append(
                {
                    "request_id": request_id,
                    "action": EventKind.RECALCULATE_DEADLINE.value,
                    "from_status": status,
                    "to_status": status,
                    "occurred_on": today,
                    "recorded_at": recorded_at,
                    "actor_id": actor.id if actor else None,
                    "note": None,
                    "details": {
                        "due_on_before": due_on.isoformat() if due_on else None,
                        "due_on_after": deadline.due_on.isoformat() if deadline.due_on else None,
                        "calendar_version": deadline.calendar_version,
                        "reason": reason,
                    },
                    "imported": False,
                }
            )
    connection = await session.connection()
    for columns, batch in updates.items():
        for start in range(0, len(batch), _BATCH):
            await connection.execute(_update_statement(columns), batch[start : start + _BATCH])
    for start in range(0, len(history), _BATCH):
        await connection.execute(insert(table(RequestEvent)), history[start : start + _BATCH])
    return RecomputeReport(checked=len(rows), moved=len(history), calendar_versions=tuple(sorted(versions)))
