"""Bulk actions: a dry run that says what would change and what the lifecycle refuses, then all or nothing."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from app.domain.errors import InvalidInput
from app.models import BulkOperation, FoiRequest, RequestEvent
from app.services import batches, bulk, imports
from app.services import requests as request_service
from app.services.errors import Conflict
from tests.csv_samples import historic_rows, to_csv
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
FROZEN = "2025-11-20 10:00:00 +00:00"


async def _open_requests(sessions, staff: Staff) -> dict[str, str]:
    """Five requests: new, in progress, awaiting clarification, awaiting a fee, responded (by status).
    The two waiting on the requester have waited since 4 August 2025, long enough to lapse (4 November)."""
    rows = historic_rows(5)
    for row, status in zip(rows, ["new", "in_progress", "in_progress", "in_progress", "responded"], strict=True):
        if status != "responded":
            row.update(status=status, outcome="", exemptions="", response="", responded_on="", received_on="2025-11-10")
    for row in rows[2:4]:
        row["received_on"] = "2025-08-01"
    async with sessions.write.begin() as db:
        report = await imports.import_requests(db, to_csv(rows), actor=staff.officer, zone=LONDON)
    references = [row.reference for row in report.rows]
    async with sessions.write.begin() as db:
        await request_service.apply_action(
            db, references[2], action="request_clarification", params={}, actor=staff.officer, zone=LONDON, on=date(2025, 8, 4)
        )
    async with sessions.write.begin() as db:
        await request_service.apply_action(
            db, references[3], action="issue_fee_notice", params={}, actor=staff.officer, zone=LONDON, on=date(2025, 8, 4)
        )
    return dict(zip(["new", "in_progress", "awaiting_clarification", "awaiting_fee", "responded"], references, strict=True))


async def _statuses(sessions, references) -> dict[str, str]:
    async with sessions.read() as db:
        return dict(
            (await db.execute(select(FoiRequest.reference, FoiRequest.status).where(FoiRequest.reference.in_(references)))).tuples().all()
        )


@time_machine.travel(FROZEN, tick=False)
async def test_the_dry_run_says_what_would_change_and_what_is_refused_and_writes_nothing(sessions, staff: Staff) -> None:
    refs = await _open_requests(sessions, staff)
    async with sessions.write.begin() as db:
        plan = await bulk.plan_bulk(db, [*list(refs.values()), "FOI-2020-00001"], "lapse", {}, zone=LONDON)
    assert [(c.reference, c.change) for c in plan.changes] == [
        (refs["awaiting_clarification"], "Awaiting clarification → Lapsed"),
        (refs["awaiting_fee"], "Awaiting fee → Lapsed"),
    ]
    assert [(r.reference, r.reason) for r in plan.refused] == [
        (refs["new"], "Its status is “New”: only a request waiting for a clarification or a fee can lapse."),
        (refs["in_progress"], "Its status is “In progress”: only a request waiting for a clarification or a fee can lapse."),
        (refs["responded"], "Its status is “Responded”: only a request waiting for a clarification or a fee can lapse."),
        ("FOI-2020-00001", "no such request"),
    ]
    async with sessions.read() as db:
        assert await db.scalar(select(func.count(BulkOperation.id))) == 0
    assert (await _statuses(sessions, [refs["awaiting_fee"]]))[refs["awaiting_fee"]] == "awaiting_fee"


@time_machine.travel(FROZEN, tick=False)
async def test_confirming_makes_one_audit_record_and_one_event_per_request(sessions, staff: Staff) -> None:
    refs = await _open_requests(sessions, staff)
    chosen = [refs["new"], refs["in_progress"], refs["awaiting_fee"]]
    async with sessions.write.begin() as db:
        plan = await bulk.plan_bulk(db, chosen, "withdraw", {}, zone=LONDON)
    assert plan.refused == [] and plan.references == chosen
    async with sessions.write.begin() as db:
        operation = await bulk.apply_bulk(db, plan.references, "withdraw", {}, actor=staff.manager, zone=LONDON, note="Withdrawn by phone")
    assert (operation.kind, operation.request_count, operation.actor_id) == ("withdraw", 3, staff.manager.id)
    assert set((await _statuses(sessions, chosen)).values()) == {"withdrawn"}
    async with sessions.read() as db:
        events = list(await db.scalars(select(RequestEvent).where(RequestEvent.action == "withdraw")))
        detail = await request_service.get_request(db, refs["awaiting_fee"])
    assert len(events) == 3 and {e.details["bulk_operation"] for e in events} == {operation.id}
    assert {e.note for e in events} == {"Withdrawn by phone"} and {e.occurred_on for e in events} == {date(2025, 11, 20)}
    assert detail.request.clock_state == "closed" and detail.request.version == 4


@time_machine.travel(FROZEN, tick=False)
async def test_all_or_nothing_when_a_request_changed_since_the_preview(sessions, staff: Staff) -> None:
    refs = await _open_requests(sessions, staff)
    chosen = [refs["awaiting_clarification"], refs["awaiting_fee"]]
    async with sessions.write.begin() as db:
        plan = await bulk.plan_bulk(db, chosen, "lapse", {}, zone=LONDON)
    assert len(plan.changes) == 2
    async with sessions.write.begin() as db:  # meanwhile, the fee arrives
        await request_service.apply_action(db, refs["awaiting_fee"], action="receive_fee", params={}, actor=staff.officer, zone=LONDON)
    async with sessions.write() as db:
        with pytest.raises(Conflict) as refused:
            await bulk.apply_bulk(db, plan.references, "lapse", {}, actor=staff.officer, zone=LONDON)
    assert f"nothing was changed: {refs['awaiting_fee']}: Its status is “In progress”" in str(refused.value)
    assert await _statuses(sessions, chosen) == {
        refs["awaiting_clarification"]: "awaiting_clarification",
        refs["awaiting_fee"]: "in_progress",
    }
    async with sessions.read() as db:
        assert await db.scalar(select(func.count(BulkOperation.id))) == 0


@time_machine.travel(FROZEN, tick=False)
async def test_assign_and_add_to_batch(sessions, staff: Staff) -> None:
    refs = await _open_requests(sessions, staff)
    async with sessions.write() as db:
        with pytest.raises(InvalidInput) as unknown:
            await bulk.plan_bulk(db, [refs["new"]], "assign", {"assignee": "nobody@council.example"}, zone=LONDON)
    assert unknown.value.field == "assignee"
    async with sessions.write.begin() as db:
        plan = await bulk.plan_bulk(db, list(refs.values()), "assign", {"assignee": staff.other_officer.email}, zone=LONDON)
    assert [c.reference for c in plan.changes] == [refs["new"], refs["in_progress"], refs["awaiting_clarification"], refs["awaiting_fee"]]
    assert plan.refused[0].reason == "Its status is “Responded”: only open requests are assigned."
    async with sessions.write.begin() as db:
        await bulk.apply_bulk(db, plan.references, "assign", {"assignee": staff.other_officer.email}, actor=staff.officer, zone=LONDON)
    async with sessions.read() as db:
        detail = await request_service.get_request(db, refs["new"])
    assert detail.request.assignee_id == staff.other_officer.id and detail.events[0].details["assignee_name"] == "Omar Officer"

    async with sessions.write.begin() as db:
        batch = await batches.create_batch(
            db, title="Autumn release", slug=None, description="", publish_at=None, actor=staff.officer, zone=LONDON
        )
    async with sessions.write.begin() as db:
        plan = await bulk.plan_bulk(db, [refs["responded"], refs["new"]], "add_to_batch", {"batch_id": str(batch.id)}, zone=LONDON)
    assert [c.reference for c in plan.changes] == [refs["responded"]]
    assert plan.refused[0].reason == "It is new: only answered requests can be published."
    async with sessions.write.begin() as db:
        operation = await bulk.apply_bulk(db, plan.references, "add_to_batch", {"batch_id": batch.id}, actor=staff.officer, zone=LONDON)
    async with sessions.read() as db:
        detail = await request_service.get_request(db, refs["responded"])
    assert detail.request.batch_id == batch.id
    assert detail.events[0].details == {"batch": "autumn-release", "batch_title": "Autumn release", "bulk_operation": operation.id}
