"""How a request is counted in the statistics managers are asked for (docs/uk-foi-rules.md, "Statistics").

Pure Python: the reports service asks the database for the same classification in aggregate SQL,
and the tests check both against each other. The terms are the Cabinet Office's (quarterly FOI
statistics for central government) and the s.45 Code's:

- In time: answered by the 20-working-day deadline ("within 20 working days"), or later but within
  a permitted extension (a FOIA s.10(3) public interest extension or an EIR reg 7 extension)
  notified before the deadline it extended ("within a permitted extension"). Anything else is late,
  including an answer within an extension that was notified after the deadline had passed.
- Initial outcomes: granted in full; withheld in part; withheld in full; not yet processed (the four
  "resolvable" categories); information not held; advice and assistance given; lapsed or withdrawn.
- Withheld, by reason: each exemption or exception counted separately (a request relying on two
  counts under both); procedural refusals (s.12 cost limit, s.14 vexatious or repeated, a fee not
  paid) reported apart.
- Ageing of overdue work in working days past the due date: 1–5, 6–20, 21–40, over 40.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.deadlines import WorkingCalendar
from app.domain.errors import InvalidInput
from app.domain.lifecycle import OPEN_STATUSES, Status
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.regimes import ExtensionKind, Regime, calendars_in_words, names_in_words

# ----------------------------------------------------------------------------- in time or late


class Timeliness(StrEnum):
    IN_TIME = "in_time"
    IN_TIME_EXTENDED = "in_time_extended"
    LATE = "late"

    @property
    def label(self) -> str:
        return _TIMELINESS_LABELS[self]


_TIMELINESS_LABELS = {
    Timeliness.IN_TIME: "Within 20 working days",
    Timeliness.IN_TIME_EXTENDED: "Within a permitted extension",
    Timeliness.LATE: "Late",
}


def classify_response(
    responded_on: date,
    base_due_on: date | None,
    due_on: date | None,
    extension_late: bool,
) -> Timeliness | None:
    """How an answer counts, from the initial stage's due dates.

    `base_due_on` is the 20-working-day deadline (pauses for a fee and a clarification's fresh start
    included, extensions not); `due_on` the deadline with extensions; `extension_late` whether an
    extension was notified after the deadline it extended. None when no due date is known (an
    imported request without one): such an answer is neither in time nor late.
    """
    base = base_due_on or due_on
    if base is None:
        return None
    if responded_on <= base:
        return Timeliness.IN_TIME
    extended = due_on is not None and due_on > base
    if extended and not extension_late and responded_on <= due_on:  # type: ignore[operator]
        return Timeliness.IN_TIME_EXTENDED
    return Timeliness.LATE


def review_in_time(completed_on: date | None, review_due_on: date | None) -> bool | None:
    """An internal review completed by its due date (20 working days; 40 under EIR reg 11(4))."""
    if completed_on is None or review_due_on is None:
        return None
    return completed_on <= review_due_on


@dataclass(frozen=True, slots=True)
class TimelinessFacts:
    """What a request's page says about how its answers were timed, by the reports' own rules:
    the answer judged against the initial stage's deadlines (never the internal review's), an
    extension notified late not counted."""

    responded_on: date | None
    response: Timeliness | None
    review_completed_on: date | None
    review_in_time: bool | None

    @property
    def response_words(self) -> str | None:
        """ "within 20 working days", "within a permitted extension", "late"; None when unknown."""
        return self.response.label.lower() if self.response else None

    @property
    def review_words(self) -> str | None:
        return None if self.review_in_time is None else "in time" if self.review_in_time else "late"


def timeliness_facts(
    *,
    responded_on: date | None,
    response_base_due_on: date | None,
    response_due_on: date | None,
    extension_late: bool,
    review_completed_on: date | None,
    review_due_on: date | None,
) -> TimelinessFacts:
    response = classify_response(responded_on, response_base_due_on, response_due_on, extension_late) if responded_on else None
    return TimelinessFacts(responded_on, response, review_completed_on, review_in_time(review_completed_on, review_due_on))


# ----------------------------------------------------------------------------- initial outcomes


class InitialOutcome(StrEnum):
    """The Cabinet Office's categories for how a request was first answered."""

    GRANTED_IN_FULL = "granted_in_full"
    WITHHELD_IN_PART = "withheld_in_part"
    WITHHELD_IN_FULL = "withheld_in_full"
    NOT_YET_PROCESSED = "not_yet_processed"
    NOT_HELD = "not_held"
    ADVICE_AND_ASSISTANCE = "advice_and_assistance"
    LAPSED_OR_WITHDRAWN = "lapsed_or_withdrawn"

    @property
    def label(self) -> str:
        return _INITIAL_OUTCOME_LABELS[self]

    @property
    def resolvable(self) -> bool:
        return self in RESOLVABLE


_INITIAL_OUTCOME_LABELS = {
    InitialOutcome.GRANTED_IN_FULL: "Granted in full",
    InitialOutcome.WITHHELD_IN_PART: "Withheld in part",
    InitialOutcome.WITHHELD_IN_FULL: "Withheld in full",
    InitialOutcome.NOT_YET_PROCESSED: "Not yet processed",
    InitialOutcome.NOT_HELD: "Information not held",
    InitialOutcome.ADVICE_AND_ASSISTANCE: "Advice and assistance given",
    InitialOutcome.LAPSED_OR_WITHDRAWN: "Lapsed or withdrawn",
}

RESOLVABLE = frozenset(
    {
        InitialOutcome.GRANTED_IN_FULL,
        InitialOutcome.WITHHELD_IN_PART,
        InitialOutcome.WITHHELD_IN_FULL,
        InitialOutcome.NOT_YET_PROCESSED,
    }
)

# A refusal under s.12 or s.14 and a neither-confirm-nor-deny answer withhold everything asked for.
OUTCOME_CATEGORY: dict[Outcome, InitialOutcome] = {
    Outcome.GRANTED_IN_FULL: InitialOutcome.GRANTED_IN_FULL,
    Outcome.GRANTED_IN_PART: InitialOutcome.WITHHELD_IN_PART,
    Outcome.REFUSED_IN_FULL: InitialOutcome.WITHHELD_IN_FULL,
    Outcome.NEITHER_CONFIRM_NOR_DENY: InitialOutcome.WITHHELD_IN_FULL,
    Outcome.REFUSED_COST: InitialOutcome.WITHHELD_IN_FULL,
    Outcome.REFUSED_VEXATIOUS: InitialOutcome.WITHHELD_IN_FULL,
    Outcome.REFUSED_REPEATED: InitialOutcome.WITHHELD_IN_FULL,
    Outcome.NOT_HELD: InitialOutcome.NOT_HELD,
    Outcome.ADVICE_AND_ASSISTANCE: InitialOutcome.ADVICE_AND_ASSISTANCE,
}

ENDED_UNANSWERED = frozenset({Status.WITHDRAWN, Status.LAPSED})


def initial_outcome(status: Status | str, outcome: Outcome | str | None) -> InitialOutcome:
    """The category of a request from its status and its (initial) outcome.

    An internal review changes nothing here: the initial outcome is kept on the request.
    """
    status = Status(status)
    if status in ENDED_UNANSWERED:
        return InitialOutcome.LAPSED_OR_WITHDRAWN
    if outcome is None or outcome == "":
        return InitialOutcome.NOT_YET_PROCESSED
    return OUTCOME_CATEGORY[Outcome(outcome)]


def is_unanswered_open(status: Status | str) -> bool:
    """Open and not yet answered (an internal review is open, but its request was answered)."""
    status = Status(status)
    return status in OPEN_STATUSES and status is not Status.INTERNAL_REVIEW


# ----------------------------------------------------------------------------- withheld, by reason


class ProceduralReason(StrEnum):
    """Refusals that rest on how the request was made, reported apart from exemptions."""

    COST_LIMIT = "s12_cost_limit"
    VEXATIOUS = "s14_vexatious"
    REPEATED = "s14_repeated"
    FEE_NOT_PAID = "fee_not_paid"

    @property
    def label(self) -> str:
        return _PROCEDURAL_LABELS[self]


_PROCEDURAL_LABELS = {
    ProceduralReason.COST_LIMIT: "Cost limit (s.12)",
    ProceduralReason.VEXATIOUS: "Vexatious (s.14(1))",
    ProceduralReason.REPEATED: "Repeated (s.14(2))",
    ProceduralReason.FEE_NOT_PAID: "Fee not paid (lapsed)",
}

PROCEDURAL_OUTCOMES: dict[Outcome, ProceduralReason] = {
    Outcome.REFUSED_COST: ProceduralReason.COST_LIMIT,
    Outcome.REFUSED_VEXATIOUS: ProceduralReason.VEXATIOUS,
    Outcome.REFUSED_REPEATED: ProceduralReason.REPEATED,
}


def procedural_reason(status: Status | str, outcome: Outcome | str | None, lapsed_awaiting_fee: bool = False) -> ProceduralReason | None:
    """The procedural refusal a request counts under, if any. A request that lapsed while its fee
    was outstanding counts as "fee not paid"."""
    if Status(status) is Status.LAPSED:
        return ProceduralReason.FEE_NOT_PAID if lapsed_awaiting_fee else None
    if outcome:
        return PROCEDURAL_OUTCOMES.get(Outcome(outcome))
    return None


# ----------------------------------------------------------------------------- ageing, due soon


@dataclass(frozen=True, slots=True)
class AgeingBucket:
    key: str
    label: str
    low: int  # working days overdue, inclusive
    high: int | None  # inclusive; None for "over"


AGEING_BUCKETS: tuple[AgeingBucket, ...] = (
    AgeingBucket("1-5", "1 to 5 working days", 1, 5),
    AgeingBucket("6-20", "6 to 20 working days", 6, 20),
    AgeingBucket("21-40", "21 to 40 working days", 21, 40),
    AgeingBucket("over-40", "Over 40 working days", 41, None),
)

DUE_SOON_WORKING_DAYS = 5


def working_days_overdue(due_on: date, as_of: date, calendar: WorkingCalendar) -> int:
    """Working days after the due date up to and including `as_of` (1 on the first working day
    after the due date). 0 on a weekend or holiday straight after the due date: already overdue,
    not yet by a working day."""
    return calendar.working_days_between(due_on, as_of)


def ageing_bucket(days_overdue: int) -> AgeingBucket:
    """The bucket of an overdue request; 0 working days (the weekend after the due date) falls in
    the first one."""
    for bucket in AGEING_BUCKETS:
        if bucket.high is None or days_overdue <= bucket.high:
            return bucket
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class DueWindow:
    """The due dates that put an open request in each group on `as_of`, for one calendar, so that a
    database can group a million requests by comparing dates rather than counting working days.

    - overdue: due_on < as_of
    - bucket_from[key]: the latest due date whose request is at least the bucket's low number of
      working days overdue (due_on <= that date), for every bucket but the first
    - due soon: as_of <= due_on < soon_before (0 to `soon_days` working days left)
    """

    as_of: date
    soon_before: date
    bucket_from: tuple[tuple[str, date], ...]  # (bucket key, latest due date), from the oldest bucket


def due_window(calendar: WorkingCalendar, as_of: date, soon_days: int = DUE_SOON_WORKING_DAYS) -> DueWindow:
    if soon_days < 0:
        raise InvalidInput("soon_days", "must be 0 or more")
    soon_before = calendar.add_working_days(as_of, soon_days + 1)
    bounds: list[tuple[str, date]] = []
    for bucket in reversed(AGEING_BUCKETS[1:]):
        bounds.append((bucket.key, latest_due_with_overdue(calendar, as_of, bucket.low)))
    return DueWindow(as_of, soon_before, tuple(bounds))


def latest_due_with_overdue(calendar: WorkingCalendar, as_of: date, days: int) -> date:
    """The latest due date that is at least `days` working days overdue on `as_of` (days >= 1):
    the day before the `days`-th most recent working day on or before `as_of`."""
    if days < 1:
        raise InvalidInput("days", "must be 1 or more")
    day, found = as_of, 0
    while True:
        if calendar.is_working_day(day):
            found += 1
            if found == days:
                return day - timedelta(days=1)
        day -= timedelta(days=1)


def bucket_for_due(window: DueWindow, due_on: date) -> AgeingBucket | None:
    """The ageing bucket of a request due on `due_on`, or None when it is not overdue."""
    if due_on >= window.as_of:
        return None
    for key, latest in window.bucket_from:
        if due_on <= latest:
            return next(b for b in AGEING_BUCKETS if b.key == key)
    return AGEING_BUCKETS[0]


# ----------------------------------------------------------------------------- periods


class Grouping(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    DEPARTMENT = "department"

    @property
    def label(self) -> str:
        return {"month": "Month", "quarter": "Quarter", "year": "Year", "department": "Department"}[self.value]

    @property
    def is_period(self) -> bool:
        return self is not Grouping.DEPARTMENT


def parse_grouping(value: str | None) -> Grouping:
    try:
        return Grouping((value or "").strip().lower())
    except ValueError:
        raise InvalidInput("group_by", "Select how to group the figures") from None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_key(day: date, grouping: Grouping) -> str:
    """ "2025-09" (month), "2025-Q3" (calendar quarter, as the Cabinet Office counts), "2025" (year)."""
    if grouping is Grouping.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if grouping is Grouping.QUARTER:
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if grouping is Grouping.YEAR:
        return f"{day.year:04d}"
    raise InvalidInput("group_by", "a department is not a period")


def period_label(key: str) -> str:
    """How a period key reads on a page: "Sep 2025", "Jul–Sep 2025", "2025"."""
    if "-Q" in key:
        year, quarter = key.split("-Q")
        first = (int(quarter) - 1) * 3
        return f"{_MONTHS[first]}–{_MONTHS[first + 2]} {year}"
    if "-" in key:
        year, month = key.split("-")
        return f"{_MONTHS[int(month) - 1]} {year}"
    return key


def period_bounds(key: str) -> tuple[date, date]:
    """The first and last day of a period key."""
    if "-Q" in key:
        year, quarter = (int(part) for part in key.split("-Q"))
        first = date(year, (quarter - 1) * 3 + 1, 1)
        last_month = first.month + 2
    elif "-" in key:
        year, month = (int(part) for part in key.split("-"))
        first, last_month = date(year, month, 1), month
    else:
        first, last_month = date(int(key), 1, 1), 12
    following = date(first.year + (last_month == 12), last_month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def periods_between(first: date, last: date, grouping: Grouping) -> list[str]:
    """Every period from the one holding `first` to the one holding `last`, empty ones too."""
    keys: list[str] = []
    day = first
    while day <= last:
        key = period_key(day, grouping)
        keys.append(key)
        day = period_bounds(key)[1] + timedelta(days=1)
    return keys


def quarter_of(day: date) -> tuple[date, date]:
    return period_bounds(period_key(day, Grouping.QUARTER))


def previous_quarter(day: date) -> tuple[date, date]:
    first, _ = quarter_of(day)
    return quarter_of(first - timedelta(days=1))


# ----------------------------------------------------------------------------- working days to respond


@dataclass(frozen=True, slots=True)
class DaysToRespond:
    count: int
    median: float | None
    mean: float | None
    longest: int | None


def days_to_respond(histogram: Mapping[int, int]) -> DaysToRespond:
    """Median, mean and longest working days taken, from {working days: number of answers}.

    The median of an even count is the mean of the two middle values (as `statistics.median`).
    """
    items = sorted((days, n) for days, n in histogram.items() if n)
    count = sum(n for _, n in items)
    if not count:
        return DaysToRespond(0, None, None, None)
    total = sum(days * n for days, n in items)

    def nth(position: int) -> int:  # 0-based position in the sorted answers
        seen = 0
        for days, n in items:
            seen += n
            if position < seen:
                return days
        raise AssertionError("unreachable")  # pragma: no cover

    middle = count // 2
    median = float(nth(middle)) if count % 2 else (nth(middle - 1) + nth(middle)) / 2
    return DaysToRespond(count, median, round(total / count, 1), items[-1][0])


def merge_histograms(histograms: Iterable[Mapping[int, int]]) -> dict[int, int]:
    merged: dict[int, int] = {}
    for histogram in histograms:
        for days, n in histogram.items():
            merged[days] = merged.get(days, 0) + n
    return merged


def rate(part: int, whole: int) -> float | None:
    """A percentage to one decimal place, or None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


# ----------------------------------------------------------------------------- definitions shown on the pages

REVIEW_OUTCOMES = tuple(ReviewOutcome)


def _extensions_in_words() -> str:
    """ "a public interest extension (FOIA s.10(3)) or a complex and voluminous extension (EIR reg 7,
    EISR reg 7)", from the regimes' declarations."""
    kinds = {
        ExtensionKind.PUBLIC_INTEREST: "a public interest extension",
        ExtensionKind.COMPLEX_AND_VOLUMINOUS: "a complex and voluminous extension",
    }
    parts = []
    for kind, words in kinds.items():
        laws = [regime.rules.extension.law for regime in Regime if regime.rules.extension and regime.rules.extension.kind is kind]
        if laws:
            parts.append(f"{words} ({', '.join(laws)})")
    return " or ".join(parts)


def _review_limits_in_words() -> str:
    by_days: dict[int, list[Regime]] = {}
    for regime in Regime:
        by_days.setdefault(regime.rules.review_working_days, []).append(regime)
    usual = max(by_days, key=lambda days: len(by_days[days]))
    others = "; ".join(f"{days} under {names_in_words(regimes)}" for days, regimes in by_days.items() if days != usual)
    return f"{usual} working days" + (f"; {others}" if others else "")


DEFINITIONS: tuple[tuple[str, str], ...] = (
    (
        "Counted by date of receipt",
        (
            "Every figure counts the requests received in the period (as the Cabinet Office's statistics do), "
            'whatever has happened to them since; "still open" is as of today.'
        ),
    ),
    (
        "Within 20 working days",
        (
            "Answered on or before the statutory deadline: the 20th working day after receipt, with days waiting "
            "for a fee left out and a fresh 20 days from a clarification "
            f"({', '.join(regime.rules.time_limit_law for regime in Regime)})."
        ),
    ),
    (
        "Within a permitted extension",
        (
            f"Answered after the 20th working day but by an extended deadline: {_extensions_in_words()}, notified "
            "before the deadline it extended. "
            f"{names_in_words(regime for regime in Regime if regime.rules.extension is None)} allows none."
        ),
    ),
    (
        "Late",
        ("Answered after the deadline, including answers within an extension that was notified only after the deadline had passed."),
    ),
    (
        "In-time rate",
        "Answered within 20 working days or within a permitted extension, as a share of the requests answered.",
    ),
    (
        "Initial outcomes",
        (
            "Granted in full; withheld in part; withheld in full (including neither confirm nor deny, and refusals "
            "under s.12 and s.14); not yet processed (still open); information not held; advice and assistance "
            "given; lapsed or withdrawn. The first four are the resolvable requests."
        ),
    ),
    (
        "Withheld, by reason",
        (
            "Each exemption or exception relied on is counted, so a request withholding under two counts twice. "
            "Procedural refusals (cost limit s.12, vexatious or repeated s.14, a fee not paid) are reported apart."
        ),
    ),
    (
        "Internal reviews",
        (
            f"Reviews of requests received in the period: received, completed by their due date ({_review_limits_in_words()}), "
            "and whether the original decision was upheld or overturned in full or in part."
        ),
    ),
    (
        "Working days to respond",
        "From the date of receipt (or of the clarification) to the answer, leaving out days waiting for a fee.",
    ),
    (
        "Overdue",
        (
            "Open, with the clock running, and past the due date of its current stage (the request, or its "
            "internal review). Requests waiting for a fee or a clarification have no due date and are never overdue."
        ),
    ),
    (
        "Due soon",
        f"Due today or within the next {DUE_SOON_WORKING_DAYS} working days.",
    ),
    (
        "Working days overdue",
        f"Counted on the calendar of the request's law: {calendars_in_words()}.",
    ),
)
