"""Timeliness and outcomes: requests received in a period, grouped by month, quarter, year or
department: how many were answered in time, late or not yet, how, why anything was withheld,
internal reviews, working days to respond.

Whole months (and whole years) are read from the rollup, which the report brings up to date first
(app.services.reports.rollup); the days at either edge of a period, and whatever depends on today
(open requests already past due), are counted live (app.services.reports.facets).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.dates import check_period
from app.domain.errors import InvalidInput
from app.domain.lifecycle import Status
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.timeliness import (
    OUTCOME_CATEGORY,
    PROCEDURAL_OUTCOMES,
    DaysToRespond,
    Grouping,
    InitialOutcome,
    ProceduralReason,
    Timeliness,
    days_to_respond,
    initial_outcome,
    is_unanswered_open,
    merge_histograms,
    parse_grouping,
    period_bounds,
    period_key,
    period_label,
    periods_between,
    previous_quarter,
    quarter_of,
    rate,
)
from app.models.report import ALL_DEPARTMENTS, NO_DEPARTMENT
from app.services.reports.common import R, department_id_of, dialect_of, load_names, open_condition
from app.services.reports.facets import (
    FACET_DAYS,
    FACET_EXEMPTION,
    FACET_FEE,
    FACET_OUTCOME,
    FACET_REVIEW,
    FACET_REVIEW_OUTCOME,
    FACET_REVIEW_TIMING,
    FACET_STATUS,
    FACET_TIMELINESS,
    count_facets,
    month_expression,
    month_first,
)
from app.services.reports.rollup import RL, RY, refresh_before_reading
from app.services.scope import scope_of


@dataclass
class TimelinessFilters:
    date_from: date | None = None
    date_to: date | None = None
    group_by: str = Grouping.QUARTER.value
    department: str | None = None


def default_period(today: date) -> tuple[date, date]:
    """The last five calendar quarters, this one included."""
    first, _ = quarter_of(today)
    for _ in range(4):
        first, _ = previous_quarter(first)
    return first, today


@dataclass(eq=False)
class Row:
    """Requests received in one period (or by one department), and what became of them."""

    key: str
    label: str
    first_day: date | None = None
    last_day: date | None = None
    received: int = 0
    responded: int = 0
    in_time: int = 0
    in_time_extended: int = 0
    late: int = 0
    timeliness_unknown: int = 0
    open: int = 0
    open_overdue: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: {c.value: 0 for c in InitialOutcome})
    procedural: dict[str, int] = field(default_factory=lambda: {r.value: 0 for r in ProceduralReason})
    exemptions: dict[str, int] = field(default_factory=dict)
    reviews: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REVIEW_FIGURES, 0))
    days_histogram: dict[int, int] = field(default_factory=dict)

    @property
    def answered_in_time(self) -> int:
        return self.in_time + self.in_time_extended

    @property
    def in_time_rate(self) -> float | None:
        return rate(self.answered_in_time, self.in_time + self.in_time_extended + self.late)

    @property
    def days(self) -> DaysToRespond:
        return days_to_respond(self.days_histogram)

    def count(self, facet: str, key: str, n: int) -> None:
        """Adds the requests counted under one facet's value."""
        if facet == FACET_STATUS:
            self.received += n
            category = initial_outcome(key, None)
            if category is InitialOutcome.LAPSED_OR_WITHDRAWN:
                self.outcomes[category] += n
            elif is_unanswered_open(key):
                self.open += n
                self.outcomes[InitialOutcome.NOT_YET_PROCESSED] += n
        elif facet == FACET_TIMELINESS:
            self.responded += n
            if key == Timeliness.IN_TIME:
                self.in_time += n
            elif key == Timeliness.IN_TIME_EXTENDED:
                self.in_time_extended += n
            elif key == Timeliness.LATE:
                self.late += n
            else:
                self.timeliness_unknown += n
        elif facet == FACET_OUTCOME:
            self.outcomes[OUTCOME_CATEGORY[Outcome(key)]] += n
            reason = PROCEDURAL_OUTCOMES.get(Outcome(key))
            if reason:
                self.procedural[reason] += n
        elif facet == FACET_FEE:
            self.procedural[ProceduralReason.FEE_NOT_PAID] += n
        elif facet == FACET_REVIEW:
            self.reviews["received"] += n
            self.reviews["completed" if key == "completed" else "open"] += n
        elif facet == FACET_REVIEW_OUTCOME:
            self.reviews[key] = self.reviews.get(key, 0) + n
        elif facet == FACET_REVIEW_TIMING:
            if key == "in_time":
                self.reviews["completed_in_time"] += n
        elif facet == FACET_DAYS:
            self.days_histogram[int(key)] = self.days_histogram.get(int(key), 0) + n
        elif facet == FACET_EXEMPTION:
            self.exemptions[key] = self.exemptions.get(key, 0) + n

    def add(self, other: Row) -> None:
        for name in ("received", "responded", "in_time", "in_time_extended", "late", "timeliness_unknown", "open", "open_overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in (
            (self.outcomes, other.outcomes),
            (self.procedural, other.procedural),
            (self.exemptions, other.exemptions),
            (self.reviews, other.reviews),
        ):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        self.days_histogram = merge_histograms([self.days_histogram, other.days_histogram])


REVIEW_FIGURES: tuple[str, ...] = ("received", "completed", "completed_in_time", *(o.value for o in ReviewOutcome), "open")


@dataclass
class TimelinessReport:
    date_from: date
    date_to: date
    grouping: Grouping
    department: str | None
    as_of: date
    rows: list[Row]
    total: Row

    @property
    def exemption_codes(self) -> list[str]:
        return sorted(self.total.exemptions)


def _validate_timeliness(filters: TimelinessFilters, today: date) -> tuple[date, date, Grouping]:
    grouping = parse_grouping(filters.group_by or Grouping.QUARTER.value)
    default_from, default_to = default_period(today)
    date_from = filters.date_from or default_from
    date_to = filters.date_to or default_to
    for name, value in (("from", date_from), ("to", date_to)):
        if not 1990 <= value.year <= 2100:
            raise InvalidInput(name, "must be between 1990 and 2100")
    # in the report page's labels (app/web/pages/reports.py PERIOD_DATES)
    check_period(date_from, date_to, field="to", from_label="Received from", to_label="Received to")
    if grouping is Grouping.MONTH and (date_to.year - date_from.year) > 30:
        raise InvalidInput("group_by", "more than 30 years by month is too many rows; group by quarter or year")
    return date_from, date_to, grouping


def _split(date_from: date, date_to: date, today: date) -> tuple[list[str], list[tuple[date, date]]]:
    """Whole months inside the period (read from the rollup) and the days at its edges (counted
    live). A period running to today (or later) holds the whole of this month: nothing is received
    after today."""
    months: list[str] = []
    edges: list[tuple[date, date]] = []
    day = date_from
    while day <= date_to:
        month = period_key(day, Grouping.MONTH)
        first, last = period_bounds(month)
        if day == first and (last <= date_to or date_to >= today):
            months.append(month)
        else:
            edges.append((day, min(last, date_to)))
        day = last + timedelta(days=1)
    return months, edges


async def timeliness_report(session: AsyncSession, filters: TimelinessFilters, today: date) -> TimelinessReport:
    """Requests received from `date_from` to `date_to` (inclusive), grouped by month, quarter, year
    or department: how many were answered in time, late or not yet, how, and why anything was
    withheld; internal reviews; working days to respond.

    Brings the rollup up to date first, so call it before anything else reads through `session`
    (see `refresh_before_reading`)."""
    date_from, date_to, grouping = _validate_timeliness(filters, today)
    await refresh_before_reading(session)
    department_id = await department_id_of(session, filters.department)
    scope = scope_of(session)
    if scope.limited:
        # department scope (app/services/scope.py): an officer's figures are their department's, whatever
        # department they ask for; in none, no department's (an id no department has)
        department_id = scope.department_id if scope.department_id is not None else -1
    departments, _ = await load_names(session)
    dialect = dialect_of(session)

    rows: dict[Any, Row] = {}
    if grouping is Grouping.DEPARTMENT:
        for d in sorted(departments.values(), key=lambda d: d.name.lower()):
            if department_id in (None, d.id):
                rows[d.id] = Row(d.slug, d.name)
    else:
        for period in periods_between(date_from, date_to, grouping):
            first, last = period_bounds(period)
            rows[period] = Row(period, period_label(period), max(first, date_from), min(last, date_to))

    def row_for(department: int, month: str) -> Row:
        group: Any = department if grouping is Grouping.DEPARTMENT else period_key(month_first(month), grouping)
        if group not in rows:  # requests of no department, or of a department since removed
            d = departments.get(department)
            rows[group] = Row(d.slug, d.name) if d else Row("none", "No department")
        return rows[group]

    if dialect == "postgresql":
        # these statements are short; compiling them to machine code costs more than it saves
        await session.execute(text("SET LOCAL jit = off"))
    gathered: dict[Row, Counter[tuple[str, str]]] = defaultdict(Counter)
    months, edges = _split(date_from, date_to, today)
    # whole years come from the yearly totals where the grouping does not need their months
    years: list[str] = []
    if grouping in (Grouping.YEAR, Grouping.DEPARTMENT):
        by_year: dict[str, int] = Counter(month[:4] for month in months)
        years = [year for year, n in by_year.items() if n == 12]
        months = [month for month in months if month[:4] not in years]
    if grouping is Grouping.DEPARTMENT:
        wanted = [department_id] if department_id is not None else [*departments, NO_DEPARTMENT]
        for rollup, period_column, chosen in ((RL, RL.month, months), (RY, RY.year, years)):
            if not chosen:
                continue
            found = await session.execute(
                select(rollup.department_id, rollup.facet, rollup.key, func.sum(rollup.n))
                .where(rollup.department_id.in_(wanted), period_column.in_(chosen))
                .group_by(rollup.department_id, rollup.facet, rollup.key)
            )
            for row_department, facet, key, n in found:
                gathered[row_for(row_department, f"{chosen[0][:4]}-01")][(facet, key)] += n
    else:
        wanted_one = department_id if department_id is not None else ALL_DEPARTMENTS
        queries = []
        if months:
            queries.append(
                select(RL.month, RL.facet, RL.key, RL.n).where(
                    RL.department_id == wanted_one, RL.month >= months[0], RL.month <= months[-1], RL.month.in_(months)
                )
            )
        if years:
            queries.append(
                select((RY.year + "-01").label("month"), RY.facet, RY.key, RY.n).where(RY.department_id == wanted_one, RY.year.in_(years))
            )
        targets: dict[str, Row] = {}
        for query in queries:
            for month, facet, key, n in await session.execute(query):
                target = targets.get(month)
                if target is None:
                    target = targets[month] = row_for(wanted_one, month)
                gathered[target][(facet, key)] += n
    for first, last in edges:
        for (row_department, month), counts in (await count_facets(session, dialect, first, last, department_id)).items():
            gathered[row_for(row_department, month)].update(counts)
    for target, counts in gathered.items():
        for (facet, key), n in counts.items():
            target.count(facet, key, n)

    # open and already past due: depends on today, counted live from the partial index
    overdue_conditions = [
        open_condition(),
        R.status != Status.INTERNAL_REVIEW.value,
        R.clock_stopped.is_(False),
        R.due_on < today,
        R.received_on >= date_from,
        R.received_on <= date_to,
    ]
    if department_id is not None:
        overdue_conditions.append(R.department_id + 0 == department_id)
    month = month_expression(dialect).label("month")
    department = func.coalesce(R.department_id, NO_DEPARTMENT).label("department")
    for row_department, row_month, n in await session.execute(
        select(department, month, func.count()).where(*overdue_conditions).group_by(department, month)
    ):
        row_for(row_department, row_month).open_overdue += n

    ordered = list(rows.values())
    if grouping is Grouping.DEPARTMENT:
        ordered.sort(key=lambda r: (r.key == "none", r.label.lower()))
    total = Row("total", "Total", date_from, date_to)
    for row in ordered:
        total.add(row)
    return TimelinessReport(date_from, date_to, grouping, filters.department or None, today, ordered, total)
