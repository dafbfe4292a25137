"""The cases the acceptance names, through the real services; and the benchmark's fast path agrees with them."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.domain.errors import InvalidInput
from app.models import FoiRequest, RequestExemption
from app.services import reports
from app.services import requests as service
from app.services.deadlines import Calendars
from bench.report_data import generate_histories, request_columns
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)  # Wednesday 18 March 2026
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


async def new_request(sessions: Any, staff: Staff, received_on: date, regime: str = "foia", department: str = "corporate-services") -> str:
    async with sessions.write() as db:
        created = await service.create_request(
            db,
            service.NewRequest(
                regime=regime,
                title="Pothole repairs on Elm Road",
                body="Please send the figures.",
                received_on=received_on,
                department=department,
                requester_name="Rosa Requester",
                requester_email="rosa@example.org",
                assignee=staff.officer.email,
            ),
            staff.officer,
            LONDON,
        )
        return created.reference


async def act(sessions: Any, staff: Staff, reference: str, action: str, on: date, **params: Any) -> FoiRequest:
    async with sessions.write() as db:
        return await service.apply_action(db, reference, action=action, params=params, actor=staff.officer, zone=LONDON, on=on)


async def overdue(sessions: Any, as_of: date = TODAY) -> reports.OverdueReport:
    async with sessions.read() as db:
        return await reports.overdue_report(db, reports.OverdueFilters(limit=100), as_of)


async def timeliness(sessions: Any, engine: Any, **filters: Any) -> reports.TimelinessReport:
    await reports.refresh_rollup(engine)
    async with sessions.read() as db:
        return await reports.timeliness_report(db, reports.TimelinessFilters(**filters), TODAY)


RESPOND = {"outcome": "granted_in_full", "exemptions": [], "response": "Here it is."}


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
        everything = await reports.overdue_report(db, reports.OverdueFilters(limit=100), TODAY)
        cut_short = await reports.overdue_report(db, reports.OverdueFilters(limit=2), TODAY)
    assert [row.reference for row in everything.clock_stopped] == [second, third, first]
    assert [row.stopped_since for row in everything.clock_stopped] == [date(2026, 1, 9), date(2026, 1, 30), date(2026, 2, 20)]
    assert [row.reference for row in cut_short.clock_stopped] == [second, third]
    assert cut_short.totals.clock_stopped == 3


async def test_answered_on_the_due_date_is_in_time(sessions: Any, engine: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))  # due Tue 7 Oct 2025
    answered = await act(sessions, staff, reference, "respond", date(2025, 10, 7), **RESPOND)
    assert answered.response_base_due_on == date(2025, 10, 7)
    report = await timeliness(sessions, engine, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30), group_by="month")
    row = report.rows[0]
    assert (row.received, row.responded, row.in_time, row.in_time_extended, row.late) == (1, 1, 1, 0, 0)
    assert row.days.median == 20


async def test_answered_a_day_late_is_late(sessions: Any, engine: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))
    await act(sessions, staff, reference, "respond", date(2025, 10, 8), **RESPOND)
    row = (await timeliness(sessions, engine, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30))).rows[0]
    assert (row.in_time, row.in_time_extended, row.late) == (0, 0, 1)


async def test_late_within_a_public_interest_extension_notified_in_time(sessions: Any, engine: Any, staff: Staff) -> None:
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
    row = (await timeliness(sessions, engine, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30))).rows[0]
    assert (row.in_time, row.in_time_extended, row.late) == (0, 1, 0)
    assert row.in_time_rate == 100.0
    assert row.exemptions == {"FOIA-s43": 1}
    assert row.outcomes["withheld_in_part"] == 1


async def test_extended_after_its_due_date_is_late(sessions: Any, engine: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))
    await act(sessions, staff, reference, "start", date(2025, 9, 10))
    extended = await act(sessions, staff, reference, "extend_pit", date(2025, 10, 9), working_days=20)  # two days too late
    assert extended.extension_late is True
    await act(sessions, staff, reference, "respond", date(2025, 10, 30), **RESPOND)  # inside the (late) extension
    row = (await timeliness(sessions, engine, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30))).rows[0]
    assert (row.in_time, row.in_time_extended, row.late) == (0, 0, 1)


async def test_an_eir_extension_notified_in_time_is_permitted(sessions: Any, engine: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9), regime="eir", department="environment-and-highways")
    await act(sessions, staff, reference, "extend_eir", date(2025, 9, 30))
    await act(sessions, staff, reference, "respond", date(2025, 11, 3), **RESPOND)
    row = (await timeliness(sessions, engine, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30), group_by="department")).rows
    by_slug = {r.key: r for r in row}
    assert by_slug["environment-and-highways"].in_time_extended == 1
    assert by_slug["corporate-services"].received == 0


async def test_internal_reviews_are_their_own_rows(sessions: Any, engine: Any, staff: Staff) -> None:
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
    row = (await timeliness(sessions, engine, date_from=date(2025, 12, 1), date_to=date(2025, 12, 31))).rows[0]
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


async def test_a_fee_not_paid_is_a_procedural_refusal(sessions: Any, engine: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff, date(2025, 9, 9))
    await act(sessions, staff, reference, "issue_fee_notice", date(2025, 9, 15))
    await act(sessions, staff, reference, "lapse", date(2025, 12, 16))
    other = await new_request(sessions, staff, date(2025, 9, 10))
    await act(sessions, staff, other, "request_clarification", date(2025, 9, 11))
    await act(sessions, staff, other, "lapse", date(2025, 12, 12))
    row = (await timeliness(sessions, engine, date_from=date(2025, 9, 1), date_to=date(2025, 9, 30))).rows[0]
    assert row.procedural["fee_not_paid"] == 1
    assert row.outcomes["lapsed_or_withdrawn"] == 2


async def test_due_soon_counts_working_days_on_the_law_s_calendar(sessions: Any, staff: Staff) -> None:
    foisa = await new_request(sessions, staff, date(2026, 2, 20), regime="foisa")  # due Fri 20 Mar
    report = await overdue(sessions)
    assert [(row.reference, row.working_days) for row in report.due_soon] == [(foisa, 2)]


async def test_bad_filters_name_the_field(sessions: Any, staff: Staff) -> None:
    async with sessions.read() as db:
        for filters, field in (
            (reports.TimelinessFilters(group_by="fortnight"), "group_by"),
            (reports.TimelinessFilters(date_from=date(2026, 3, 1), date_to=date(2026, 2, 1)), "to"),
            (reports.TimelinessFilters(department="nowhere"), "department"),
        ):
            with pytest.raises(InvalidInput) as problem:
                await reports.timeliness_report(db, filters, TODAY)
            assert problem.value.field == field
        for overdue_filters, field in (
            (reports.OverdueFilters(regime="gdpr"), "regime"),
            (reports.OverdueFilters(assignee="nobody@example.org"), "assignee"),
            (reports.OverdueFilters(limit=0), "limit"),
        ):
            with pytest.raises(InvalidInput) as problem:
                await reports.overdue_report(db, overdue_filters, TODAY)
            assert problem.value.field == field


async def test_titles_in_reports_never_carry_the_requester_s_name(sessions: Any, staff: Staff) -> None:
    async with sessions.write() as db:
        created = await service.create_request(
            db,
            service.NewRequest(
                regime="foia",
                title="Complaint by Rosa Requester about bins",
                body="Body",
                received_on=date(2025, 11, 3),
                requester_name="Rosa Requester",
                requester_email="rosa@example.org",
            ),
            staff.officer,
            LONDON,
        )
    report = await overdue(sessions)
    row = next(r for r in report.overdue if r.reference == created.reference)
    assert "Rosa" not in row.title and "[redacted]" in row.title


async def test_the_benchmark_s_fast_path_stores_what_the_services_store(sessions: Any, staff: Staff) -> None:
    """Histories replayed through create_request and apply_action leave exactly the columns that
    bench.report_data.request_columns computes (the brute-force test and the benchmark rely on it)."""
    calendars = Calendars(())
    officers = [staff.officer.email, staff.other_officer.email]
    histories = list(
        generate_histories(400, first_day=date(2025, 1, 1), today=TODAY, seed=7, calendars=calendars, departments=2, officers=officers)
    )
    rng = random.Random(3)
    kinds = {
        "extended": [h for h in histories if any(s.action in ("extend_pit", "extend_eir") for s in h.steps)],
        "fee": [h for h in histories if any(s.action == "issue_fee_notice" for s in h.steps)],
        "clarification": [h for h in histories if any(s.action == "request_clarification" for s in h.steps)],
        "review": [h for h in histories if any(s.action == "request_internal_review" for s in h.steps)],
        "plain": histories,
    }
    chosen = {h.number: h for found in kinds.values() for h in rng.sample(found, min(6, len(found)))}
    slugs = ["corporate-services", "environment-and-highways"]
    compared = [
        "status",
        "outcome",
        "responded_on",
        "deadline_stage",
        "due_on",
        "original_due_on",
        "working_days_limit",
        "clock_stopped",
        "clock_state",
        "deadline_flags",
        "response_due_on",
        "response_base_due_on",
        "extension_late",
        "response_working_days",
        "review_requested_on",
        "review_due_on",
        "review_completed_on",
        "review_outcome",
    ]
    for history in chosen.values():
        async with sessions.write() as db:
            created = await service.create_request(
                db,
                service.NewRequest(
                    regime=history.regime.value,
                    title=f"History {history.number}",
                    body="Body",
                    received_on=history.received_on,
                    requester_name="Rosa Requester",
                    requester_email="rosa@example.org",
                    department=slugs[history.department] if history.department is not None else None,
                ),
                staff.officer,
                LONDON,
            )
        for step in history.steps:
            params = dict(step.details)
            params.pop("assignee_name", None)
            if step.action in ("approve", "return_for_changes"):  # a second person's check: a manager's
                async with sessions.write() as db:
                    await service.apply_action(
                        db,
                        created.reference,
                        action=step.action,
                        params=params,
                        actor=staff.manager,
                        zone=LONDON,
                        on=step.on,
                        note="Say why the exemption applies." if step.action == "return_for_changes" else None,
                    )
                continue
            await act(sessions, staff, created.reference, step.action, step.on, **params)
        async with sessions.read() as db:
            stored = await db.scalar(select(FoiRequest).where(FoiRequest.reference == created.reference))
            codes = set(await db.scalars(select(RequestExemption.code).where(RequestExemption.request_id == stored.id)))
        expected = request_columns(history, calendars)
        assert {name: getattr(stored, name) for name in compared} == {name: expected[name] for name in compared}, history
        respond = next((s for s in history.steps if s.action == "respond"), None)
        assert codes == set(respond.details["exemptions"] if respond else [])


@pytest.mark.parametrize(
    "title",
    [
        "Complaint by Rosa Requester",
        "Letter from R. Requester",
        "Dear Ms Requester",
        "Reply to RA Requester",
        "Mail to rosa.r@example.org",
        "From rosa.r about bins",
        "Bins at 1 High Street",
        "Flats, Anytown AB1 2CD",
        "Postcode ab12cd",
        "Nothing personal here",
    ],
)
def test_the_quick_test_before_redaction_never_skips_a_title_that_needs_it(title: str) -> None:
    from app.domain.redaction import PersonalData, may_need_redaction, redact

    person = PersonalData("Rosa Ann Requester", "rosa.r@example.org", "1 High Street\nAnytown AB1 2CD")
    if redact(title, person) != title:
        assert may_need_redaction(title, person), title
