"""The database engine for SQLite (embedded default) and PostgreSQL, and the session factories."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from app import sqlite_writers

# Write transactions on SQLite start with BEGIN IMMEDIATE: a deferred transaction that reads first
# and writes later fails with SQLITE_BUSY (no waiting) when another writer committed in between.
WRITE_OPTION = "foi_write"
# how long a writer waits for its turn before SQLite says the database is locked
BUSY_TIMEOUT_S = 30


# PostgreSQL connections a process keeps open (FOI_DB_POOL_SIZE), and as many again opened for a burst
DEFAULT_POOL_SIZE = 10


def create_engine(database_url: str, *, existing_file: bool = False, pool_size: int = DEFAULT_POOL_SIZE, **kwargs: Any) -> AsyncEngine:
    """`existing_file` (the app's engine): a SQLite file that is not there (moved away, its disk not
    mounted) is an error, never a new empty database made in its place. `pool_size` (PostgreSQL): the
    connections kept open; as many again are opened for a burst and closed after it."""
    # a failed statement's values (a requester's name, e-mail, address) never reach an error or a log
    kwargs.setdefault("hide_parameters", True)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _create_sqlite_engine(database_url, existing_file=existing_file, **kwargs)
    kwargs.setdefault("pool_size", pool_size)
    kwargs.setdefault("max_overflow", pool_size)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(database_url, **kwargs)


def _create_sqlite_engine(database_url: str, *, existing_file: bool = False, **kwargs: Any) -> AsyncEngine:
    url = make_url(database_url)
    on_disk = bool(url.database) and url.database != ":memory:" and not str(url.database).startswith("file:")
    if on_disk:
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(database_url, connect_args={"timeout": BUSY_TIMEOUT_S}, **kwargs)

    if existing_file and on_disk:

        @event.listens_for(engine.sync_engine, "do_connect")
        def _open_existing_only(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
            # SQLite's URI form with mode=rw opens the file read-write but never creates it
            cargs[0] = f"file:{quote(str(Path(cargs[0]).absolute()))}?mode=rw"
            cparams["uri"] = True

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # take over transaction control from the driver, so BEGIN is ours to choose
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA foreign_keys=ON",
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}",
        ):
            cursor.execute(pragma)
        cursor.close()

    if on_disk:
        # writers queue for their turn and are quick with it (app/sqlite_writers.py)
        sqlite_writers.install(engine, Path(str(url.database)), BUSY_TIMEOUT_S, WRITE_OPTION)
        return engine

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def create_sessionmakers(engine: AsyncEngine) -> tuple[async_sessionmaker[AsyncSession], async_sessionmaker[AsyncSession]]:
    """(read, write) session factories sharing one pool; the write one starts write transactions."""
    read = async_sessionmaker(engine, expire_on_commit=False)
    write = async_sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False)
    return read, write
