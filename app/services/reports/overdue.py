"""Overdue and due soon: open requests (and internal reviews) past due, by working days overdue,
ageing bucket, department and officer; due in the next five working days; and waiting for a fee or a
clarification (never overdue).

Working days overdue depend on the calendar of each request's law. Rather than count working days
row by row, the domain turns "k working days overdue on this date" into "due on or before this
date" for each calendar (`due_window`), so the database compares dates. The lists read the partial
index of open requests by due date; none of this reads the rollup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.deadlines import AWAITING_CLARIFICATION, AWAITING_FEE
from app.domain.deadlines.engine import lapse_date
from app.domain.errors import InvalidInput
from app.domain.lifecycle import Action, Status
from app.domain.redaction import PersonalData
from app.domain.regimes import Regime
from app.domain.timeliness import AGEING_BUCKETS, DueWindow, bucket_for_due, due_window, working_days_overdue
from app.models import Requester, User
from app.services.deadlines import Calendars
from app.services.reports.common import REVIEW_STAGE, E, Named, R, department_id_of, load_names, open_condition, safe_title
from app.services.reports.inputs import DEFAULT_LIMIT, parse_limit, parse_regime_filter
from app.services.scope import scope_of

STOPPING_ACTIONS = (Action.REQUEST_CLARIFICATION.value, Action.ISSUE_FEE_NOTICE.value)


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
        raise InvalidInput("assignee", "Select an officer from the list")
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
    department_id = await department_id_of(session, filters.department)
    assignee_id = await _assignee_id(session, filters.assignee)
    calendars = await Calendars.load(session)
    windows = _windows(calendars, as_of)
    soon_max = max(w.soon_before for w in windows.values())
    conditions = _overdue_conditions(filters, department_id, assignee_id)
    scope = scope_of(session)
    if scope.limited:  # department scope (app/services/scope.py): an officer counts their department's only
        conditions.append(scope.condition(R.department_id + 0))
    departments, users = await load_names(session)

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
                title=safe_title(row.title, row.public_title, person),
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
