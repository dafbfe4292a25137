"""Manager reports at a million requests: p95 of the overdue report, the timeliness report and the dashboard,
as service calls and as the pages, CSV and API a signed-in manager gets over HTTP.

Generates N request histories (bench.report_data: every kind of clock event, answers in time, within
extensions and late, lapses, withdrawals, internal reviews) over ten years up to a fixed "today", in
two processes, and writes the columns the services would have stored straight into each database
with Core executemany in batches. Exemptions are written for every answer; of the events, the ones
the reports read (clock stops and lapses) are written.

Run: .venv/bin/python -m bench.reports [N] [POSTGRESQL_URL]
(SQLite on a temporary file always; PostgreSQL too when a URL of a database that may be emptied is given.)
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from app.asgi import create_app
from app.config import Settings
from app.db import create_engine, create_sessionmakers
from app.domain.lifecycle import Action
from app.models import (
    Department,
    FoiRequest,
    Requester,
    RequestEvent,
    RequestExemption,
    User,
)
from app.services import users
from app.services.deadlines import Calendars
from app.services.reports.dashboard import dashboard
from app.services.reports.overdue import OverdueFilters, overdue_report
from app.services.reports.rollup import refresh_rollup
from app.services.reports.timeliness import TimelinessFilters, default_period, timeliness_report
from bench import figures
from bench.databases import fresh_databases
from bench.report_data import (
    exemption_codes,
    generate_histories,
    received_at,
    request_columns,
)

TODAY = date(2026, 11, 23)
FIRST_DAY = date(2016, 12, 1)
DEPARTMENTS = 8
OFFICERS = [f"officer{i:02d}@bench.example" for i in range(24)]
REQUESTERS = 1_000
CHUNKS = 200  # histories are generated in date order, one slice of the ten years per chunk
BATCH = 5_000
RUNS = 40
AIM_MS = 200
KEPT_EVENTS = {Action.REQUEST_CLARIFICATION.value, Action.ISSUE_FEE_NOTICE.value, Action.LAPSE.value}
BODY = (
    "Please provide the following information held by the council for each of the last three financial "
    "years: the number of contracts awarded, their total value, the suppliers and the services bought, "
    "with any evaluation reports and the names of the officers responsible for the decisions. "
) * 2


_TABLES = {"requests": FoiRequest.__table__, "request_exemptions": RequestExemption.__table__, "request_events": RequestEvent.__table__}


def _chunk(args: tuple[int, int, int]) -> dict[tuple[str, str], tuple[list[str], list[tuple[Any, ...]]]]:
    """Rows for the histories of one slice of the ten years, as (columns, tuples) per table
    (runs in a worker process)."""
    index, first_number, count = args
    span = (TODAY - FIRST_DAY).days
    first = FIRST_DAY + timedelta(days=span * index // CHUNKS)
    last = FIRST_DAY + timedelta(days=span * (index + 1) // CHUNKS - (0 if index == CHUNKS - 1 else 1))
    calendars = Calendars(())
    officer_ids = {email: i + 1 for i, email in enumerate(OFFICERS)}
    now = datetime.now(UTC)
    requests: list[dict[str, Any]] = []
    exemptions: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for history in generate_histories(
        count,
        first_day=first,
        last_day=max(last, first),
        today=TODAY,
        seed=1000 + index,
        calendars=calendars,
        departments=DEPARTMENTS,
        officers=OFFICERS,
    ):
        number = first_number + history.number
        request_id = number + 1
        columns = request_columns(history, calendars)
        requests.append(
            {
                "id": request_id,
                "reference": f"{history.regime.reference_prefix}-B{number:08d}",
                "regime": history.regime.value,
                "title": f"Contracts awarded for service area {number % 97}",
                "body": BODY,
                "received_at": received_at(history.received_on),
                "received_on": history.received_on,
                "channel": "email",
                "department_id": history.department + 1 if history.department is not None else None,
                "assignee_id": officer_ids.get(history.assignee) if history.assignee else None,
                "requester_id": number % REQUESTERS + 1,
                "created_by_id": None,
                "response": "Answered." if columns["responded_on"] else None,
                "version": len(history.steps) + 1,
                "created_at": now,
                "updated_at": now,
                "publication_state": "unpublished",
                **columns,
            }
        )
        exemptions.extend({"request_id": request_id, "code": code} for code in exemption_codes(history))
        events.extend(
            {
                "request_id": request_id,
                "action": step.action,
                "from_status": step.from_status,
                "to_status": step.to_status,
                "occurred_on": step.on,
                "recorded_at": now,
                "details": json.dumps(step.details),
                "imported": False,
            }
            for step in history.steps
            if step.action in KEPT_EVENTS
        )
    # PostgreSQL's COPY takes Python values; SQLite wants what SQLAlchemy would have stored
    # (converted here, in the worker, rather than in the process that writes)
    return {
        (name, engine): (list(rows[0]), [tuple(convert(row[column]) for column in rows[0]) for row in rows]) if rows else ([], [])
        for name, rows in (("requests", requests), ("request_exemptions", exemptions), ("request_events", events))
        for engine, convert in (("postgresql", _same), ("sqlite", _sqlite_value))
    }


def _same(value: Any) -> Any:
    return value


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy would have stored on SQLite: ISO dates, naive UTC timestamps, 0/1."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


async def _prepare(engine: AsyncEngine) -> None:
    _, write = create_sessionmakers(engine)
    async with write() as db:
        connection = await db.connection()
        await connection.execute(
            insert(Department.__table__), [{"slug": f"dept-{i + 1}", "name": f"Department {i + 1}"} for i in range(DEPARTMENTS)]
        )
        await connection.execute(
            insert(User.__table__),
            [
                {
                    "email": email,
                    "name": f"Officer {i + 1}",
                    "role": "officer",
                    "password_hash": "x",
                    "is_active": True,
                    "created_at": datetime.now(UTC),
                }
                for i, email in enumerate(OFFICERS)
            ],
        )
        await connection.execute(
            insert(Requester.__table__),
            [{"name": f"Requester {i}", "email": f"r{i}@example.org", "created_at": datetime.now(UTC)} for i in range(REQUESTERS)],
        )
        await db.commit()


async def _write(engine: AsyncEngine, chunk: dict[tuple[str, str], tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    """Straight through the driver: COPY on PostgreSQL, executemany on SQLite (the triggers still run;
    SQLite's foreign key checks are left out: the rows are consistent by construction)."""
    backend = engine.dialect.name
    async with engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        if backend != "postgresql":
            await raw.execute("PRAGMA foreign_keys=OFF")
            # one transaction per chunk: the app's connections leave transactions to the caller, and
            # a row per transaction would flush the full-text indexes the triggers fill at every row
            await raw.execute("BEGIN")
        for (name, target), (columns, rows) in chunk.items():
            if target != backend or not rows:
                continue
            if backend == "postgresql":
                await raw.copy_records_to_table(name, records=rows, columns=columns)
            else:
                marks = ", ".join("?" for _ in columns)
                await raw.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", rows)
        if backend == "postgresql":
            await connection.commit()
        else:
            await raw.commit()
            await raw.execute("PRAGMA foreign_keys=ON")


async def _load(engines: list[AsyncEngine], count: int) -> None:
    for engine in engines:
        await _prepare(engine)
    sizes = [count * (i + 1) // CHUNKS - count * i // CHUNKS for i in range(CHUNKS)]
    work = [(i, count * i // CHUNKS, sizes[i]) for i in range(CHUNKS)]
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(processes=2) as pool:
        done = 0
        for chunk in pool.imap(_chunk, work):
            await asyncio.gather(*(_write(engine, chunk) for engine in engines))
            rows = len(chunk[("requests", "sqlite")][1])
            done += rows
            if done % 200_000 < rows:
                print(f"  written {done:,} requests ({time.perf_counter() - started:.0f} s)", flush=True)
    for engine in engines:
        async with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                await connection.execute(text("SELECT setval(pg_get_serial_sequence('requests', 'id'), (SELECT max(id) FROM requests))"))
                await connection.commit()
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("VACUUM ANALYZE"))
            else:
                await connection.exec_driver_sql("PRAGMA analysis_limit=1000")
                await connection.exec_driver_sql("ANALYZE")
                await connection.commit()
        started_rollup = time.perf_counter()
        months = await refresh_rollup(engine)
        print(
            f"  {engine.dialect.name}: report rollup built from scratch ({months} months) in {time.perf_counter() - started_rollup:.1f} s"
        )


async def _touch(engine: AsyncEngine, run: int) -> None:
    """An officer's step on a request received last month: its month must be recounted."""
    _, write = create_sessionmakers(engine)
    async with write() as db:
        target = await db.scalar(
            select(FoiRequest.id).where(FoiRequest.received_on >= TODAY - timedelta(days=60)).order_by(FoiRequest.id).offset(run).limit(1)
        )
        await db.execute(
            update(FoiRequest).where(FoiRequest.id == target).values(version=FoiRequest.version + 1, department_id=FoiRequest.department_id)
        )
        await db.commit()


async def _time(
    engine: AsyncEngine, label: str, work: Callable[[Any], Awaitable[Any]], describe: Callable[[Any], str], *, after_a_change: bool = False
) -> float:
    """p95 of the report as the web page runs it: a report reading the rollup first recounts its
    stale months (none, or the one just changed), then reads."""
    read, _ = create_sessionmakers(engine)
    timings, result = [], None
    for run in range(RUNS):
        if after_a_change:
            await _touch(engine, run)
        started = time.perf_counter()
        async with read() as db:
            result = await work(db)
        timings.append((time.perf_counter() - started) * 1000)
    figure = figures.latency("reports", engine.dialect.name, label, timings, aim_ms=AIM_MS)
    mark = "" if figure.met else "  << over the aim"
    print(f"  {label:<52} p95 {figure.p95:7.1f} ms   median {figure.p50:6.1f} ms   {describe(result)}{mark}")
    return figure.p95


def _queries() -> dict[str, tuple[Callable[[Any], Awaitable[Any]], Callable[[Any], str], bool]]:
    def overdue(**filters: Any) -> Callable[[Any], Awaitable[Any]]:
        return lambda db: overdue_report(db, OverdueFilters(**filters), TODAY)

    def timeliness(first: date, group_by: str, **filters: Any) -> Callable[[Any], Awaitable[Any]]:
        return lambda db: timeliness_report(db, TimelinessFilters(date_from=first, date_to=TODAY, group_by=group_by, **filters), TODAY)

    def overdue_text(report: Any) -> str:
        t = report.totals
        return f"{t.total_overdue:,} overdue, {t.due_soon + t.due_soon_reviews:,} due soon, {t.clock_stopped:,} stopped"

    def timeliness_text(report: Any) -> str:
        return f"{len(report.rows)} rows, {report.total.received:,} received"

    default_from = default_period(TODAY)[0]
    return {
        "overdue: everything, 50 per list": (overdue(), overdue_text, False),
        "overdue: one department, up to 1,000 per list": (overdue(department="dept-3", limit=1000), overdue_text, False),
        "overdue: one officer": (overdue(assignee=OFFICERS[5]), overdue_text, False),
        "timeliness: 5 quarters by quarter (the default)": (timeliness(default_from, "quarter"), timeliness_text, False),
        "timeliness: the default, after a change each time": (timeliness(default_from, "quarter"), timeliness_text, True),
        "timeliness: 12 months by month": (timeliness(date(2025, 12, 1), "month"), timeliness_text, False),
        "timeliness: a year by department, mid-month to today": (timeliness(date(2025, 11, 15), "department"), timeliness_text, False),
        "timeliness: 3 years by quarter, one department": (
            timeliness(date(2023, 12, 1), "quarter", department="dept-2"),
            timeliness_text,
            False,
        ),
        "timeliness: ten years by year": (timeliness(FIRST_DAY, "year"), timeliness_text, False),
        "timeliness: ten years by department": (timeliness(FIRST_DAY, "department"), timeliness_text, False),
        "dashboard": (lambda db: dashboard(db, TODAY), lambda d: f"{d.overdue:,} overdue, {d.open_requests:,} open", False),
    }


async def _measure(urls: list[str], count: int) -> dict[str, dict[str, float]]:
    engines = [create_engine(url) for url in urls]
    try:
        started = time.perf_counter()
        await _load(engines, count)
        print(f"  loaded {count:,} requests into {len(engines)} database(s) in {time.perf_counter() - started:.0f} s")
        results: dict[str, dict[str, float]] = {}
        for engine, url in zip(engines, urls, strict=True):
            backend = engine.dialect.name
            print(f"reports ({backend}, {count:,} requests; aim: p95 under {AIM_MS} ms)")
            results[backend] = {
                label: await _time(engine, label, work, describe, after_a_change=change)
                for label, (work, describe, change) in _queries().items()
            }
            print(f"  pages and API over HTTP ({backend}): the whole answer a manager waits for")
            results[backend].update(await _time_pages(engine, url))
        return results
    finally:
        for engine in engines:
            await engine.dispose()


PAGES = {
    "page: dashboard": "/staff/dashboard",
    "page: overdue and due soon": "/staff/reports/overdue",
    "page: overdue, one department, 1,000 per list": "/staff/reports/overdue?department=dept-3&limit=1000",
    "page: timeliness (the default, with charts)": "/staff/reports/timeliness",
    "page: timeliness, ten years by year": f"/staff/reports/timeliness?from={FIRST_DAY.isoformat()}&group_by=year",
    "csv: overdue lists": "/staff/reports/overdue?format=csv&limit=1000",
    "api: overdue": "/api/v1/reports/overdue",
    "api: timeliness, ten years by department": f"/api/v1/reports/timeliness?from={FIRST_DAY.isoformat()}&group_by=department",
}


async def _time_pages(engine: AsyncEngine, url: str) -> dict[str, float]:
    """p95 of each report as a signed-in manager gets it from the app (routing, session, query,
    template and charts), in process so that no network noise is counted."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    _, write = create_sessionmakers(engine)
    password = "bench-manager-password"
    async with write() as db:
        manager = await users.create_user(db, email="manager@bench.example", name="Bench Manager", role="manager", password=password)
        token = await users.create_token(db, manager.email, "bench")
        await db.commit()
    with tempfile.TemporaryDirectory() as storage:
        app = create_app(Settings(database_url=url, storage_dir=Path(storage), secret_key="bench-" + "k" * 40))
        async with AsyncTestClient(app=app, base_url="http://bench.local") as client:
            await client.get("/login")
            signed_in = await client.post(
                "/login",
                data={"email": manager.email, "password": password, "next": "/staff/dashboard"},
                headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
                follow_redirects=False,
            )
            assert signed_in.status_code == 303, signed_in.text
            results = {}
            for label, path in PAGES.items():
                headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
                timings, size = [], 0
                for _ in range(RUNS):
                    started = time.perf_counter()
                    response = await client.get(path, headers=headers)
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, f"{path}: {response.status_code}"
                    size = len(response.content)
                figure = figures.latency("reports", engine.dialect.name, label, timings, aim_ms=AIM_MS, kib=round(size / 1024, 1))
                mark = "" if figure.met else "  << over the aim"
                print(f"  {label:<52} p95 {figure.p95:7.1f} ms   median {figure.p50:6.1f} ms   {size / 1024:,.0f} KiB{mark}")
                results[label] = figure.p95
    return results


def run(count: int = 1_000_000, postgres_url: str | None = None) -> dict[str, dict[str, float]]:
    """On a fresh SQLite file, and on PostgreSQL when given a URL (that database is dropped and
    created anew)."""
    with tempfile.TemporaryDirectory() as directory:
        urls = fresh_databases(Path(directory) / "reports.sqlite3", postgres_url)
        return asyncio.run(_measure(urls, count))


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, sys.argv[2] if len(sys.argv) > 2 else None)
