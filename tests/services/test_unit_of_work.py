"""The unit of work: one commit when the use case succeeds, nothing kept when it raises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select, update

from app.domain.errors import Forbidden
from app.models import Department, FoiRequest, ReleaseBatch, RequestEvent
from app.services import batches, departments, publication
from app.services.errors import Conflict
from app.services.scheduled import publish_due
from app.services.unit_of_work import unit_of_work
from tests.factories import Staff
from tests.services.test_batches import _published, _ready_batch

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


async def _department_names(sessions) -> set[str]:
    async with sessions.read() as db:
        return set(await db.scalars(select(Department.name)))


@time_machine.travel(NOW, tick=False)
async def test_it_commits_once_at_the_end_and_carries_who_where_and_when(sessions, staff: Staff) -> None:
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.admin) as uow:
        assert (uow.actor, uow.staff, uow.zone, uow.now) == (staff.admin, staff.admin, LONDON, NOW)
        await departments.create_department(uow.session, name="Finance")
        # written, not yet committed: a reader sees nothing until the unit of work ends
        assert "Finance" not in await _department_names(sessions)
    assert "Finance" in await _department_names(sessions)

    async with unit_of_work(sessions.write, zone=LONDON) as uow:
        with pytest.raises(Forbidden):
            _ = uow.staff  # the scheduler acts as nobody: a use case that records a person refuses it


async def test_committed_early_its_writes_are_seen_before_it_ends_and_its_after_commit_work_runs_after(sessions, staff: Staff) -> None:
    ran: list[set[str]] = []
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.admin) as uow:
        await departments.create_department(uow.session, name="Housing")

        async def after() -> None:
            ran.append(await _department_names(sessions))

        uow.after_commit.append(after)
        await uow.commit()
        # the answer is read through a read session, and the write lock is free for the next writer
        assert "Housing" in await _department_names(sessions)
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.admin) as other:
            await departments.create_department(other.session, name="Parks")
        assert ran == []  # not before the unit of work ends
    assert ran and {"Housing", "Parks"} <= ran[0]


@time_machine.travel(NOW, tick=False)
async def test_a_use_case_refused_after_it_started_writing_leaves_the_database_as_it_was(
    sessions, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch, references = await _ready_batch(sessions, staff)
    written = []  # the requests the use case published before it was refused
    original = publication.publish_loaded

    async def publish_loaded(*args, **kwargs):
        request = await original(*args, **kwargs)
        written.append(request.reference)
        return request

    monkeypatch.setattr(publication, "publish_loaded", publish_loaded)
    # the last request of the batch was published on its own since the approval (the rule refuses
    # this, so reach past it): the batch is claimed and its first requests published before that one refuses
    async with sessions.write.begin() as db:
        await db.execute(update(FoiRequest).where(FoiRequest.reference == references[-1]).values(publication_state="published"))
    with pytest.raises(Conflict, match=f"{references[-1]} is already published"):
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            await batches.publish_batch(uow.session, batch.id, actor=uow.staff, zone=uow.zone)
            pytest.fail("the batch was published")  # pragma: no cover
    assert written == references[:-1]
    async with sessions.read() as db:
        assert (await batches.get_batch(db, batch.id)).batch.state == "approved"
        assert await db.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.action == "publish")) == 0
    assert set((await _published(sessions, references[:-1])).values()) == {"unpublished"}


async def test_a_batch_another_run_published_is_told_by_the_row_count_and_left_alone(sessions, staff: Staff) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        batch, references = await _ready_batch(sessions, staff, count=3)
        async with sessions.write.begin() as db:
            await batches.publish_batch(db, batch.id, actor=staff.officer, zone=LONDON, at=NOW + timedelta(minutes=1))
        traveller.shift(timedelta(minutes=2))
        async with sessions.read() as db:  # this run read the batch as due...
            seen = await batches.next_due_batch(db, NOW + timedelta(minutes=2), skip=set())
        assert seen is not None and seen.id == batch.id
        other = await publish_due(sessions.write, LONDON)  # ...and another run published it meanwhile
        assert [due.slug for due in other.batches] == [batch.slug]
        async with unit_of_work(sessions.write, zone=LONDON) as uow:
            assert await batches.publish_due_batch(uow.session, seen, zone=LONDON, now=uow.now) is None
    async with sessions.read() as db:
        publications = await db.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.action == "publish"))
        state = await db.scalar(select(ReleaseBatch.state).where(ReleaseBatch.id == batch.id))
    assert publications == len(references) and state == "published"  # each request published once
