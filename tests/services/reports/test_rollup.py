"""The rollup's upkeep (app.services.reports.rollup): a report reading it recounts the stale months
itself, and two readers recounting at once stay correct (BEGIN IMMEDIATE on SQLite, an advisory lock
on PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from app.models import ReportRollup, ReportStaleMonth
from app.services.reports.rollup import refresh_rollup
from app.services.reports.timeliness import TimelinessFilters, timeliness_report
from tests.factories import Staff
from tests.services.reports.cases import RESPOND, TODAY, act, new_request, timeliness

pytestmark = pytest.mark.usefixtures("frozen")

SEPTEMBER = {"date_from": date(2025, 9, 1), "date_to": date(2025, 9, 30), "group_by": "month"}


async def stale_months(sessions: Any) -> list[str]:
    async with sessions.read() as db:
        return sorted(set(await db.scalars(select(ReportStaleMonth.month))))


async def test_the_timeliness_report_recounts_what_changed_since_it_last_read(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))
    assert await stale_months(sessions) == ["2025-09"]  # noted by the triggers (migrations 0003 and 0004)
    row = (await timeliness(sessions, **SEPTEMBER)).rows[0]
    assert (row.received, row.responded) == (1, 0)
    assert await stale_months(sessions) == []

    await act(sessions, staff, reference, "respond", date(2025, 10, 7), **RESPOND)
    assert await stale_months(sessions) == ["2025-09"]
    row = (await timeliness(sessions, **SEPTEMBER)).rows[0]  # a whole month: read from the rollup alone
    assert (row.received, row.responded, row.in_time) == (1, 1, 1)
    assert await stale_months(sessions) == []


async def test_two_reports_recounting_at_once_agree(sessions: Any, engine: Any, staff: Staff) -> None:
    for received_on in (date(2025, 9, 9), date(2025, 10, 6), date(2025, 11, 3)):
        reference = await new_request(sessions, staff, received_on)
        await act(sessions, staff, reference, "respond", received_on.replace(day=20), **RESPOND)
    assert await stale_months(sessions) == ["2025-09", "2025-10", "2025-11"]

    async def read() -> list[tuple[str, int, int]]:
        async with sessions.read() as db:
            report = await timeliness_report(
                db, TimelinessFilters(date_from=date(2025, 9, 1), date_to=date(2025, 11, 30), group_by="month"), TODAY
            )
        return [(row.key, row.received, row.in_time) for row in report.rows]

    first, second = await asyncio.gather(read(), read())
    expected = [("2025-09", 1, 1), ("2025-10", 1, 1), ("2025-11", 1, 1)]
    assert first == expected and second == expected
    assert await stale_months(sessions) == []
    assert await refresh_rollup(engine) == 0  # nothing left to recount
    async with sessions.read() as db:
        # each month's figures once: the whole authority's received count is 1 per month, not 2
        received = await db.scalar(select(func.sum(ReportRollup.n)).where(ReportRollup.department_id == -1, ReportRollup.facet == "status"))
    assert received == 3
