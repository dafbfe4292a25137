"""The overdue report (app.services.reports.overdue): the cases the acceptance names, through the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.domain.errors import InvalidInput
from app.services.reports.overdue import OverdueFilters, overdue_report
from tests.factories import Staff
from tests.services.reports.cases import TODAY, act, new_request, overdue

pytestmark = pytest.mark.usefixtures("frozen")


async def test_waiting_for_a_fee_or_a_clarification_is_never_overdue(sessions: Any, staff: Staff) -> None:
    # both received months ago: without the pauses they would be long overdue
    fee = await new_request(sessions, staff, date(2025, 11, 3))
    await act(sessions, staff, fee, "start", date(2025, 11, 4))
    await act(sessions, staff, fee, "issue_fee_notice", date(2025, 11, 10))
    clarification = await new_request(sessions, staff, date(2025, 10, 1), regime="eir")
    await act(sessions, staff, clarification, "request_clarification", date(2025, 10, 2))
    plain = await new_request(sessions, staff, date(2025, 11, 3))

    report = await overdue(sessions)
    assert [row.reference for row in report.overdue] == [plain]
    assert {row.reference: row.stopped_reason for row in report.clock_stopped} == {
        fee: "awaiting fee",
        clarification: "awaiting clarification",
    }
    stopped = {row.reference: row for row in report.clock_stopped}
    assert stopped[fee].stopped_since == date(2025, 11, 10)
    assert stopped[fee].lapses_on == date(2026, 2, 10)
    assert report.totals.overdue == 1 and report.totals.clock_stopped == 2
    assert all(row.due_on is None for row in report.clock_stopped)


async def test_the_clock_stopped_list_shows_the_longest_waiting_first_even_when_cut_short(sessions: Any, staff: Staff) -> None:
    # logged in one order, stopped in another: the list follows the day each one stopped
    first = await new_request(sessions, staff, date(2026, 1, 5))
    second = await new_request(sessions, staff, date(2026, 1, 6))
    third = await new_request(sessions, staff, date(2026, 1, 7))
    await act(sessions, staff, first, "request_clarification", date(2026, 2, 20))
    await act(sessions, staff, second, "issue_fee_notice", date(2026, 1, 9))
    await act(sessions, staff, third, "request_clarification", date(2026, 1, 30))
    async with sessions.read() as db:
        everything = await overdue_report(db, OverdueFilters(limit=100), TODAY)
        cut_short = await overdue_report(db, OverdueFilters(limit=2), TODAY)
    assert [row.reference for row in everything.clock_stopped] == [second, third, first]
    assert [row.stopped_since for row in everything.clock_stopped] == [date(2026, 1, 9), date(2026, 1, 30), date(2026, 2, 20)]
    assert [row.reference for row in cut_short.clock_stopped] == [second, third]
    assert cut_short.totals.clock_stopped == 3


async def test_due_soon_counts_working_days_on_the_law_s_calendar(sessions: Any, staff: Staff) -> None:
    foisa = await new_request(sessions, staff, date(2026, 2, 20), regime="foisa")  # due Fri 20 Mar
    report = await overdue(sessions)
    assert [(row.reference, row.working_days) for row in report.due_soon] == [(foisa, 2)]


async def test_bad_overdue_filters_name_the_field(sessions: Any, staff: Staff) -> None:
    async with sessions.read() as db:
        for overdue_filters, field in (
            (OverdueFilters(regime="gdpr"), "regime"),
            (OverdueFilters(assignee="nobody@example.org"), "assignee"),
            (OverdueFilters(limit=0), "limit"),
        ):
            with pytest.raises(InvalidInput) as problem:
                await overdue_report(db, overdue_filters, TODAY)
            assert problem.value.field == field
