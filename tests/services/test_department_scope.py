"""Department scope (FOI_DEPARTMENT_SCOPE): an officer sees and acts on their own department's
requests only, in lists, counts, bulk actions, batches, reports and imports; managers and admins see
every request; with the setting off, everyone sees everything."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.config import Settings
from app.domain.errors import InvalidInput, NotFound
from app.domain.imports import RowState
from app.models import User
from app.services import batches, bulk, correspondence, imports
from app.services import requests as service
from app.services import users as user_service
from app.services.inputs import NoticeIn
from app.services.reports.overdue import OverdueFilters, overdue_report
from app.services.reports.timeliness import TimelinessFilters, timeliness_report
from app.services.scope import EVERYTHING, OutOfScope, Scope, limit_session, request_in_scope
from app.services.unit_of_work import unit_of_work
from tests.csv_samples import historic_rows, to_csv
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
RECEIVED = date(2025, 9, 1)
TODAY = date(2025, 12, 1)  # both requests long overdue by then
A, B = "corporate-services", "environment-and-highways"


async def log(sessions: Any, staff: Staff, department: str | None, title: str) -> str:
    async with sessions.write.begin() as db:
        created = await service.create_request(
            db,
            service.NewRequest(
                regime="foia",
                title=title,
                body="Please send the figures.",
                received_on=RECEIVED,
                department=department,
                requester=service.RequesterDetails(name="Rosa Requester", email="rosa@example.org", address="1 High Street, Anytown"),
            ),
            staff.manager,
            LONDON,
        )
        return created.reference


async def in_department(sessions: Any, user: User, slug: str | None) -> User:
    async with sessions.write.begin() as db:
        return await user_service.set_department(db, user.id, slug)


def scope_of_user(user: User, on: bool = True) -> Scope:
    return Scope.of(user, department_scope=on)


async def listed(sessions: Any, scope: Scope, **filters: Any) -> set[str]:
    async with sessions.read() as db:
        page = await service.list_requests(limit_session(db, scope), service.RequestFilters(**filters), today=TODAY, per_page=100)
    assert page.total == len(page.rows)
    return {row.reference for row in page.rows}


@pytest.fixture
async def two(sessions: Any, staff: Staff) -> dict[str, str]:
    """One request in each department; the officer works in the first."""
    staff.officer = await in_department(sessions, staff.officer, A)
    return {A: await log(sessions, staff, A, "Consultancy spend"), B: await log(sessions, staff, B, "Pothole repairs")}


async def test_an_officer_lists_and_searches_their_department_s_requests_only(sessions: Any, staff: Staff, two: dict[str, str]) -> None:
    officer = scope_of_user(staff.officer)
    assert await listed(sessions, officer) == {two[A]}
    assert await listed(sessions, officer, q="pothole") == set()  # search keeps to the department too
    assert await listed(sessions, officer, q=two[B]) == set()
    assert await listed(sessions, officer, department=B) == set()
    assert await listed(sessions, officer, overdue=True) == {two[A]}
    # a manager, an admin, and anyone with the setting off: every request
    assert await listed(sessions, scope_of_user(staff.manager)) == {two[A], two[B]}
    assert await listed(sessions, scope_of_user(staff.admin)) == {two[A], two[B]}
    assert await listed(sessions, scope_of_user(staff.officer, on=False)) == {two[A], two[B]}


async def test_a_request_moved_to_another_department_leaves_the_officer_s_list(sessions: Any, staff: Staff, two: dict[str, str]) -> None:
    async with sessions.write.begin() as db:
        await service.edit_details(db, two[A], service.DetailsChanges(department=B), 1, staff.officer, LONDON)
    assert await listed(sessions, scope_of_user(staff.officer)) == set()
    async with sessions.read() as db:
        with pytest.raises(NotFound):
            await request_in_scope(limit_session(db, scope_of_user(staff.officer)), two[A])


async def test_another_department_s_request_is_not_found_as_one_that_does_not_exist(
    sessions: Any, staff: Staff, two: dict[str, str]
) -> None:
    async with sessions.read() as db:
        limit_session(db, scope_of_user(staff.officer))
        await request_in_scope(db, two[A].lower())  # its own: no objection
        with pytest.raises(NotFound) as other:
            await request_in_scope(db, two[B])
        with pytest.raises(NotFound) as missing:
            await request_in_scope(db, "FOI-2025-99999")
    assert str(other.value) == f"no request {two[B]}"
    assert str(missing.value) == "no request FOI-2025-99999"


async def test_an_officer_in_no_department_sees_nothing_and_is_told_why(sessions: Any, staff: Staff, two: dict[str, str]) -> None:
    nowhere = scope_of_user(staff.other_officer)
    assert nowhere.sees_nothing
    async with sessions.read() as db:
        page = await service.list_requests(limit_session(db, nowhere), service.RequestFilters(), today=TODAY)
    assert page.rows == [] and page.total == 0
    assert page.notice is not None and "ask an admin" in page.notice
    assert scope_of_user(staff.officer).notice is None


async def test_a_bulk_action_with_another_department_s_request_is_refused_whole(sessions: Any, staff: Staff, two: dict[str, str]) -> None:
    async with sessions.write() as db:
        limit_session(db, scope_of_user(staff.officer))
        with pytest.raises(OutOfScope) as refused:
            await bulk.apply_bulk(db, [two[A], two[B]], "withdraw", {}, actor=staff.officer, zone=LONDON)
        await db.rollback()
    assert refused.value.field == "references"
    assert "1 of the 2 chosen are not among your department's requests" in refused.value.message
    assert refused.value.status_code == 404
    # nothing was done, to either request
    assert await listed(sessions, EVERYTHING, status=["withdrawn"]) == set()
    # its own department's alone: done
    async with sessions.write.begin() as db:
        limit_session(db, scope_of_user(staff.officer))
        operation = await bulk.apply_bulk(db, [two[A]], "withdraw", {}, actor=staff.officer, zone=LONDON)
    assert operation.request_count == 1
    assert await listed(sessions, EVERYTHING, status=["withdrawn"]) == {two[A]}


async def test_the_dry_run_of_a_bulk_action_is_refused_the_same_way(sessions: Any, staff: Staff, two: dict[str, str]) -> None:
    async with sessions.read() as db:
        limit_session(db, scope_of_user(staff.officer))
        with pytest.raises(OutOfScope, match="it is not among your department's requests"):
            await bulk.plan_bulk(db, [two[B]], "withdraw", {}, zone=LONDON)
        # a manager may: the plan lists both
        limit_session(db, scope_of_user(staff.manager))
        plan = await bulk.plan_bulk(db, [two[A], two[B]], "withdraw", {}, zone=LONDON)
    assert set(plan.references) == {two[A], two[B]}


async def test_reports_count_the_officer_s_department_only(sessions: Any, staff: Staff, two: dict[str, str]) -> None:
    period = TimelinessFilters(date_from=RECEIVED - timedelta(days=1), date_to=TODAY)
    async with sessions.read() as db:
        limit_session(db, scope_of_user(staff.officer))
        timeliness = await timeliness_report(db, period, TODAY)
    async with sessions.read() as db:
        limit_session(db, scope_of_user(staff.officer))
        overdue = await overdue_report(db, OverdueFilters(), TODAY)
    assert overdue.totals.overdue == 1
    assert [row.reference for row in overdue.overdue] == [two[A]]
    assert timeliness.total.received == 1
    async with sessions.read() as db:
        everyone = await overdue_report(db, OverdueFilters(), TODAY)
    async with sessions.read() as db:
        everyone_timeliness = await timeliness_report(db, period, TODAY)
    assert everyone.totals.overdue == 2
    assert everyone_timeliness.total.received == 2


async def test_an_officer_logs_requests_for_their_own_department(sessions: Any, staff: Staff, two: dict[str, str]) -> None:
    new = service.NewRequest(
        regime="foia",
        title="Library opening hours",
        body="Please send them.",
        received_on=RECEIVED,
        requester=service.RequesterDetails(name="Rosa Requester", email="rosa@example.org"),
    )
    async with sessions.write.begin() as db:
        limit_session(db, scope_of_user(staff.officer))
        created = await service.create_request(db, new, staff.officer, LONDON)
        reference = created.reference
    assert reference in await listed(sessions, scope_of_user(staff.officer))
    async with sessions.write() as db:
        limit_session(db, scope_of_user(staff.officer))
        new.department = B
        with pytest.raises(InvalidInput) as refused:
            await service.create_request(db, new, staff.officer, LONDON)
        await db.rollback()
    assert refused.value.field == "department"


async def test_an_import_refuses_rows_of_another_department(sessions: Any, staff: Staff, two: dict[str, str]) -> None:
    rows = historic_rows(3)
    rows[1]["department"] = B
    rows[2]["department"] = ""
    async with sessions.write() as db:
        limit_session(db, scope_of_user(staff.officer))
        report = await imports.import_requests(db, to_csv(rows), actor=staff.officer, zone=LONDON, dry_run=True)
        await db.rollback()
    states = [row.state for row in report.rows]
    assert states == [RowState.READY, RowState.INVALID, RowState.READY]
    assert "your own department only (corporate-services)" in report.rows[1].message
    # the row naming no department is the officer's
    plan = report.rows[2].plan
    assert plan is not None and plan.department == A
    async with sessions.write() as db:
        report = await imports.import_requests(db, to_csv(rows), actor=staff.manager, zone=LONDON, dry_run=True)
        await db.rollback()
    assert all(row.state is RowState.READY for row in report.rows)


async def test_an_officer_adds_their_department_s_answered_requests_to_a_release_batch_only(sessions: Any, staff: Staff) -> None:
    staff.officer = await in_department(sessions, staff.officer, A)
    rows = historic_rows(4)
    rows[2]["department"] = rows[3]["department"] = B
    async with sessions.write.begin() as db:
        imported = await imports.import_requests(db, to_csv(rows), actor=staff.manager, zone=LONDON)
        batch = await batches.create_batch(
            db, title="Spring releases", slug="spring", description=None, publish_at=None, actor=staff.manager, zone=LONDON
        )
        batch_id = batch.id
    references = [row.reference for row in imported.rows]
    answered = batches.RequestFilter(status="responded")
    async with sessions.read() as db:
        assert await batches.count_matching(limit_session(db, scope_of_user(staff.officer)), answered) == 2
        assert await batches.count_matching(limit_session(db, scope_of_user(staff.manager)), answered) == 4
    async with sessions.write() as db:
        limit_session(db, scope_of_user(staff.officer))
        with pytest.raises(OutOfScope, match="2 of the 3 chosen are not among your department's requests"):
            await batches.add_requests(db, batch_id, references=references[1:], actor=staff.officer, zone=LONDON)
        await db.rollback()
    async with sessions.write.begin() as db:
        limit_session(db, scope_of_user(staff.officer))
        added = await batches.add_requests(db, batch_id, spec=answered, actor=staff.officer, zone=LONDON)
    assert sorted(added.added) == sorted(references[:2])


async def test_letters_to_post_list_the_officer_s_department_s_only(
    sessions: Any, settings: Settings, staff: Staff, two: dict[str, str]
) -> None:
    for reference in two.values():
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.manager) as uow:
            await correspondence.take_step(uow, settings, reference, action="acknowledge", params={}, notice=NoticeIn(send=True, by="post"))
    async with sessions.read() as db:
        theirs = await correspondence.letters_to_post(limit_session(db, scope_of_user(staff.officer)))
        everyone = await correspondence.letters_to_post(limit_session(db, scope_of_user(staff.manager)))
    assert [reference for _, reference in theirs] == [two[A]]
    assert sorted(reference for _, reference in everyone) == sorted(two.values())
