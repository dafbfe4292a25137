"""Editing a request's details: every value checked before anything is written, a stale version
refused, a new date of receipt recomputing the due date, and a history that names personal data
changes without copying them."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import msgspec
import pytest
import time_machine
from sqlalchemy import func, select

from app.domain.errors import InvalidInput
from app.domain.regimes import Regime
from app.models import RequestEvent
from app.services import requests as service
from app.services.deadlines import Calendars, compute_for
from app.services.errors import Conflict
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
NOW = "2026-03-20 10:00 +00:00"
PERSONAL = ("Rosa Requester", "rosa@example.org", "1 High Street", "Rosalind Q. Requester", "rq@example.net", "Flat 9")


async def _logged(sessions, staff: Staff, received_on: date = date(2026, 3, 2)) -> str:
    async with sessions.write.begin() as db:
        request = await service.create_request(
            db,
            service.NewRequest(
                regime="foia",
                title="Agency staff spend",
                body="How much was spent on agency staff?",
                channel="email",
                received_on=received_on,
                department="corporate-services",
                requester=service.RequesterDetails(
                    name="Rosa Requester", email="rosa@example.org", address="1 High Street\nAnytown AB1 2CD"
                ),
            ),
            staff.officer,
            LONDON,
        )
    return request.reference


async def _snapshot(sessions, reference: str) -> tuple:
    async with sessions.read() as db:
        detail = await service.get_request(db, reference)
        events = await db.scalar(select(func.count()).select_from(RequestEvent).where(RequestEvent.request_id == detail.request.id))
    r, p = detail.request, detail.request.requester
    return (
        r.title,
        r.body,
        r.channel,
        r.received_on,
        r.received_at,
        r.department_id,
        r.due_on,
        r.version,
        p.name,
        p.email,
        p.address,
        events,
    )


async def _edit(sessions, staff: Staff, reference: str, changes: dict, version: int) -> service.DetailsEdit:
    """The edit form's fields, as the page sends them."""
    async with sessions.write.begin() as db:
        return await service.edit_details(db, reference, service.DetailsChanges.from_form(changes), version, staff.other_officer, LONDON)


@time_machine.travel(NOW, tick=False)
async def test_each_field_is_edited_and_the_history_names_what_changed(sessions, staff: Staff) -> None:
    reference = await _logged(sessions, staff)
    edit = await _edit(
        sessions,
        staff,
        reference,
        {
            "title": "Agency and interim staff spend",
            "body": "How much was spent on agency and interim staff in 2025?",
            "channel": "post",
            "department": "environment-and-highways",
            "requester_name": "Rosalind Q. Requester",
            "requester_email": "RQ@example.net",
            "requester_address": "Flat 9\nAnytown",
        },
        1,
    )
    assert edit.changed == ["title", "body", "channel", "department", "requester"]
    assert edit.labels == ["title", "request text", "channel", "department", "requester details"]
    async with sessions.read() as db:
        detail = await service.get_request(db, reference)
    request = detail.request
    assert (request.title, request.channel, request.department.slug, request.version) == (
        "Agency and interim staff spend",
        "post",
        "environment-and-highways",
        2,
    )
    assert request.body.endswith("agency and interim staff in 2025?") and request.reference == reference
    assert (request.requester.name, request.requester.email, request.requester.address) == (
        "Rosalind Q. Requester",
        "rq@example.net",
        "Flat 9\nAnytown",
    )

    event = detail.events[0]
    assert event.action == "edit_details" and event.actor_id == staff.other_officer.id
    assert event.details["changed"] == ["title", "request text", "channel", "department", "requester details"]
    assert event.details["values"] == {
        "title": ["Agency staff spend", "Agency and interim staff spend"],
        "channel": ["email", "post"],
        "department": ["Corporate Services", "Environment and Highways"],
    }
    recorded = json.dumps(event.details) + (event.note or "")
    assert not any(item.lower() in recorded.lower() for item in PERSONAL)
    assert "How much" not in recorded  # the request text is named, not copied

    # only what really changed is recorded; nothing changed, nothing recorded
    same = await _edit(
        sessions, staff, reference, {"title": " Agency and interim staff spend ", "department": "environment-and-highways"}, 2
    )
    assert same.changed == [] and (await _snapshot(sessions, reference))[7] == 2
    cleared = await _edit(sessions, staff, reference, {"department": "", "requester_email": ""}, 2)
    assert cleared.changed == ["department", "requester"]
    async with sessions.read() as db:
        event = (await service.get_request(db, reference)).events[0]
    assert event.details["values"] == {"department": ["Environment and Highways", None]}


@time_machine.travel(NOW, tick=False)
async def test_a_stale_version_is_refused_and_nothing_is_saved(sessions, staff: Staff) -> None:
    reference = await _logged(sessions, staff)
    await _edit(sessions, staff, reference, {"title": "First editor's title"}, 1)
    before = await _snapshot(sessions, reference)
    with pytest.raises(Conflict) as refused:
        await _edit(sessions, staff, reference, {"title": "Second editor's title", "received_on": "2026-03-03"}, 1)
    assert "changed by someone else" in str(refused.value) and "nothing was saved" in str(refused.value)
    assert await _snapshot(sessions, reference) == before


@time_machine.travel(NOW, tick=False)
async def test_a_new_date_of_receipt_recomputes_the_due_date(sessions, staff: Staff) -> None:
    reference = await _logged(sessions, staff, date(2026, 3, 2))
    async with sessions.read() as db:
        calendars = await Calendars.load(db)
        old_due = (await service.get_request(db, reference)).request.due_on
    expected = compute_for(Regime.FOIA, date(2026, 3, 3), [], calendars).due_on
    assert old_due == compute_for(Regime.FOIA, date(2026, 3, 2), [], calendars).due_on != expected

    edit = await _edit(sessions, staff, reference, {"received_on": "2026-03-03"}, 1)
    assert edit.changed == ["received_on"] and edit.received_on_before == date(2026, 3, 2)
    request = edit.request
    assert request.received_on == date(2026, 3, 3) and request.due_on == request.response_due_on == expected
    assert request.received_at.astimezone(LONDON).date() == date(2026, 3, 3)
    assert request.reference == reference  # the reference stays what it was
    async with sessions.read() as db:
        event = (await service.get_request(db, reference)).events[0]
    assert event.details["values"] == {"received_on": ["2026-03-02", "2026-03-03"]}
    assert event.details["due_on"] == [old_due.isoformat(), expected.isoformat()]


@time_machine.travel(NOW, tick=False)
async def test_a_date_of_receipt_in_the_future_or_after_the_first_step_is_refused(sessions, staff: Staff) -> None:
    reference = await _logged(sessions, staff, date(2026, 3, 2))
    async with sessions.write.begin() as db:
        await service.apply_action(db, reference, action="start", params={}, actor=staff.officer, zone=LONDON, on=date(2026, 3, 4))
    before = await _snapshot(sessions, reference)
    for value, message in (
        ("2026-03-21", "cannot be in the future"),
        ("2026-03-05", "cannot be after 4 March 2026, when the first step was recorded (work started)"),
        ("05/03/2026", "'05/03/2026' is not a date (use YYYY-MM-DD)"),
        ("", "give the date the request was received"),
    ):
        with pytest.raises(InvalidInput) as refused:
            await _edit(sessions, staff, reference, {"received_on": value, "title": "Changed too"}, 2)
        assert (refused.value.field, refused.value.message) == ("received_on", message)
        assert await _snapshot(sessions, reference) == before
    # on the day of the first step is fine
    assert (await _edit(sessions, staff, reference, {"received_on": "2026-03-04"}, 2)).request.received_on == date(2026, 3, 4)


@time_machine.travel(NOW, tick=False)
async def test_every_invalid_value_is_reported_at_once_and_nothing_is_saved(sessions, staff: Staff) -> None:
    reference = await _logged(sessions, staff)
    before = await _snapshot(sessions, reference)
    with pytest.raises(service.InvalidDetails) as refused:
        await _edit(
            sessions,
            staff,
            reference,
            {
                "title": "",
                "body": "x" * 100_001,
                "channel": "pigeon",
                "department": "parks",
                "requester_name": "A valid new name",
                "requester_email": "not-an-email",
                "requester_address": "Flat 9",
            },
            1,
        )
    assert set(refused.value.errors) == {"title", "body", "channel", "department", "requester.email"}
    assert refused.value.errors["department"] == "no department 'parks'"
    assert "not-an-email" not in json.dumps(refused.value.errors)
    assert await _snapshot(sessions, reference) == before

    with pytest.raises(InvalidInput) as no_way_to_reply:
        await _edit(sessions, staff, reference, {"requester_email": "", "requester_address": ""}, 1)
    assert no_way_to_reply.value.field == "requester.email" and "email address or a postal address" in no_way_to_reply.value.message
    # what is not a detail is not a field of an edit: refused by name where it is read (the API: 400)
    with pytest.raises(msgspec.ValidationError, match="unknown field `status`"):
        msgspec.convert({"status": "responded"}, service.DetailsChanges)
    assert await _snapshot(sessions, reference) == before


@time_machine.travel(NOW, tick=False)
async def test_a_responded_request_recounts_the_working_days_its_response_took(sessions, staff: Staff) -> None:
    reference = await _logged(sessions, staff, date(2026, 3, 4))
    async with sessions.write.begin() as db:
        done = await service.apply_action(
            db,
            reference,
            action="respond",
            params={"outcome": "granted_in_full", "response": "Attached."},
            actor=staff.officer,
            zone=LONDON,
            on=date(2026, 3, 11),
        )
        taken = done.response_working_days
    edit = await _edit(sessions, staff, reference, {"received_on": "2026-03-02"}, done.version)
    assert edit.request.response_working_days == taken + 2
    assert edit.request.status == "responded" and edit.request.clock_state == "closed"
