"""Shared fixtures: a migrated database per test on SQLite and (where configured) PostgreSQL.

Set FOI_TEST_POSTGRES_URL (as .ci/run does) to run every database test on PostgreSQL too. On CI a
PostgreSQL that cannot be reached is a failure, never a silent skip.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from app.config import Settings
from app.db import create_engine, create_sessionmakers
from app.migrations import upgrade
from tests.mail_server import smtp  # noqa: F401  (a real SMTP server, for any test that asks for one)

POSTGRES_URL = os.environ.get("FOI_TEST_POSTGRES_URL", "")
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ENGINES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
KEPT_TABLES = {"alembic_version", "exemptions"}


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> None:
    # every coroutine test runs on anyio (the event loop Litestar's test client uses); marked
    # before collection so that fixture parametrisation sees it
    if collector.istestfunction(obj, name) and inspect.iscoroutinefunction(inspect.unwrap(obj)):  # type: ignore[attr-defined]
        pytest.mark.anyio(obj)


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (cheaper than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


async def _admin_execute(url: str, *statements: str) -> None:
    admin_url = make_url(url).set(database="postgres")
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this run, dropped at the end.

    Named after the configured database plus the process id, so two runs never share one.
    """
    base = make_url(POSTGRES_URL)
    name = f"{base.database}_{os.getpid()}"
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(_admin_execute(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'))
    except Exception as problem:
        message = f"PostgreSQL at FOI_TEST_POSTGRES_URL is not reachable: {problem}"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    upgrade(url)
    yield url
    asyncio.run(_admin_execute(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_postgres(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            tables = (await connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).scalars()
            names = ", ".join(f'"{t}"' for t in tables if t not in KEPT_TABLES)
            # the append-only triggers guard production data; tests start from empty tables
            await connection.execute(text("SET LOCAL session_replication_role = replica"))
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "foi.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_database")
        asyncio.run(_truncate_postgres(url))
        yield url


@pytest.fixture
def dialect(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@dataclass
class Sessions:
    read: async_sessionmaker[AsyncSession]
    write: async_sessionmaker[AsyncSession]


@pytest.fixture
def sessions(engine: AsyncEngine) -> Sessions:
    read, write = create_sessionmakers(engine)
    return Sessions(read, write)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        storage_dir=tmp_path / "files",
        secret_key="test-secret-key-" + "x" * 32,
        authority_name="Test Borough Council",
        login_attempts_per_minute=1000,
    )


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "slow: takes more than a few seconds")
