"""Writers on one SQLite file take turns in the order they came, across processes too, and a process
that dies in its turn stops no one (app/sqlite_writers.py). How much quicker that makes writes
under load is measured by `make bench` (bench/pages.py, the mixed load), not here."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from app.db import create_engine, create_sessionmakers
from app.sqlite_writers import INLINE_BUDGET_S, SLOW_READ_S, WriteQueue

ROOT = Path(__file__).resolve().parents[1]

# a process that takes a writer's turn on the database and keeps it until it is killed
HOLDER = """
import asyncio, sys
from sqlalchemy import text
from app.db import create_engine, create_sessionmakers

async def hold():
    _, write = create_sessionmakers(create_engine(sys.argv[1]))
    async with write() as session:
        await session.execute(text("insert into t values (-1)"))
        print("holding", flush=True)
        await asyncio.sleep(3600)

asyncio.run(hold())
"""


@pytest.fixture
async def database(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'writers.sqlite3'}"
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("create table t (n integer)"))
    yield url, engine
    await engine.dispose()


def _holder(url: str) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", HOLDER, url], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "holding"
    return process


def _stop(holder: subprocess.Popen[str]) -> None:
    holder.kill()
    holder.wait()
    if holder.stdout is not None:
        holder.stdout.close()


async def _rows(engine) -> list[int]:
    async with engine.connect() as connection:
        return list((await connection.execute(text("select n from t order by rowid"))).scalars())


async def test_writers_take_turns_in_the_order_they_came(tmp_path) -> None:
    queue = WriteQueue(tmp_path / "writers.sqlite3", timeout_s=30)
    served: list[int] = []

    async def writer(n: int) -> None:
        turn = await queue.take_turn()
        served.append(n)
        await asyncio.sleep(0.002)  # a turn that takes a while
        queue.end_turn(turn)

    writers = []
    for n in range(25):
        writers.append(asyncio.create_task(writer(n)))
        await asyncio.sleep(0)  # each comes after the one before
    await asyncio.gather(*writers)
    assert served == list(range(25))


async def test_many_writers_at_once_all_write(database) -> None:
    _, engine = database
    _, write = create_sessionmakers(engine)

    async def writer(n: int) -> None:
        async with write() as session:
            await session.execute(text("insert into t values (:n)"), {"n": n})
            await asyncio.sleep(0.002)  # holding its turn while it does something else
            await session.commit()

    await asyncio.gather(*(writer(n) for n in range(40)))
    assert sorted(await _rows(engine)) == list(range(40))


async def test_a_writer_waits_for_another_processs_turn_and_goes_on_when_that_process_dies(database) -> None:
    url, engine = database
    _, write = create_sessionmakers(engine)
    holder = _holder(url)
    try:

        async def writer() -> None:
            async with write() as session:
                await session.execute(text("insert into t values (1)"))
                await session.commit()

        waiting = asyncio.create_task(writer())
        await asyncio.sleep(0.3)
        assert not waiting.done()  # it waits its turn: no "database is locked"
        holder.send_signal(signal.SIGKILL)  # killed in its turn, as by the out-of-memory killer
        await asyncio.wait_for(waiting, 20)
    finally:
        _stop(holder)
    assert await _rows(engine) == [1]


async def test_a_writer_that_gives_up_waiting_for_its_turn_leaves_no_turn_taken(database) -> None:
    url, engine = database
    _, write = create_sessionmakers(engine)
    holder = _holder(url)

    async def writer(n: int) -> None:
        async with write() as session:
            await session.execute(text("insert into t values (:n)"), {"n": n})
            await session.commit()

    try:
        impatient = asyncio.create_task(writer(1))
        await asyncio.sleep(0.3)
        impatient.cancel()  # a client that goes away while its write waits
        with pytest.raises(asyncio.CancelledError):
            await impatient
    finally:
        _stop(holder)
    # the thread that was waiting for the other process gets the turn once it dies, and gives it back
    await asyncio.wait_for(writer(2), 20)
    assert await _rows(engine) == [2]


async def test_a_writer_waiting_for_a_program_that_does_not_queue_lets_the_event_loop_go_on(database, tmp_path) -> None:
    _, engine = database
    _, write = create_sessionmakers(engine)
    other = sqlite3.connect(tmp_path / "writers.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing, which knows nothing of the queue
    other.execute("insert into t values (0)")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def writer() -> None:
        async with write() as session:
            await session.execute(text("insert into t values (1)"))
            await session.commit()

    ticking = asyncio.create_task(ticker())
    waiting = asyncio.create_task(writer())
    await asyncio.sleep(0.5)
    assert not waiting.done()
    assert ticks >= 10  # pages go on being answered while the writer waits
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(waiting, 20)
    ticking.cancel()
    assert await _rows(engine) == [0, 1]


async def test_writers_in_two_processes_lose_nothing(database) -> None:
    url, engine = database
    script = """
import asyncio, sys
from sqlalchemy import text
from app.db import create_engine, create_sessionmakers

async def main(first):
    engine = create_engine(sys.argv[1])
    _, write = create_sessionmakers(engine)
    async def writer(n):
        async with write() as session:
            await session.execute(text("insert into t values (:n)"), {"n": n})
            await session.commit()
    await asyncio.gather(*(writer(first + n) for n in range(150)))
    await engine.dispose()

asyncio.run(main(int(sys.argv[2])))
"""
    processes = [subprocess.Popen([sys.executable, "-c", script, url, str(first)], cwd=ROOT) for first in (0, 1000)]
    assert [await asyncio.to_thread(process.wait, 120) for process in processes] == [0, 0]
    assert sorted(await _rows(engine)) == [*range(150), *range(1000, 1150)]


async def test_statements_run_on_the_event_loops_thread_until_they_take_long(database) -> None:
    _, engine = database
    read, write = create_sessionmakers(engine)

    @event.listens_for(engine.sync_engine, "connect")
    def _functions(dbapi_connection, _record) -> None:
        dbapi_connection.create_function("thread_id", 0, threading.get_ident)
        dbapi_connection.create_function("pause", 1, time.sleep)

    await engine.dispose()  # connections made from here on have the functions
    loop_thread = threading.get_ident()
    async with write() as session:
        assert (await session.execute(text("select thread_id()"))).scalar() == loop_thread
        await session.execute(text("select pause(:s)"), {"s": INLINE_BUDGET_S * 2})
        # past the budget: the rest goes back to the driver's thread, so the event loop goes on
        assert (await session.execute(text("select thread_id()"))).scalar() != loop_thread
        await session.commit()
    async with read() as session:
        # a quick read (a user, a session, a page of a list) is done at once too
        assert (await session.execute(text("select thread_id()"))).scalar() == loop_thread
    search = "select pause(:s), thread_id() -- a search that takes long"
    async with read() as session:
        await session.execute(text(search), {"s": SLOW_READ_S * 3})
    async with read() as session:
        # once it took long, it runs on the thread from then on: never again holding up the loop
        assert (await session.execute(text(search), {"s": 0})).one()[1] != loop_thread
        assert (await session.execute(text("select thread_id()"))).scalar() == loop_thread


async def test_a_writer_waiting_longer_than_the_busy_timeout_is_told_the_database_is_locked(tmp_path) -> None:
    queue = WriteQueue(tmp_path / "writers.sqlite3", timeout_s=0.2)
    turn = await queue.take_turn()
    with pytest.raises(OperationalError, match="database is locked"):
        await queue.take_turn()
    queue.end_turn(turn)
    queue.end_turn(await queue.take_turn())  # and the queue still works


async def test_the_lock_file_beside_the_database_is_readable_by_its_owner_only(tmp_path) -> None:
    previous = os.umask(0o022)
    try:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'own.sqlite3'}")
        _, write = create_sessionmakers(engine)
        async with write() as session:
            await session.execute(text("create table t (n integer)"))
            await session.commit()
        await engine.dispose()
    finally:
        os.umask(previous)
    assert (tmp_path / "own.sqlite3-writers").stat().st_mode & 0o777 == 0o600
