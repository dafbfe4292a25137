"""Every figure a benchmark measures, kept as it is printed, then written to bench/results.json.

A latency figure keeps p50, p95 and p99 of its samples; a throughput figure its requests a second
(with the CPU each worker used); a search figure the same query's raw SQL, timed straight through
the driver, beside it, so that what the service adds is visible. The file also says what machine
ran it, when, at what scale and on which commit: figures from a busy or different machine are not
comparable.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.json"


@dataclass
class Figure:
    benchmark: str  # "search", "reports", "pages", ...
    engine: str  # "sqlite", "postgresql", or "" when no database is involved
    name: str
    unit: str  # "ms", "req/s", "MB", "s", "per s"
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    value: float | None = None  # a single measure (throughput, memory, seconds)
    runs: int | None = None
    aim: str = ""
    met: bool | None = None
    baseline: dict[str, float] | None = None  # the same work without the app (raw SQL)
    details: dict[str, Any] = field(default_factory=dict)


_figures: list[Figure] = []


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50, p95 and p99 of a list of timings (milliseconds), rounded to 0.01 ms."""
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive") if len(samples_ms) > 1 else samples_ms * 99
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2)}


def latency(benchmark: str, engine: str, name: str, samples_ms: list[float], *, aim_ms: float | None = None, **details: Any) -> Figure:
    cuts = percentiles(samples_ms)
    figure = Figure(
        benchmark,
        engine,
        name,
        "ms",
        runs=len(samples_ms),
        aim=f"p95 under {aim_ms:g} ms" if aim_ms is not None else "",
        met=cuts["p95"] < aim_ms if aim_ms is not None else None,
        details=details,
        **cuts,
    )
    _figures.append(figure)
    return figure


def value(
    benchmark: str, engine: str, name: str, amount: float, unit: str, *, aim: str = "", met: bool | None = None, **details: Any
) -> Figure:
    figure = Figure(benchmark, engine, name, unit, value=round(amount, 3), aim=aim, met=met, details=details)
    _figures.append(figure)
    return figure


def recorded() -> list[Figure]:
    return list(_figures)


def _machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_gib = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kib = int(meminfo.read_text().split("\n", 1)[0].split()[1])
        memory_gib = round(total_kib / 1024 / 1024, 1)
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "system": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def write(scale: int, started: datetime, path: Path = RESULTS) -> Path:
    document = {
        "scale": scale,
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": _machine(),
        "figures": [asdict(f) for f in _figures],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def table() -> str:
    """The figures as a Markdown table (what the README's performance section shows)."""
    lines = ["| benchmark | engine | figure | p50 | p95 | p99 | value | aim | |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

    def cell(number: float | None) -> str:
        return "" if number is None else f"{number:,.1f}"

    for f in _figures:
        amount = "" if f.value is None else f"{f.value:,.1f} {f.unit}"
        verdict = "" if f.met is None else ("met" if f.met else "**missed**")
        name = f.name + (f" (raw SQL p95 {f.baseline['p95']:.1f})" if f.baseline else "")
        lines.append(
            f"| {f.benchmark} | {f.engine} | {name} | {cell(f.p50)} | {cell(f.p95)} | {cell(f.p99)} | {amount} | {f.aim} | {verdict} |"
        )
    return "\n".join(lines)
