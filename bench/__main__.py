"""`make bench`: the performance benchmark (never part of `make test`).

Set FOI_BENCH_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/foi_bench) to measure
PostgreSQL too; that database is dropped and created anew.
"""

from __future__ import annotations

import asyncio
import os

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench import deadline_engine, imports, pages, recompute, reports, search


async def _recreate(url: str) -> None:
    name = make_url(url).database
    engine = create_async_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


def main() -> None:
    print("== FOI tracker benchmark ==")
    deadline_engine.run()
    recompute.run(100_000)
    search.run(1_000_000)
    imports.run(100_000)
    # both engines from one generated data set (it recreates the PostgreSQL database itself)
    reports.run(1_000_000, os.environ.get("FOI_BENCH_POSTGRES_URL"))
    # pages, throughput and memory against a live `foi serve --workers 2` (also recreates PostgreSQL)
    pages.run(1_000_000, os.environ.get("FOI_BENCH_POSTGRES_URL"))
    postgres = os.environ.get("FOI_BENCH_POSTGRES_URL")
    if postgres:
        try:
            asyncio.run(_recreate(postgres))
        except OSError as problem:
            print(f"PostgreSQL at FOI_BENCH_POSTGRES_URL is not reachable ({problem}); skipped")
            return
        recompute.run(100_000, postgres)
        asyncio.run(_recreate(postgres))
        search.run(1_000_000, postgres)
        asyncio.run(_recreate(postgres))
        imports.run(100_000, postgres)
    else:
        print("(set FOI_BENCH_POSTGRES_URL to measure PostgreSQL as well)")


main()
