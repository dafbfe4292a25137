"""The timeliness report (app.services.reports.timeliness): the cases the acceptance names, through the
real services; each report brings the rollup up to date itself (no test refreshes it)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.domain.errors import InvalidInput
from app.services.reports.timeliness import TimelinessFilters, timeliness_report
from tests.factories import Staff
from tests.services.reports.cases import RESPOND, TODAY, act, new_request, overdue, timeliness

pytestmark = pytest.mark.usefixtures("frozen")


async def test_answered_on_the_due_date_is_in_time(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))  # due Tue 7 Oct 2025
    answered = await act(sessions, staff, reference, "respond", date(2025, 10, 7), **RESPOND)
    assert answered.response_base_due_on == date(2025, 10, 7)
    report = await timeliness(sessions, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30), group_by="month")
    row = report.rows[0]
    assert (row.received, row.responded, row.in_time, row.in_time_extended, row.late) == (1, 1, 1, 0, 0)
    assert row.days.median == 20


async def test_answered_a_day_late_is_late(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))
    await act(sessions, staff, reference, "respond", date(2025, 10, 8), **RESPOND)
    row = (await timeliness(sessions, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30))).rows[0]
    assert (row.in_time, row.in_time_extended, row.late) == (0, 0, 1)


async def test_late_within_a_public_interest_extension_notified_in_time(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))  # due 7 Oct; +20 working days: 4 Nov
    await act(sessions, staff, reference, "start", date(2025, 9, 10))
    extended = await act(sessions, staff, reference, "extend_pit", date(2025, 10, 6), working_days=20)
    assert (extended.response_base_due_on, extended.response_due_on, extended.extension_late) == (
        date(2025, 10, 7),
        date(2025, 11, 4),
        False,
    )
    await act(
        sessions, staff, reference, "respond", date(2025, 10, 30), **{**RESPOND, "outcome": "granted_in_part", "exemptions": ["FOIA-s43"]}
    )
    row = (await timeliness(sessions, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30))).rows[0]
    assert (row.in_time, row.in_time_extended, row.late) == (0, 1, 0)
    assert row.in_time_rate == 100.0
    assert row.exemptions == {"FOIA-s43": 1}
    assert row.outcomes["withheld_in_part"] == 1


async def test_extended_after_its_due_date_is_late(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))
    await act(sessions, staff, reference, "start", date(2025, 9, 10))
    extended = await act(sessions, staff, reference, "extend_pit", date(2025, 10, 9), working_days=20)  # two days too late
    assert extended.extension_late is True
    await act(sessions, staff, reference, "respond", date(2025, 10, 30), **RESPOND)  # inside the (late) extension
    row = (await timeliness(sessions, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30))).rows[0]
    assert (row.in_time, row.in_time_extended, row.late) == (0, 0, 1)


async def test_an_eir_extension_notified_in_time_is_permitted(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9), regime="eir", department="environment-and-highways")
    await act(sessions, staff, reference, "extend_eir", date(2025, 9, 30))
    await act(sessions, staff, reference, "respond", date(2025, 11, 3), **RESPOND)
    row = (await timeliness(sessions, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30), group_by="department")).rows
    by_slug = {r.key: r for r in row}
    assert by_slug["environment-and-highways"].in_time_extended == 1
    assert by_slug["corporate-services"].received == 0


async def test_internal_reviews_are_their_own_rows(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 12, 1))
    await act(sessions, staff, reference, "respond", date(2025, 12, 19), **RESPOND)
    reviewed = await act(sessions, staff, reference, "request_internal_review", date(2026, 1, 5))
    assert reviewed.review_due_on == date(2026, 2, 2)  # 20 working days after Mon 5 Jan
    report = await overdue(sessions)
    assert [(row.reference, row.stage, row.due_on) for row in report.overdue] == [(reference, "internal_review", date(2026, 2, 2))]
    assert report.totals.overdue == 0 and report.totals.overdue_reviews == 1
    assert report.totals.ageing_reviews["21-40"] == 1  # 3 Feb to 18 Mar: 31 working days (St Patrick's Day is not one)
    assert report.overdue[0].working_days == 31

    await act(sessions, staff, reference, "complete_internal_review", date(2026, 3, 16), review_outcome="partly_overturned")
    row = (await timeliness(sessions, date_from=date(2025, 12, 1), date_to=date(2025, 12, 31))).rows[0]
    assert row.reviews == {
        "received": 1,
        "completed": 1,
        "completed_in_time": 0,
        "upheld": 0,
        "overturned": 0,
        "partly_overturned": 1,
        "open": 0,
    }
    assert row.in_time == 1  # the request itself was answered in time; the review changes nothing there


async def test_a_fee_not_paid_is_a_procedural_refusal(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))
    await act(sessions, staff, reference, "issue_fee_notice", date(2025, 9, 15))
    await act(sessions, staff, reference, "lapse", date(2025, 12, 16))
    other = await new_request(sessions, staff, date(2025, 9, 10))
    await act(sessions, staff, other, "request_clarification", date(2025, 9, 11))
    await act(sessions, staff, other, "lapse", date(2025, 12, 12))
    row = (await timeliness(sessions, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30))).rows[0]
    assert row.procedural["fee_not_paid"] == 1
    assert row.outcomes["lapsed_or_withdrawn"] == 2


async def test_bad_timeliness_filters_name_the_field(sessions: Any, staff: Staff) -> None:
    async with sessions.read() as db:
        for filters, field in (
            (TimelinessFilters(group_by="fortnight"), "group_by"),
            (TimelinessFilters(date_from=date(2026, 3, 1), date_to=date(2026, 2, 1)), "to"),
            (TimelinessFilters(department="nowhere"), "department"),
        ):
            with pytest.raises(InvalidInput) as problem:
                await timeliness_report(db, filters, TODAY)
            assert problem.value.field == field
