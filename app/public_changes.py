"""How a process learns, without a query per page, that something public changed in the database.

The database says so itself (migration 0015's triggers fire whatever wrote the change, on any host):

- PostgreSQL notifies `foi_public_changes` on commit; one connection per process listens, and each
  notification moves the process's generation on. While that connection is down the generation is
  unknown (None), and callers must not trust anything they kept. The app's own pooled connections
  listen too: PostgreSQL sends a transaction's notification to its own connection before the commit
  returns, so a change this process commits is known here before anything is answered after it
  (the listening connection alone would learn it a moment later, from the socket).
- SQLite: the triggers count changes in `public_changes`. Reading that count for every page would be
  the query this avoids, so the process first looks at what any commit changes: the WAL-index header
  in the `-shm` file (its change counter moves with every transaction, SQLite's file format, section
  "WAL-Index Format") and the sizes and times of the database and its WAL. Only when those moved
  does it read the count (one indexed row, through its own read-only connection).

`generation()` is cheap and synchronous; read it before rendering what you keep, and compare it when
you use it: a change committed while a page was being rendered leaves that page stale at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections import OrderedDict
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger("app.public_changes")
CHANNEL = "foi_public_changes"
_WAL_INDEX_HEADER = 96  # both copies of the header (48 bytes each)
_RECONNECT_SECONDS = (0.5, 1, 2, 5, 10)
_PING_SECONDS = 10
_REMEMBERED = 1_000


class PublicChanges(Protocol):
    def generation(self) -> int | None: ...

    async def settle(self) -> None:
        """Let a change already told to this process be counted before `generation()` is read."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class SqliteChanges:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[Any, ...] | None = None
        self._generation: int | None = None
        self._connection: sqlite3.Connection | None = None

    async def start(self) -> None:
        self._stamp = None

    async def settle(self) -> None:
        """Nothing to wait for: `generation()` looks at the files themselves."""

    async def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def generation(self) -> int | None:
        stamp = self._read_stamp()
        if stamp != self._stamp:
            # the stamp first: a commit after it moves the stamp again, so the next call reads again
            self._stamp = stamp
            self._generation = self._read_count()
        return self._generation

    def _read_stamp(self) -> tuple[Any, ...]:
        parts: list[Any] = []
        for suffix in ("", "-wal"):
            try:
                found = os.stat(f"{self.path}{suffix}")
                parts.append((found.st_ino, found.st_size, found.st_mtime_ns))
            except FileNotFoundError:
                parts.append(None)
        try:
            with open(f"{self.path}-shm", "rb") as shm:
                parts.append(shm.read(_WAL_INDEX_HEADER))
        except FileNotFoundError:
            parts.append(None)
        return tuple(parts)

    def _read_count(self) -> int | None:
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, timeout=2)
            row = self._connection.execute("SELECT generation FROM public_changes WHERE id = 1").fetchone()
            return int(row[0]) if row else None
        except sqlite3.Error as problem:
            logger.warning("could not read the count of public changes (%s): public pages are not kept", type(problem).__name__)
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            self._stamp = None  # try again next time
            return None


class PostgresChanges:
    def __init__(self, engine: AsyncEngine) -> None:
        self.url = engine.url.render_as_string(hide_password=False)
        event.listen(engine.sync_engine, "connect", self._listen_on)
        self._epoch = 0  # never goes back: what was kept under an old number stays stale
        self._seen: OrderedDict[str, None] = OrderedDict()  # transactions already counted
        self._listening = False
        self._task: asyncio.Task[None] | None = None
        self._lost = asyncio.Event()

    def generation(self) -> int | None:
        return self._epoch if self._listening else None

    async def settle(self) -> None:
        """A notification already in the listening socket is read by the event loop, then handed to
        `_changed` one turn later: three turns let both happen before this page is answered."""
        for _ in range(3):
            await asyncio.sleep(0)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen_forever())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._listening = False

    def _changed(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        # one transaction reaches this process twice (its own connection, and the listening one):
        # counted once, so that pages kept in between are not thrown away for nothing
        if payload in self._seen:
            return
        self._seen[payload] = None
        if len(self._seen) > _REMEMBERED:
            self._seen.popitem(last=False)
        self._epoch += 1

    def _listen_on(self, dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.run_async(lambda connection: connection.add_listener(CHANNEL, self._changed))

    def _connection_lost(self, *_: Any) -> None:
        self._listening = False
        self._lost.set()

    async def _listen_forever(self) -> None:
        import asyncpg  # type: ignore[import-untyped]

        url = make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
        attempt = 0
        while True:
            connection = None
            try:
                connection = await asyncpg.connect(url)
                connection.add_termination_listener(self._connection_lost)
                await connection.add_listener(CHANNEL, self._changed)
                # listening from here on; what changed while not listening is unknown: a new number
                self._lost.clear()
                self._epoch += 1
                self._listening = True
                attempt = 0
                while not self._lost.is_set():
                    # a connection that died without a word (a network cut) is found within seconds
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._lost.wait(), _PING_SECONDS)
                    if not self._lost.is_set():
                        await connection.fetchval("SELECT 1", timeout=_PING_SECONDS)
            except asyncio.CancelledError:
                raise
            except Exception as problem:
                logger.warning("not listening for public changes (%s); retrying", type(problem).__name__)
            finally:
                self._listening = False
                if connection is not None:
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=1)
            await asyncio.sleep(_RECONNECT_SECONDS[min(attempt, len(_RECONNECT_SECONDS) - 1)])
            attempt += 1


def public_changes_for(engine: AsyncEngine) -> PublicChanges:
    if engine.dialect.name == "postgresql":
        return PostgresChanges(engine)
    return SqliteChanges(Path(engine.url.database or ""))
