"""The status history is append-only, down to the database: SQL cannot edit or delete an event."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.services import requests as service
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")


async def _logged_request(sessions, staff: Staff) -> str:
    async with sessions.write.begin() as db:
        request = await service.create_request(
            db,
            service.NewRequest(
                regime="foia",
                title="Agency staff spend",
                body="How much?",
                requester=service.RequesterDetails(name="R", email="r@example.org"),
                received_on=date(2025, 9, 29),
            ),
            staff.officer,
            LONDON,
        )
    async with sessions.write.begin() as db:
        await service.apply_action(db, request.reference, action="start", params={}, actor=staff.officer, zone=LONDON)
    return request.reference


@time_machine.travel("2025-10-01 10:00 +01:00", tick=False)
@pytest.mark.parametrize("statement", ["UPDATE request_events SET note = 'rewritten'", "DELETE FROM request_events"])
async def test_sql_cannot_change_or_remove_events(sessions, staff: Staff, statement: str) -> None:
    reference = await _logged_request(sessions, staff)
    async with sessions.write() as db:
        with pytest.raises((IntegrityError, DBAPIError)) as raised:
            await db.execute(text(statement))
        assert "append-only" in str(raised.value)
        await db.rollback()
    async with sessions.read() as db:
        detail = await service.get_request(db, reference)
    assert [event.action for event in detail.events] == ["start", "log"]
    assert all(event.note is None for event in detail.events)


@time_machine.travel("2025-10-01 10:00 +01:00", tick=False)
async def test_every_action_writes_one_event_with_who_when_and_states(sessions, staff: Staff) -> None:
    reference = await _logged_request(sessions, staff)
    async with sessions.write.begin() as db:
        await service.apply_action(
            db,
            reference,
            action="issue_fee_notice",
            params={},
            actor=staff.other_officer,
            zone=LONDON,
            note="Fee for copying",
            on=date(2025, 9, 30),
        )
    async with sessions.read() as db:
        detail = await service.get_request(db, reference)
    newest = detail.events[0]
    assert (newest.action, newest.from_status, newest.to_status) == ("issue_fee_notice", "in_progress", "awaiting_fee")
    assert newest.actor_id == staff.other_officer.id
    assert newest.occurred_on.isoformat() == "2025-09-30"
    assert newest.recorded_at.isoformat().startswith("2025-10-01T09:00")
    assert newest.note == "Fee for copying"
    assert detail.request.status == "awaiting_fee"
    assert detail.request.due_on is None and detail.request.clock_stopped
