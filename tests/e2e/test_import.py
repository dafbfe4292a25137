"""An officer imports a CSV of older requests through /staff/import, as someone new to the tracker would:
upload, read the per-row preview, fix the bad row, upload again, confirm; with and without JavaScript."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.domain.imports import COLUMNS
from tests.e2e.conftest import LiveServer, Pages, screenshot
from tests.e2e.test_accessibility import check_structure

pytestmark = pytest.mark.e2e

WORD = "Marshwick"  # in every title here and nowhere else, so searches and counts are exact


def older_requests(count: int, *, word: str = WORD, year: int = 2023) -> list[dict[str, str]]:
    rows = []
    for i in range(count):
        row = {column: "" for column in COLUMNS}
        row.update(
            regime="foia" if i % 4 else "eir",
            received_on=f"{year}-{(i % 9) + 2:02d}-{(i % 20) + 5:02d}",
            title=f"{word} {('bridge repairs', 'library hours', 'tree felling', 'bus shelters')[i % 4]} ({i + 1})",
            body=f"Please send the {word} figures for {year}, month by month.",
            requester_name=f"Ottoline Farrant-Whisby {i + 1}",
            requester_email=f"ottoline.fw{i + 1}@example.net",
            department="corporate-services",
            status="responded",
            outcome="granted_in_part" if i % 2 else "granted_in_full",
            exemptions=("FOIA-s40" if i % 4 else "EIR-r13") if i % 2 else "",
            responded_on=f"{year}-{(i % 9) + 3:02d}-{(i % 20) + 5:02d}",
            response=f"The {word} figures are attached."
            + (" Names were withheld under section 40 (regulation 13 for EIR)." if i % 2 else ""),
        )
        rows.append(row)
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def choose_file(page: Any, data: bytes, name: str = "older-requests.csv") -> None:
    page.get_by_label("CSV file").set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])


def test_import_with_a_preview_then_a_fix_then_once_only(pages: Pages, live_server: LiveServer) -> None:
    rows = older_requests(12)
    rows[6]["responded_on"] = "31/02/2023"
    rows[9]["requester_email"] = "ottoline at example dot net"
    page = pages.new("officer")
    page.goto(live_server.url("/staff/requests"))
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import historic requests")
    check_structure(page, "import form")
    page.get_by_text("The columns of the file").click()
    expect(page.locator("details.format table")).to_contain_text("requester_email")
    screenshot(page, "import-form")

    choose_file(page, to_csv(rows))
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator(".error-summary").filter(has_text="Nothing can be imported")
    expect(problems).to_be_visible()
    expect(problems.locator("li")).to_have_text(
        [
            "Line 8: responded_on '31/02/2023' is not a date (use YYYY-MM-DD, or DD/MM/YYYY)",
            "Line 11: requester_email is not a valid email address",
        ]
    )
    assert "Farrant" not in problems.inner_text() and "example dot net" not in page.content()
    expect(page.get_by_role("button", name=re.compile(r"^Import \d+ request"))).to_have_count(0)
    check_structure(page, "import preview with invalid rows")
    screenshot(page, "import-preview-invalid")

    rows[6]["responded_on"] = "2023-08-11"
    rows[9]["requester_email"] = "ottoline.fw10@example.net"
    choose_file(page, to_csv(rows))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("button", name="Import 12 requests")).to_be_visible()
    expect(page.locator("table tbody tr").filter(has_text="Will be imported")).to_have_count(12)
    assert live_server.count_requests(q=WORD, status="responded") == 0  # the preview wrote nothing
    screenshot(page, "import-preview-ready")

    page.get_by_role("button", name="Import 12 requests").click()
    expect(page.locator(".notice")).to_contain_text("12 requests imported from older-requests.csv.")
    expect(page.locator("table tbody tr").filter(has_text="Imported")).to_have_count(12)
    check_structure(page, "import done")
    screenshot(page, "import-done")
    assert live_server.count_requests(q=WORD, status="responded") == 12

    # the first imported request: its history marked as imported, on the original dates
    first = page.locator("table tbody tr").first.get_by_role("link")
    reference = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{WORD} bridge repairs (1)")
    timeline = page.locator("#timeline")
    expect(timeline.locator(".timeline-meta").first).to_contain_text("imported")
    expect(timeline).to_contain_text("Response sent")
    expect(timeline).to_contain_text("5 Mar 2023")
    screenshot(page, "import-imported-request")

    # the same file again: nothing new
    page.goto(live_server.url("/staff/import"))
    choose_file(page, to_csv(rows))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("There is nothing new to import in this file.")).to_be_visible()
    expect(page.locator("table tbody tr").filter(has_text="Already imported")).to_have_count(12)
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    assert live_server.count_requests(q=WORD, status="responded") == 12


def test_import_without_javascript_and_a_file_that_is_not_csv(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new("officer", javascript=False)
    page.goto(live_server.url("/staff/import"))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".error-summary")).to_contain_text("choose a CSV file to upload")
    expect(page.get_by_label("CSV file")).to_have_attribute("aria-invalid", "true")

    choose_file(page, b"PK\x03\x04 a workbook, not text", name="requests.xlsx")
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".error-summary")).to_contain_text("this file is a spreadsheet workbook (or another zip file), not CSV text")
    screenshot(page, "import-not-csv")

    rows = older_requests(3, word="Thornbury", year=2022)
    rows[1]["status"] = "internal review"
    choose_file(page, to_csv(rows))
    page.get_by_label("Skip the invalid rows").check()
    page.get_by_role("button", name="Check the file").click()
    skipped = page.locator(".warning-box").filter(has_text="These rows will be skipped")
    expect(skipped).to_contain_text("Line 3: status internal_review cannot be imported")
    page.get_by_role("button", name="Import 2 requests").click()
    expect(page.locator(".notice")).to_contain_text("2 requests imported from older-requests.csv. 1 invalid row skipped.")
    assert live_server.count_requests(q="Thornbury", status="responded") == 2
