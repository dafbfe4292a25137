"""The in-app scheduled publication: started with the app unless FOI_SCHEDULER=off, publishing what is due."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from app.asgi import create_app
from app.config import Settings
from app.models import FoiRequest, SignInCounter, StoreItem
from app.services import imports, publication
from app.services.scheduled import run_periodically
from app.services.sign_in_throttle import admit
from tests.csv_samples import historic_rows, to_csv
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")


def test_the_scheduler_is_on_unless_turned_off() -> None:
    assert Settings.from_env({"FOI_SECRET_KEY": "k" * 40}).scheduler is True
    for value in ("off", "OFF", "0", "false", "no"):
        assert Settings.from_env({"FOI_SECRET_KEY": "k" * 40, "FOI_SCHEDULER": value}).scheduler is False
    assert Settings().scheduler is False  # built directly (tests, scripts): no background task


async def _scheduled_request(sessions, staff: Staff) -> str:
    async with sessions.write.begin() as db:
        report = await imports.import_requests(db, to_csv(historic_rows(1)), actor=staff.officer, zone=LONDON)
    reference = report.rows[0].reference
    scheduled_on = datetime.now(UTC) - timedelta(minutes=2)
    with time_machine.travel(scheduled_on, tick=False):
        async with sessions.write.begin() as db:
            await publication.publish(db, reference, actor=staff.officer, zone=LONDON, at=scheduled_on + timedelta(minutes=1))
    return reference


async def _state(sessions, reference: str) -> str:
    async with sessions.read() as db:
        return await db.scalar(select(FoiRequest.publication_state).where(FoiRequest.reference == reference))


async def test_the_periodic_task_publishes_what_is_due(sessions, staff: Staff) -> None:
    reference = await _scheduled_request(sessions, staff)
    task = asyncio.create_task(run_periodically(sessions.read, sessions.write, LONDON, interval=0.05))
    try:
        for _ in range(100):
            if await _state(sessions, reference) == "published":
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    assert await _state(sessions, reference) == "published"


async def test_the_app_runs_the_scheduler_in_its_lifespan(sessions, staff: Staff, settings: Settings) -> None:
    reference = await _scheduled_request(sessions, staff)
    async with AsyncTestClient(app=create_app(settings)) as client:  # off: nothing happens
        await client.get("/healthz")
        await asyncio.sleep(0.2)
    assert await _state(sessions, reference) == "scheduled"
    async with AsyncTestClient(app=create_app(replace(settings, scheduler=True))) as client:
        for _ in range(100):
            if await _state(sessions, reference) == "published":
                break
            await asyncio.sleep(0.05)
        assert (await client.get("/healthz")).status_code == 200
    assert await _state(sessions, reference) == "published"


async def test_the_periodic_task_deletes_ended_sessions_and_finished_sign_in_counters(sessions, settings: Settings) -> None:
    now = datetime.now(UTC)
    await admit(sessions.write, settings, "ann@council.example", "192.0.2.1", now - timedelta(minutes=2))
    async with sessions.write.begin() as db:
        db.add(StoreItem(key="ended", namespace="sessions", value=b"{}", expires_at=now - timedelta(seconds=1)))
        db.add(StoreItem(key="current", namespace="sessions", value=b"{}", expires_at=now + timedelta(hours=8)))

    async def left() -> tuple[set[str], int]:
        async with sessions.read() as db:
            keys = set(await db.scalars(select(StoreItem.key).where(StoreItem.namespace == "sessions")))
            return keys, len(list(await db.scalars(select(SignInCounter.key))))

    assert await left() == ({"ended", "current"}, 2)
    task = asyncio.create_task(run_periodically(sessions.read, sessions.write, LONDON, interval=0.05))
    try:
        for _ in range(100):
            if await left() == ({"current"}, 0):
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    assert await left() == ({"current"}, 0)
