"""The managers' dashboard: open work and what is overdue now, and this quarter's and last quarter's
timeliness, from the overdue and timeliness reports and one count of open requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.lifecycle import OPEN_STATUSES, Status
from app.domain.timeliness import AGEING_BUCKETS, Grouping, period_key, previous_quarter, quarter_of
from app.services.reports.common import R, open_condition
from app.services.reports.overdue import CaseRow, OverdueFilters, overdue_report
from app.services.reports.timeliness import Row, TimelinessFilters, timeliness_report
from app.services.scope import scope_of

UNANSWERED = sorted(status.value for status in OPEN_STATUSES if status is not Status.INTERNAL_REVIEW)


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
    this_first, _ = quarter_of(today)
    last_first, _ = previous_quarter(today)
    # first: the timeliness report brings the rollup up to date before this session reads anything
    # (app.services.reports.rollup.refresh_before_reading)
    quarters = await timeliness_report(
        session, TimelinessFilters(date_from=last_first, date_to=today, group_by=Grouping.QUARTER.value), today
    )
    overdue = await overdue_report(session, OverdueFilters(limit=oldest), today, lists=("overdue",))
    end_of_week = today + timedelta(days=6 - today.weekday())
    counts = (
        await session.execute(
            select(
                _count(R.status.in_(UNANSWERED)),
                _count(R.status == Status.INTERNAL_REVIEW.value),
                _count(and_(R.due_on >= today, R.due_on <= end_of_week, R.clock_stopped.is_(False))),
            ).where(open_condition(), scope_of(session).condition(R.department_id))
        )
    ).one()
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
