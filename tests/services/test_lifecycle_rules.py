"""Lifecycle rules beyond the state machine, through the service every entry point uses: approval is a
second person's check of the draft, a refusal names its grounds, a request lapses only from the date
its page shows. A refused step changes nothing: same status, same version, no new event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from app.domain.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from app.models import FoiRequest, RequestEvent, User
from app.services import bulk
from app.services import requests as service
from app.services.reports.overdue import OverdueFilters, overdue_report
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 12, 15, 12, 0, tzinfo=UTC)  # Monday 15 December 2025
DRAFT = {"outcome": "refused_in_full", "exemptions": ["FOIA-s43"], "response": "Withheld: commercially sensitive (s.43(2))."}


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


async def new_request(sessions: Any, staff: Staff, regime: str = "foia", received_on: date = date(2025, 9, 9)) -> str:
    async with sessions.write.begin() as db:
        created = await service.create_request(
            db,
            service.NewRequest(
                regime=regime,
                title="Contract with the waste supplier",
                body="Please send the contract.",
                received_on=received_on,
                requester=service.RequesterDetails(name="Rosa Requester", email="rosa@example.org"),
            ),
            staff.officer,
            LONDON,
        )
        return created.reference


async def act(
    sessions: Any, reference: str, action: str, actor: User, on: date | None = None, note: str | None = None, **params: Any
) -> FoiRequest:
    async with sessions.write.begin() as db:
        return await service.apply_action(db, reference, action=action, params=params, actor=actor, zone=LONDON, on=on, note=note)


async def state(sessions: Any, reference: str) -> tuple[str, int, int]:
    """What a refused step must leave as it was: status, version and the number of events."""
    async with sessions.read() as db:
        request = await db.scalar(select(FoiRequest).where(FoiRequest.reference == reference))
        events = await db.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.request_id == request.id))
        return request.status, request.version, events


async def refused(sessions: Any, reference: str, error: type[Exception], action: str, actor: User, **kwargs: Any) -> Exception:
    before = await state(sessions, reference)
    with pytest.raises(error) as caught:
        await act(sessions, reference, action, actor, **kwargs)
    assert await state(sessions, reference) == before
    return caught.value


async def submitted(sessions: Any, staff: Staff, by: User | None = None, **draft: Any) -> str:
    reference = await new_request(sessions, staff)
    await act(sessions, reference, "start", staff.officer, date(2025, 9, 10))
    await act(sessions, reference, "submit_for_approval", by or staff.officer, date(2025, 9, 20), **(draft or DRAFT))
    return reference


async def test_approval_is_a_managers_check_never_the_submitters_own(sessions: Any, staff: Staff) -> None:
    reference = await submitted(sessions, staff)
    problem = await refused(sessions, reference, Forbidden, "approve", staff.officer, on=date(2025, 9, 22))
    assert "a manager or an admin approves a response" in str(problem)
    problem = await refused(sessions, reference, Forbidden, "approve", staff.other_officer, on=date(2025, 9, 22))

    own = await submitted(sessions, staff, by=staff.manager)
    problem = await refused(sessions, own, Conflict, "approve", staff.manager, on=date(2025, 9, 22))
    assert str(problem) == "you submitted this response for approval: another manager must approve it"
    approved = await act(sessions, own, "approve", staff.admin, date(2025, 9, 22))
    assert approved.status == "in_progress"

    approved = await act(sessions, reference, "approve", staff.manager, date(2025, 9, 22))
    async with sessions.read() as db:
        detail = await service.get_request(db, reference)
    assert detail.events[0].details == DRAFT  # the approval records the draft it approved


async def test_the_response_sent_after_approval_is_the_approved_draft(sessions: Any, staff: Staff) -> None:
    reference = await submitted(sessions, staff)
    await act(sessions, reference, "approve", staff.manager, date(2025, 9, 22))
    problem = await refused(
        sessions, reference, Conflict, "respond", staff.officer, on=date(2025, 9, 23), **{**DRAFT, "outcome": "granted_in_part"}
    )
    assert str(problem) == (
        "the response differs from the approved draft (outcome: approved 'Refused in full', sent 'Granted in part'): "
        "submit it for approval again"
    )
    await refused(sessions, reference, Conflict, "respond", staff.officer, on=date(2025, 9, 23), **{**DRAFT, "response": "Other words."})

    # a changed draft goes for approval again; until approved, nothing can be sent
    await act(
        sessions, reference, "submit_for_approval", staff.officer, date(2025, 9, 23), **{**DRAFT, "exemptions": ["FOIA-s43", "FOIA-s40"]}
    )
    await refused(sessions, reference, IllegalTransition, "respond", staff.officer, on=date(2025, 9, 23), **DRAFT)
    await act(sessions, reference, "approve", staff.admin, date(2025, 9, 24))
    await refused(sessions, reference, Conflict, "respond", staff.officer, on=date(2025, 9, 24), **DRAFT)
    sent = await act(
        sessions,
        reference,
        "respond",
        staff.officer,
        date(2025, 9, 24),
        **{**DRAFT, "exemptions": ["foia-s40", "FOIA-s43"], "response": f"  {DRAFT['response']}\n"},
    )
    assert (sent.status, sent.outcome) == ("responded", "refused_in_full")


async def test_a_manager_returns_a_draft_for_changes_with_a_reason(sessions: Any, staff: Staff) -> None:
    reference = await submitted(sessions, staff)
    await refused(sessions, reference, Forbidden, "return_for_changes", staff.officer, on=date(2025, 9, 22), note="Redo it")
    problem = await refused(sessions, reference, InvalidInput, "return_for_changes", staff.manager, on=date(2025, 9, 22))
    assert problem.field == "note"
    returned = await act(sessions, reference, "return_for_changes", staff.manager, date(2025, 9, 22), note="Say why s.43 applies.")
    assert returned.status == "in_progress"
    problem = await refused(sessions, reference, Conflict, "respond", staff.officer, on=date(2025, 9, 23), **DRAFT)
    assert "returned for changes" in str(problem) and "submit it for approval again" in str(problem)


async def test_approval_stays_optional(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff)
    await act(sessions, reference, "start", staff.officer, date(2025, 9, 10))
    assert (await act(sessions, reference, "respond", staff.officer, date(2025, 9, 20), **DRAFT)).status == "responded"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"outcome": "refused_in_full", "response": "We refuse."},
            "exemptions",
            "a refusal must name the exemption it relies on (FOIA s.17(1))",
        ),
        (
            {"outcome": "neither_confirm_nor_deny", "exemptions": ["FOIA-s40"]},
            "response",
            "Enter the response: a refusal must tell the requester why (FOIA s.17(1))",
        ),
        (
            {"outcome": "refused_vexatious", "response": " "},
            "response",
            "Enter the response: a refusal must tell the requester why (FOIA s.17(1))",
        ),
    ],
)
async def test_a_refusal_names_its_grounds_and_explains_itself(sessions: Any, staff: Staff, params: dict, field: str, message: str) -> None:
    reference = await new_request(sessions, staff)
    for action in ("respond", "submit_for_approval"):
        problem = await refused(sessions, reference, InvalidInput, action, staff.officer, on=date(2025, 9, 20), **params)
        assert (problem.field, problem.message) == (field, message)
    cost = await act(
        sessions, reference, "respond", staff.officer, date(2025, 9, 20), outcome="refused_cost", response="Over the s.12 limit."
    )
    assert (cost.status, cost.outcome) == ("responded", "refused_cost")


async def test_a_waiting_request_lapses_only_from_the_date_its_page_shows(sessions: Any, staff: Staff) -> None:
    reference = await new_request(sessions, staff)
    await act(sessions, reference, "request_clarification", staff.officer, date(2025, 9, 11))
    async with sessions.read() as db:
        waiting = await db.scalar(select(FoiRequest).where(FoiRequest.reference == reference))
        assert await service.lapse_dates(db, [waiting]) == {waiting.id: date(2025, 12, 11)}  # what the page shows
    problem = await refused(sessions, reference, Conflict, "lapse", staff.officer, on=date(2025, 12, 10))
    assert str(problem) == "can only lapse from Thursday 11 December 2025 (three months after the clarification was asked for)"
    assert (await act(sessions, reference, "lapse", staff.officer, date(2025, 12, 11))).status == "lapsed"

    # EIR: an advance payment unpaid 60 working days after the notice (reg 8); today is before that
    eir = await new_request(sessions, staff, regime="eir", received_on=date(2025, 10, 1))
    await act(sessions, eir, "issue_fee_notice", staff.officer, date(2025, 10, 2))
    problem = await refused(sessions, eir, Conflict, "lapse", staff.officer)
    assert str(problem).startswith("can only lapse from Wednesday 31 December 2025 (60 working days after the fees notice (EIR reg 8))")
    async with sessions.read() as db:  # the overdue report gives the same date
        report = await overdue_report(db, OverdueFilters(limit=10), NOW.date())
    assert [(row.reference, row.lapses_on) for row in report.clock_stopped] == [(eir, date(2025, 12, 31))]


async def test_bulk_lapse_offers_only_the_eligible_and_says_why_not_for_the_others(sessions: Any, staff: Staff) -> None:
    old, recent = await new_request(sessions, staff), await new_request(sessions, staff, received_on=date(2025, 11, 3))
    await act(sessions, old, "issue_fee_notice", staff.officer, date(2025, 9, 12))
    await act(sessions, recent, "request_clarification", staff.officer, date(2025, 11, 4))
    async with sessions.write.begin() as db:
        plan = await bulk.plan_bulk(db, [old, recent], "lapse", {}, zone=LONDON)
    assert [c.reference for c in plan.changes] == [old]
    assert [(r.reference, r.reason) for r in plan.refused] == [
        (recent, "Can only lapse from Wednesday 4 February 2026 (three months after the clarification was asked for).")
    ]
    before = await state(sessions, recent)
    async with sessions.write() as db:
        with pytest.raises(Conflict, match="Can only lapse from Wednesday 4 February 2026"):
            await bulk.apply_bulk(db, [old, recent], "lapse", {}, actor=staff.officer, zone=LONDON)
    assert await state(sessions, recent) == before
    assert (await state(sessions, old))[0] == "awaiting_fee"  # all or nothing
    async with sessions.write.begin() as db:
        await bulk.apply_bulk(db, plan.references, "lapse", {}, actor=staff.officer, zone=LONDON)
    assert (await state(sessions, old))[0] == "lapsed"
