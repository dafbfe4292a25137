"""Fresh databases for a benchmark: a new SQLite file, and the PostgreSQL database it was given,
dropped and created anew; both migrated to the newest revision."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.migrations import upgrade


async def recreate(url: str) -> None:
    """Drops and creates the PostgreSQL database of `url` (connected through the `postgres` database)."""
    name = make_url(url).database
    engine = create_async_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


def fresh_databases(sqlite_file: Path, postgres_url: str | None) -> list[str]:
    """URLs of the migrated databases: SQLite always, PostgreSQL too when given and reachable."""
    urls = [f"sqlite+aiosqlite:///{sqlite_file}"]
    if postgres_url:
        try:
            asyncio.run(recreate(postgres_url))
            urls.append(postgres_url)
        except OSError as problem:
            print(f"PostgreSQL at {make_url(postgres_url).render_as_string()} is not reachable ({problem}); SQLite only")
    for url in urls:
        upgrade(url)
    return urls
