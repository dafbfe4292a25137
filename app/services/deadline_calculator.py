"""The public deadline calculator: raw input in, a statutory due date and its reasoning out.

Shared by the JSON API and the page, so both accept and refuse exactly the same things.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.dates import parse_date
from app.domain.deadlines import ClockEvent, ClockEventType, DayEntry, Deadline, Stage, compute_deadline, date_of_receipt, explain_days
from app.domain.errors import InvalidInput
from app.domain.regimes import SELECT_REGIME, Regime
from app.services.deadlines import Calendars

MAX_EVENTS = 20


@dataclass
class Calculation:
    regime: Regime
    stage: Stage
    received_on: date
    events: list[ClockEvent]
    posted_on: date | None = None


@dataclass
class CalculatorResult:
    calculation: Calculation
    deadline: Deadline
    days: list[DayEntry]


def _date(value: Any, field: str) -> date:
    return parse_date(value, field, required=True)


def parse_calculation(payload: Any) -> Calculation:
    if not isinstance(payload, dict):
        raise InvalidInput("body", "send a JSON object")
    try:
        regime = Regime(str(payload.get("regime", "")).strip().lower())
    except ValueError:
        raise InvalidInput("regime", SELECT_REGIME) from None
    try:
        stage = Stage(str(payload.get("stage") or Stage.INITIAL.value).strip().lower())
    except ValueError:
        raise InvalidInput("stage", "Select the stage: the request itself or an internal review") from None
    posted_on = _date(payload["posted_on"], "posted_on") if payload.get("posted_on") and stage is Stage.INITIAL else None
    if posted_on is not None and not payload.get("received_on"):
        # the day it arrived not known: the date the regime presumes from posting (FOISA s.74(2)(a)), if any
        received_on = date_of_receipt(regime, None, posted_on)
    else:
        received_on = date_of_receipt(regime, _date(payload.get("received_on"), "received_on"), posted_on)
    raw_events = payload.get("events") or []
    if not isinstance(raw_events, list):
        raise InvalidInput("events", "give a list of events")
    if len(raw_events) > MAX_EVENTS:
        raise InvalidInput("events", f"at most {MAX_EVENTS} events")
    events = []
    for index, raw in enumerate(raw_events):
        field = f"events[{index}]"
        if not isinstance(raw, dict):
            raise InvalidInput(field, "each event is an object with 'type' and 'on'")
        try:
            event_type = ClockEventType(str(raw.get("type", "")).strip().lower())
        except ValueError:
            raise InvalidInput(f"{field}.type", f"unknown event type '{raw.get('type')}'; use one of {', '.join(ClockEventType)}") from None
        working_days = raw.get("working_days")
        if working_days is not None and (isinstance(working_days, bool) or not isinstance(working_days, int)):
            if isinstance(working_days, str) and working_days.strip().isdigit():
                working_days = int(working_days)
            else:
                raise InvalidInput(f"{field}.working_days", "must be a whole number of working days")
        events.append(ClockEvent(event_type, _date(raw.get("on"), f"{field}.on"), working_days))
    return Calculation(regime, stage, received_on, events, posted_on)


async def calculate(session: AsyncSession, payload: Any) -> CalculatorResult:
    calculation = parse_calculation(payload)
    calendar = (await Calendars.load(session)).for_regime(calculation.regime)
    deadline = compute_deadline(
        calculation.regime, calculation.stage, calculation.received_on, calculation.events, calendar, posted_on=calculation.posted_on
    )
    return CalculatorResult(calculation, deadline, explain_days(deadline, calendar))
