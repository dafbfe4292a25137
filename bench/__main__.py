"""`make bench [SCALE=N]`: the performance benchmark (never part of `make test`).

SCALE is the number of requests the search, report and page benchmarks load (default 100,000;
1,000,000 is what docs/performance.md's aims are set at; 20,000 is a smoke run of a few minutes).
Recomputing due dates and importing CSV run at SCALE or 100,000, whichever is smaller.

Set FOI_BENCH_POSTGRES_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/foi_bench) to measure
PostgreSQL too; that database is dropped and created anew before each benchmark. Every figure is
printed as it is measured, then the whole table, and written to bench/results.json.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime

from bench import deadline_engine, figures, imports, pages, recompute, reports, search

DEFAULT_SCALE = 100_000
SIDE_SCALE = 100_000  # recompute and import: their aims are set at 100,000


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="requests to load (default %(default)s)")
    scale = parser.parse_args().scale
    if scale < 1_000:
        parser.error("--scale must be at least 1000")
    postgres = os.environ.get("FOI_BENCH_POSTGRES_URL") or None
    started = datetime.now(UTC)
    side = min(scale, SIDE_SCALE)
    print(f"== FOI tracker benchmark at {scale:,} requests ==")
    deadline_engine.run()
    if postgres is None:
        print("(set FOI_BENCH_POSTGRES_URL to measure PostgreSQL as well)")
    for url in [None, postgres] if postgres else [None]:  # None: a fresh SQLite file
        recompute.run(side, url)
        search.run(scale, url)
        imports.run(side, url)
    # both engines from one generated data set (each recreates the PostgreSQL database itself)
    reports.run(scale, postgres)
    # pages, throughput and memory against a live `foi serve --workers 2`
    pages.run(scale, postgres)
    path = figures.write(scale, started)
    print()
    print(figures.table())
    print(f"\nwritten to {path}")


main()
