"""Writers on one SQLite file take turns in the order they came and are quick with their turn; reads are quick too.

SQLite lets one transaction write at a time, so how long writers wait is how long each holds the lock,
times how many are waiting, plus whatever the waiting itself wastes. Measured with 20 clients at
once on 2 cores (`bench.pages`' mixed load), both went wrong:

- **Waiting wasted.** A writer that finds the lock taken is left to SQLite's busy handler, which
  sleeps and tries again (after 1, 2, 5, 10 … then every 100 ms): one that has just gone to sleep
  for 100 ms misses every turn that comes and goes meanwhile, so most writes passed at once while a
  few waited for seconds (p50 150 ms, p95 2 s, the worst 4 s). Here writers queue instead, before
  BEGIN IMMEDIATE, and each is woken the moment the one before it is done: within a process on a
  FIFO `asyncio.Lock`; across processes (`foi serve --workers N`, a `foi` command beside the server)
  on an advisory lock of a file beside the database (`flock`), waited for in a thread so that the
  event loop goes on. The kernel wakes the waiter as soon as the holder lets go, and a process that
  dies lets go with it.
- **Turns held long.** A write transaction is a handful of statements (a create: 7, about 4 ms
  alone). aiosqlite runs each in its own thread and hands the result back to the event loop, where
  it waits behind every page being rendered: under load the same transaction held the lock for
  70 ms (p50) to 250 ms (p95), almost all of it queueing for the event loop. Once a writer has its
  turn (and so finds the lock free), its statements run at once on the event loop's thread, BEGIN
  IMMEDIATE included, so the whole transaction runs without letting anything else in. Only if a
  writer that does not queue here holds the lock does BEGIN wait, on the thread. A transaction still
  writing after `INLINE_BUDGET_S` (an import, a bulk action) goes back to the thread for the rest,
  so a long write never stops the process answering pages for longer than that.
- **Reads pay the same hops.** A staff list is 8 quick SELECTs, each four or five trips to the thread
  and back: about 90 hand-overs per page, half its time on an idle process (25 ms against 14 ms when
  done at once). A read's statements run at once too, for its first `READ_INLINE_BUDGET_S`; a
  statement that once took longer than `SLOW_READ_S` (a search, a report) runs on the thread from
  then on, so that a long read never holds up the event loop more than once.

This only orders and hurries the writers: SQLite's own lock still keeps them apart, and a writer
that does not queue here (a deferred transaction that writes) waits in the busy handler as before.
A writer waiting longer than the busy timeout (a writer inside another writer's transaction in the
same task would wait forever) gets SQLite's own error, as it did before.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
import threading
import time
import weakref
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only

# how long a write transaction's statements may hold the event loop before going back to the thread
INLINE_BUDGET_S = 0.025
# a read's statements run at once too, for this long; one that takes longer than SLOW_READ_S goes to
# the thread from then on
READ_INLINE_BUDGET_S = 0.005
SLOW_READ_S = 0.002

# the connection record's key for "this connection holds a writer's turn"
HOLDS_TURN = "foi_write_turn"


class WriteQueue:
    """The queue of one database file in this process."""

    def __init__(self, database: Path, timeout_s: float) -> None:
        self._path = database.with_name(database.name + "-writers")
        self._timeout_s = timeout_s
        self._fd: int | None = None
        self._fd_guard = threading.Lock()
        # an asyncio.Lock belongs to one event loop; a process may run several (tests, commands)
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    def _file(self) -> int:
        with self._fd_guard:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            return self._fd

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    async def take_turn(self) -> asyncio.Lock:
        """Waits for this writer's turn; returns the lock that `end_turn` gives back."""
        lock = self._lock()
        try:
            async with asyncio.timeout(self._timeout_s):
                await lock.acquire()
        except TimeoutError:
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")) from None
        try:
            await self._take_file()
        except BaseException:
            lock.release()
            raise
        return lock

    async def _take_file(self) -> None:
        fd = self._file()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waiting = asyncio.get_running_loop().run_in_executor(None, fcntl.flock, fd, fcntl.LOCK_EX)
        try:
            await asyncio.shield(waiting)
        except asyncio.CancelledError:
            # the thread gets the lock in the end all the same: give it back then, or no one writes again
            waiting.add_done_callback(lambda done: _unlock_if_taken(done, fd))
            raise

    def end_turn(self, lock: asyncio.Lock) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        lock.release()


def _unlock_if_taken(waiting: asyncio.Future[None], fd: int) -> None:
    if not waiting.cancelled() and waiting.exception() is None:
        fcntl.flock(fd, fcntl.LOCK_UN)


_queues: dict[Path, WriteQueue] = {}
_queues_guard = threading.Lock()


def queue_for(database: Path, timeout_s: float) -> WriteQueue:
    """One queue per database file per process, whichever engines open it."""
    path = database.absolute()
    with _queues_guard:
        queue = _queues.get(path)
        if queue is None:
            queue = _queues[path] = WriteQueue(path, timeout_s)
        return queue


class InlineConnection(aiosqlite.Connection):
    """aiosqlite's connection, which runs every call on its own thread, able to run them at once on
    the caller's thread instead until `inline_until` (a `time.perf_counter()` reading) has passed.

    In a read (`reading`), a statement that once took longer than `SLOW_READ_S` (a search, a report)
    runs on the thread from then on, fetching included: a long read must not hold up the event loop."""

    inline_until = 0.0
    reading = False
    _statement: str | None = None

    async def _execute(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self._connection is None or time.perf_counter() >= self.inline_until:
            return await super()._execute(fn, *args, **kwargs)
        if not self.reading:
            return fn(*args, **kwargs)
        if args and isinstance(args[0], str):
            self._statement = args[0]  # what the fetches after it belong to
        if self._statement in _slow_reads:
            return await super()._execute(fn, *args, **kwargs)
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            if self._statement is not None and time.perf_counter() - started > SLOW_READ_S:
                _remember_slow_read(self._statement)


# statements (their SQL, with parameters apart) that took long once: they run on the thread
_slow_reads: dict[str, None] = {}
_SLOW_READS_KEPT = 1000


def _remember_slow_read(statement: str) -> None:
    if len(_slow_reads) >= _SLOW_READS_KEPT:
        _slow_reads.pop(next(iter(_slow_reads)))
    _slow_reads[statement] = None


def _connect_inline(database: str, **kwargs: Any) -> InlineConnection:
    # the connection is used on aiosqlite's thread and, inline, on the event loop's
    kwargs["check_same_thread"] = False

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(database, **kwargs)

    connection = InlineConnection(connector, iter_chunk_size=64)
    connection._thread.daemon = True  # as SQLAlchemy makes aiosqlite's own: never keeps a process alive
    return connection


def _end_turn(info: dict[str, Any], queue: WriteQueue) -> None:
    """Gives back the turn a connection holds, if it holds one (safe to call more than once)."""
    lock = info.pop(HOLDS_TURN, None)
    if lock is not None:
        queue.end_turn(lock)


def _begin_at_once(connection: Any, timeout_ms: int) -> bool:
    """BEGIN IMMEDIATE on the event loop's thread if the lock is free, without waiting for it when
    it is not: the writers that queue here never find it taken but for a moment, and going to the
    thread and back would cost the turn a wait for the event loop."""
    connection.exec_driver_sql("PRAGMA busy_timeout=0")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        return True
    except OperationalError as error:
        if "locked" not in str(error.orig) and "busy" not in str(error.orig):
            raise
        return False
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={timeout_ms}")


def install(engine: AsyncEngine, database: Path, timeout_s: float, write_option: str) -> None:
    """Makes the engine's write transactions (those with `write_option`) queue and run inline.
    Installed after any other `do_connect` listener, which may still change the arguments."""
    queue = queue_for(database, timeout_s)
    timeout_ms = int(timeout_s * 1000)
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "do_connect")
    def _inline_capable(dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> Any:
        return dialect.loaded_dbapi.connect(*cargs, async_creator_fn=_connect_inline, **cparams)

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        driver: InlineConnection = connection.connection.driver_connection
        driver.reading = not connection.get_execution_options().get(write_option, False)
        if driver.reading:
            driver.inline_until = time.perf_counter() + READ_INLINE_BUDGET_S
            connection.exec_driver_sql("BEGIN")
            return
        driver.inline_until = 0.0
        # the event runs inside the async engine's greenlet: await_only waits on its event loop
        connection.info[HOLDS_TURN] = await_only(queue.take_turn())
        try:
            driver.inline_until = time.perf_counter() + INLINE_BUDGET_S
            if not _begin_at_once(connection, timeout_ms):
                # a writer that did not queue here (a session saved on the sign-in page, another
                # program) holds the lock: wait for it in the busy handler, on the thread, so that
                # the event loop goes on meanwhile
                driver.inline_until = 0.0
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                driver.inline_until = time.perf_counter() + INLINE_BUDGET_S
        except BaseException:
            driver.inline_until = 0.0
            _end_turn(connection.info, queue)
            raise

    # The turn ends with the transaction, however it ends. These events come just before COMMIT or
    # ROLLBACK runs, which then runs inline before anything else in this process can start.
    for name in ("commit", "rollback"):
        event.listen(sync_engine, name, lambda connection: _end_turn(connection.info, queue))
    for name in ("reset", "invalidate", "checkin"):
        event.listen(sync_engine.pool, name, lambda _dbapi, record, *_: _end_turn(record.info, queue))
