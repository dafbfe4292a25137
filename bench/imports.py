"""Time to import historic requests from CSV (100,000 rows; the aim is under 60 s on SQLite).

Builds a realistic file (mostly answered requests with outcomes, exemptions and responses, some
withdrawn, lapsed or still open; a third keep an older system's reference), then imports it into
a fresh database through the real service, as `foi import requests` does, and imports it a
second time (which must add nothing).

Run: .venv/bin/python -m bench.imports [N] [DATABASE_URL]
"""

from __future__ import annotations

import asyncio
import csv
import io
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.db import create_engine, create_sessionmakers
from app.domain.imports import COLUMNS
from app.migrations import upgrade
from app.models import Department, FoiRequest, RequestEvent, User
from app.services.imports import import_requests
from bench import figures
from bench.databases import recreate

LONDON = ZoneInfo("Europe/London")
ROWS = 100_000
SEED = 1_905
DEPARTMENTS = ("corporate-services", "environment-and-highways", "adult-social-care")
TOPICS = (
    "agency staff",
    "pothole repairs",
    "parking fines",
    "consultancy spend",
    "school transport",
    "library closures",
    "bin collections",
    "council tax arrears",
    "planning enforcement",
    "IT contracts",
)
OUTCOMES = [
    ("granted_in_full", ""),
    ("granted_in_part", "FOIA-s40"),
    ("granted_in_part", "FOIA-s43;FOIA-s40"),
    ("refused_in_full", "FOIA-s43"),
    ("not_held", ""),
    ("refused_cost", ""),
]


def build_csv(count: int, seed: int = SEED) -> bytes:
    rng = random.Random(seed)
    out = io.StringIO()
    # by column name: the import's columns grow (posted_on, …) and a column left out is empty
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    first = date(2015, 1, 5).toordinal()
    numbers: dict[int, int] = {}
    for i in range(count):
        received = date.fromordinal(first + rng.randrange(365 * 9))
        topic = rng.choice(TOPICS)
        shape = rng.random()
        regime = "foia"
        status, outcome, responded, exemptions, response = "responded", "", "", "", ""
        if shape < 0.75:
            outcome, exemptions = rng.choice(OUTCOMES)
            responded = (received + timedelta(days=rng.randrange(5, 40))).isoformat()
            response = f"Thank you for your request about {topic}. The information is attached."
        elif shape < 0.85:
            status, responded = "withdrawn", (received + timedelta(days=rng.randrange(1, 10))).isoformat()
        elif shape < 0.90:
            status, responded = "lapsed", (received + timedelta(days=95)).isoformat()
        else:
            status = rng.choice(("new", "in_progress"))
        reference = ""
        if rng.random() < 0.33:
            numbers[received.year] = numbers.get(received.year, 0) + 1
            reference = f"FOI-{received.year}-{numbers[received.year]:05d}"
        writer.writerow(
            {
                "reference": reference,
                "regime": regime,
                "received_on": received.isoformat(),
                "title": f"{topic.capitalize()} {received.year} ({i})",
                "body": f"Please send me the figures for {topic} in {received.year}, broken down by month.\nRequest number {i}.",
                "requester_name": f"Requester {i}",
                "requester_email": f"requester{i}@example.org" if i % 7 else "",
                # those without e-mail wrote by post
                "requester_address": "" if i % 7 else f"{i % 300 + 1} High Street\nAnytown\nAB1 2CD",
                "department": rng.choice(DEPARTMENTS),
                "status": status,
                "outcome": outcome,
                "responded_on": responded,
                "exemptions": exemptions,
                "response": response,
            }
        )
    return out.getvalue().encode()


async def _measure(url: str, data: bytes) -> tuple[float, float, int, int, str]:
    engine = create_engine(url)
    try:
        _, write = create_sessionmakers(engine)
        async with write() as db:
            user = User(email="bench@council.example", name="Bench", role="admin", password_hash="x", is_active=True)
            db.add(user)
            db.add_all(Department(slug=slug, name=slug.replace("-", " ").capitalize()) for slug in DEPARTMENTS)
            await db.commit()
        started = time.perf_counter()
        async with write.begin() as db:  # one unit of work: committed at the end, inside the timing
            report = await import_requests(db, data, actor=user, zone=LONDON)
        first = time.perf_counter() - started
        started = time.perf_counter()
        async with write.begin() as db:
            again = await import_requests(db, data, actor=user, zone=LONDON)
        second = time.perf_counter() - started
        async with write() as db:
            requests = await db.scalar(select(func.count(FoiRequest.id))) or 0
            events = await db.scalar(select(func.count(RequestEvent.id))) or 0
        # a benchmark that imports nothing measures nothing: stop with the import's own words
        assert requests > 0, report.summary
        assert report.imported == requests and again.imported == 0, (report.summary, again.summary)
        return first, second, requests, events, report.summary
    finally:
        await engine.dispose()


def run(count: int = ROWS, database_url: str | None = None) -> dict[str, float]:
    """On a fresh SQLite file by default; given a PostgreSQL URL, on that database dropped and created anew."""
    data = build_csv(count)
    with tempfile.TemporaryDirectory() as directory:
        if database_url:
            asyncio.run(recreate(database_url))
        url = database_url or f"sqlite+aiosqlite:///{directory}/bench.sqlite3"
        upgrade(url)
        first, second, requests, events, _summary = asyncio.run(_measure(url, data))
    backend = url.split(":", 1)[0]
    print(
        f"import ({backend}): {requests:,} requests with {events:,} history events from a {len(data) / 1e6:.1f} MB CSV "
        f"in {first:.1f} s (aim: under 60 s); importing it again added nothing in {second:.1f} s"
    )
    figures.value("import", backend, f"import {requests:,} requests from CSV", first, "s", aim="under 60 s", met=first < 60)
    figures.value("import", backend, "import the same CSV again (adds nothing)", second, "s")
    return {"import_seconds": first, "reimport_seconds": second, "requests": requests}


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS, sys.argv[2] if len(sys.argv) > 2 else None)
