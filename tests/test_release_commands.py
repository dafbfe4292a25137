"""`foi import requests` and `foi publish-due` as an administrator and cron run them.

Scheduled publication runs in separate processes here, as on real hosts: three started together
publish a batch once; one killed in the middle of a batch leaves none of it published.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from click.testing import CliRunner
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from app.asgi import create_app
from app.cli import main
from app.config import Settings
from app.models import FoiRequest, RequestEvent
from app.services import batches, imports
from tests.csv_samples import historic_rows, to_csv
from tests.factories import Staff, make_staff

LONDON = ZoneInfo("Europe/London")
FOI = Path(sys.executable).parent / "foi"
PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
async def staff(sessions) -> Staff:
    return await make_staff(sessions)


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FOI_DATABASE_URL": database_url,
        "FOI_SECRET_KEY": "k" * 40,
        "FOI_STORAGE_DIR": str(tmp_path / "files"),
        "FOI_SCHEDULER": "off",
    }


def test_import_command_refuses_a_bad_row_then_imports_once(tmp_path: Path) -> None:
    env = {
        "FOI_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
        "FOI_SECRET_KEY": "k" * 40,
        "FOI_STORAGE_DIR": str(tmp_path / "files"),
    }
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    created = runner.invoke(main, ["users", "create", "ida@council.example", "--name", "Ida Importer", "--role", "officer"], env=env)
    assert created.exit_code == 0
    rows = historic_rows(200, department="")
    rows[41]["received_on"] = "2024-02-30"
    path = tmp_path / "older-requests.csv"
    path.write_bytes(to_csv(rows))

    refused = runner.invoke(main, ["import", "requests", str(path)], env=env)
    assert refused.exit_code == 1
    assert refused.stdout.splitlines() == [
        "line 43 (line 84 in a text editor): received_on: '2024-02-30' is not a date (use YYYY-MM-DD, or DD/MM/YYYY)",
        "200 rows, 1 invalid: nothing was imported.",
    ]
    rows[41]["received_on"] = "2024-02-28"
    path.write_bytes(to_csv(rows))
    dry = runner.invoke(main, ["import", "requests", str(path), "--dry-run"], env=env)
    assert (dry.exit_code, dry.stdout.strip()) == (0, "Dry run: 200 rows, 200 would be imported.")
    unknown = runner.invoke(main, ["import", "requests", str(path), "--by", "nobody@council.example"], env=env)
    assert unknown.exit_code == 1 and "--by: no active member of staff" in unknown.output
    done = runner.invoke(main, ["import", "requests", str(path), "--by", "ida@council.example"], env=env)
    assert (done.exit_code, done.stdout.strip()) == (0, "200 rows, 200 imported."), done.output
    again = runner.invoke(main, ["import", "requests", str(path)], env=env)
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [
        "200 rows were already imported (--verbose lists them with their references).",
        "200 rows, 0 imported, 200 already imported.",
    ]
    listed = runner.invoke(main, ["import", "requests", str(path), "--verbose"], env=env)
    assert listed.stdout.splitlines()[0] == "line 2: already imported as FOI-2024-00001"


def test_import_command_takes_addresses_and_never_prints_them(tmp_path: Path) -> None:
    env = {
        "FOI_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
        "FOI_SECRET_KEY": "k" * 40,
        "FOI_STORAGE_DIR": str(tmp_path / "files"),
    }
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    rows = historic_rows(3, department="")
    rows[0]["requester_address"] = "Flat 2\n14 Orchard Row\nLeeds LS6 2AB"
    rows[1]["requester_address"] = "Orchard House LS6 9XX\n" * 60  # too long
    path = tmp_path / "with-addresses.csv"
    path.write_bytes(to_csv(rows))
    refused = runner.invoke(main, ["import", "requests", str(path), "--verbose"], env=env)
    assert refused.exit_code == 1
    assert "line 3 (line 6 in a text editor): requester_address: is 1,319 characters long; at most 1,000" in refused.stdout
    rows[1]["requester_address"] = "Orchard House\nLS6 9XX"
    path.write_bytes(to_csv(rows))
    done = runner.invoke(main, ["import", "requests", str(path), "--verbose"], env=env)
    assert done.exit_code == 0 and "3 rows, 3 imported." in done.stdout
    for result in (refused, done):
        assert "Orchard" not in result.output and "LS6" not in result.output and "Person Number" not in result.output


async def _scheduled_batch(sessions, staff: Staff, count: int) -> tuple[str, list[str]]:
    """`count` imported requests in a batch scheduled a minute ahead, a minute ago (so due now)."""
    async with sessions.write.begin() as db:
        report = await imports.import_requests(db, to_csv(historic_rows(count)), actor=staff.officer, zone=LONDON)
    references = [row.reference for row, source in zip(report.rows, historic_rows(count), strict=True) if source["status"] == "responded"]
    scheduled_on = datetime.now(UTC) - timedelta(minutes=1, seconds=5)
    with time_machine.travel(scheduled_on, tick=False):
        async with sessions.write.begin() as db:
            batch = await batches.create_batch(
                db,
                title="Older FOI responses released together",
                slug=None,
                description="Answered in 2024.",
                publish_at=None,
                actor=staff.officer,
                zone=LONDON,
            )
        async with sessions.write.begin() as db:
            await batches.add_requests(db, batch.id, references=references, actor=staff.officer, zone=LONDON)
        async with sessions.write.begin() as db:
            await batches.approve_batch(db, batch.id, actor=staff.manager)
        async with sessions.write.begin() as db:
            scheduled = await batches.publish_batch(db, batch.id, actor=staff.officer, zone=LONDON, at=scheduled_on + timedelta(minutes=1))
    assert scheduled.state == "scheduled" and scheduled.publish_at < datetime.now(UTC)
    return batch.slug, references


async def _publication(sessions, references: list[str]) -> tuple[set[str], int]:
    async with sessions.read() as db:
        states = set(await db.scalars(select(FoiRequest.publication_state).where(FoiRequest.reference.in_(references))))
        events = await db.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.action == "publish")) or 0
    return states, events


@pytest.mark.slow
async def test_three_publish_due_processes_started_together_publish_the_batch_once(
    database_url: str,
    tmp_path: Path,
    sessions,
    staff: Staff,
    settings: Settings,
) -> None:
    slug, references = await _scheduled_batch(sessions, staff, 200)
    env = _env(database_url, tmp_path)
    processes = [
        subprocess.Popen([str(FOI), "publish-due"], env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    published = [out for out, _ in outputs if f"Published batch '{slug}'" in out]
    assert len(published) == 1, outputs
    assert f"Published batch '{slug}': {len(references)} requests." in published[0]
    assert sorted(out.strip() for out, _ in outputs if out not in published) == ["Nothing was due.", "Nothing was due."]
    assert await _publication(sessions, references) == ({"published"}, len(references))

    async with AsyncTestClient(app=create_app(settings)) as client:
        page = await client.get(f"/batches/{slug}")
        assert page.status_code == 200
        assert all(reference in page.text for reference in references)
        assert "Person Number" not in page.text and "@example.org" not in page.text
        listing = (await client.get("/api/v1/disclosures", params={"batch": slug})).json()
        assert listing["total"] == len(references)
        assert f"/batches/{slug}" in (await client.get("/")).text


@pytest.mark.slow
async def test_killing_publish_due_in_the_middle_of_a_batch_leaves_none_of_it_published(
    database_url: str,
    dialect: str,
    tmp_path: Path,
    sessions,
    staff: Staff,
) -> None:
    if dialect != "sqlite":
        pytest.skip("the embedded database, as a small authority runs it (PostgreSQL rolls back a dropped connection the same way)")
    slug, references = await _scheduled_batch(sessions, staff, 2000)
    process = subprocess.Popen(
        [str(FOI), "publish-due", "--verbose"],
        env=_env(database_url, tmp_path),
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith(f"Publishing batch '{slug}' ({len(references)} requests)"), first_line + process.stderr.read()
        # well into the batch: some hundreds of its requests are published, in the open transaction
        progress = [process.stdout.readline().strip() for _ in range(3)]
        assert progress == [f"{n} of {len(references)} requests…" for n in (100, 200, 300)], progress
        assert process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL

    assert await _publication(sessions, references) == ({"unpublished"}, 0)
    async with sessions.read() as db:
        assert (await batches.get_batch(db, await batches.batch_id_for_slug(db, slug))).batch.state == "scheduled"
    # the next run (cron a minute later) publishes all of it, once
    again = subprocess.run(
        [str(FOI), "publish-due"], env=_env(database_url, tmp_path), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert f"Published batch '{slug}': {len(references)} requests." in again.stdout
    assert await _publication(sessions, references) == ({"published"}, len(references))
