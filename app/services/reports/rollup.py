"""The monthly rollup of the timeliness report's facets, and its upkeep.

Counting a million requests for every report view is too slow, so the timeliness report reads
monthly (and yearly) counts kept in report_rollup and report_rollup_years. Database triggers
(migrations 0003 and 0004) note a (month, department) pair stale in report_stale_months whenever
anything counted changes on one of its requests, whoever writes; `refresh_rollup` recounts the
noted pairs. Every reader of the rollup calls `refresh_before_reading` first, so no caller has to
remember (cheap: one small read when nothing is stale).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, literal, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.db import WRITE_OPTION
from app.domain.timeliness import period_bounds
from app.models import Department, ReportRollup, ReportRollupYear, ReportStaleMonth
from app.models.base import table
from app.models.report import ALL_DEPARTMENTS, NO_DEPARTMENT
from app.services.reports.facets import Facets, count_facets, month_first

_ROLLUP_LOCK = 7_264_001  # PostgreSQL advisory lock: one recount at a time
RL = table(ReportRollup).c
RY = table(ReportRollupYear).c
ST = table(ReportStaleMonth).c


def _month_runs(months: Sequence[str]) -> list[tuple[date, date]]:
    """Consecutive months as (first day, last day) ranges, so a backlog is counted in few statements."""
    runs: list[tuple[date, date]] = []
    for month in sorted(months):
        first = month_first(month)
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


async def refresh_before_reading(session: AsyncSession) -> int:
    """Recounts the stale months before a report reads the rollup through `session`; returns how many.

    Call it before the session's first statement: on SQLite a read transaction sees the database as
    of its first read (WAL), so a recount committed later would stay hidden from it. The recount runs
    on a connection of its own (see `refresh_rollup`), never in the caller's transaction.
    """
    engine = session.bind
    if not isinstance(engine, AsyncEngine):
        raise TypeError("the reports read through a session bound to an engine: the recount needs a connection of its own")
    return await refresh_rollup(engine)
