"""Properties of the statutory clock that must hold for every date from 2000 to 2050."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.deadlines import (
    ClockEvent,
    ClockEventType,
    Deadline,
    Stage,
    build_calendar,
    calendar_kind_for,
    compute_deadline,
    explain_days,
)
from app.domain.regimes import Regime

CALENDARS = {regime: build_calendar(calendar_kind_for(regime)) for regime in Regime}

received_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 12, 31))
regimes = st.sampled_from(list(Regime))
stages = st.sampled_from(list(Stage))
fast = settings(max_examples=150, deadline=None)


def compute(regime: Regime, received_on: date, events=(), stage: Stage = Stage.INITIAL) -> Deadline:
    return compute_deadline(regime, stage, received_on, events, CALENDARS[regime])


@st.composite
def clock_histories(draw) -> tuple[Regime, date, list[ClockEvent]]:
    """A valid initial-stage history: fee periods, clarifications and extensions in date order,
    each started while the clock runs."""
    regime = draw(regimes)
    received_on = draw(received_dates)
    events: list[ClockEvent] = []
    day = received_on
    eir_extended = False
    for step in draw(st.lists(st.sampled_from(["fee", "clarification", "extension"]), max_size=4)):
        day += timedelta(days=draw(st.integers(0, 25)))
        if step == "fee":
            events.append(ClockEvent(ClockEventType.FEE_NOTICE_ISSUED, day))
            day += timedelta(days=draw(st.integers(0, 40)))
            events.append(ClockEvent(ClockEventType.FEE_PAID, day))
        elif step == "clarification":
            events.append(ClockEvent(ClockEventType.CLARIFICATION_REQUESTED, day))
            day += timedelta(days=draw(st.integers(0, 40)))
            events.append(ClockEvent(ClockEventType.CLARIFICATION_RECEIVED, day))
            eir_extended = False
        elif regime is Regime.FOIA:
            events.append(ClockEvent(ClockEventType.PIT_EXTENSION, day, draw(st.integers(1, 30))))
        elif regime is Regime.EIR and not eir_extended:
            events.append(ClockEvent(ClockEventType.EIR_EXTENSION, day))
            eir_extended = True
    return regime, received_on, events


@fast
@given(regimes, stages, received_dates)
def test_due_date_is_a_working_day_of_the_regimes_calendar(regime, stage, received_on):
    result = compute(regime, received_on, stage=stage)
    assert result.due_on is not None
    assert CALENDARS[regime].is_working_day(result.due_on)
    assert result.due_on > received_on


@fast
@given(clock_histories())
def test_due_date_with_events_is_a_working_day(history):
    regime, received_on, events = history
    result = compute(regime, received_on, events)
    assert result.due_on is not None
    assert CALENDARS[regime].is_working_day(result.due_on)


@fast
@given(regimes, received_dates, st.sampled_from([1, 2]))
def test_weekend_receipt_is_due_with_the_friday_before(regime, some_day, days_after_friday):
    friday = some_day + timedelta(days=(4 - some_day.weekday()) % 7)
    weekend_day = friday + timedelta(days=days_after_friday)
    assert weekend_day.weekday() in (5, 6)
    assert compute(regime, weekend_day).due_on == compute(regime, friday).due_on


@fast
@given(regimes, received_dates, st.integers(0, 40), st.integers(0, 60))
def test_a_fee_pause_never_makes_the_due_date_earlier(regime, received_on, notice_after, paid_after):
    notice_on = received_on + timedelta(days=notice_after)
    paid_on = notice_on + timedelta(days=paid_after)
    events = [ClockEvent(ClockEventType.FEE_NOTICE_ISSUED, notice_on), ClockEvent(ClockEventType.FEE_PAID, paid_on)]
    paused = compute(regime, received_on, events)
    plain = compute(regime, received_on)
    assert paused.due_on is not None and plain.due_on is not None
    assert paused.due_on >= plain.due_on
    calendar = CALENDARS[regime]
    if notice_on > plain.due_on or calendar.working_days_in(max(notice_on, received_on + timedelta(days=1)), paid_on) == 0:
        assert paused.due_on == plain.due_on  # a pause after the due date, or of no working days, moves nothing
    else:
        assert paused.due_on > plain.due_on


@fast
@given(regimes, stages, received_dates, st.integers(0, 30))
def test_a_later_receipt_never_gives_an_earlier_due_date(regime, stage, received_on, later_by):
    later = received_on + timedelta(days=later_by)
    first_due = compute(regime, received_on, stage=stage).due_on
    later_due = compute(regime, later, stage=stage).due_on
    assert first_due is not None and later_due is not None
    assert later_due >= first_due


@fast
@given(clock_histories())
def test_counted_working_days_equal_the_limit(history):
    regime, received_on, events = history
    calendar = CALENDARS[regime]
    result = compute(regime, received_on, events)
    assert result.due_on is not None
    start = result.effective_received_on
    # A fee paid on the day of a new fees notice puts one day in two periods: count it once.
    paused_days = {
        first + timedelta(days=i)
        for first, last in result.paused_periods
        for i in range((last - first).days + 1)
        if start < first + timedelta(days=i) <= result.due_on and calendar.is_working_day(first + timedelta(days=i))
    }
    assert calendar.working_days_between(start, result.due_on) - len(paused_days) == result.working_days_limit


@fast
@given(clock_histories())
def test_extensions_only_ever_add_time(history):
    regime, received_on, events = history
    result = compute(regime, received_on, events)
    assert result.original_due_on is not None and result.due_on is not None
    assert result.original_due_on <= result.due_on
    assert result.extended == (result.working_days_limit > 20)
    assert ("pit_extension_over_40_days" in result.flags) == (regime is Regime.FOIA and result.working_days_limit > 40)


@fast
@given(clock_histories())
def test_explain_days_agrees_with_compute_deadline(history):
    regime, received_on, events = history
    calendar = CALENDARS[regime]
    result = compute(regime, received_on, events)
    entries = explain_days(result, calendar)
    numbered = [entry for entry in entries if entry.kind in ("counted", "due")]
    assert entries[0].kind == "received" and entries[0].day == result.effective_received_on
    assert entries[-1].kind == "due" and entries[-1].day == result.due_on
    assert len(numbered) == result.working_days_limit
    assert [entry.number for entry in numbered] == list(range(1, result.working_days_limit + 1))
    assert [entry.day for entry in entries] == [result.effective_received_on + timedelta(days=i) for i in range(len(entries))]
    for entry in entries[1:]:
        assert calendar.is_working_day(entry.day) == (entry.kind != "skipped")
    assert len(result.explanation) >= 2


@fast
@given(regimes, received_dates, st.integers(0, 30), st.integers(0, 30))
def test_clarification_restarts_from_its_own_day(regime, received_on, asked_after, answered_after):
    asked_on = received_on + timedelta(days=asked_after)
    answered_on = asked_on + timedelta(days=answered_after)
    events = [
        ClockEvent(ClockEventType.CLARIFICATION_REQUESTED, asked_on),
        ClockEvent(ClockEventType.CLARIFICATION_RECEIVED, answered_on),
    ]
    assert compute(regime, received_on, events).due_on == compute(regime, answered_on).due_on


@fast
@given(regimes, received_dates, st.dates(min_value=date(2000, 1, 1), max_value=date(2051, 6, 30)))
def test_working_days_left_counts_down_to_zero_on_the_due_date(regime, received_on, as_of):
    calendar = CALENDARS[regime]
    result = compute(regime, received_on)
    assert result.due_on is not None
    left = result.working_days_left(as_of, calendar)
    assert left == calendar.working_days_between(as_of, result.due_on)
    assert result.working_days_left(result.due_on, calendar) == 0
    assert result.working_days_left(received_on, calendar) == 20
    if as_of > result.due_on:
        assert left is not None and left <= 0
