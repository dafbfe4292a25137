"""`make bench`: the performance benchmark (never part of `make test`).

Set FOI_BENCH_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/foi_bench) to measure
PostgreSQL too; that database is dropped and created anew.
"""

from __future__ import annotations

import asyncio
import os

from bench import deadline_engine, imports, pages, recompute, reports, search
from bench.databases import recreate


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
            asyncio.run(recreate(postgres))
        except OSError as problem:
            print(f"PostgreSQL at FOI_BENCH_POSTGRES_URL is not reachable ({problem}); skipped")
            return
        recompute.run(100_000, postgres)
        asyncio.run(recreate(postgres))
        search.run(1_000_000, postgres)
        asyncio.run(recreate(postgres))
        imports.run(100_000, postgres)
    else:
        print("(set FOI_BENCH_POSTGRES_URL to measure PostgreSQL as well)")


main()
