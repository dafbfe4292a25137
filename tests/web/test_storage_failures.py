"""A document store that is full or cannot be written: the upload is refused with a clear message on the
staff page and a JSON 507/503 in the API, nothing is half-written (no document without its file, no file
without its document, no temporary file), and the log tells the administrator what happened and where.

The store is a real filesystem that really fails: a small tmpfs filled to the brim (ENOSPC), or
mounted read-only (EROFS). Mounting needs root, as on CI; elsewhere these tests skip.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fpdf import FPDF
from litestar.testing import AsyncTestClient

from app.config import Settings
from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SIZE = 256 * 1024
FILENAME = "letter-from-rosa-requester.csv"  # personal data in a name: never in the log
CSV = b"year,amount\n2024,100\n2025,200\n" * 20


@contextlib.contextmanager
def tmpfs(path: Path, *, free: int = 0, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of SIZE bytes at `path` with only `free` bytes left (or mounted read-only)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(path)], capture_output=True, text=True)
    if mounted.returncode != 0:
        message = f"cannot mount a tmpfs for the store: {mounted.stderr.strip()}"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    try:
        (path / "filler").write_bytes(b"\0" * (SIZE - free))
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != "filler")


async def _request(client: AsyncTestClient, headers: dict[str, str]) -> str:
    created = await client.post("/api/v1/requests", json=new_request_body(), headers=headers)
    assert created.status_code == 201, created.text
    return created.json()["reference"]


def _page_upload(client: AsyncTestClient, reference: str, content: bytes, **headers: str):
    return client.post(
        f"/staff/requests/{reference}/documents",
        files={"file": (FILENAME, content, "text/csv")},
        data={"_csrf_token": client.cookies.get("csrftoken", ""), "for_release": "false"},
        headers=headers,
        follow_redirects=False,
    )


async def _no_documents(client: AsyncTestClient, headers: dict[str, str], reference: str) -> None:
    listed = await client.get(f"/api/v1/requests/{reference}/documents", headers=headers)
    assert listed.status_code == 200 and listed.json() == []
    detail = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    assert not [e for e in detail.get("history", []) if e.get("action") == "upload_document"]


async def test_a_full_store_refuses_the_upload_says_so_and_keeps_nothing(
    client: AsyncTestClient, staff: Staff, sessions, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await _request(client, headers)
    await sign_in(client, staff.officer)
    with caplog.at_level(logging.INFO), tmpfs(settings.storage_dir):
        answer = await client.post(
            f"/api/v1/requests/{reference}/documents",
            files={"file": (FILENAME, CSV, "text/csv")},
            data={"for_release": "false"},
            headers=headers,
        )
        assert answer.status_code == 507, answer.text
        assert answer.json()["detail"] == (
            "The document could not be saved: the document store is full. Nothing was saved. Tell your system administrator."
        )
        assert stored_files(settings.storage_dir) == []  # not even a temporary file

        # the staff page without JavaScript: back to the request, the message above the upload form
        page = await _page_upload(client, reference, CSV)
        assert page.status_code == 303
        shown = await client.get(page.headers["location"])
        assert "The document could not be saved: the document store is full. Nothing was saved." in shown.text
        assert "Tell your system administrator." in shown.text
        # with JavaScript (htmx): the message in place of the progress bar's answer
        partial = await _page_upload(client, reference, CSV, **{"HX-Request": "true"})
        assert partial.status_code == 200 and "the document store is full" in partial.text and 'role="alert"' in partial.text
        assert stored_files(settings.storage_dir) == []
    await _no_documents(client, headers, reference)

    logged = [r.getMessage() for r in caplog.records if r.name == "app.storage"]
    assert logged and all(f"the document store at {settings.storage_dir} is full" in line and "ENOSPC" in line for line in logged)
    assert "rosa" not in caplog.text.lower() and "Traceback" not in caplog.text


async def test_a_store_that_cannot_be_written_refuses_the_upload_with_503(
    client: AsyncTestClient, staff: Staff, sessions, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await _request(client, headers)
    await sign_in(client, staff.officer)
    with caplog.at_level(logging.INFO), tmpfs(settings.storage_dir, free=SIZE // 2, read_only=True):
        answer = await client.post(
            f"/api/v1/requests/{reference}/documents",
            files={"file": (FILENAME, CSV, "text/csv")},
            data={"for_release": "true"},
            headers=headers,
        )
        assert answer.status_code == 503, answer.text
        assert "the document store cannot be written to. Nothing was saved." in answer.json()["detail"]
        page = await _page_upload(client, reference, CSV)
        shown = await client.get(page.headers["location"])
        assert "The document could not be saved: the document store cannot be written to." in shown.text
    await _no_documents(client, headers, reference)
    assert any("cannot be written to" in r.getMessage() and "EROFS" in r.getMessage() for r in caplog.records if r.name == "app.storage")


def _pdf_with_metadata(size: int) -> bytes:
    """A real PDF of at least `size` bytes (text that does not compress) with an author in its metadata."""
    lines = size // 40
    while True:
        pdf = FPDF()
        pdf.set_author("Someone In The Office")
        pdf.add_page()
        pdf.set_font("Helvetica", size=6)
        for _ in range(lines):
            pdf.cell(0, 3, secrets.token_hex(40), new_x="LMARGIN", new_y="NEXT")
        data = bytes(pdf.output())
        if len(data) >= size:
            return data
        lines *= 2


async def test_a_public_copy_that_does_not_fit_takes_its_original_with_it(
    client: AsyncTestClient, staff: Staff, sessions, settings: Settings
) -> None:
    """A PDF is kept twice (as uploaded, and without its metadata for the public): the original fits in
    what is left, its public copy does not; the original must not stay behind without its document."""
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await _request(client, headers)
    original = _pdf_with_metadata(40 * 1024)
    with tmpfs(settings.storage_dir, free=len(original) + 8 * 1024):
        answer = await client.post(
            f"/api/v1/requests/{reference}/documents",
            files={"file": ("report.pdf", original, "application/pdf")},
            data={"for_release": "true"},
            headers=headers,
        )
        assert answer.status_code == 507, answer.text
        assert stored_files(settings.storage_dir) == []
    await _no_documents(client, headers, reference)


async def test_an_import_that_meets_a_full_store_comes_back_to_the_import_form_saying_so(
    client: AsyncTestClient, staff: Staff, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """The CSV import keeps the file in the store between the preview and the confirmation: a full store
    is said on the import form, as on the other upload pages, not on the generic error page."""
    await sign_in(client, staff.officer)
    rows = b"reference,regime,received_on,title,body,requester_name\n" + b"FOI-2019-00001,foia,2019-03-01,Gritting,Routes?,Rosa Requester\n"
    form = {"_csrf_token": client.cookies.get("csrftoken", "")}
    said = "The document store is full: the file could not be kept to check it, and nothing was imported. Tell your system administrator."
    with caplog.at_level(logging.INFO), tmpfs(settings.storage_dir):
        page = await client.post("/staff/import", files={"file": (FILENAME, rows, "text/csv")}, data=form)
        assert page.status_code == 507, page.text[:500]
        assert "<h1>Import historic requests</h1>" in page.text and 'id="import-file"' in page.text  # the form, to try again
        assert f'<a href="#import-file">{said}</a>' in page.text  # in the error summary
        assert f'<span class="visually-hidden">Error:</span> {said}</p>' in page.text  # and by the file input
        assert "<title>Error: " in page.text
        partial = await client.post(
            "/staff/import", files={"file": (FILENAME, rows, "text/csv")}, data=form, headers={"HX-Request": "true"}
        )
        assert partial.status_code == 200 and said in partial.text
        assert stored_files(settings.storage_dir) == []
    assert any("is full" in r.getMessage() for r in caplog.records if r.name == "app.storage")
    assert "rosa" not in caplog.text.lower() and "Traceback" not in caplog.text
