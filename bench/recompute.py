"""Time to recompute every open request's due date after a calendar correction.

Loads N open requests (with clock events) straight into a fresh database, then adds a bank holiday
through the real service and times the whole transaction.

Run: .venv/bin/python -m bench.recompute [N] [DATABASE_URL]
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from app.db import create_engine, create_sessionmakers
from app.domain.deadlines import compute_deadline
from app.domain.regimes import Regime
from app.migrations import upgrade
from app.models import FoiRequest, Requester, RequestEvent, User
from app.services.calendar import add_correction
from app.services.deadlines import Calendars, EventFacts, deadline_inputs
from bench import figures
from bench.databases import recreate

LONDON = ZoneInfo("Europe/London")
BATCH = 10_000
OPEN_STATUSES = ["new", "in_progress", "awaiting_approval"]


async def _load(write, count: int, today: date) -> User:
    rng = random.Random(2026)
    calendars = Calendars(())
    async with write() as db:
        user = User(email="bench@council.example", name="Bench", role="admin", password_hash="x", is_active=True)
        db.add(user)
        await db.commit()
    async with write() as db:
        connection = await db.connection()
        await connection.execute(
            insert(Requester.__table__), [{"name": f"Requester {i}", "email": f"r{i}@example.org"} for i in range(count)]
        )
        request_rows, event_rows = [], []
        for i in range(count):
            regime = rng.choice([Regime.FOIA, Regime.FOIA, Regime.EIR, Regime.FOISA])
            received = today - timedelta(days=rng.randrange(1, 60))
            events: list[EventFacts] = []
            if regime is Regime.FOIA and rng.random() < 0.15:
                events.append(EventFacts("extend_pit", received + timedelta(days=5), {"working_days": 20}))
            stage, start, clock = deadline_inputs(received, events)
            deadline = compute_deadline(regime, stage, start, clock, calendars.for_regime(regime))
            request_rows.append(
                {
                    "reference": f"{regime.reference_prefix}-B-{i:07d}",
                    "regime": regime.value,
                    "title": f"Request {i}",
                    "body": "Bench",
                    "received_at": datetime.combine(received, datetime.min.time(), UTC),
                    "received_on": received,
                    "channel": "email",
                    "requester_id": i + 1,
                    "status": rng.choice(OPEN_STATUSES),
                    "deadline_stage": "initial",
                    "due_on": deadline.due_on,
                    "original_due_on": deadline.original_due_on,
                    "working_days_limit": deadline.working_days_limit,
                    "clock_stopped": False,
                    "clock_state": "running",
                    "deadline_flags": "",
                    "calendar_version": deadline.calendar_version,
                    "version": 1,
                    "created_at": datetime.now(UTC),
                    "updated_at": datetime.now(UTC),
                }
            )
            for event in events:
                event_rows.append((i + 1, event))
        for start in range(0, len(request_rows), BATCH):
            await connection.execute(insert(FoiRequest.__table__), request_rows[start : start + BATCH])
        rows = [
            {
                "request_id": request_id,
                "action": event.action,
                "from_status": "in_progress",
                "to_status": "in_progress",
                "occurred_on": event.on,
                "recorded_at": datetime.now(UTC),
                "details": event.details,
                "imported": False,
            }
            for request_id, event in event_rows
        ]
        for start in range(0, len(rows), BATCH):
            await connection.execute(insert(RequestEvent.__table__), rows[start : start + BATCH])
        await db.commit()
    return user


async def _measure(url: str, count: int) -> tuple[float, float, object]:
    engine = create_engine(url)
    try:
        _, write = create_sessionmakers(engine)
        today = date(2026, 11, 23)
        started = time.perf_counter()
        user = await _load(write, count, today)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        async with write.begin() as db:  # one unit of work: committed at the end
            report = await add_correction(
                db,
                day=today - timedelta(days=20),
                nation="ENG",
                change="add",
                name="Bench day",
                reason="benchmark",
                source="",
                actor=user,
                zone=LONDON,
            )
        return time.perf_counter() - started, loaded, report
    finally:
        await engine.dispose()


def run(count: int = 100_000, database_url: str | None = None) -> dict[str, float]:
    """On a fresh SQLite file by default; given a PostgreSQL URL, on that database dropped and created anew."""
    with tempfile.TemporaryDirectory() as directory:
        if database_url:
            asyncio.run(recreate(database_url))
        url = database_url or f"sqlite+aiosqlite:///{directory}/bench.sqlite3"
        upgrade(url)
        seconds, loaded, report = asyncio.run(_measure(url, count))
    backend = url.split(":", 1)[0]
    print(
        f"recompute ({backend}): {report.checked:,} open requests checked, {report.moved:,} due dates moved "
        f"in {seconds:.2f} s (aim: under 30 s); loading them took {loaded:.1f} s"
    )
    figures.value("recompute", backend, f"recompute {report.checked:,} open due dates", seconds, "s", aim="under 30 s", met=seconds < 30)
    return {"recompute_seconds": seconds, "checked": report.checked, "moved": report.moved}


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, sys.argv[2] if len(sys.argv) > 2 else None)
