"""Throughput of the deadline engine: due dates per second on a built calendar.

Run: .venv/bin/python -m bench.deadline_engine
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from app.domain.deadlines import ClockEvent, ClockEventType, Stage, build_calendar, calendar_kind_for, compute_deadline
from app.domain.regimes import Regime
from bench import figures

INPUTS = 100_000
SEED = 20_25


def _inputs(count: int, rng: random.Random) -> list[tuple[Regime, Stage, date, list[ClockEvent]]]:
    """A realistic mix: mostly plain requests, then fee pauses, clarifications, extensions and
    internal reviews, across the three regimes."""
    first = date(2015, 1, 1).toordinal()
    mix: list[tuple[Regime, Stage, date, list[ClockEvent]]] = []
    for _ in range(count):
        regime = rng.choice((Regime.FOIA, Regime.FOIA, Regime.EIR, Regime.FOISA))
        received_on = date.fromordinal(first + rng.randrange(365 * 15))
        shape = rng.random()
        stage = Stage.INITIAL
        events: list[ClockEvent] = []
        if shape < 0.10:
            stage = Stage.INTERNAL_REVIEW
        elif shape < 0.55:
            pass  # plain request
        elif shape < 0.70:
            notice = received_on + timedelta(days=rng.randrange(1, 15))
            events = [
                ClockEvent(ClockEventType.FEE_NOTICE_ISSUED, notice),
                ClockEvent(ClockEventType.FEE_PAID, notice + timedelta(days=rng.randrange(0, 30))),
            ]
        elif shape < 0.80:
            asked = received_on + timedelta(days=rng.randrange(0, 10))
            events = [
                ClockEvent(ClockEventType.CLARIFICATION_REQUESTED, asked),
                ClockEvent(ClockEventType.CLARIFICATION_RECEIVED, asked + timedelta(days=rng.randrange(0, 20))),
            ]
        elif shape < 0.90 and regime is not Regime.FOISA:
            notified = received_on + timedelta(days=rng.randrange(5, 30))
            if regime is Regime.FOIA:
                events = [ClockEvent(ClockEventType.PIT_EXTENSION, notified, rng.choice((10, 20, 25)))]
            else:
                events = [ClockEvent(ClockEventType.EIR_EXTENSION, notified)]
        else:
            # All three: a clarification, then a fee period, then (where the law allows) an extension.
            asked = received_on + timedelta(days=rng.randrange(0, 5))
            answered = asked + timedelta(days=rng.randrange(1, 10))
            notice = answered + timedelta(days=rng.randrange(1, 8))
            paid = notice + timedelta(days=rng.randrange(0, 10))
            events = [
                ClockEvent(ClockEventType.CLARIFICATION_REQUESTED, asked),
                ClockEvent(ClockEventType.CLARIFICATION_RECEIVED, answered),
                ClockEvent(ClockEventType.FEE_NOTICE_ISSUED, notice),
                ClockEvent(ClockEventType.FEE_PAID, paid),
            ]
            if regime is Regime.FOIA:
                events.append(ClockEvent(ClockEventType.PIT_EXTENSION, paid + timedelta(days=3), 20))
            elif regime is Regime.EIR:
                events.append(ClockEvent(ClockEventType.EIR_EXTENSION, paid + timedelta(days=3)))
        mix.append((regime, stage, received_on, events))
    return mix


def run(count: int = INPUTS) -> dict[str, float | int]:
    calendars = {regime: build_calendar(calendar_kind_for(regime)) for regime in Regime}
    inputs = [(r, s, d, e, calendars[r]) for r, s, d, e in _inputs(count, random.Random(SEED))]
    started = time.perf_counter()
    for regime, stage, received_on, events, calendar in inputs:
        compute_deadline(regime, stage, received_on, events, calendar)
    seconds = time.perf_counter() - started
    per_second = count / seconds
    print(f"deadline engine: {per_second:,.0f} due dates/s ({count:,} inputs, {seconds:.2f} s)")
    figures.value("deadline engine", "", "due dates worked out", per_second, "per s", inputs=count)
    return {"due_dates_per_second": round(per_second), "inputs": count, "seconds": round(seconds, 3)}


if __name__ == "__main__":
    run()
