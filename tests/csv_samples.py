"""CSV files of historic requests, as an authority would export them from an older system."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from app.domain.imports import COLUMNS

TOPICS = ("agency staff", "pothole repairs", "parking fines", "consultancy spend", "school transport", "library opening hours")


def historic_rows(
    count: int, *, year: int = 2024, department: str = "corporate-services", first_reference: int | None = None
) -> list[dict[str, str]]:
    """`count` answered requests of `year` (a few withdrawn or lapsed), with outcomes and exemptions.

    With `first_reference`, every row keeps an older system's reference FOI-<year>-<n> from that number on.
    """
    rows = []
    start = date(year, 1, 8)
    for i in range(count):
        received = start + timedelta(days=(i * 3) % 300)
        topic = TOPICS[i % len(TOPICS)]
        row = {column: "" for column in COLUMNS}
        row.update(
            regime="foia",
            received_on=received.isoformat(),
            title=f"{topic.capitalize()} in {year} (request {i + 1})",
            body=f"Please tell me about {topic} in {year}.\nI would like the figures by month.",
            requester_name=f"Person Number{i + 1}",
            requester_email=f"person{i + 1}@example.org",
            department=department,
            status="responded",
            outcome="granted_in_part" if i % 2 else "granted_in_full",
            exemptions="FOIA-s40" if i % 2 else "",
            responded_on=(received + timedelta(days=14)).isoformat(),
            response=f"The figures for {topic} are attached."
            + (" Names of junior staff were withheld under section 40(2)." if i % 2 else ""),
        )
        if i % 25 == 24:
            row.update(status="withdrawn", outcome="", exemptions="", response="", responded_on=(received + timedelta(days=2)).isoformat())
        if first_reference is not None:
            row["reference"] = f"FOI-{year}-{first_reference + i:05d}"
        rows.append(row)
    return rows


def to_csv(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
