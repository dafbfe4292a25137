"""Bridges stored events and the pure deadline engine: derive, never type, a request's due date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.deadlines import (
    CalendarCorrection as CorrectionRule,
)
from app.domain.deadlines import (
    CalendarKind,
    ClockEvent,
    Deadline,
    Nation,
    Stage,
    WorkingCalendar,
    build_calendar,
    calendar_kind_for,
    compute_deadline,
)
from app.domain.lifecycle import Status, action_named
from app.domain.regimes import Regime
from app.models import CalendarCorrection, FoiRequest, RequestEvent


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What the deadline needs of a stored event."""

    action: str
    on: date
    details: dict


async def load_corrections(session: AsyncSession) -> tuple[CorrectionRule, ...]:
    rows = await session.scalars(select(CalendarCorrection).order_by(CalendarCorrection.day, CalendarCorrection.nation))
    return tuple(
        CorrectionRule(
            day=row.day, nation=Nation(row.nation), change=cast(Literal["add", "remove"], row.change), name=row.name, reason=row.reason
        )
        for row in rows
    )


class Calendars:
    """The two working-day calendars with the authority's corrections, built once per use case."""

    def __init__(self, corrections: Sequence[CorrectionRule]) -> None:
        self._corrections = tuple(corrections)
        self._built: dict[CalendarKind, WorkingCalendar] = {}

    def for_regime(self, regime: Regime) -> WorkingCalendar:
        kind = calendar_kind_for(regime)
        if kind not in self._built:
            self._built[kind] = build_calendar(kind, self._corrections)
        return self._built[kind]

    @classmethod
    async def load(cls, session: AsyncSession) -> Calendars:
        return cls(await load_corrections(session))


def deadline_inputs(received_on: date, events: Sequence[EventFacts]) -> tuple[Stage, date, list[ClockEvent]]:
    """The stage, date of receipt and clock events the engine should see, from the request's history.

    An internal review starts a new clock on the day it was requested; extensions after that belong
    to the review.
    """
    clock: list[ClockEvent] = []
    stage, start = Stage.INITIAL, received_on
    for event in sorted(events, key=lambda e: e.on):
        action = action_named(event.action)
        if action is None:
            continue
        if action.spec.starts_review:
            stage, start, clock = Stage.INTERNAL_REVIEW, event.on, []
        elif action.spec.clock is not None:
            clock.append(ClockEvent(action.spec.clock, event.on, event.details.get("working_days")))
    return stage, start, clock


def compute_for(
    regime: Regime, received_on: date, events: Sequence[EventFacts], calendars: Calendars, *, posted_on: date | None = None
) -> Deadline:
    """`posted_on` only adds how a posted request's date of receipt was found to the explanation."""
    stage, start, clock = deadline_inputs(received_on, events)
    return compute_deadline(regime, stage, start, clock, calendars.for_regime(regime), posted_on=posted_on)


def deadline_columns(status: Status, deadline: Deadline) -> dict[str, Any]:
    """The request columns that follow from its current deadline (indexed, and read by reports).

    The initial stage's dates are kept in response_* columns, so timeliness can still be judged
    after an internal review has started its own clock.
    """
    in_review = deadline.stage is Stage.INTERNAL_REVIEW
    if not status.is_open:
        clock_state = "closed"
    elif deadline.clock_stopped:
        clock_state = deadline.stopped_reason or "stopped"
    else:
        clock_state = "running"
    columns: dict[str, Any] = {
        "deadline_stage": deadline.stage.value,
        "due_on": deadline.due_on,
        "original_due_on": deadline.original_due_on,
        "working_days_limit": deadline.working_days_limit,
        "clock_stopped": deadline.clock_stopped and status.is_open,
        "clock_state": clock_state,
        "deadline_flags": ",".join(deadline.flags)[:200],
        "calendar_version": deadline.calendar_version,
    }
    if in_review:
        columns["review_due_on"] = deadline.due_on
    else:
        columns["response_due_on"] = deadline.due_on
        columns["response_base_due_on"] = deadline.original_due_on
        columns["extension_late"] = "extension_notified_late" in deadline.flags
    return columns


def store_deadline(request: FoiRequest, deadline: Deadline) -> None:
    """Copies the derived deadline onto the request's columns."""
    for name, value in deadline_columns(Status(request.status), deadline).items():
        setattr(request, name, value)


def working_days_taken(deadline: Deadline, answered_on: date, calendar: WorkingCalendar) -> int:
    """Working days from the (effective) date of receipt to the answer, not counting paused days."""
    taken = calendar.working_days_between(deadline.effective_received_on, answered_on)
    for first, last in deadline.paused_periods:
        if first <= answered_on:
            taken -= calendar.working_days_in(first, min(last, answered_on))
    return max(0, taken)


async def events_of(session: AsyncSession, request_id: int) -> list[EventFacts]:
    rows = await session.execute(
        select(RequestEvent.action, RequestEvent.occurred_on, RequestEvent.details)
        .where(RequestEvent.request_id == request_id)
        .order_by(RequestEvent.id)
    )
    return [EventFacts(action, on, details or {}) for action, on, details in rows]
