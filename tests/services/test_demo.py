"""The demo authority loads through the real use cases, into an empty database only."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from app.models import Department, FoiRequest, RequestEvent, User
from app.services.demo import DatabaseNotEmpty, load_demo_authority
from app.services.users import authenticate

LONDON = ZoneInfo("Europe/London")


@time_machine.travel("2026-11-23 12:00 +00:00", tick=False)
async def test_demo_loads_requests_in_many_states_with_working_logins(sessions) -> None:
    async with sessions.write.begin() as db:
        result = await load_demo_authority(db, LONDON, today=date(2026, 11, 23), count=60)
    assert (result.departments, result.users, result.requests) == (3, 4, 60)
    async with sessions.read() as db:
        statuses = set(await db.scalars(select(FoiRequest.status).distinct()))
        events = await db.scalar(select(func.count(RequestEvent.id)))
        open_without_due = await db.scalar(
            select(func.count(FoiRequest.id)).where(FoiRequest.status.in_(["new", "in_progress"]), FoiRequest.due_on.is_(None))
        )
        assert await authenticate(db, "officer@demo.example", "demo-officer-2026") is not None
        # each demo officer works in a department, so the demo makes sense with FOI_DEPARTMENT_SCOPE=on
        departments = dict(
            (await db.execute(select(User.email, Department.slug).join(Department, Department.id == User.department_id))).all()
        )
        assert departments == {"officer@demo.example": "corporate-services", "officer2@demo.example": "environment-and-highways"}
    assert len(statuses) >= 6 and "responded" in statuses
    assert events > 60 * 2
    assert open_without_due == 0
    async with sessions.write() as db:
        with pytest.raises(DatabaseNotEmpty):
            await load_demo_authority(db, LONDON, today=date(2026, 11, 23), count=5)
        assert await db.scalar(select(func.count(User.id))) == 4


@time_machine.travel("2026-11-23 12:00 +00:00", tick=False)
async def test_demo_has_one_published_release_batch(sessions) -> None:
    from app.services import batches

    async with sessions.write.begin() as db:
        await load_demo_authority(db, LONDON, today=date(2026, 11, 23), count=120)
    async with sessions.read() as db:
        listed = await batches.list_batches(db)
        public = await batches.public_batch(db, "older-responses")
    assert [(item.batch.state, item.batch.slug) for item in listed] == [("published", "older-responses")]
    assert 0 < len(public.items) <= 12 and all(item.state == "published" for item in public.items)


@time_machine.travel("2026-11-23 12:00 +00:00", tick=False)
async def test_demo_summaries_keep_each_title_as_written(sessions) -> None:
    """A published summary quotes its title as written: an acronym or a name at its start keeps its
    capitals ("FOI request statistics", not "fOI request statistics") (issue 13)."""
    async with sessions.write.begin() as db:
        await load_demo_authority(db, LONDON, today=date(2026, 11, 23), count=120)
    async with sessions.read() as db:
        published = (
            await db.execute(
                select(FoiRequest.public_title, FoiRequest.public_summary).where(
                    FoiRequest.published_at.is_not(None), FoiRequest.public_summary.is_not(None)
                )
            )
        ).all()
    assert len(published) > 20
    for title, summary in published:
        assert summary == f"Our answer to the request \u2018{title}\u2019.", summary
        assert not re.search(r"\b[a-z][A-Z]", summary), summary
    # the check meets titles that start with capitals of their own
    assert any(re.match(r"[A-Z]{2,}\b", title) for title, _ in published), [title for title, _ in published]
