"""The demo authority as a plan: departments, staff and requests with dated histories.

Pure and deterministic: the same (today, count, seed) always gives the same plan, and nothing reads
the clock or the global random generator. Every request's history is replayed through
`app.domain.lifecycle.plan_action` before it is returned, so an impossible history raises here
rather than in the loader.

Actions happen on the authority's working days (weekdays other than bank holidays in England), and
the timings count those days with a margin, so that "answered in time" and "late" stay true under
the real deadline engine (which lives elsewhere and also skips Scottish and NI bank holidays).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from app.demo import corpus
from app.demo.corpus import Theme
from app.domain.deadlines import AWAITING_CLARIFICATION, AWAITING_FEE, build_calendar, calendar_kind_for, lapse_date
from app.domain.exemptions import get_exemption
from app.domain.lifecycle import Action, Status, plan_action
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.regimes import ExtensionKind, Regime

TZ = ZoneInfo("Europe/London")
WINDOW_MONTHS = 18  # requests are received within this many months before `today`
DEMO_EMAIL_DOMAIN = "demo.example"


def _extension(regime: Regime) -> ExtensionKind | None:
    return regime.rules.extension_kind


# the exception for a manifestly unreasonable request, under each environmental regime
_MANIFESTLY_UNREASONABLE = {Regime.EIR: "EIR-r12(4)(b)", Regime.EISR: "EISR-r10(4)(b)"}


@dataclass(frozen=True)
class DemoDepartment:
    slug: str
    name: str


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str  # "officer" | "manager" | "admin"
    password: str
    department: str | None = None  # a DemoDepartment's slug: what an officer sees under department scope


@dataclass(frozen=True)
class DemoAction:
    action: str  # an app.domain.lifecycle.Action value
    on: date
    actor: str  # a DemoUser's email
    params: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class DemoRequest:
    regime: str
    title: str
    body: str
    received_at: datetime  # aware, Europe/London
    channel: str
    department: str  # a DemoDepartment's slug
    requester_name: str
    requester_email: str | None
    requester_address: str | None
    created_by: str  # a DemoUser's email
    actions: tuple[DemoAction, ...]

    @property
    def received_on(self) -> date:
        return self.received_at.date()


@dataclass(frozen=True)
class DemoAuthority:
    departments: tuple[DemoDepartment, ...]
    users: tuple[DemoUser, ...]
    requests: tuple[DemoRequest, ...]


DEMO_DEPARTMENTS: tuple[DemoDepartment, ...] = (
    DemoDepartment(corpus.CORPORATE, "Corporate Services"),
    DemoDepartment(corpus.ENVIRONMENT, "Environment and Highways"),
    DemoDepartment(corpus.PEOPLE, "Adults' and Children's Services"),
)

OFFICER = DemoUser(f"officer@{DEMO_EMAIL_DOMAIN}", "Priya Raman", "officer", "demo-officer-2026", corpus.CORPORATE)
OFFICER_2 = DemoUser(f"officer2@{DEMO_EMAIL_DOMAIN}", "Tom Okafor", "officer", "demo-officer2-2026", corpus.ENVIRONMENT)
MANAGER = DemoUser(f"manager@{DEMO_EMAIL_DOMAIN}", "Helen Marsh", "manager", "demo-manager-2026")
ADMIN = DemoUser(f"admin@{DEMO_EMAIL_DOMAIN}", "Sam Whitley", "admin", "demo-admin-2026")
DEMO_USERS: tuple[DemoUser, ...] = (OFFICER, OFFICER_2, MANAGER, ADMIN)

# who usually handles each department's requests
_LEAD_OFFICER = {corpus.CORPORATE: OFFICER, corpus.ENVIRONMENT: OFFICER_2, corpus.PEOPLE: OFFICER}


def demo_logins() -> list[tuple[str, str, str]]:
    """(email, password, role) for each demo account, for printing at start-up."""
    return [(user.email, user.password, user.role) for user in DEMO_USERS]


# ---------------------------------------------------------------------------------------------
# Working days of an English authority: weekdays other than bank holidays in England
# ---------------------------------------------------------------------------------------------


class WorkingDays:
    """Working-day arithmetic over a fixed span of years; bank holidays from the `holidays` package."""

    def __init__(self, first_year: int, last_year: int) -> None:
        years = range(first_year, last_year + 1)
        self.holidays = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=years))

    def is_working(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def next(self, day: date) -> date:
        """`day` itself if it is a working day, otherwise the next one."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def last(self, day: date) -> date:
        """`day` itself if it is a working day, otherwise the one before."""
        while not self.is_working(day):
            day -= timedelta(days=1)
        return day

    def after(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (0: `day` itself, moved forward to a working day)."""
        day = self.next(day)
        while count > 0:
            day += timedelta(days=1)
            if self.is_working(day):
                count -= 1
        return day

    def before(self, day: date, count: int) -> date:
        day = self.last(day)
        while count > 0:
            day -= timedelta(days=1)
            if self.is_working(day):
                count -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (0 if end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working(day)
        return count

    def pick(self, rng: random.Random, start: date, end: date) -> date:
        """A working day in [start, end] (`start` if the range is empty)."""
        span = self.between(start, end)
        return self.after(start, rng.randint(0, span)) if span else start


def window_start(today: date) -> date:
    """The same day of the month WINDOW_MONTHS months before `today` (clamped to the month's end)."""
    months = today.year * 12 + today.month - 1 - WINDOW_MONTHS
    year, month0 = divmod(months, 12)
    day = today.day
    while True:
        try:
            return date(year, month0 + 1, day)
        except ValueError:
            day -= 1


# ---------------------------------------------------------------------------------------------
# Replaying histories
# ---------------------------------------------------------------------------------------------


def final_status(request: DemoRequest) -> Status:
    """Replays the request's actions through the lifecycle from `new`; raises if any step is illegal."""
    status = Status.NEW
    regime = Regime(request.regime)
    for action in request.actions:
        transition = plan_action(
            status=status,
            regime=regime,
            action=action.action,
            params=action.params,
            received_on=request.received_on,
            on=action.on,
        )
        status = transition.to_status
    return status


def _check(request: DemoRequest, expected: Status, today: date, cal: WorkingDays) -> None:
    status = final_status(request)
    if status is not expected:
        raise RuntimeError(f"demo request '{request.title}' ends as {status}, planned {expected}")
    previous = request.received_on
    for action in request.actions:
        if action.on < previous or action.on > today or not cal.is_working(action.on):
            raise RuntimeError(f"demo request '{request.title}': action {action.action} badly dated {action.on}")
        previous = action.on


# ---------------------------------------------------------------------------------------------
# Choosing what happens to each request
# ---------------------------------------------------------------------------------------------

_RESPONDED_PATH = (Status.RESPONDED, Status.INTERNAL_REVIEW, Status.REVIEW_COMPLETED)
_WITHHOLDING = (Outcome.GRANTED_IN_PART, Outcome.REFUSED_IN_FULL, Outcome.NEITHER_CONFIRM_NOR_DENY)
_NOT_UNDER_EIR = (Outcome.REFUSED_COST, Outcome.REFUSED_VEXATIOUS, Outcome.REFUSED_REPEATED)


@dataclass
class _Spec:
    received_at: datetime
    regime: Regime
    theme: Theme
    channel: str
    age: int  # working days from receipt to today
    status: Status = Status.NEW
    plain: bool = False  # no clock events or extensions: the 20-day clock simply runs
    outcome: Outcome | None = None
    codes: list[str] = field(default_factory=list)
    review: ReviewOutcome | None = None  # how a completed internal review came out
    eir_extension: bool = False  # extended under EIR reg. 7 for certain

    @property
    def received(self) -> date:
        return self.received_at.date()


def _weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _status_for_age(rng: random.Random, age: int) -> Status:
    S = Status
    if age <= 0:
        return S.NEW
    if age <= 3:
        return _weighted(rng, {S.NEW: 5, S.IN_PROGRESS: 4, S.AWAITING_CLARIFICATION: 1})
    if age <= 20:
        return _weighted(
            rng,
            {
                S.NEW: 0.6,
                S.IN_PROGRESS: 9,
                S.AWAITING_CLARIFICATION: 2.5,
                S.AWAITING_FEE: 1,
                S.AWAITING_APPROVAL: 2,
                S.RESPONDED: 3.5,
                S.WITHDRAWN: 1,
            },
        )
    if age <= 45:
        return _weighted(
            rng,
            {
                S.IN_PROGRESS: 0.8,
                S.AWAITING_APPROVAL: 0.4,
                S.AWAITING_CLARIFICATION: 0.6,
                S.AWAITING_FEE: 0.3,
                S.RESPONDED: 6,
                S.INTERNAL_REVIEW: 1.2,
                S.WITHDRAWN: 0.5,
            },
        )
    if age <= 70:
        return _weighted(
            rng,
            {
                S.RESPONDED: 7,
                S.INTERNAL_REVIEW: 0.6,
                S.REVIEW_COMPLETED: 1,
                S.WITHDRAWN: 0.5,
                S.AWAITING_CLARIFICATION: 0.25,
                S.AWAITING_FEE: 0.1,
            },
        )
    return _weighted(rng, {S.RESPONDED: 7.2, S.REVIEW_COMPLETED: 1.2, S.WITHDRAWN: 0.5, S.LAPSED: 0.4})


def _fits(status: Status, age: int) -> bool:
    """Whether a request `age` working days old can plausibly be in `status` today."""
    return {
        Status.NEW: 1 <= age <= 8,
        Status.IN_PROGRESS: 2 <= age <= 40,
        Status.AWAITING_CLARIFICATION: 3 <= age <= 50,
        Status.AWAITING_FEE: 3 <= age <= 50,
        Status.AWAITING_APPROVAL: 8 <= age <= 35,
        Status.RESPONDED: age >= 8,
        Status.WITHDRAWN: age >= 3,
        Status.LAPSED: age >= 85,  # three months (or 60 working days) after the last step, which comes a few days in
        Status.INTERNAL_REVIEW: 25 <= age <= 80,
        Status.REVIEW_COMPLETED: age >= 50,
    }[status]


def _pick_outcome(rng: random.Random, spec: _Spec) -> Outcome:
    weights = {
        Outcome.GRANTED_IN_FULL: 38,
        Outcome.GRANTED_IN_PART: 20,
        Outcome.REFUSED_IN_FULL: 7,
        Outcome.NOT_HELD: 13,
        Outcome.REFUSED_COST: 8,
        Outcome.REFUSED_VEXATIOUS: 1.5,
        Outcome.REFUSED_REPEATED: 1.5,
        Outcome.NEITHER_CONFIRM_NOR_DENY: 4 if spec.theme.ncnd else 0,
        Outcome.ADVICE_AND_ASSISTANCE: 6,
    }
    if spec.regime.rules.environmental:
        for outcome in _NOT_UNDER_EIR:
            weights[outcome] = 0
        weights[Outcome.REFUSED_IN_FULL] = 12  # includes reg. 12(4)(b), the EIR's answer to burdensome requests
    if spec.status in (Status.INTERNAL_REVIEW, Status.REVIEW_COMPLETED):
        # people ask for reviews of refusals far more than of full disclosures
        factors = {
            Outcome.GRANTED_IN_FULL: 0.05,
            Outcome.GRANTED_IN_PART: 1.5,
            Outcome.REFUSED_IN_FULL: 3,
            Outcome.NOT_HELD: 1,
            Outcome.REFUSED_COST: 2,
            Outcome.REFUSED_VEXATIOUS: 4,
            Outcome.REFUSED_REPEATED: 2,
            Outcome.NEITHER_CONFIRM_NOR_DENY: 3,
            Outcome.ADVICE_AND_ASSISTANCE: 0.5,
        }
        weights = {outcome: weight * factors[outcome] for outcome, weight in weights.items()}
    return _weighted(rng, weights)


def _pick_codes(rng: random.Random, spec: _Spec) -> list[str]:
    outcome = spec.outcome
    if outcome is Outcome.NEITHER_CONFIRM_NOR_DENY:
        categories = [c for c in spec.theme.sensitive if c in ("law", "personal", "security")] or ["personal"]
        return corpus.codes_for(categories[:1], spec.regime, rng)
    if outcome is Outcome.REFUSED_IN_FULL and spec.regime.rules.environmental and rng.random() < 0.35:
        return [_MANIFESTLY_UNREASONABLE[spec.regime]]
    if outcome in (Outcome.GRANTED_IN_PART, Outcome.REFUSED_IN_FULL):
        return corpus.codes_for(spec.theme.sensitive or ("personal",), spec.regime, rng)
    return []


def _minimum(count: int, large: int, medium: int) -> int:
    return large if count >= 150 else medium if count >= 40 else 1 if count >= 15 else 0


def _top_up_statuses(rng: random.Random, specs: list[_Spec]) -> None:
    """Makes sure every status appears a few times, by re-purposing requests of a fitting age from
    the statuses that have plenty (answered ones first)."""
    need = _minimum(len(specs), 4, 2)
    for status in Status:
        counts = Counter(s.status for s in specs)
        donors = {other for other in Status if other is not status and counts[other] > 2 * need + 1}
        candidates = [s for s in specs if s.status in donors and _fits(status, s.age)]
        rng.shuffle(candidates)
        candidates.sort(key=lambda s: s.status is Status.RESPONDED)  # pop() takes responded ones first
        have = counts[status]
        while have < need and candidates:
            spec = candidates.pop()
            if counts[spec.status] <= 2 * need:
                continue
            counts[spec.status] -= 1
            spec.status = status
            have += 1


def _top_up_clock(rng: random.Random, specs: list[_Spec]) -> None:
    """A handful of open requests overdue, and a couple falling due this week."""
    open_plain = [s for s in specs if s.status in (Status.NEW, Status.IN_PROGRESS, Status.AWAITING_APPROVAL) and s.plain]
    overdue = [s for s in open_plain if s.age > 30]
    want_overdue = _minimum(len(specs), 4, 2)
    candidates = [s for s in specs if s.status is Status.RESPONDED and 31 <= s.age <= 40]
    rng.shuffle(candidates)
    while len(overdue) < want_overdue and candidates:
        spec = candidates.pop()
        spec.status, spec.plain = Status.IN_PROGRESS, True
        overdue.append(spec)
    due_soon = [s for s in open_plain if s.status is Status.IN_PROGRESS and 15 <= s.age <= 19]
    want_soon = _minimum(len(specs), 3, 1)
    candidates = [
        s
        for s in specs
        if 15 <= s.age <= 19 and s not in due_soon and (s.status is Status.RESPONDED or (s.status is Status.IN_PROGRESS and not s.plain))
    ]
    rng.shuffle(candidates)
    while len(due_soon) < want_soon and candidates:
        spec = candidates.pop()
        spec.status, spec.plain = Status.IN_PROGRESS, True
        due_soon.append(spec)


def _top_up_outcomes(rng: random.Random, specs: list[_Spec]) -> None:
    need = _minimum(len(specs), 3, 1)
    answered = [s for s in specs if s.status in _RESPONDED_PATH]
    for outcome in Outcome:
        have = sum(1 for s in answered if s.outcome is outcome)
        candidates = [
            s for s in answered if s.outcome is Outcome.GRANTED_IN_FULL and not (outcome in _NOT_UNDER_EIR and s.regime.rules.environmental)
        ]
        rng.shuffle(candidates)
        if outcome is Outcome.NEITHER_CONFIRM_NOR_DENY:
            # it makes most sense on a sensitive topic: take those first (pop() takes from the end)
            candidates.sort(key=lambda s: s.theme.ncnd)
        while have < need and candidates:
            spec = candidates.pop()
            spec.outcome = outcome
            spec.codes = _pick_codes(rng, spec)
            have += 1


def _top_up_reviews_and_extensions(rng: random.Random, specs: list[_Spec]) -> None:
    """Every review outcome, and a few EIR reg. 7 extensions, whatever the dice said."""
    completed = [s for s in specs if s.status is Status.REVIEW_COMPLETED]
    for spec in completed:
        spec.review = _weighted(rng, {ReviewOutcome.UPHELD: 60, ReviewOutcome.PARTLY_OVERTURNED: 22, ReviewOutcome.OVERTURNED: 18})
    need = _minimum(len(specs), 2, 1)
    for review in ReviewOutcome:
        have = sum(1 for s in completed if s.review is review)
        candidates = [s for s in completed if s.review is ReviewOutcome.UPHELD]
        rng.shuffle(candidates)
        while have < need and candidates:
            candidates.pop().review = review
            have += 1
    eir_answered = [
        s for s in specs if _extension(s.regime) is ExtensionKind.COMPLEX_AND_VOLUMINOUS and s.status in _RESPONDED_PATH and s.age > 45
    ]
    for spec in rng.sample(eir_answered, min(len(eir_answered), _minimum(len(specs), 3, 1))):
        spec.eir_extension = True


# ---------------------------------------------------------------------------------------------
# Writing each request's history
# ---------------------------------------------------------------------------------------------


class _History:
    """Appends actions in order; dates never go backwards, never past the last working day up to today."""

    def __init__(self, first: date, limit: date) -> None:
        self.limit = limit
        self.last = first
        self.actions: list[DemoAction] = []

    def add(self, day: date, action: Action, actor: DemoUser, params: dict[str, Any] | None = None, note: str | None = None) -> date:
        day = min(max(day, self.last), self.limit)
        self.actions.append(DemoAction(action.value, day, actor.email, dict(params or {}), note))
        self.last = day
        return day


class _Writer:
    def __init__(
        self,
        rng: random.Random,
        cal: WorkingDays,
        spec: _Spec,
        today: date,
        ctx: dict[str, str],
        requester: corpus.Requester,
        assignee: DemoUser,
    ) -> None:
        self.rng = rng
        self.cal = cal
        self.spec = spec
        self.ctx = ctx
        self.requester = requester
        self.assignee = assignee
        self.limit = self.cal.last(today)
        self.first = self.cal.next(spec.received)
        self.h = _History(self.first, self.limit)
        self.theme = spec.theme

    # -- small helpers -------------------------------------------------------------------------
    def text(self, template: str | None, **extra: str) -> str | None:
        if template is None:
            return None
        values = {
            **self.ctx,
            "holder": self.theme.holder,
            "assignee": self.assignee.name.split()[0],
            "manager": MANAGER.name.split()[0],
            **extra,
        }
        return template.format_map(values)

    def pick(self, options: Sequence[str | None]) -> str | None:
        return self.text(self.rng.choice(options))

    def note(self, day: date, options: Sequence[str], actor: DemoUser | None = None, **extra: str) -> date:
        return self.h.add(day, Action.NOTE, actor or self.assignee, {}, self.text(self.rng.choice(options), **extra))

    # -- common steps --------------------------------------------------------------------------
    def open_case(self, start: bool = True) -> date:
        rng = self.rng
        assigner = _weighted(rng, {MANAGER: 6, ADMIN: 2, self.assignee: 2})
        day = self.h.add(
            self.cal.after(self.first, rng.choice((0, 0, 1, 1, 2))),
            Action.ASSIGN,
            assigner,
            {"assignee": self.assignee.email},
            self.pick(corpus.ASSIGN_NOTES),
        )
        if not start:
            return day
        if rng.random() < 0.5:
            day = self.h.add(
                self.cal.after(day, rng.choice((0, 0, 1, 2))),
                Action.START,
                self.assignee,
                {},
                self.pick(corpus.START_NOTES),
            )
        else:
            day = self.h.add(self.cal.after(day, rng.choice((0, 1))), Action.START, self.assignee)
            if rng.random() < 0.6:
                day = self.note(self.cal.after(day, rng.randint(0, 2)), corpus.START_NOTES)
        return day

    def ask_clarification(self, day: date) -> date:
        return self.h.add(
            self.cal.after(day, self.rng.randint(0, 4)),
            Action.REQUEST_CLARIFICATION,
            self.assignee,
            {},
            self.pick(corpus.CLARIFY_REQUEST_NOTES),
        )

    def clarification_cycle(self, day: date) -> date:
        day = self.ask_clarification(day)
        return self.h.add(
            self.cal.after(day, self.rng.randint(2, 15)),
            Action.RECEIVE_CLARIFICATION,
            self.assignee,
            {},
            self.pick(corpus.CLARIFY_RECEIVED_NOTES),
        )

    def fee_notice(self, day: date) -> tuple[date, str]:
        fee = f"{self.rng.choice((4, 7, 12, 18, 25, 31, 46)) + self.rng.choice((0.0, 0.5, 0.2, 0.8)):.2f}"
        pages = str(self.rng.randint(40, 400))
        note = self.text(corpus.FEE_NOTICE_NOTES[self.spec.regime], fee=fee, pages=pages)
        return self.h.add(self.cal.after(day, self.rng.randint(1, 6)), Action.ISSUE_FEE_NOTICE, self.assignee, {}, note), fee

    def extension(self, day: date, provision: str | None = None) -> date | None:
        """A PIT (FOIA) or reg. 7 (EIR, EISR) extension; None under FOISA, which has neither."""
        if _extension(self.spec.regime) is ExtensionKind.PUBLIC_INTEREST:
            days = self.rng.choice((10, 20, 20))
            note = self.text(self.rng.choice(corpus.PIT_NOTES), provision=provision or "s.43", days=str(days))
            self.h.add(day, Action.EXTEND_PIT, self.assignee, {"working_days": days}, note)
            return day
        if _extension(self.spec.regime) is ExtensionKind.COMPLEX_AND_VOLUMINOUS:
            self.h.add(day, Action.EXTEND_EIR, self.assignee, {}, self.pick(corpus.EIR_EXTENSION_NOTES))
            return day
        return None

    def chase_notes(self, start: date, end: date, count: int) -> None:
        start = self.cal.after(start, 3)  # nobody chases on the day they asked
        days = sorted(self.cal.pick(self.rng, start, end) for _ in range(count) if start <= end)
        for day in days:
            self.note(day, corpus.CHASE_NOTES)

    # -- one writer per final status -----------------------------------------------------------
    def write(self) -> list[DemoAction]:
        status = self.spec.status
        if self.first > self.limit:  # received after the last working day up to today: nothing can have happened
            return []
        if status is Status.NEW:
            self.new()
        elif status is Status.IN_PROGRESS:
            self.in_progress()
        elif status is Status.AWAITING_CLARIFICATION:
            day = self.open_case()
            day = self.ask_clarification(day)
            if self.spec.age > 25:
                self.note(
                    self.cal.after(day, self.rng.randint(10, 15)),
                    ("Reminder sent to the requester about our request for clarification.",),
                )
        elif status is Status.AWAITING_FEE:
            day = self.open_case()
            self.fee_notice(day)
        elif status is Status.AWAITING_APPROVAL:
            self.awaiting_approval()
        elif status is Status.WITHDRAWN:
            self.withdrawn()
        elif status is Status.LAPSED:
            self.lapsed()
        else:
            self.answered()
        return self.h.actions

    def new(self) -> None:
        rng = self.rng
        if self.spec.age > 20:  # fell through the cracks: nobody started it
            day = self.open_case(start=False)
            self.note(
                self.cal.after(day, rng.randint(3, 8)),
                (
                    "Not started: waiting for {holder} to confirm who owns this.",
                    "Still to be picked up; flagged at the team meeting.",
                ),
                actor=MANAGER,
            )
            return
        if self.spec.age >= 1 and rng.random() < 0.5:
            self.open_case(start=False)
        elif rng.random() < 0.4:
            self.note(self.first, corpus.NEW_NOTES, actor=ADMIN)

    def in_progress(self) -> None:
        rng, spec = self.rng, self.spec
        day = self.open_case()
        clock = spec.received
        if not spec.plain and spec.age >= 10 and rng.random() < 0.3:
            day = clock = self.clarification_cycle(day)
        elif not spec.plain and spec.age >= 15 and spec.regime.rules.extension is not None:
            provision = corpus.short_provision(corpus.codes_for(spec.theme.sensitive or ("personal",), spec.regime, rng)[0])
            day = self.extension(max(day, self.cal.after(clock, rng.randint(12, 19))), provision) or day
        if spec.age > 6:
            self.chase_notes(day, self.limit, min(3, spec.age // 8))
        if spec.age > 22 and spec.plain:
            self.note(
                self.cal.before(self.limit, rng.randint(0, 3)),
                corpus.OVERDUE_NOTES,
                actor=rng.choice((self.assignee, MANAGER)),
            )

    def awaiting_approval(self) -> None:
        rng, spec = self.rng, self.spec
        day = self.open_case()
        if spec.age > 8:
            self.chase_notes(day, self.cal.before(self.limit, 2), 1)
        if not spec.plain and _extension(spec.regime) is ExtensionKind.PUBLIC_INTEREST and spec.age >= 16:
            day = self.extension(max(self.h.last, self.cal.after(spec.received, rng.randint(12, 16))), "s.43") or day
        day = self.cal.before(self.limit, rng.randint(0, 4))
        kind = rng.choice(("refusal", "redacted", "other"))
        self.h.add(day, Action.SUBMIT_FOR_APPROVAL, self.assignee, self.draft(kind), self.pick(corpus.SUBMIT_NOTES[kind]))

    def draft(self, kind: str) -> dict[str, Any]:
        """The draft a manager is asked to approve. Its own random stream, so the rest of the demo
        comes out as it always has."""
        spec = self.spec
        local = random.Random(f"draft-{spec.received_at.isoformat()}-{spec.theme.holder}")
        if kind == "refusal":
            outcome = Outcome.REFUSED_IN_FULL
        elif kind == "redacted":
            outcome = Outcome.GRANTED_IN_PART
        else:
            outcome = Outcome.GRANTED_IN_FULL
        codes = corpus.codes_for(spec.theme.sensitive or ("personal",), spec.regime, local) if outcome in _WITHHOLDING else []
        response = corpus.render_response(local, self.theme, spec.regime, outcome, codes, self.ctx, self.requester.first, spec.received)
        return {"outcome": outcome.value, "exemptions": codes, "response": response}

    def withdrawn(self) -> None:
        rng = self.rng
        if rng.random() < 0.2:
            day = self.open_case(start=False)
        else:
            day = self.open_case()
            if rng.random() < 0.45:
                day = self.ask_clarification(day)
        self.h.add(
            self.cal.after(day, rng.randint(1, 15)),
            Action.WITHDRAW,
            self.assignee,
            {},
            self.pick(corpus.WITHDRAW_NOTES),
        )

    def lapsed(self) -> None:
        rng = self.rng
        day = self.open_case()
        if rng.random() < 0.7:
            since = self.ask_clarification(day)
            kind = "clarification"
            self.note(
                self.cal.after(since, rng.randint(10, 20)),
                ("Reminder sent to the requester about our request for clarification.",),
            )
        else:
            since, _ = self.fee_notice(day)
            kind = "fee"
        note = self.text(corpus.LAPSE_NOTES[kind], since=f"{since.day} {corpus.MONTHS[since.month - 1]} {since.year}")
        # never before the date the request's page gives (the deadline engine's, on the regime's calendar)
        lawful = lapse_date(
            self.spec.regime,
            AWAITING_FEE if kind == "fee" else AWAITING_CLARIFICATION,
            since,
            build_calendar(calendar_kind_for(self.spec.regime)),
        )
        self.h.add(max(self.cal.after(since, rng.randint(63, 68)), self.cal.next(lawful)), Action.LAPSE, self.assignee, {}, note)

    def answered(self) -> None:
        rng, spec = self.rng, self.spec
        outcome = spec.outcome or Outcome.GRANTED_IN_FULL
        day = self.open_case()
        clock = spec.received
        if rng.random() < 0.12:
            day = clock = self.clarification_cycle(day)
        paused = 0
        if rng.random() < (0.08 if spec.regime.rules.environmental else 0.04):
            notice, fee = self.fee_notice(day)
            day = self.h.add(
                self.cal.after(notice, rng.randint(3, 12)),
                Action.RECEIVE_FEE,
                self.assignee,
                {},
                self.text(rng.choice(corpus.FEE_PAID_NOTES), fee=fee),
            )
            paused = self.cal.between(self.cal.before(notice, 1), day)

        qualified = [c for c in spec.codes if not (get_exemption(c).absolute or get_exemption(c).absolute_in_part) and c != "EIR-r13"]
        extend = None
        extension_kind = _extension(spec.regime)
        if extension_kind is ExtensionKind.PUBLIC_INTEREST and outcome in _WITHHOLDING and qualified and rng.random() < 0.45:
            extend = rng.choice((10, 20, 20))
        elif extension_kind is ExtensionKind.COMPLEX_AND_VOLUMINOUS and (spec.eir_extension or rng.random() < 0.15):
            extend = 20
        late = extend is None and rng.random() < 0.17
        if extend:
            taken = rng.randint(21, 20 + extend - 1)
        elif late:
            taken = rng.randint(22, 40)
        else:
            taken = min(19, int(rng.triangular(3, 20, 16)))
        respond_on = max(day, self.cal.after(clock, taken + paused))

        # the work between the start and the response, sorted by date: notes are legal anywhere, an
        # extension before or during approval, approval before the response
        middle: list[tuple[date, int, Action, DemoUser, dict[str, Any], str | None]] = []
        draft: dict[str, Any] = {}  # what goes for approval is what is sent: filled in once the response is written
        refusal = outcome in (
            Outcome.REFUSED_IN_FULL,
            Outcome.REFUSED_VEXATIOUS,
            Outcome.REFUSED_REPEATED,
            Outcome.NEITHER_CONFIRM_NOR_DENY,
            Outcome.REFUSED_COST,
        )
        approval = 0.85 if refusal else 0.5 if outcome is Outcome.GRANTED_IN_PART else 0.12
        work_done = respond_on  # chasing and checking happen before the draft goes for approval
        if rng.random() < approval:
            submit = max(day, self.cal.before(respond_on, rng.randint(1, 4)))
            approve = min(respond_on, self.cal.after(submit, rng.randint(0, 2)))
            kind = "refusal" if refusal else "redacted" if outcome is Outcome.GRANTED_IN_PART else "other"
            middle.append((submit, 2, Action.SUBMIT_FOR_APPROVAL, self.assignee, draft, self.pick(corpus.SUBMIT_NOTES[kind])))
            middle.append((approve, 3, Action.APPROVE, MANAGER, {}, self.pick(corpus.APPROVE_NOTES)))
            work_done = submit
        chase_from, chase_to = self.cal.after(day, 3), self.cal.before(work_done, 1)
        if chase_from <= chase_to:
            span = self.cal.between(chase_from, chase_to)
            for _ in range(min(3, span // 5) if not late else rng.randint(2, 3)):
                middle.append(
                    (
                        self.cal.pick(rng, chase_from, chase_to),
                        0,
                        Action.NOTE,
                        self.assignee,
                        {},
                        self.pick(corpus.CHASE_NOTES),
                    )
                )
        if spec.codes and rng.random() < 0.5:
            note = self.text(
                rng.choice(corpus.EXEMPTION_NOTES),
                provision=corpus.short_provision(spec.codes[0]),
                supplier=self.ctx["supplier"],
            )
            middle.append((max(day, self.cal.before(work_done, rng.randint(0, 3))), 0, Action.NOTE, self.assignee, {}, note))
        if late:
            middle.append(
                (
                    max(day, self.cal.before(work_done, rng.randint(0, 2))),
                    0,
                    Action.NOTE,
                    self.assignee,
                    {},
                    self.pick(corpus.LATE_NOTES),
                )
            )
        if extend:
            on = max(day, self.cal.after(clock, paused + rng.randint(12, 19)))
            if extension_kind is ExtensionKind.PUBLIC_INTEREST:
                note = self.text(rng.choice(corpus.PIT_NOTES), provision=corpus.short_provision(qualified[0]), days=str(extend))
                middle.append((on, 1, Action.EXTEND_PIT, self.assignee, {"working_days": extend}, note))
            else:
                middle.append((on, 1, Action.EXTEND_EIR, self.assignee, {}, self.pick(corpus.EIR_EXTENSION_NOTES)))
        response = corpus.render_response(rng, self.theme, spec.regime, outcome, spec.codes, self.ctx, self.requester.first, spec.received)
        draft.update(outcome=outcome.value, exemptions=list(spec.codes), response=response)
        for on, _, action, actor, params, note in sorted(middle, key=lambda item: (item[0], item[1])):
            self.h.add(on, action, actor, params, note)

        how = (
            "post"
            if self.requester.email is None
            else "email_data"
            if outcome in (Outcome.GRANTED_IN_FULL, Outcome.GRANTED_IN_PART)
            else "email"
        )
        responded = self.h.add(
            respond_on,
            Action.RESPOND,
            self.assignee,
            {"outcome": outcome.value, "exemptions": list(spec.codes), "response": response},
            self.pick(corpus.RESPOND_NOTES[how]),
        )
        if spec.status is Status.RESPONDED:
            return
        kind = (
            "withheld"
            if outcome in _WITHHOLDING
            else "not_held"
            if outcome is Outcome.NOT_HELD
            else "cost"
            if outcome is Outcome.REFUSED_COST
            else "other"
        )
        provision = corpus.short_provision(spec.codes[0]) if spec.codes else ""
        asked_note = self.text(rng.choice(corpus.REVIEW_REQUEST_NOTES[kind]), provision=provision)
        if spec.status is Status.INTERNAL_REVIEW:
            asked = min(
                max(self.cal.after(responded, 2), self.cal.before(self.limit, rng.randint(0, 15))),
                self.cal.after(responded, 38),
            )
            self.h.add(asked, Action.REQUEST_INTERNAL_REVIEW, self.assignee, {}, asked_note)
            return
        asked = self.h.add(self.cal.after(responded, rng.randint(3, 30)), Action.REQUEST_INTERNAL_REVIEW, self.assignee, {}, asked_note)
        review = spec.review or ReviewOutcome.UPHELD
        took = rng.randint(22, 35) if rng.random() < 0.1 else rng.randint(6, 19)
        self.h.add(
            self.cal.after(asked, took),
            Action.COMPLETE_INTERNAL_REVIEW,
            MANAGER,
            {"review_outcome": review.value},
            self.pick(corpus.REVIEW_DONE_NOTES[review.value]),
        )


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


def _received_at(rng: random.Random, day: date, channel: str) -> datetime:
    if channel == "web":
        minute = rng.randint(7 * 60, 23 * 60 + 30)
    else:
        minute = rng.randint(8 * 60 + 30, 17 * 60 + 30)
    return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=TZ)


def _channel(rng: random.Random, day: date, regime: Regime, cal: WorkingDays) -> str:
    if not cal.is_working(day):
        return "web"  # only the web form takes requests at weekends and on bank holidays
    if regime.rules.environmental:  # EIR and EISR requests need not be in writing
        return _weighted(rng, {"email": 40, "web": 38, "post": 12, "phone": 7, "in_person": 3})
    return _weighted(rng, {"email": 47, "web": 40, "post": 13})


def _themes(environmental: bool) -> list[Theme]:
    return [theme for theme in corpus.THEMES if theme.environmental is environmental]


def build_demo_authority(today: date, count: int = 300, seed: int = 2026) -> DemoAuthority:
    """The demo authority as of `today`: `count` requests received over the previous 18 months."""
    rng = random.Random(f"{seed}:{today.isoformat()}:{count}")
    start = window_start(today)
    cal = WorkingDays(start.year, today.year + 1)
    span_days = (today - start).days - 1  # received strictly after `start`, at latest yesterday

    regimes = [_weighted(rng, {Regime.FOIA: 75, Regime.EIR: 20, Regime.FOISA: 4, Regime.EISR: 1}) for _ in range(count)]
    if count >= 15:
        for index, regime in enumerate(corpus.DEMO_REGIMES):
            if regime not in regimes:
                regimes[index] = regime
    environmental, general = _themes(True), _themes(False)

    specs: list[_Spec] = []
    for regime in regimes:
        age_days = rng.randint(1, 45) if rng.random() < 0.15 else rng.randint(1, span_days)
        received = today - timedelta(days=min(age_days, span_days))
        if received.weekday() >= 5 and rng.random() < 0.75:
            # fewer requests arrive at weekends: move most to the Friday before or the Monday after
            friday = received - timedelta(days=received.weekday() - 4)
            monday = friday + timedelta(days=3)
            received = friday if friday > start and (monday >= today or rng.random() < 0.5) else monday
        theme = rng.choice(environmental if regime.rules.environmental else general)
        channel = _channel(rng, received, regime, cal)
        spec = _Spec(_received_at(rng, received, channel), regime, theme, channel, cal.between(received, today))
        spec.status = _status_for_age(rng, spec.age)
        spec.plain = rng.random() < 0.7
        specs.append(spec)
    specs.sort(key=lambda s: s.received_at)

    _top_up_statuses(rng, specs)
    _top_up_clock(rng, specs)
    for spec in specs:
        if spec.status in _RESPONDED_PATH:
            spec.outcome = _pick_outcome(rng, spec)
            spec.codes = _pick_codes(rng, spec)
    _top_up_outcomes(rng, specs)
    _top_up_reviews_and_extensions(rng, specs)

    requests: list[DemoRequest] = []
    for spec in specs:
        ctx = corpus.make_context(rng, spec.received, spec.theme)
        requester = corpus.make_requester(rng, spec.theme, spec.regime, spec.channel)
        title, body = corpus.render_request(rng, spec.theme, spec.regime, ctx, requester)
        lead = _LEAD_OFFICER[spec.theme.department]
        assignee = lead if rng.random() < 0.8 else (OFFICER_2 if lead is OFFICER else OFFICER)
        created_by = _weighted(rng, {OFFICER: 4, OFFICER_2: 3, ADMIN: 2})
        actions = _Writer(rng, cal, spec, today, ctx, requester, assignee).write()
        request = DemoRequest(
            regime=spec.regime.value,
            title=title,
            body=body,
            received_at=spec.received_at,
            channel=spec.channel,
            department=spec.theme.department,
            requester_name=requester.name,
            requester_email=requester.email,
            requester_address=requester.address,
            created_by=created_by.email,
            actions=tuple(actions),
        )
        _check(request, spec.status, today, cal)
        requests.append(request)
    return DemoAuthority(DEMO_DEPARTMENTS, DEMO_USERS, tuple(requests))
