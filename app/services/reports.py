"""Manager reports: what is overdue and due soon now, and how requests received in a period were answered.

Every figure is aggregate SQL (SQLAlchemy Core, GROUP BY), a handful of statements per report
whatever the number of requests; the classification rules are app.domain.timeliness's, written
once more here as SQL conditions and checked against the domain by the tests.

Working days overdue depend on the calendar of each request's law. Rather than count working days
row by row, the domain turns "k working days overdue on this date" into "due on or before this
date" for each calendar (`due_window`), so the database compares dates.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    not_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.db import WRITE_OPTION
from app.domain.deadlines import AWAITING_CLARIFICATION, AWAITING_FEE
from app.domain.deadlines.engine import lapse_date
from app.domain.errors import InvalidInput
from app.domain.lifecycle import OPEN_STATUSES, Action, Status
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.redaction import PersonalData, may_need_redaction, redact
from app.domain.regimes import Regime
from app.domain.timeliness import (
    AGEING_BUCKETS,
    OUTCOME_CATEGORY,
    PROCEDURAL_OUTCOMES,
    DaysToRespond,
    DueWindow,
    Grouping,
    InitialOutcome,
    ProceduralReason,
    Timeliness,
    bucket_for_due,
    days_to_respond,
    due_window,
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
    working_days_overdue,
)
from app.models import (
    Department,
    FoiRequest,
    ReportRollup,
    ReportRollupYear,
    ReportStaleMonth,
    Requester,
    RequestEvent,
    RequestExemption,
    User,
)
from app.models.base import table
from app.models.report import ALL_DEPARTMENTS, NO_DEPARTMENT
from app.services.deadlines import Calendars

R = table(FoiRequest).c
E = table(RequestEvent).c
X = table(RequestExemption).c

# Written exactly as the partial index ix_requests_open_due_on's predicate, so that both engines
# see that the index applies (a bound IN list would hide it from SQLite, and from PostgreSQL's
# generic plans).
OPEN_SQL = "status IN ({})".format(", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES)))
UNANSWERED = sorted(status.value for status in OPEN_STATUSES if status is not Status.INTERNAL_REVIEW)
STOPPING_ACTIONS = (Action.REQUEST_CLARIFICATION.value, Action.ISSUE_FEE_NOTICE.value)
MAX_LIMIT = 1000
DEFAULT_LIMIT = 50
REVIEW_STAGE = "internal_review"


def open_condition() -> ColumnElement[bool]:
    return text(OPEN_SQL)  # type: ignore[return-value]


def parse_date(value: str | None, field_name: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field_name, f"'{value}' is not a date (use YYYY-MM-DD)") from None


def parse_limit(value: str | int | None, default: int = DEFAULT_LIMIT) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput("limit", f"must be a whole number from 1 to {MAX_LIMIT}") from None
    if not 1 <= number <= MAX_LIMIT:
        raise InvalidInput("limit", f"must be a whole number from 1 to {MAX_LIMIT}")
    return number


def parse_regime_filter(value: str | None) -> Regime | None:
    if not value:
        return None
    try:
        return Regime(value.strip().lower())
    except ValueError:
        raise InvalidInput("regime", f"choose one of {', '.join(Regime)} (got '{value}')") from None


async def _department_id(session: AsyncSession, slug: str | None) -> int | None:
    if not slug:
        return None
    found = await session.scalar(select(Department.id).where(Department.slug == slug.strip()))
    if found is None:
        raise InvalidInput("department", f"no department '{slug}'")
    return found


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    slug: str  # a department's slug, or a member of staff's email
    name: str


async def _names(session: AsyncSession) -> tuple[dict[int, Named], dict[int, Named]]:
    departments = {
        row.id: Named(row.id, row.slug, row.name) for row in await session.execute(select(Department.id, Department.slug, Department.name))
    }
    users = {row.id: Named(row.id, row.email, row.name) for row in await session.execute(select(User.id, User.email, User.name))}
    return departments, users


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


# ============================================================================ overdue and due soon


@dataclass
class OverdueFilters:
    department: str | None = None  # slug
    assignee: str | None = None  # email, or "none" for nobody yet
    regime: str | None = None
    limit: int = DEFAULT_LIMIT


@dataclass
class CaseRow:
    """One open request (or internal review) in a list of the overdue report."""

    id: int
    reference: str
    title: str
    regime: str
    status: str
    stage: str  # "initial" or "internal_review"
    due_on: date | None
    working_days: int | None  # overdue: working days overdue; due soon: working days left
    department: str | None
    department_slug: str | None
    assignee: str | None
    assignee_email: str | None
    bucket: str | None = None
    stopped_reason: str | None = None
    stopped_since: date | None = None
    lapses_on: date | None = None

    @property
    def is_review(self) -> bool:
        return self.stage == REVIEW_STAGE


@dataclass
class Counts:
    """Open work of one group (the whole authority, a department, an officer)."""

    key: str
    name: str
    overdue: int = 0
    overdue_reviews: int = 0
    due_soon: int = 0
    due_soon_reviews: int = 0
    clock_stopped: int = 0
    ageing: dict[str, int] = field(default_factory=lambda: {b.key: 0 for b in AGEING_BUCKETS})
    ageing_reviews: dict[str, int] = field(default_factory=lambda: {b.key: 0 for b in AGEING_BUCKETS})

    @property
    def total_overdue(self) -> int:
        return self.overdue + self.overdue_reviews

    def as_json(self) -> dict[str, Any]:
        return {
            "overdue": self.overdue,
            "overdue_reviews": self.overdue_reviews,
            "due_soon": self.due_soon,
            "due_soon_reviews": self.due_soon_reviews,
            "clock_stopped": self.clock_stopped,
            "ageing": dict(self.ageing),
            "ageing_reviews": dict(self.ageing_reviews),
        }


@dataclass
class OverdueReport:
    as_of: date
    filters: OverdueFilters
    totals: Counts
    by_department: list[Counts]
    by_officer: list[Counts]
    overdue: list[CaseRow]
    due_soon: list[CaseRow]
    clock_stopped: list[CaseRow]
    windows: dict[str, DueWindow]

    @property
    def truncated(self) -> bool:
        t = self.totals
        return (
            len(self.overdue) < t.total_overdue
            or len(self.due_soon) < t.due_soon + t.due_soon_reviews
            or len(self.clock_stopped) < t.clock_stopped
        )


def _windows(calendars: Calendars, as_of: date) -> dict[str, DueWindow]:
    """One window per regime (FOIA and EIR share the UK calendar; FOISA counts Scottish days)."""
    return {regime.value: due_window(calendars.for_regime(regime), as_of) for regime in Regime}


def _by_regime(windows: dict[str, DueWindow], pick: Any) -> ColumnElement[Any]:
    """A date that depends on the request's regime: CASE regime WHEN ... END."""
    values = {regime: pick(window) for regime, window in windows.items()}
    default = values[Regime.FOIA.value]
    whens = [(R.regime == regime, literal(value)) for regime, value in values.items() if value != default]
    if not whens:
        return literal(default)
    return case(*whens, else_=literal(default))


def _category(windows: dict[str, DueWindow], as_of: date) -> ColumnElement[str]:
    """Where an open request with a due date stands on `as_of`: an ageing bucket, 'soon' or 'later'."""
    whens: list[tuple[ColumnElement[bool], Any]] = [
        (R.due_on >= as_of, case((R.due_on < _by_regime(windows, lambda w: w.soon_before), "soon"), else_="later")),
    ]
    first = next(iter(windows.values()))
    for position, (key, _) in enumerate(first.bucket_from):
        whens.append((R.due_on <= _by_regime(windows, lambda w, p=position: w.bucket_from[p][1]), key))
    return case(*whens, else_=AGEING_BUCKETS[0].key)


def _overdue_conditions(filters: OverdueFilters, department_id: int | None, assignee_id: int | None) -> list[Any]:
    # "+ 0" keeps the department and assignee indexes out of it: every query here reads the
    # partial index of open requests by due date, far fewer rows than a department's history.
    conditions: list[Any] = [open_condition()]
    if department_id is not None:
        conditions.append(R.department_id + 0 == department_id)
    if filters.assignee == "none":
        conditions.append(func.coalesce(R.assignee_id, 0) == 0)
    elif filters.assignee:
        conditions.append(R.assignee_id + 0 == assignee_id)
    if filters.regime:
        conditions.append(R.regime == filters.regime)
    return conditions


async def _assignee_id(session: AsyncSession, assignee: str | None) -> int | None:
    if not assignee or assignee == "none":
        return None
    found = await session.scalar(select(User.id).where(User.email == assignee.strip().lower()))
    if found is None:
        raise InvalidInput("assignee", "no member of staff with that email")
    return found


def _validate_overdue_filters(filters: OverdueFilters) -> OverdueFilters:
    regime = parse_regime_filter(filters.regime)
    return OverdueFilters(
        department=(filters.department or "").strip() or None,
        assignee=(filters.assignee or "").strip().lower() or None,
        regime=regime.value if regime else None,
        limit=parse_limit(filters.limit),
    )


async def overdue_report(
    session: AsyncSession, filters: OverdueFilters, as_of: date, *, lists: tuple[str, ...] = ("overdue", "due_soon", "clock_stopped")
) -> OverdueReport:
    """Open requests past due (by working days overdue, ageing bucket, department and officer),
    due in the next five working days, and waiting for a fee or a clarification (never overdue)."""
    filters = _validate_overdue_filters(filters)
    department_id = await _department_id(session, filters.department)
    assignee_id = await _assignee_id(session, filters.assignee)
    calendars = await Calendars.load(session)
    windows = _windows(calendars, as_of)
    soon_max = max(w.soon_before for w in windows.values())
    conditions = _overdue_conditions(filters, department_id, assignee_id)
    departments, users = await _names(session)

    category = _category(windows, as_of).label("category")
    stage = R.deadline_stage
    due_rows = await session.execute(
        select(R.department_id, R.assignee_id, stage, category, func.count())
        .where(*conditions, R.due_on < soon_max, R.clock_stopped.is_(False))
        .group_by(R.department_id, R.assignee_id, stage, category)
    )
    stopped_rows = await session.execute(
        select(R.department_id, R.assignee_id, func.count())
        .where(*conditions, R.due_on.is_(None), R.clock_stopped.is_(True))
        .group_by(R.department_id, R.assignee_id)
    )

    totals = Counts("all", "All")
    by_department: dict[Any, Counts] = {}
    by_officer: dict[Any, Counts] = {}

    def groups(dept: int | None, officer: int | None) -> tuple[Counts, Counts, Counts]:
        if dept not in by_department:
            d = departments.get(dept) if dept is not None else None
            by_department[dept] = Counts(d.slug if d else "none", d.name if d else "No department")
        if officer not in by_officer:
            u = users.get(officer) if officer is not None else None
            by_officer[officer] = Counts(u.slug if u else "none", u.name if u else "Nobody yet")
        return totals, by_department[dept], by_officer[officer]

    for dept, officer, row_stage, row_category, n in due_rows:
        if row_category == "later":
            continue
        review = row_stage == REVIEW_STAGE
        for counts in groups(dept, officer):
            if row_category == "soon":
                if review:
                    counts.due_soon_reviews += n
                else:
                    counts.due_soon += n
            else:
                if review:
                    counts.overdue_reviews += n
                    counts.ageing_reviews[row_category] += n
                else:
                    counts.overdue += n
                    counts.ageing[row_category] += n
    for dept, officer, n in stopped_rows:
        for counts in groups(dept, officer):
            counts.clock_stopped += n

    def ordered(found: dict[Any, Counts]) -> list[Counts]:
        return sorted(found.values(), key=lambda c: (-c.total_overdue, -(c.due_soon + c.due_soon_reviews), c.name.lower()))

    report = OverdueReport(as_of, filters, totals, ordered(by_department), ordered(by_officer), [], [], [], windows)
    if "overdue" in lists:
        report.overdue = await _overdue_list(session, conditions, filters.limit, as_of, calendars, windows, departments, users)
    if "due_soon" in lists:
        report.due_soon = await _due_soon_list(session, conditions, filters.limit, as_of, soon_max, calendars, windows, departments, users)
    if "clock_stopped" in lists:
        report.clock_stopped = await _stopped_list(session, conditions, filters.limit, departments, users, calendars)
    return report


_LIST_COLUMNS = (
    R.id,
    R.reference,
    R.title,
    R.public_title,
    R.regime,
    R.status,
    R.deadline_stage,
    R.due_on,
    R.department_id,
    R.assignee_id,
    R.clock_state,
    # the requester, only to take their name, e-mail and address out of titles (never shown)
    Requester.name.label("requester_name"),
    Requester.email.label("requester_email"),
    Requester.address.label("requester_address"),
)


def _list_of(*conditions: Any) -> Any:
    return select(*_LIST_COLUMNS).outerjoin(Requester, Requester.id == R.requester_id).where(*conditions)


async def _case_rows(session: AsyncSession, statement: Any, departments: dict[int, Named], users: dict[int, Named]) -> list[CaseRow]:
    rows = (await session.execute(statement)).all()
    found = []
    for row in rows:
        d = departments.get(row.department_id) if row.department_id else None
        u = users.get(row.assignee_id) if row.assignee_id else None
        person = PersonalData(row.requester_name, row.requester_email, row.requester_address)
        found.append(
            CaseRow(
                id=row.id,
                reference=row.reference,
                title=_safe_title(row.title, row.public_title, person),
                regime=row.regime,
                status=row.status,
                stage=row.deadline_stage,
                due_on=row.due_on,
                working_days=None,
                department=d.name if d else None,
                department_slug=d.slug if d else None,
                assignee=u.name if u else None,
                assignee_email=u.slug if u else None,
                stopped_since=getattr(row, "stopped_since", None),
            )
        )
    return found


async def safe_titles(session: AsyncSession, rows: Sequence[tuple[int, str, str | None]]) -> dict[int, str]:
    """Titles without the requester's personal data: the published title where there is one, else
    the title with the requester's name, email and address taken out (one query for the lot)."""
    ids = [row_id for row_id, _, public_title in rows if not public_title]
    people: dict[int, PersonalData] = {}
    if ids:
        found = await session.execute(
            select(R.id, Requester.name, Requester.email, Requester.address)
            .join(Requester, Requester.id == R.requester_id)
            .where(R.id.in_(ids))
        )
        people = {row_id: PersonalData(name, email, address) for row_id, name, email, address in found}
    return {row_id: _safe_title(title, public_title, people.get(row_id)) for row_id, title, public_title in rows}


def _safe_title(title: str, public_title: str | None, person: PersonalData | None) -> str:
    if public_title:
        return public_title
    return redact(title, person) if person is not None and may_need_redaction(title, person) else title


async def _overdue_list(
    session: AsyncSession,
    conditions: list[Any],
    limit: int,
    as_of: date,
    calendars: Calendars,
    windows: dict[str, DueWindow],
    departments: dict[int, Named],
    users: dict[int, Named],
) -> list[CaseRow]:
    statement = _list_of(*conditions, R.due_on < as_of, R.clock_stopped.is_(False)).order_by(R.due_on, R.id).limit(limit)
    rows = await _case_rows(session, statement, departments, users)
    for row in rows:
        assert row.due_on is not None
        row.working_days = working_days_overdue(row.due_on, as_of, calendars.for_regime(Regime(row.regime)))
        bucket = bucket_for_due(windows[row.regime], row.due_on)
        row.bucket = bucket.key if bucket else None
    return rows


async def _due_soon_list(
    session: AsyncSession,
    conditions: list[Any],
    limit: int,
    as_of: date,
    soon_max: date,
    calendars: Calendars,
    windows: dict[str, DueWindow],
    departments: dict[int, Named],
    users: dict[int, Named],
) -> list[CaseRow]:
    statement = (
        _list_of(
            *conditions,
            R.due_on >= as_of,
            R.due_on < soon_max,
            R.clock_stopped.is_(False),
            R.due_on < _by_regime(windows, lambda w: w.soon_before),
        )
        .order_by(R.due_on, R.id)
        .limit(limit)
    )
    rows = await _case_rows(session, statement, departments, users)
    for row in rows:
        assert row.due_on is not None
        row.working_days = calendars.for_regime(Regime(row.regime)).working_days_between(as_of, row.due_on)
    return rows


async def _stopped_list(
    session: AsyncSession,
    conditions: list[Any],
    limit: int,
    departments: dict[int, Named],
    users: dict[int, Named],
    calendars: Calendars,
) -> list[CaseRow]:
    """Longest waiting first: the date of the latest fee notice or clarification request (a few
    events per request, read through the request's own index)."""
    since = (
        select(func.max(E.occurred_on)).where(E.request_id == R.id, E.action.in_(STOPPING_ACTIONS)).scalar_subquery().label("stopped_since")
    )
    statement = (
        _list_of(*conditions, R.due_on.is_(None), R.clock_stopped.is_(True))
        .add_columns(since)
        .order_by(since.asc().nulls_last(), R.id)
        .limit(limit)
    )
    rows = await _case_rows(session, statement, departments, users)
    for row in rows:
        row.stopped_reason = AWAITING_FEE if row.status == Status.AWAITING_FEE else AWAITING_CLARIFICATION
        # the date the request's page gives (an EIR advance payment: 60 working days, reg 8)
        row.lapses_on = (
            lapse_date(Regime(row.regime), row.stopped_reason, row.stopped_since, calendars.for_regime(Regime(row.regime)))
            if row.stopped_since
            else None
        )
    return rows


# ============================================================================ timeliness and outcomes
#
# Requests are counted by the month they were received, per department, as "facets": one count per
# value of each thing the report asks about (status, outcome, timeliness, review, working days,
# exemption). Whole months come from report_rollup; the days at either edge of a period, and
# whatever depends on today (open requests already past due), are counted live.

FACET_STATUS = "status"
FACET_OUTCOME = "outcome"
FACET_TIMELINESS = "timeliness"
FACET_REVIEW = "review"  # "open" or "completed"
FACET_REVIEW_OUTCOME = "review_outcome"
FACET_REVIEW_TIMING = "review_timing"  # "in_time" or "late"
FACET_FEE = "fee_not_paid"
FACET_DAYS = "days"
FACET_EXEMPTION = "exemption"
UNKNOWN = "unknown"

Facets = dict[tuple[int, str], Counter[tuple[str, str]]]  # (department id or 0, month) -> (facet, key) -> n


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


def _month_expression(dialect: str, column: Any = None) -> ColumnElement[str]:
    column = R.received_on if column is None else column
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM", type_=String)
    return func.substr(column, 1, 7, type_=String)  # SQLite keeps dates as YYYY-MM-DD text


def _timeliness_expression() -> ColumnElement[str]:
    """app.domain.timeliness.classify_response, as SQL over the initial stage's facts."""
    base = func.coalesce(R.response_base_due_on, R.response_due_on)
    due = func.coalesce(R.response_due_on, R.response_base_due_on)
    return case(
        (R.responded_on.is_(None), ""),
        (base.is_(None), UNKNOWN),
        (R.responded_on <= base, Timeliness.IN_TIME.value),
        (and_(due > base, not_(R.extension_late), R.responded_on <= due), Timeliness.IN_TIME_EXTENDED.value),
        else_=Timeliness.LATE.value,
    )


def _review_timing_expression() -> ColumnElement[str]:
    """app.domain.timeliness.review_in_time, as SQL."""
    return case(
        (R.review_completed_on.is_(None), ""),
        (R.review_due_on.is_(None), UNKNOWN),
        (R.review_completed_on <= R.review_due_on, "in_time"),
        else_="late",
    )


async def count_facets(executor: Any, dialect: str, date_from: date, date_to: date, department_id: int | None = None) -> Facets:
    """The facets of the requests received from `date_from` to `date_to`, by department and month,
    counted from the requests themselves (four GROUP BY statements)."""
    month = _month_expression(dialect).label("month")
    department = func.coalesce(R.department_id, NO_DEPARTMENT).label("department")
    conditions: list[Any] = [R.received_on >= date_from, R.received_on <= date_to]
    if department_id is not None:
        # "+ 0": the date range is the selective part, never a department's whole history
        # (and no department as an expression too: "IS NULL" would pick the department index)
        conditions.append(func.coalesce(R.department_id, NO_DEPARTMENT) + 0 == department_id)
    timeliness = _timeliness_expression().label("timeliness")
    review_timing = _review_timing_expression().label("review_timing")
    reviewed = case((R.review_requested_on.is_(None), 0), else_=1).label("reviewed")
    facets: Facets = defaultdict(Counter)

    combos = await executor.execute(
        select(month, department, R.status, R.outcome, timeliness, reviewed, R.review_outcome, review_timing, func.count())
        .where(*conditions)
        .group_by(month, department, R.status, R.outcome, timeliness, reviewed, R.review_outcome, review_timing)
    )
    for row_month, row_department, status, outcome, in_time, was_reviewed, review_outcome, timing, n in combos:
        counts = facets[(row_department, row_month)]
        counts[(FACET_STATUS, status)] += n
        if in_time:
            counts[(FACET_TIMELINESS, in_time)] += n
            if outcome:
                counts[(FACET_OUTCOME, outcome)] += n
        if was_reviewed:
            counts[(FACET_REVIEW, "completed" if timing else "open")] += n
        if review_outcome:
            counts[(FACET_REVIEW_OUTCOME, review_outcome)] += n
        if timing:
            counts[(FACET_REVIEW_TIMING, timing)] += n

    days = await executor.execute(
        select(month, department, R.response_working_days, func.count())
        .where(*conditions, R.responded_on.is_not(None), R.response_working_days.is_not(None))
        .group_by(month, department, R.response_working_days)
    )
    for row_month, row_department, working_days, n in days:
        facets[(row_department, row_month)][(FACET_DAYS, str(working_days))] += n

    if dialect == "postgresql":
        # a lateral lookup per answered request: PostgreSQL would otherwise hash the whole
        # exemptions table to join a few thousand requests (OFFSET 0 keeps it from flattening)
        found = select(X.code.label("code")).where(X.request_id == R.id).offset(0).lateral("found")
        code = found.c.code
        source: Any = table(FoiRequest).join(found, literal(True))
    else:
        code = X.code
        source = table(FoiRequest).join(table(RequestExemption), X.request_id == R.id)
    codes = await executor.execute(
        select(month, department, code, func.count())
        .select_from(source)
        .where(*conditions, R.responded_on.is_not(None))
        .group_by(month, department, code)
    )
    for row_month, row_department, exemption, n in codes:
        facets[(row_department, row_month)][(FACET_EXEMPTION, exemption)] += n

    # lapsed while a fee was outstanding: the lapse event says from which state (OFFSET 0 keeps
    # PostgreSQL to an index lookup per lapsed request rather than a pass over every event)
    lapsed_for_fee = exists(
        select(E.id).where(E.request_id == R.id, E.action == Action.LAPSE.value, E.from_status == Status.AWAITING_FEE.value).offset(0)
    )
    # "|| ''" keeps the planner on the date range: lapsed requests of every year are many more
    fees = await executor.execute(
        select(month, department, func.count())
        .where(*conditions, (R.status + "") == Status.LAPSED.value, lapsed_for_fee)
        .group_by(month, department)
    )
    for row_month, row_department, n in fees:
        facets[(row_department, row_month)][(FACET_FEE, "fee")] += n
    return facets


# ---------------------------------------------------------------------------- keeping the rollup

_ROLLUP_LOCK = 7_264_001  # PostgreSQL advisory lock: one recount at a time
RL = table(ReportRollup).c
RY = table(ReportRollupYear).c
ST = table(ReportStaleMonth).c


def _month_first(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def _month_runs(months: Sequence[str]) -> list[tuple[date, date]]:
    """Consecutive months as (first day, last day) ranges, so a backlog is counted in few statements."""
    runs: list[tuple[date, date]] = []
    for month in sorted(months):
        first = _month_first(month)
        last = period_bounds(month)[1]
        if runs and runs[-1][1] + timedelta(days=1) == first:
            runs[-1] = (runs[-1][0], last)
        else:
            runs.append((first, last))
    return runs


# A month with changes in more departments than this is recounted whole, in one pass
MOST_DEPARTMENTS_RECOUNTED_APART = 2


def _rollup_rows(facets: Facets) -> list[dict[str, Any]]:
    return [
        {"department_id": department, "month": month, "facet": facet, "key": key, "n": n}
        for (department, month), counts in facets.items()
        for (facet, key), n in counts.items()
    ]


async def _recount(connection: AsyncConnection) -> int:
    """Recounts the (month, department) pairs the triggers noted, then each such month's totals
    for the whole authority from its departments' rows."""
    stale = (await connection.execute(select(ST.month, ST.department_id, func.max(ST.id)).group_by(ST.month, ST.department_id))).all()
    if not stale:
        return 0
    newest_note = max(note for _, _, note in stale)
    by_month: dict[str, set[int]] = defaultdict(set)
    for month, department, _ in stale:
        by_month[month].add(department)
    months = sorted(by_month)
    whole = [month for month in months if len(by_month[month]) > MOST_DEPARTMENTS_RECOUNTED_APART]
    dialect = connection.dialect.name
    if dialect == "postgresql":
        await connection.execute(text("SET LOCAL jit = off"))

    rows: list[dict[str, Any]] = []
    for first, last in _month_runs(whole):
        rows += _rollup_rows(await count_facets(connection, dialect, first, last))
    for start in range(0, len(whole), 500):
        await connection.execute(delete(table(ReportRollup)).where(RL.month.in_(whole[start : start + 500])))
    for month in months:
        if month in whole:
            continue
        first, last = period_bounds(month)
        for department in sorted(by_month[month]):
            rows += _rollup_rows(await count_facets(connection, dialect, first, last, department))
            await connection.execute(
                delete(table(ReportRollup)).where(RL.month == month, RL.department_id.in_([department, ALL_DEPARTMENTS]))
            )
    for start in range(0, len(rows), 5000):
        await connection.execute(insert(table(ReportRollup)), rows[start : start + 5000])
    # the whole authority: the sum of its departments (and of no department), month by month; the
    # departments are named so that both engines seek (department, month) in the primary key
    every_department = [*(await connection.scalars(select(Department.id))), NO_DEPARTMENT]
    for start in range(0, len(months), 500):
        chosen = months[start : start + 500]
        await connection.execute(delete(table(ReportRollup)).where(RL.department_id == ALL_DEPARTMENTS, RL.month.in_(chosen)))
        await connection.execute(
            insert(table(ReportRollup)).from_select(
                ["department_id", "month", "facet", "key", "n"],
                select(literal(ALL_DEPARTMENTS), RL.month, RL.facet, RL.key, func.sum(RL.n))
                .where(RL.department_id.in_(every_department), RL.month.in_(chosen))
                .group_by(RL.month, RL.facet, RL.key),
            )
        )
    # and the years those months are in (their departments only, and the whole authority): the sum
    # of their months, for long periods
    departments_by_year: dict[str, set[int] | None] = {}
    for month in months:
        year = month[:4]
        known = departments_by_year.get(year, set())
        if month in whole or known is None:
            departments_by_year[year] = None  # every department
        else:
            departments_by_year[year] = known | by_month[month] | {ALL_DEPARTMENTS}
    for year, wanted_departments in sorted(departments_by_year.items()):
        only_year = [RY.year == year] + ([RY.department_id.in_(sorted(wanted_departments))] if wanted_departments is not None else [])
        only_months = [RL.month >= f"{year}-01", RL.month <= f"{year}-12"]
        if wanted_departments is not None:
            only_months.append(RL.department_id.in_(sorted(wanted_departments)))
        await connection.execute(delete(table(ReportRollupYear)).where(*only_year))
        await connection.execute(
            insert(table(ReportRollupYear)).from_select(
                ["department_id", "year", "facet", "key", "n"],
                select(RL.department_id, literal(year), RL.facet, RL.key, func.sum(RL.n))
                .where(*only_months)
                .group_by(RL.department_id, RL.facet, RL.key),
            )
        )
    # every note up to the newest one read: on SQLite no one else writes meanwhile; on PostgreSQL
    # the repeatable-read snapshot hides notes of changes committed after it, which stay for next time
    await connection.execute(delete(table(ReportStaleMonth)).where(ST.id <= newest_note))
    return len(months)


async def refresh_rollup(engine: AsyncEngine) -> int:
    """Recounts every month noted stale by the triggers; returns how many. Cheap when none are.

    Runs in its own transaction: BEGIN IMMEDIATE on SQLite (writers take turns); on PostgreSQL an
    advisory lock lets one recount run at a time, then a repeatable-read transaction counts and
    clears the notes from one snapshot.
    """
    async with engine.connect() as connection:
        # the usual case, nothing to recount, answered by a plain read: no write lock, no advisory lock
        nothing = await connection.scalar(select(ST.id).limit(1)) is None
        await connection.rollback()
        if nothing:
            return 0
        if connection.dialect.name != "postgresql":
            connection = await connection.execution_options(**{WRITE_OPTION: True})
            async with connection.begin():
                return await _recount(connection)
        await connection.execute(select(func.pg_advisory_lock(_ROLLUP_LOCK)))
        await connection.commit()
        try:
            await connection.execution_options(isolation_level="REPEATABLE READ")
            async with connection.begin():
                return await _recount(connection)
        finally:
            await connection.execution_options(isolation_level="READ COMMITTED")
            await connection.execute(select(func.pg_advisory_unlock(_ROLLUP_LOCK)))
            await connection.commit()


# ---------------------------------------------------------------------------- reading


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

    def as_json(self, grouping: Grouping) -> dict[str, Any]:
        days = self.days
        if grouping.is_period or self.key == "total":
            head: dict[str, Any] = {"period": self.key, "label": self.label}
        else:
            head = {"department": self.label, "department_slug": self.key}
        if self.first_day and self.last_day:
            head.update({"from": self.first_day.isoformat(), "to": self.last_day.isoformat()})
        return {
            **head,
            "received": self.received,
            "responded": self.responded,
            "in_time": self.in_time,
            "in_time_extended": self.in_time_extended,
            "late": self.late,
            "timeliness_unknown": self.timeliness_unknown,
            "open": self.open,
            "open_overdue": self.open_overdue,
            "in_time_rate": self.in_time_rate,
            "outcomes": dict(self.outcomes),
            "withheld_by_reason": {
                "procedural": dict(self.procedural),
                "exemptions": dict(sorted(self.exemptions.items())),
            },
            "internal_reviews": dict(self.reviews),
            "working_days_to_respond": {"answers": days.count, "median": days.median, "mean": days.mean, "longest": days.longest},
        }


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

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "group_by": self.grouping.value,
            "department": self.department,
            "as_of": self.as_of.isoformat(),
            "rows": [row.as_json(self.grouping) for row in self.rows],
            "total": self.total.as_json(self.grouping),
        }


def _validate_timeliness(filters: TimelinessFilters, today: date) -> tuple[date, date, Grouping]:
    grouping = parse_grouping(filters.group_by or Grouping.QUARTER.value)
    default_from, default_to = default_period(today)
    date_from = filters.date_from or default_from
    date_to = filters.date_to or default_to
    for name, value in (("from", date_from), ("to", date_to)):
        if not 1990 <= value.year <= 2100:
            raise InvalidInput(name, "must be between 1990 and 2100")
    if date_to < date_from:
        raise InvalidInput("to", f"{date_to.isoformat()} is before the start of the period ({date_from.isoformat()})")
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
    withheld; internal reviews; working days to respond. Call `refresh_rollup` first."""
    date_from, date_to, grouping = _validate_timeliness(filters, today)
    department_id = await _department_id(session, filters.department)
    departments, _ = await _names(session)
    dialect = _dialect(session)

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
        group: Any = department if grouping is Grouping.DEPARTMENT else period_key(_month_first(month), grouping)
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
    month = _month_expression(dialect).label("month")
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


# ============================================================================ the managers' dashboard


@dataclass
class Dashboard:
    as_of: date
    open_requests: int
    open_reviews: int
    clock_stopped: int
    overdue: int
    overdue_reviews: int
    due_this_week: int
    this_quarter: Row
    last_quarter: Row
    oldest_overdue: list[CaseRow]
    ageing: dict[str, int]


async def dashboard(session: AsyncSession, today: date, oldest: int = 10) -> Dashboard:
    """Call `refresh_rollup` first."""
    overdue = await overdue_report(session, OverdueFilters(limit=oldest), today, lists=("overdue",))
    end_of_week = today + timedelta(days=6 - today.weekday())
    counts = (
        await session.execute(
            select(
                _count(R.status.in_(UNANSWERED)),
                _count(R.status == Status.INTERNAL_REVIEW.value),
                _count(and_(R.due_on >= today, R.due_on <= end_of_week, R.clock_stopped.is_(False))),
            ).where(open_condition())
        )
    ).one()
    this_first, _ = quarter_of(today)
    last_first, _ = previous_quarter(today)
    quarters = await timeliness_report(
        session, TimelinessFilters(date_from=last_first, date_to=today, group_by=Grouping.QUARTER.value), today
    )
    by_key = {row.key: row for row in quarters.rows}
    ageing = {b.key: overdue.totals.ageing[b.key] + overdue.totals.ageing_reviews[b.key] for b in AGEING_BUCKETS}
    return Dashboard(
        as_of=today,
        open_requests=counts[0],
        open_reviews=counts[1],
        clock_stopped=overdue.totals.clock_stopped,
        overdue=overdue.totals.overdue,
        overdue_reviews=overdue.totals.overdue_reviews,
        due_this_week=counts[2],
        this_quarter=by_key.get(period_key(this_first, Grouping.QUARTER)) or Row("", ""),
        last_quarter=by_key.get(period_key(last_first, Grouping.QUARTER)) or Row("", ""),
        oldest_overdue=overdue.overdue,
        ageing=ageing,
    )


def _count(condition: Any) -> Any:
    return func.count().filter(condition)
