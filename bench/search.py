"""Public search latency on a large disclosure log.

Loads N published requests (titles of ~8 words and bodies of ~80 from a Zipf vocabulary of ~5,000
words, like docs/performance.md's data) straight into a fresh database and its search index, then times
the real search service for each kind of query.

Run: .venv/bin/python -m bench.search [N] [DATABASE_URL]
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.db import create_engine, create_sessionmakers
from app.domain.search_query import tokenize
from app.migrations import upgrade
from app.models import Department, FoiRequest, Requester
from app.services.search import DisclosureFilters, optimize_index, search_disclosures
from bench import figures
from bench.databases import recreate

LONDON = ZoneInfo("Europe/London")
BATCH = 5_000
RUNS = 40
AIM_MS = 50
VOCABULARY = 5_000


def _vocabulary(rng: random.Random) -> list[str]:
    syllables = ["ba", "co", "de", "fi", "gu", "ha", "ji", "ko", "lu", "ma", "ne", "po", "ra", "si", "tu", "ve", "wo", "za"]
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _zipf_sampler(words: list[str], rng: random.Random):
    weights = [1 / (rank + 1) for rank in range(len(words))]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def sample(k: int) -> list[str]:
        return rng.choices(words, cum_weights=cumulative, k=k)

    return sample


async def _load(write, count: int, postgres: bool) -> list[str]:
    rng = random.Random(42)
    words = _vocabulary(rng)
    sample = _zipf_sampler(words, rng)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    async with write() as db:
        connection = await db.connection()
        await connection.execute(insert(Department.__table__), [{"slug": f"d{i}", "name": f"Department {i}"} for i in range(8)])
        await connection.execute(insert(Requester.__table__), [{"name": "Bench", "email": "bench@example.org", "created_at": start}])
        for first in range(0, count, BATCH):
            requests, index_rows = [], []
            for i in range(first, min(count, first + BATCH)):
                published = start + timedelta(minutes=i * (10 * 365 * 24 * 60) // count)
                title = " ".join(sample(8)).capitalize()
                body = " ".join(sample(80))
                response = " ".join(sample(30))
                requests.append(
                    {
                        "id": i + 1,
                        "reference": f"FOI-B-{i:07d}",
                        "regime": "foia",
                        "title": title,
                        "body": body,
                        "received_at": published - timedelta(days=30),
                        "received_on": (published - timedelta(days=30)).date(),
                        "channel": "email",
                        "department_id": i % 8 + 1,
                        "requester_id": 1,
                        "status": "responded",
                        "outcome": rng.choice(["granted_in_full", "granted_in_part", "refused_in_full", "not_held"]),
                        "responded_on": (published - timedelta(days=3)).date(),
                        "deadline_stage": "initial",
                        "working_days_limit": 20,
                        "clock_stopped": False,
                        "clock_state": "closed",
                        "deadline_flags": "",
                        "calendar_version": "",
                        "version": 1,
                        "created_at": published,
                        "updated_at": published,
                        "publication_state": "published",
                        "published_at": published,
                        "public_title": title,
                        "public_body": body,
                        "public_response": response,
                        "extension_late": False,
                        "search_seq": i + 1,
                    }
                )
                index_rows.append({"id": i + 1, "title": title, "body": body, "response": response, "documents": ""})
            await connection.execute(insert(FoiRequest.__table__), requests)
            if postgres:
                await connection.execute(
                    text(
                        "INSERT INTO disclosure_search (request_id, seq, title, body, response, documents, search_vector) "
                        "VALUES (:id, :id, :title, :body, :response, :documents, setweight(to_tsvector('english', :title), 'A') "
                        "|| setweight(to_tsvector('english', :body), 'B') || setweight(to_tsvector('english', :response), 'B'))"
                    ),
                    [{**row, "title": " ".join(tokenize(row["title"]))} for row in index_rows],
                )
            else:
                await connection.execute(
                    text(
                        "INSERT INTO disclosure_search (rowid, title, body, response, documents) VALUES (:id, :title, :body, :response, :documents)"
                    ),
                    index_rows,
                )
            if first % 100_000 == 0:
                print(f"  loaded {first + len(requests):,}", flush=True)
        await db.commit()
    return words


def _queries(words: list[str]) -> dict[str, DisclosureFilters]:
    # Zipf ranks chosen so match counts resemble docs/performance.md's data: rank 25 is in about 30%
    # of requests (its "common word"), not rank 1, which is in every one
    common, _second, rare = words[25], words[26], words[-1]
    recent = date(2024, 1, 1)
    queries = {
        "list newest (no words)": DisclosureFilters(),
        "common word": DisclosureFilters(q=common),
        "common word + date range": DisclosureFilters(q=common, date_from=recent, date_to=recent + timedelta(days=180)),
        "rare word": DisclosureFilters(q=rare),
        "most frequent word (in every release)": DisclosureFilters(q=words[0]),
        "rare word + date range": DisclosureFilters(q=rare, date_from=recent, date_to=recent + timedelta(days=180)),
        "two-word AND": DisclosureFilters(q=f"{common} {words[30]}"),
        "phrase": DisclosureFilters(q=f'"{words[3]} {words[4]}"'),
        "phrase of the two most frequent words": DisclosureFilters(q=f'"{words[0]} {words[1]}"'),
        "common word, excluding another": DisclosureFilters(q=f"{common} -{words[30]}"),
        "pure exclusion": DisclosureFilters(q=f"-{common}"),
        "common word, newest first": DisclosureFilters(q=common, sort="newest"),
        "common word + outcome filter": DisclosureFilters(q=common, outcome="not_held"),
        "common word + department filter": DisclosureFilters(q=common, department="d3"),
        "page 5 of a common word": DisclosureFilters(q=common, page=5),
        "page 50 of a common word": DisclosureFilters(q=common, page=50),
    }
    return queries


async def _raw_sql_timings(engine: AsyncEngine, read: async_sessionmaker[AsyncSession], filters: DisclosureFilters) -> list[float]:
    """The statements one search sends, captured, then timed straight through the driver (no ORM,
    no service): the floor the service's own time is compared with."""
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            statements.append((statement, parameters))  # transactions are the connection's own below

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with read() as db:
            await search_disclosures(db, filters, LONDON)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    timings = []
    async with engine.connect() as connection:
        for _ in range(RUNS):
            started = time.perf_counter()
            for statement, parameters in statements:
                result = await connection.exec_driver_sql(statement, parameters)
                if result.returns_rows:  # SET LOCAL returns none
                    result.all()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


async def _measure(url: str, count: int) -> dict[str, float]:
    engine = create_engine(url)
    postgres = url.startswith("postgresql")
    try:
        read, write = create_sessionmakers(engine)
        started = time.perf_counter()
        words = await _load(write, count, postgres)
        print(f"  loaded {count:,} published requests in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        async with write.begin() as db:  # one unit of work: committed at the end
            await optimize_index(db)
        print(f"  optimised the index (foi optimize) in {time.perf_counter() - started:.0f} s")
        if postgres:  # as autovacuum leaves a table that has settled: statistics, and the visibility map index-only scans need
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.exec_driver_sql("VACUUM ANALYZE")
        return await _time_queries(engine, read, words, make_url(url).get_backend_name())
    finally:
        await engine.dispose()


async def _time_queries(engine: AsyncEngine, read: async_sessionmaker[AsyncSession], words: list[str], backend: str) -> dict[str, float]:
    """Every query class, RUNS times through the service, then its statements straight through the driver."""
    queries = _queries(words)
    results = {}
    for label, filters in queries.items():
        timings = []
        for _ in range(RUNS):
            async with read() as db:
                started = time.perf_counter()
                page = await search_disclosures(db, filters, LONDON)
                timings.append((time.perf_counter() - started) * 1000)
        baseline = await _raw_sql_timings(engine, read, filters)
        figure = figures.latency("search", backend, label, timings, aim_ms=AIM_MS, matches=page.total)
        figure.baseline = figures.percentiles(baseline)
        results[label] = figure.p95
        mark = "" if figure.met else "  << over the aim"
        print(
            f"  {label:<38} p95 {figure.p95:7.1f} ms   median {figure.p50:6.1f} ms   raw SQL p95 {figure.baseline['p95']:6.1f} ms"
            f"   total {page.total:,}{mark}"
        )
    return results


def run(count: int = 1_000_000, database_url: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        if database_url:  # its own fresh database, whatever an earlier run left there
            asyncio.run(recreate(database_url))
        url = database_url or f"sqlite+aiosqlite:///{directory}/search.sqlite3"
        upgrade(url)
        print(f"search ({url.split(':', 1)[0]}, {count:,} published requests; aim: p95 under 50 ms for every query)")
        return asyncio.run(_measure(url, count))


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, sys.argv[2] if len(sys.argv) > 2 else None)
