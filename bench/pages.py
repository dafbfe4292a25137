"""Pages at a million requests against a live `foi serve --workers 2`: the aims of docs/performance.md
that the rest of `make bench` does not measure.

- Latency, p95 and median of ~200 sequential requests through httpx: the public disclosure page and
  the staff request list (aim: under 20 ms), creating a request and recording an action through the
  API (aim: under 30 ms).
- Throughput of the public pages (`/`, `/disclosures`, a disclosure, `/healthz`) on 2 workers, 32
  keep-alive connections for 10 s after a 2 s warm-up (aim: 1,500 requests/s or more; for the 1,000
  rotating disclosures, after every page has been asked for once on each warming connection, so that
  the figure is the cached pages' and not the first renders', which the latency figures measure), with the CPU
  each worker, the load generator and the whole machine used in that time (on 2 cores one worker
  may take every connection; PostgreSQL, or anything else running, takes its share).
- A mixed load: 20 clients at once for 15 s, each on its own keep-alive connection sending one request
  after another: 10 signed-in readers (the staff list, a request's page, a disclosure) and 10 writers
  through the API with a Bearer token (creating requests, recording notes). Aim: writes p95 under
  50 ms and none over 500 ms (on SQLite they take turns for the one write lock), pages p95 under 20 ms;
  p50/p95/p99 and the worst of each kind are recorded.
- The resident memory of each worker after that load (aim: under 300 MB).

Data: bench.reports' loader (N realistic request histories over ten years), then half of the
answered requests published with SQL and put in the search index as app.services.search stores them.

The load generator is written here on raw asyncio streams (uvloop, as uvicorn uses) because wrk,
which docs/performance.md's ceilings were measured with, is not installable from PyPI, and Python HTTP
clients such as httpx spend more CPU per request than the server does: sharing the 2 cores, they
would measure themselves. It sends pre-encoded requests, reads the status line and headers, then
exactly Content-Length bytes, and stops at anything but a 200 with a Content-Length.

Run: .venv/bin/python -m bench.pages [N] [POSTGRESQL_URL]
(SQLite on a temporary file always; PostgreSQL too when a URL of a database that may be emptied is given.)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvloop
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import create_engine, create_sessionmakers
from app.services import users
from bench import figures
from bench.databases import fresh_databases
from bench.reports import _load

ROOT = Path(__file__).resolve().parent.parent
LATENCY_RUNS = 200
LATENCY_WARM_UP = 20  # first requests compile templates and fill caches: not what a user waits for
PAGE_AIM_MS = 20
WRITE_AIM_MS = 30
WORKERS = 2
CONNECTIONS = 32
WARM_UP_S = 2
LOAD_S = 10
RAMP_S = 0.025  # between one connection opening and the next, inside the warm-up
ROTATION = 1_000  # published references the disclosure page rotates over under load
RPS_AIM = 1_500
MEMORY_AIM_MB = 300
OFFICER = "officer@pages.bench.example"
PASSWORD = "bench-officer-password"
SECRET_KEY = "bench-" + "k" * 40


@dataclass
class Fixtures:
    """What the requests need from one loaded database."""

    url: str
    token: str
    published: list[str]  # references of published requests, in random order
    any_requests: list[str]  # references of requests in any state, for the actions


# ---------------------------------------------------------------- data


# answered requests (half of them) become releases, published the day they were answered
_PUBLISHED = "status IN ('responded', 'review_completed') AND responded_on IS NOT NULL AND id % 2 = 0"

_PUBLISH = {
    # published_at is responded_on at 10:00 UTC, stored as SQLAlchemy stores it on each engine;
    # search_seq numbers releases in publication order (the time is the same every day, so the
    # date orders them)
    "sqlite": f"""
        WITH chosen AS (SELECT id, row_number() OVER (ORDER BY responded_on, id) AS seq FROM requests WHERE {_PUBLISHED})
        UPDATE requests SET publication_state = 'published', public_title = title, public_body = body,
            public_response = response, published_at = responded_on || ' 10:00:00.000000', search_seq = chosen.seq
        FROM chosen WHERE requests.id = chosen.id
    """,
    "postgresql": f"""
        WITH chosen AS (SELECT id, row_number() OVER (ORDER BY responded_on, id) AS seq FROM requests WHERE {_PUBLISHED})
        UPDATE requests SET publication_state = 'published', public_title = title, public_body = body,
            public_response = response, published_at = (responded_on + time '10:00') AT TIME ZONE 'UTC', search_seq = chosen.seq
        FROM chosen WHERE requests.id = chosen.id
    """,
}

_INDEX = {
    # as index_request stores a release with no summary and no documents: on SQLite the FTS5 rowid
    # is the search_seq. The body is left out of the index: the loader gives every request the same
    # body, whose eighty words would each list every release (minutes of merging for nothing that
    # these pages measure; bench.search measures search on a realistic corpus)
    "sqlite": [
        """
        INSERT INTO disclosure_search (rowid, title, body, response, documents)
        SELECT search_seq, public_title, '', public_response, '' FROM requests WHERE search_seq IS NOT NULL
        """,
    ],
    # the texts are plain ASCII words, so PostgreSQL's parser cuts them as app.domain.search_query.tokenize
    # would; the sequence then continues after the last release, as publishing does
    "postgresql": [
        """
        INSERT INTO disclosure_search (request_id, seq, title, body, response, documents, search_vector)
        SELECT id, search_seq, public_title, public_body, public_response, '',
               setweight(to_tsvector('english', public_title), 'A') || setweight(to_tsvector('english', ''), 'B')
               || setweight(to_tsvector('english', public_response), 'B') || setweight(to_tsvector('english', ''), 'C')
        FROM requests WHERE search_seq IS NOT NULL
        """,
        "SELECT setval('disclosure_search_seq', (SELECT max(seq) FROM disclosure_search))",
    ],
}


async def _publish(engine: AsyncEngine) -> int:
    """Publishes and indexes the releases; returns how many."""
    backend = engine.dialect.name
    async with engine.begin() as connection:
        if backend == "sqlite":
            # FTS5 merges its segments as rows arrive: in the default 2 MB page cache, indexing the
            # releases of a million requests in one statement took 3.5 minutes; with 256 MB, half a minute
            await connection.exec_driver_sql("PRAGMA cache_size=-262144")
        await connection.execute(text(_PUBLISH[backend]))
        for statement in _INDEX[backend]:
            await connection.execute(text(statement))
        # (counted: sqlite3 reports no rowcount for a statement that starts with WITH)
        return (await connection.execute(text("SELECT count(*) FROM requests WHERE search_seq IS NOT NULL"))).scalar_one()


async def _analyze(engine: AsyncEngine) -> None:
    """Fresh planner statistics after the publishing UPDATE (and, on PostgreSQL, its dead rows gone)."""
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
        else:
            await connection.exec_driver_sql("ANALYZE")
            await connection.commit()


async def _officer_token(engine: AsyncEngine) -> str:
    """An officer to sign in as, and an API token of theirs."""
    _, write = create_sessionmakers(engine)
    async with write() as db:
        officer = await users.create_user(db, email=OFFICER, name="Bench Officer", role="officer", password=PASSWORD)
        token = await users.create_token(db, officer.email, "bench")
        await db.commit()
    return token


async def _references(engine: AsyncEngine, numbering: str, count: int, seed: int) -> list[str]:
    """References of `count` random requests, picked by random values of a dense numbering
    (search_seq for releases, id for any request) rather than ORDER BY random() over a million rows."""
    async with engine.connect() as connection:
        top = (await connection.execute(text(f"SELECT max({numbering}) FROM requests"))).scalar_one()
        numbers = random.Random(seed).sample(range(1, top + 1), min(count, top))
        rows = await connection.execute(
            text(f"SELECT {numbering}, reference FROM requests WHERE {numbering} IN ({', '.join(map(str, numbers))})")
        )
        by_number = dict(rows.all())
    return [by_number[n] for n in numbers if n in by_number]


async def _prepare(urls: list[str], count: int) -> list[Fixtures]:
    engines = [create_engine(url) for url in urls]
    try:
        started = time.perf_counter()
        await _load(engines, count)
        print(f"  loaded {count:,} requests into {len(engines)} database(s) in {time.perf_counter() - started:.0f} s")
        fixtures = []
        for engine, url in zip(engines, urls, strict=True):
            started = time.perf_counter()
            published = await _publish(engine)
            await _analyze(engine)
            print(f"  {engine.dialect.name}: published and indexed {published:,} releases in {time.perf_counter() - started:.0f} s")
            fixtures.append(
                Fixtures(
                    url=url,
                    token=await _officer_token(engine),
                    published=await _references(engine, "search_seq", ROTATION, seed=1),
                    any_requests=await _references(engine, "id", LATENCY_RUNS + LATENCY_WARM_UP, seed=2),
                )
            )
        return fixtures
    finally:
        for engine in engines:
            await engine.dispose()


# ---------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _workers(pid: int) -> list[int]:
    """uvicorn's worker processes: the multiprocessing children of `foi serve`, not its resource tracker."""
    workers = []
    for child in _children(pid):
        with contextlib.suppress(FileNotFoundError):
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                workers.append(child)
    return workers


@contextlib.contextmanager
def _server(url: str, directory: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`foi serve --workers 2` on a free port, until both workers answer; stopped afterwards.
    stdout (one access-log line per request) is dropped; stderr is kept to explain a failed start."""
    port = _free_port()
    storage = directory / "files"
    storage.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "FOI_DATABASE_URL": url,
        "FOI_STORAGE_DIR": str(storage),
        "FOI_SECRET_KEY": SECRET_KEY,
        "FOI_SCHEDULER": "off",
        "PYTHONFAULTHANDLER": "1",  # a worker that crashes writes where to the log
    }
    log = directory / "serve.log"
    command = [str(Path(sys.executable).with_name("foi")), "serve", "--port", str(port), "--workers", str(WORKERS)]
    with log.open("wb") as errors:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    try:
        _wait_until_serving(process, port, log)
        yield process, port
    finally:
        workers = _workers(process.pid)
        process.terminate()  # uvicorn's supervisor stops its workers on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for worker in workers:  # only if the supervisor could not stop them
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, 9)


def _wait_until_serving(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"foi serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        if len(_workers(process.pid)) == WORKERS:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    time.sleep(1)  # the second worker may still be starting its app
                    return
        time.sleep(0.2)
    raise RuntimeError(f"foi serve did not answer within 60 s:\n{log.read_text()[-3000:]}")


# ---------------------------------------------------------------- latency


def _time_requests(backend: str, label: str, send: Callable[[int], httpx.Response], expected: int, aim_ms: float) -> float:
    """p95 of `send(i)` over LATENCY_RUNS sequential requests, after a few untimed ones."""
    timings = []
    for i in range(LATENCY_WARM_UP + LATENCY_RUNS):
        started = time.perf_counter()
        response = send(i)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != expected:
            raise RuntimeError(f"{label}: {response.status_code} {response.text[:500]}")
        if i >= LATENCY_WARM_UP:
            timings.append(elapsed)
    figure = figures.latency("pages", backend, label, timings, aim_ms=aim_ms)
    mark = "" if figure.met else "  << over the aim"
    print(f"  {label:<44} p95 {figure.p95:7.1f} ms   median {figure.p50:6.1f} ms   p99 {figure.p99:6.1f} ms{mark}")
    return figure.p95


def _sign_in(client: httpx.Client) -> None:
    """As a browser does: the CSRF cookie from the form, then the form posted with it."""
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": OFFICER, "password": PASSWORD, "next": "/staff/requests"},
        headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
    )
    if response.status_code != 303:
        raise RuntimeError(f"sign-in: {response.status_code} {response.text[:500]}")


def _new_request(i: int) -> dict[str, object]:
    return {
        "regime": "foia",
        "title": f"Spending on management consultants 2024/25 ({i})",
        "body": "Please provide the total spent on management consultants in 2024/25, by supplier.",
        "channel": "email",
        "department": "dept-1",
        "requester": {"name": "Rosa Requester", "email": "rosa@example.org", "address": "1 High Street, Anytown AB1 2CD"},
    }


def _latency(port: int, fixtures: Fixtures) -> dict[str, float]:
    backend = make_url(fixtures.url).get_backend_name()
    base = f"http://127.0.0.1:{port}"
    api = {"Authorization": f"Bearer {fixtures.token}"}
    pages = fixtures.published
    results = {}
    with httpx.Client(base_url=base, timeout=30) as public:
        results["disclosure page"] = _time_requests(
            backend,
            "disclosure page /disclosures/{reference}",
            lambda i: public.get(f"/disclosures/{pages[i % len(pages)]}"),
            200,
            PAGE_AIM_MS,
        )
    with httpx.Client(base_url=base, timeout=30) as staff:
        _sign_in(staff)
        results["staff list"] = _time_requests(
            backend, "staff request list /staff/requests", lambda i: staff.get("/staff/requests"), 200, PAGE_AIM_MS
        )
        results["create"] = _time_requests(
            backend,
            "create a request POST /api/v1/requests",
            lambda i: staff.post("/api/v1/requests", json=_new_request(i), headers=api),
            201,
            WRITE_AIM_MS,
        )
        targets = fixtures.any_requests
        results["action"] = _time_requests(
            backend,
            "a note POST /api/v1/requests/{ref}/actions",
            lambda i: staff.post(
                f"/api/v1/requests/{targets[i % len(targets)]}/actions", json={"action": "note", "note": f"Bench note {i}"}, headers=api
            ),
            200,
            WRITE_AIM_MS,
        )
    return results


# ---------------------------------------------------------------- throughput


class LoadError(RuntimeError):
    pass


def _content_length(head: bytes) -> int:
    at = head.lower().find(b"\r\ncontent-length:")
    if at < 0:
        raise LoadError(f"no Content-Length in {head[:300]!r}")
    return int(head[at + 17 : head.index(b"\r\n", at + 2)])


async def _keep_alive(port: int, requests: list[bytes], first: int, window: tuple[float, float], latencies: list[float]) -> float:
    """One connection sending requests back to back until the window closes; records the latency of
    those sent inside it; returns when its last answer arrived."""
    opens, closes = window
    # connections arrive one by one, as clients do: all 32 at once would all be accepted by
    # whichever worker wakes first (asyncio accepts a burst in one go), leaving the other idle
    await asyncio.sleep(first * RAMP_S)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    last = opens
    try:
        for n in range(first, sys.maxsize, CONNECTIONS):
            sent = time.perf_counter()
            if sent >= closes:
                return last
            writer.write(requests[n % len(requests)])
            head = await reader.readuntil(b"\r\n\r\n")
            if head[9:12] != b"200":
                raise LoadError(f"{head[:300]!r} for {requests[n % len(requests)][:120]!r}")
            await reader.readexactly(_content_length(head))
            last = time.perf_counter()
            if sent >= opens:
                latencies.append(last - sent)
        return last
    finally:
        writer.close()


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        raise WorkerGone(pid) from None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class WorkerGone(RuntimeError):
    """A worker of `foi serve` ended during a measurement (uvicorn's supervisor starts another)."""


def _replaced_workers(process: subprocess.Popen[bytes], workers: list[int], log: Path) -> list[int]:
    """Says that a worker was replaced, with the end of the server's log (why), and waits for the
    new one: the figure is then measured again, and the run goes on to the end."""
    figures.value("pages", "", "workers replaced during the run", 1, "", aim="none", met=False)
    deadline = time.monotonic() + 60
    current = workers
    while time.monotonic() < deadline and not (len(current) == WORKERS and current != workers):
        time.sleep(0.2)
        current = _workers(process.pid)
    time.sleep(2)  # the new worker starting its app, and the supervisor saying why it started one
    said = log.read_text(errors="replace").splitlines()[-15:]
    print(f"  !! a worker of foi serve ended (one of {workers}); " + ("the end of its errors:" if said else "it wrote no error or crash"))
    for line in said:
        print(f"  !!   {line}")
    if current == workers:
        raise RuntimeError("foi serve did not replace its worker within 60 s")
    return current


def _machine_ticks() -> tuple[int, int]:
    """(busy, all) CPU ticks of the machine: with PostgreSQL, its backends use what the workers leave."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


@dataclass
class LoadResult:
    rps: float
    latencies: list[float]  # seconds
    workers_cpu: list[float]  # share of one core, each worker
    own_cpu: float  # share of one core, this load generator
    machine_busy: float  # share of all cores


async def _warm(port: int, requests: list[bytes], first: int) -> None:
    """One connection asking for every page of a rotation once."""
    await asyncio.sleep(first * RAMP_S)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for request in requests:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(_content_length(head))
    finally:
        writer.close()


async def _load_test(port: int, requests: list[bytes], workers: list[int]) -> LoadResult:
    if len(requests) > 1:
        # a rotation of pages: every worker renders each page once before the measurement, so that
        # it measures pages answered from the cache (a miss is what the latency figures measure);
        # ramped like the measured connections, the warming ones reach both workers
        await asyncio.gather(*(_warm(port, requests, n) for n in range(CONNECTIONS)))
    opens = time.perf_counter() + WARM_UP_S
    closes = opens + LOAD_S
    latencies: list[float] = []
    connections = asyncio.gather(*(_keep_alive(port, requests, n, (opens, closes), latencies) for n in range(CONNECTIONS)))
    await asyncio.sleep(max(0.0, opens - time.perf_counter()))
    workers_before, own_before, machine_before = [_cpu_seconds(w) for w in workers], time.process_time(), _machine_ticks()
    ends = await connections
    elapsed = max(ends) - opens
    machine_after = _machine_ticks()
    return LoadResult(
        rps=len(latencies) / elapsed,
        latencies=latencies,
        workers_cpu=[(_cpu_seconds(w) - before) / elapsed for w, before in zip(workers, workers_before, strict=True)],
        own_cpu=(time.process_time() - own_before) / elapsed,
        machine_busy=(machine_after[0] - machine_before[0]) / max(1, machine_after[1] - machine_before[1]),
    )


def _throughput(port: int, fixtures: Fixtures, server: subprocess.Popen[bytes], log: Path) -> dict[str, float]:
    backend = make_url(fixtures.url).get_backend_name()

    def encoded(path: str) -> bytes:
        return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/html\r\n\r\n".encode()

    targets = {
        "/": [encoded("/")],
        "/disclosures": [encoded("/disclosures")],
        f"/disclosures/{{reference}} ({len(fixtures.published):,} rotating)": [encoded(f"/disclosures/{r}") for r in fixtures.published],
        "/healthz": [encoded("/healthz")],
    }
    results = {}
    workers = _workers(server.pid)
    for label, requests in targets.items():
        for attempt in (1, 2):
            try:
                with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                    load = runner.run(_load_test(port, requests, workers))
                break
            except (WorkerGone, asyncio.IncompleteReadError, ConnectionError):
                if attempt == 2 or set(_workers(server.pid)) == set(workers):
                    raise
                workers = _replaced_workers(server, workers, log)
        cuts = statistics.quantiles(load.latencies, n=100)
        mark = "" if load.rps >= RPS_AIM else "  << under the aim"
        workers_cpu = " + ".join(f"{share:.0%}" for share in load.workers_cpu)
        print(
            f"  {label:<44} {load.rps:7,.0f} req/s   p50 {cuts[49] * 1000:5.1f} ms   p99 {cuts[98] * 1000:6.1f} ms"
            f"   CPU: workers {workers_cpu}, load generator {load.own_cpu:.0%}, machine {load.machine_busy:.0%}{mark}"
        )
        figures.value(
            "pages",
            backend,
            f"throughput {label}",
            load.rps,
            "req/s",
            aim=f"{RPS_AIM:,} req/s or more",
            met=load.rps >= RPS_AIM,
            p50_ms=round(cuts[49] * 1000, 2),
            p95_ms=round(cuts[94] * 1000, 2),
            p99_ms=round(cuts[98] * 1000, 2),
            cpu_per_worker=[round(share, 3) for share in load.workers_cpu],
            cpu_load_generator=round(load.own_cpu, 3),
            machine_busy=round(load.machine_busy, 3),
        )
        results[label] = load.rps
    return results


# ---------------------------------------------------------------- mixed load


MIXED_READERS = 10
MIXED_WRITERS = 10
MIXED_S = 15
MIXED_WARM_UP_S = 2
MIXED_WRITE_AIM_MS = 50
MIXED_WRITE_MAX_MS = 500
MIXED_READ_KINDS = ("staff list", "request page", "disclosure page")
MIXED_WRITE_KINDS = ("create", "action")
# The same 20 clients on a timetable: the closed loop above measures a saturated machine (each answer
# sends the next request at once, so the mean wait is the clients over the throughput, whatever the
# code does); at a steady rate well beyond a large authority's staff, it measures what they wait for.
PACED_RPS = 100


def _http(method: str, path: str, port: int, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", *(f"{k}: {v}" for k, v in headers.items())]
    if method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _mixed_client(
    port: int,
    requests: list[tuple[str, bytes, bytes]],
    first: int,
    window: tuple[float, float],
    samples: dict[str, list[float]],
    interval: float | None = None,
) -> None:
    """One client on its own keep-alive connection, one request at a time (kind, request, expected
    status), as a person or a script does; records what it sent inside the window. With an interval
    it keeps a timetable, one request every `interval` seconds (at once when the last answer came
    late), and times each from when it was due: a slow answer's delay to the next is counted too."""
    opens, closes = window
    await asyncio.sleep(first * (interval / (MIXED_READERS + MIXED_WRITERS) if interval else RAMP_S))
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    due = time.perf_counter()
    try:
        for n in range(first, sys.maxsize):
            if interval:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                sent, due = due, due + interval
            else:
                sent = time.perf_counter()
            if sent >= closes:
                return
            kind, request, expected = requests[n % len(requests)]
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if head[9:12] != expected:
                body = await reader.read(2000)
                raise LoadError(f"{kind}: {head[:300]!r} {body[:500]!r}")
            await reader.readexactly(_content_length(head))
            if sent >= opens:
                samples[kind].append((time.perf_counter() - sent) * 1000)
    finally:
        writer.close()


def _mixed_requests(
    port: int, fixtures: Fixtures, cookie: str
) -> tuple[list[list[tuple[str, bytes, bytes]]], list[list[tuple[str, bytes, bytes]]]]:
    """Each reader's and each writer's rotation of requests."""
    page = {"Accept": "text/html", "Cookie": cookie}
    api = {"Accept": "application/json", "Authorization": f"Bearer {fixtures.token}"}
    targets = fixtures.any_requests
    readers = []
    for r in range(MIXED_READERS):
        rotation = []
        for i in range(50):
            n = r * 50 + i
            rotation += [
                ("staff list", _http("GET", "/staff/requests", port, page), b"200"),
                ("request page", _http("GET", f"/staff/requests/{targets[n % len(targets)]}", port, page), b"200"),
                ("disclosure page", _http("GET", f"/disclosures/{fixtures.published[n % len(fixtures.published)]}", port, page), b"200"),
            ]
        readers.append(rotation)
    writers = []
    for w in range(MIXED_WRITERS):
        rotation = []
        for i in range(200):
            n = w * 1000 + i
            note = json.dumps({"action": "note", "note": f"Mixed-load note {n}"}).encode()
            rotation += [
                ("create", _http("POST", "/api/v1/requests", port, api, json.dumps(_new_request(n)).encode()), b"201"),
                ("action", _http("POST", f"/api/v1/requests/{targets[n % len(targets)]}/actions", port, api, note), b"200"),
            ]
        writers.append(rotation)
    return readers, writers


async def _mixed_load(
    port: int, readers: list[list[tuple[str, bytes, bytes]]], writers: list[list[tuple[str, bytes, bytes]]], interval: float | None
) -> dict[str, list[float]]:
    opens = time.perf_counter() + MIXED_WARM_UP_S
    closes = opens + MIXED_S
    samples: dict[str, list[float]] = {kind: [] for kind in (*MIXED_READ_KINDS, *MIXED_WRITE_KINDS)}
    clients = [*readers, *writers]
    await asyncio.gather(*(_mixed_client(port, rotation, n, (opens, closes), samples, interval) for n, rotation in enumerate(clients)))
    return samples


def _mixed(port: int, fixtures: Fixtures, rate: int | None = None) -> dict[str, float]:
    """20 clients at once for MIXED_S seconds: 10 reading staff and public pages (each signed in), 10
    writing through the API (creating requests and recording notes). Writers on SQLite take turns for
    the one write lock: this shows whether they queue. Each client sends its next request as soon as
    it has an answer, or, given a rate, all of them together keep to that many requests a second."""
    backend = make_url(fixtures.url).get_backend_name()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as staff:
        _sign_in(staff)
        cookie = "; ".join(f"{name}={value}" for name, value in staff.cookies.items())
    readers, writers = _mixed_requests(port, fixtures, cookie)
    clients = MIXED_READERS + MIXED_WRITERS
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        samples = runner.run(_mixed_load(port, readers, writers, clients / rate if rate else None))
    name, key = (f"mixed load at {rate} req/s", f"paced {rate}") if rate else ("mixed load", "mixed")
    results = {}
    for kind, timings in samples.items():
        writing = kind in MIXED_WRITE_KINDS
        aim = MIXED_WRITE_AIM_MS if writing else PAGE_AIM_MS
        worst = max(timings)
        figure = figures.latency(
            "pages", backend, f"{name}: {kind}", timings, aim_ms=aim, max_ms=round(worst, 2), clients=clients, rate=rate
        )
        if writing and worst > MIXED_WRITE_MAX_MS:
            figure.met = False
        mark = "" if figure.met else "  << over the aim"
        print(
            f"  {kind:<16} {len(timings):6,} requests   p50 {figure.p50:6.1f} ms   p95 {figure.p95:7.1f} ms"
            f"   p99 {figure.p99:7.1f} ms   max {worst:7.1f} ms{mark}"
        )
        results[f"{key} {kind} p95"] = figure.p95
        results[f"{key} {kind} max"] = worst
    return results


# ---------------------------------------------------------------- memory


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no VmRSS for process {pid}")


def _memory(backend: str, workers: list[int]) -> dict[str, float]:
    results = {}
    for number, pid in enumerate(workers, 1):
        rss = _rss_mb(pid)
        mark = "" if rss < MEMORY_AIM_MB else "  << over the aim"
        print(f"  worker {number} (pid {pid}) resident memory after the load: {rss:5.0f} MB{mark}")
        figures.value(
            "pages",
            backend,
            f"worker {number} resident memory after the load",
            rss,
            "MB",
            aim=f"under {MEMORY_AIM_MB} MB",
            met=rss < MEMORY_AIM_MB,
        )
        results[f"worker {number} MB"] = rss
    return results


# ---------------------------------------------------------------- running it


def _machine_busy(seconds: float = 1.0) -> float:
    """The share of the machine's cores busy over `seconds` (anything else running skews the figures)."""
    before = _machine_ticks()
    time.sleep(seconds)
    after = _machine_ticks()
    return (after[0] - before[0]) / max(1, after[1] - before[1])


def _measure(fixtures: Fixtures, count: int, directory: Path) -> dict[str, float]:
    backend = make_url(fixtures.url).get_backend_name()
    with _server(fixtures.url, directory) as (process, port):
        print(f"pages ({backend}, {count:,} requests, foi serve --workers {WORKERS}; machine {_machine_busy():.0%} busy before)")
        print(
            f"  latency, {LATENCY_RUNS} sequential requests each (aim: p95 under {PAGE_AIM_MS} ms for pages, {WRITE_AIM_MS} ms for writes)"
        )
        results = _latency(port, fixtures)
        print(
            f"  throughput, {CONNECTIONS} keep-alive connections, {LOAD_S} s after {WARM_UP_S} s warm-up (aim: {RPS_AIM:,} req/s or more)"
        )
        results.update(_throughput(port, fixtures, process, directory / "serve.log"))
        print(
            f"  mixed load, {MIXED_READERS} clients reading and {MIXED_WRITERS} writing at once for {MIXED_S} s "
            f"(aim: p95 under {PAGE_AIM_MS} ms for pages, {MIXED_WRITE_AIM_MS} ms for writes, none over {MIXED_WRITE_MAX_MS} ms)"
        )
        results.update(_mixed(port, fixtures))
        print(
            f"  the same mixed load at a steady {PACED_RPS} requests a second (each client one every "
            f"{(MIXED_READERS + MIXED_WRITERS) / PACED_RPS * 1000:.0f} ms, timed from when it was due)"
        )
        results.update(_mixed(port, fixtures, PACED_RPS))
        print(f"  memory (aim: under {MEMORY_AIM_MB} MB per worker)")
        results.update(_memory(backend, _workers(process.pid)))
    return results


def run(count: int = 1_000_000, postgres_url: str | None = None) -> dict[str, dict[str, float]]:
    """On a fresh SQLite file, and on PostgreSQL when given a URL (that database is dropped and
    created anew)."""
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        urls = fresh_databases(directory / "pages.sqlite3", postgres_url)
        print(f"pages: loading {count:,} requests")
        prepared = asyncio.run(_prepare(urls, count))
        # stopped with SIGTERM from here on, still stop the server and remove the gigabytes of
        # temporary files (not while loading: the loader's pool ends its forked processes with SIGTERM)
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            return {make_url(f.url).get_backend_name(): _measure(f, count, directory) for f in prepared}
        finally:
            signal.signal(signal.SIGTERM, previous)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000, sys.argv[2] if len(sys.argv) > 2 else None)
