"""A correction to the bank holiday calendar moves the open due dates it affects, and only those."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import update

from app.domain.errors import InvalidInput
from app.models import FoiRequest
from app.services import calendar as calendar_service
from app.services import requests as service
from app.services.errors import Conflict
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
FROZEN = "2025-10-22 10:00 +01:00"


async def _request(sessions, staff: Staff, regime: str, received: date) -> str:
    async with sessions.write.begin() as db:
        made = await service.create_request(
            db,
            service.NewRequest(
                regime=regime,
                title="Road gritting",
                body="Routes?",
                requester=service.RequesterDetails(name="G", email="g@example.org"),
                received_on=received,
            ),
            staff.officer,
            LONDON,
        )
    return made.reference


async def _state(sessions, reference: str):
    async with sessions.read() as db:
        detail = await service.get_request(db, reference)
    return detail.request.due_on, detail.request.calendar_version, [e.action for e in detail.events]


@time_machine.travel(FROZEN, tick=False)
async def test_adding_and_removing_a_holiday_moves_only_affected_open_requests(sessions, staff: Staff) -> None:
    affected = await _request(sessions, staff, "foia", date(2025, 10, 1))  # due Wed 29 Oct
    later = await _request(sessions, staff, "foia", date(2025, 10, 20))  # due Mon 17 Nov: window starts after 10 Oct
    scottish = await _request(sessions, staff, "foisa", date(2025, 10, 1))  # Scotland's calendar: an English day is a working day
    closed = await _request(sessions, staff, "foia", date(2025, 10, 1))
    async with sessions.write.begin() as db:
        await service.apply_action(
            db,
            closed,
            action="respond",
            params={"outcome": "not_held", "response": "We hold none."},
            actor=staff.officer,
            zone=LONDON,
            on=date(2025, 10, 15),
        )
    before = {ref: await _state(sessions, ref) for ref in (affected, later, scottish, closed)}
    assert before[affected][0] == date(2025, 10, 29)

    async with sessions.write.begin() as db:
        report = await calendar_service.add_correction(
            db,
            day=date(2025, 10, 10),
            nation="ENG",
            change="add",
            name="Proclaimed day",
            reason="Royal proclamation",
            source="London Gazette",
            actor=staff.admin,
            zone=LONDON,
        )

    assert (report.checked, report.moved) == (3, 1)
    due, version, history = await _state(sessions, affected)
    assert due == date(2025, 10, 30)
    assert version != before[affected][1]
    assert history[0] == "recalculate_deadline"
    later_due, later_version, later_history = await _state(sessions, later)
    assert later_due == before[later][0] and "recalculate_deadline" not in later_history
    assert later_version == version  # same UK calendar, recorded even though the date did not move
    assert await _state(sessions, scottish) == before[scottish]
    assert await _state(sessions, closed) == before[closed]

    async with sessions.read() as db:
        correction_id = (await calendar_service.list_corrections(db))[0].id
    async with sessions.write.begin() as db:
        undone = await calendar_service.remove_correction(db, correction_id, actor=staff.admin, zone=LONDON)
    assert undone.moved == 1
    due, version, history = await _state(sessions, affected)
    assert due == date(2025, 10, 29) and version == before[affected][1]
    assert history[:2] == ["recalculate_deadline", "recalculate_deadline"]


@time_machine.travel(FROZEN, tick=False)
async def test_bad_corrections_are_refused_and_change_nothing(sessions, staff: Staff) -> None:
    reference = await _request(sessions, staff, "foia", date(2025, 10, 1))
    before = await _state(sessions, reference)
    cases = [
        (dict(nation="FR", change="add", name="x", reason="y"), "nation"),
        (dict(nation="ENG", change="swap", name="x", reason="y"), "change"),
        (dict(nation="ENG", change="add", name=" ", reason="y"), "name"),
        (dict(nation="ENG", change="add", name="x", reason=""), "reason"),
    ]
    for arguments, field in cases:
        async with sessions.write() as db:
            with pytest.raises(InvalidInput) as refused:
                await calendar_service.add_correction(db, day=date(2025, 10, 10), source="", actor=staff.admin, zone=LONDON, **arguments)
            assert refused.value.field == field
    async with sessions.write.begin() as db:
        await calendar_service.add_correction(
            db, day=date(2025, 10, 10), nation="SCT", change="add", name="x", reason="y", source="", actor=staff.admin, zone=LONDON
        )
    async with sessions.write() as db:
        with pytest.raises(Conflict):
            await calendar_service.add_correction(
                db, day=date(2025, 10, 10), nation="SCT", change="add", name="x", reason="y", source="", actor=staff.admin, zone=LONDON
            )
    due, _, history = await _state(sessions, reference)
    assert due == date(2025, 10, 30)  # the Scottish day counts for FOIA, the union of every nation
    assert history.count("recalculate_deadline") == 1
    assert before[0] == date(2025, 10, 29)


@time_machine.travel(FROZEN, tick=False)
async def test_due_dates_from_another_holidays_release_are_recomputed_once_after_an_upgrade(sessions, staff: Staff) -> None:
    stale = await _request(sessions, staff, "foia", date(2025, 10, 1))  # due Wed 29 Oct on this release
    current = await _request(sessions, staff, "foia", date(2025, 10, 2))
    async with sessions.write.begin() as db:
        # as stored by an older release of the package, whose calendar gave another day
        await db.execute(
            update(FoiRequest)
            .where(FoiRequest.reference == stale)
            .values(due_on=date(2025, 10, 30), calendar_version="uk/holidays-0.100+p1")
        )
    async with sessions.write.begin() as db:
        report = await calendar_service.recompute_after_package_change(db, zone=LONDON)
    assert report is not None and report.moved == 1
    due_on, version, actions = await _state(sessions, stale)
    assert due_on == date(2025, 10, 29)
    assert calendar_service.package_stamp() in version
    assert "recalculate_deadline" in actions
    assert "recalculate_deadline" not in (await _state(sessions, current))[2]
    async with sessions.write.begin() as db:
        assert await calendar_service.recompute_after_package_change(db, zone=LONDON) is None  # nothing stale any more
