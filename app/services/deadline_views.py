"""Read-side views of deadlines: working days left, and how a due date was worked out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.deadlines import DayEntry, Deadline, WorkingCalendar, explain_days
from app.domain.regimes import Regime
from app.models import FoiRequest
from app.services.deadlines import Calendars, compute_for, events_of


def working_days_left(due_on: date | None, today: date, calendar: WorkingCalendar) -> int | None:
    """Working days from today to the due date: 0 on the day, negative once overdue."""
    return None if due_on is None else calendar.working_days_between(today, due_on)


async def working_days_left_for(session: AsyncSession, rows: Sequence[FoiRequest], today: date) -> dict[int, int | None]:
    calendars = await Calendars.load(session)
    return {row.id: working_days_left(row.due_on, today, calendars.for_regime(Regime(row.regime))) if row.due_on else None for row in rows}


@dataclass
class DeadlineView:
    deadline: Deadline
    days_left: int | None
    days: list[DayEntry]
    # past the due date, also on a weekend straight after it (no working day between: days_left 0)
    overdue: bool = False


async def deadline_view(session: AsyncSession, request: FoiRequest, today: date) -> DeadlineView:
    """The deadline worked out afresh from the events, with the day-by-day reasoning for the page."""
    calendars = await Calendars.load(session)
    regime = Regime(request.regime)
    calendar = calendars.for_regime(regime)
    deadline = compute_for(regime, request.received_on, await events_of(session, request.id), calendars, posted_on=request.posted_on)
    overdue = deadline.due_on is not None and today > deadline.due_on
    return DeadlineView(deadline, working_days_left(deadline.due_on, today, calendar), explain_days(deadline, calendar), overdue)
