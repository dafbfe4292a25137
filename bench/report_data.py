"""Generated request histories for the reports' brute-force test and benchmark.

Each history is a list of lifecycle steps, checked step by step by the lifecycle's own rules
(`plan_action`) and by the deadline engine, with every kind of clock event: clarifications asked for
and received (or never received, or lapsed), fees notices paid or lapsed, public interest and EIR
extensions notified in time and too late, answers before, on and after the due date, withdrawals,
internal reviews completed in time, late or not yet.

`request_row` turns a history into the columns the services would have stored, through the same
functions the services call (deadline_inputs, compute_deadline, deadline_columns,
working_days_taken), so that millions of rows can be written fast with Core; a test replays a sample
through the real services and checks the two agree.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.domain.deadlines import Deadline, add_months
from app.domain.exemptions import exemptions_for
from app.domain.lifecycle import Action, Status, plan_action
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.regimes import ExtensionKind, Regime
from app.services.deadlines import (
    Calendars,
    EventFacts,
    compute_for,
    deadline_columns,
    working_days_taken,
)

OUTCOME_WEIGHTS = {
    Outcome.GRANTED_IN_FULL: 34,
    Outcome.GRANTED_IN_PART: 22,
    Outcome.REFUSED_IN_FULL: 8,
    Outcome.NOT_HELD: 15,
    Outcome.REFUSED_COST: 6,
    Outcome.REFUSED_VEXATIOUS: 1,
    Outcome.REFUSED_REPEATED: 1,
    Outcome.NEITHER_CONFIRM_NOR_DENY: 3,
    Outcome.ADVICE_AND_ASSISTANCE: 5,
}
_OUTCOMES = list(OUTCOME_WEIGHTS)
_OUTCOME_CUMULATIVE = [sum(list(OUTCOME_WEIGHTS.values())[: i + 1]) for i in range(len(_OUTCOMES))]
_WITHHOLDING = {Outcome.GRANTED_IN_PART, Outcome.REFUSED_IN_FULL, Outcome.NEITHER_CONFIRM_NOR_DENY}
_EXEMPTION_CODES = {regime: [e.code for e in exemptions_for(regime)] for regime in Regime}
# personal data, commercial interests and the like come up far more often than the rest
_COMMON_CODES = {
    Regime.FOIA: ["FOIA-s40", "FOIA-s43", "FOIA-s31", "FOIA-s21", "FOIA-s42"],
    Regime.EIR: ["EIR-r13", "EIR-r12(5)(e)", "EIR-r12(4)(b)", "EIR-r12(4)(e)"],
    Regime.FOISA: ["FOISA-s38", "FOISA-s33", "FOISA-s25", "FOISA-s30"],
    Regime.EISR: ["EISR-r11", "EISR-r10(5)(e)", "EISR-r10(4)(b)"],
}


@dataclass(frozen=True, slots=True)
class Step:
    action: str
    on: date
    details: dict[str, Any]
    from_status: str
    to_status: str


@dataclass
class History:
    number: int
    regime: Regime
    received_on: date
    department: int | None  # index into the departments
    assignee: str | None  # email of the officer assigned last
    steps: list[Step] = field(default_factory=list)
    status: Status = Status.NEW

    @property
    def events(self) -> list[EventFacts]:
        return [EventFacts(step.action, step.on, step.details) for step in self.steps]


class _Planner:
    def __init__(self, rng: random.Random, history: History, today: date, calendars: Calendars) -> None:
        self.rng, self.history, self.today, self.calendars = rng, history, today, calendars
        self.day = history.received_on
        self.stopped = False  # a step fell after today: the history ends where it is

    def step(self, action: Action, on: date, **params: Any) -> bool:
        if self.stopped:
            return False
        on = max(on, self.day)
        if on > self.today:
            self.stopped = True
            return False
        history = self.history
        transition = plan_action(
            status=history.status,
            regime=history.regime,
            action=action.value,
            params=params,
            received_on=history.received_on,
            on=on,
        )
        history.steps.append(Step(action.value, on, dict(transition.details), transition.from_status.value, transition.to_status.value))
        history.status = transition.to_status
        self.day = on
        return True

    def deadline(self) -> Deadline:
        h = self.history
        return compute_for(h.regime, h.received_on, h.events, self.calendars)

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def working_day_after(self, day: date, n: int) -> date:
        return self.calendars.for_regime(self.history.regime).add_working_days(day, n) if n > 0 else day


def plan_history(
    rng: random.Random,
    number: int,
    regime: Regime,
    received_on: date,
    today: date,
    calendars: Calendars,
    *,
    departments: int,
    officers: Sequence[str],
) -> History:
    history = History(number, regime, received_on, rng.randrange(departments) if departments and rng.random() < 0.95 else None, None)
    p = _Planner(rng, history, today, calendars)
    if officers and rng.random() < 0.85:
        email = rng.choice(officers)
        if p.step(Action.ASSIGN, received_on + p.days(0, 2), assignee=email):
            history.assignee = email
    if rng.random() < 0.7:  # most are acknowledged within a day or two
        p.step(Action.ACKNOWLEDGE, received_on + p.days(0, 2))
    if rng.random() < 0.9:
        p.step(Action.START, p.day + p.days(0, 3))

    kind = rng.random()
    if kind < 0.08:  # clarification
        if not p.step(Action.REQUEST_CLARIFICATION, p.day + p.days(0, 8)):
            return history
        asked = p.day
        branch = rng.random()
        if branch < 0.72:
            if not p.step(Action.RECEIVE_CLARIFICATION, asked + p.days(0, 30)):
                return history
        elif branch < 0.86 or add_months(asked, 4) < today:
            # no answer within three months: closed as lapsed (or withdrawn meanwhile)
            if rng.random() < 0.8:
                p.step(Action.LAPSE, add_months(asked, 3) + p.days(0, 20))
            else:
                p.step(Action.WITHDRAW, asked + p.days(1, 40))
            return history
        else:
            return history  # still waiting for the clarification
    elif kind < 0.15:  # fees notice
        if not p.step(Action.ISSUE_FEE_NOTICE, p.day + p.days(0, 12)):
            return history
        noticed = p.day
        branch = rng.random()
        if branch < 0.7:
            if not p.step(Action.RECEIVE_FEE, noticed + p.days(0, 45)):
                return history
        elif branch < 0.88 or add_months(noticed, 4) < today:
            if rng.random() < 0.85:
                p.step(Action.LAPSE, add_months(noticed, 3) + p.days(0, 20))
            else:
                p.step(Action.WITHDRAW, noticed + p.days(1, 40))
            return history
        else:
            return history  # the fee is still outstanding

    extension = rng.random()
    kind = regime.rules.extension_kind
    if (kind is ExtensionKind.PUBLIC_INTEREST and extension < 0.14) or (kind is ExtensionKind.COMPLEX_AND_VOLUMINOUS and extension < 0.12):
        due = p.deadline().due_on
        assert due is not None
        if rng.random() < 0.2:
            notified = due + p.days(1, 12)  # after the deadline: the extension does not make it in time
        else:
            notified = max(p.day, due - p.days(0, 14))
        if kind is ExtensionKind.PUBLIC_INTEREST:
            p.step(Action.EXTEND_PIT, notified, working_days=rng.choice((5, 10, 20, 20, 30)))
        else:
            p.step(Action.EXTEND_EIR, notified)

    if rng.random() < 0.15 and p.step(Action.SUBMIT_FOR_APPROVAL, p.day + p.days(0, 10)):
        if rng.random() < 0.2 and p.step(Action.RETURN_FOR_CHANGES, p.day + p.days(0, 5)):
            p.step(Action.SUBMIT_FOR_APPROVAL, p.day + p.days(1, 5))  # the changed draft goes back
        p.step(Action.APPROVE, p.day + p.days(0, 5))

    if rng.random() < 0.03:
        p.step(Action.WITHDRAW, p.day + p.days(0, 25))
        return history

    if p.stopped:
        return history
    deadline = p.deadline()
    due, base = deadline.due_on, deadline.original_due_on
    assert due is not None and base is not None
    calendar = calendars.for_regime(regime)
    spread = calendar.working_days_between(deadline.effective_received_on, base)
    when = rng.random()
    if when < 0.5:
        answered = p.working_day_after(deadline.effective_received_on, rng.randint(1, max(1, spread)))
    elif when < 0.6:
        answered = base  # on the day it fell due: in time
    elif when < 0.72 and due > base:
        answered = base + timedelta(days=rng.randint(1, (due - base).days))  # within the extension
    elif when < 0.78:
        answered = due
    elif when < 0.8:
        answered = due + timedelta(days=rng.choice((1, 2, 3)))  # just late, maybe over a weekend
    else:
        answered = due + p.days(1, 90)
    outcome = rng.choices(_OUTCOMES, cum_weights=_OUTCOME_CUMULATIVE)[0]
    codes: list[str] = []
    if not regime.rules.allows_outcome(outcome):  # no s.12 or s.14 under the EIR and the EISR
        outcome, codes = Outcome.REFUSED_IN_FULL, [regime.rules.manifestly_unreasonable]
    if outcome in _WITHHOLDING or (outcome is Outcome.REFUSED_COST and rng.random() < 0.1):
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            pool = _COMMON_CODES[regime] if rng.random() < 0.75 else _EXEMPTION_CODES[regime]
            codes.append(rng.choice(pool))
    if not p.step(Action.RESPOND, answered, outcome=outcome.value, exemptions=codes, response="Answered."):
        return history

    if rng.random() < 0.09:
        if not p.step(Action.REQUEST_INTERNAL_REVIEW, p.day + p.days(1, 40)):
            return history
        review_due = p.deadline().due_on
        assert review_due is not None
        completed = review_due - p.days(0, 25) if rng.random() < 0.75 else review_due + p.days(0, 30)
        review_outcome = rng.choices(list(ReviewOutcome), weights=(70, 12, 18))[0]
        p.step(Action.COMPLETE_INTERNAL_REVIEW, completed, review_outcome=review_outcome.value)
    return history


def generate_histories(
    count: int,
    *,
    first_day: date,
    today: date,
    seed: int,
    calendars: Calendars,
    departments: int,
    officers: Sequence[str],
    regimes: Sequence[Regime] = (Regime.FOIA, Regime.FOIA, Regime.FOIA, Regime.EIR, Regime.FOISA, Regime.EISR),
    last_day: date | None = None,
) -> Iterator[History]:
    """`count` histories received between `first_day` and `last_day` (default `today`; weekends and
    holidays too), in date order, each as it stands on `today`; the same seed gives the same histories."""
    rng = random.Random(seed)
    span = ((last_day or today) - first_day).days + 1
    days = sorted(first_day + timedelta(days=rng.randrange(span)) for _ in range(count))
    for number, received_on in enumerate(days):
        yield plan_history(rng, number, rng.choice(regimes), received_on, today, calendars, departments=departments, officers=officers)


# ----------------------------------------------------------------------------- the stored columns


REVIEW_STEP = Action.REQUEST_INTERNAL_REVIEW.value


def request_columns(history: History, calendars: Calendars) -> dict[str, Any]:
    """The columns `create_request` and `apply_action` would have left on the request after these
    steps (deadline, timeliness facts, outcome), computed with the services' own functions."""
    regime, received_on = history.regime, history.received_on
    events = history.events
    final = compute_for(regime, received_on, events, calendars)
    columns = deadline_columns(history.status, final)
    review_at = next((i for i, step in enumerate(history.steps) if step.action == REVIEW_STEP), None)
    initial = final
    if review_at is not None:
        initial = compute_for(regime, received_on, events[:review_at], calendars)
        initial_columns = deadline_columns(Status.RESPONDED, initial)
        for name in ("response_due_on", "response_base_due_on", "extension_late"):
            columns[name] = initial_columns[name]
    columns.setdefault("review_due_on", None)
    columns.update(
        status=history.status.value,
        outcome=None,
        responded_on=None,
        response_working_days=None,
        review_requested_on=None,
        review_completed_on=None,
        review_outcome=None,
    )
    for step in history.steps:
        if step.action == Action.RESPOND:
            columns["outcome"] = step.details["outcome"]
            columns["responded_on"] = step.on
            columns["response_working_days"] = working_days_taken(initial, step.on, calendars.for_regime(regime))
        elif step.action == REVIEW_STEP:
            columns["review_requested_on"] = step.on
        elif step.action == Action.COMPLETE_INTERNAL_REVIEW:
            columns["review_completed_on"] = step.on
            columns["review_outcome"] = step.details["review_outcome"]
    return columns


def exemption_codes(history: History) -> list[str]:
    for step in history.steps:
        if step.action == Action.RESPOND:
            return list(step.details["exemptions"])
    return []


def received_at(day: date) -> datetime:
    """A moment on the day of receipt that is the same calendar day in London (noon UTC)."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)
