"""Statutory deadlines: working-day calendars, clock events and the due dates they give.

Pure Python (stdlib and the `holidays` package). See docs/uk-foi-rules.md; statute citations
are on the functions that implement each rule.
"""

from app.domain.deadlines.calendar import (
    CalendarCorrection,
    CalendarKind,
    Nation,
    WorkingCalendar,
    build_calendar,
    calendar_kind_for,
    good_friday,
)
from app.domain.deadlines.engine import (
    AWAITING_CLARIFICATION,
    AWAITING_FEE,
    ClockEvent,
    ClockEventType,
    DayEntry,
    Deadline,
    Stage,
    add_months,
    base_working_days,
    compute_deadline,
    date_of_receipt,
    explain_days,
    lapse_date,
    lapse_period,
    long_date,
    receipt_date,
    working_days_remaining,
)

__all__ = [
    "AWAITING_CLARIFICATION",
    "AWAITING_FEE",
    "CalendarCorrection",
    "CalendarKind",
    "ClockEvent",
    "ClockEventType",
    "DayEntry",
    "Deadline",
    "Nation",
    "Stage",
    "WorkingCalendar",
    "add_months",
    "base_working_days",
    "build_calendar",
    "calendar_kind_for",
    "compute_deadline",
    "date_of_receipt",
    "explain_days",
    "good_friday",
    "lapse_date",
    "lapse_period",
    "long_date",
    "receipt_date",
    "working_days_remaining",
]
