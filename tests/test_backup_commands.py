"""`foi backup` and `foi restore` end to end: a backup taken while the app writes, restored into an
empty place, serves what was there, documents included."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import anyio
import pytest
from click.testing import CliRunner
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from app.asgi import create_app
from app.cli import main
from app.config import Settings
from app.services import requests as requests_service
from app.services.backup import BackupError, backup, restore
from app.services.unit_of_work import unit_of_work
from tests.conftest import _admin_execute
from tests.factories import bearer, make_staff, new_request_body, sign_in, token_for

LONDON = ZoneInfo("Europe/London")
LETTER = b"%PDF-1.4 not really, but plain text will do\n" * 10 + "Gritting routes: High Street £1,200\n".encode()


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL is backed up with pg_dump (tested below, where the client tools are)")


async def _writer(sessions: Any, staff: Any, stop: asyncio.Event, written: list[str]) -> None:
    """Logs requests one after another until told to stop, as a busy office would."""
    while not stop.is_set():
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            created = await requests_service.create_request(
                uow.session,
                requests_service.NewRequest(
                    regime="foia",
                    title=f"Written during the backup {len(written)}",
                    body="Please send the minutes.",
                    requester=requests_service.RequesterDetails(name="Wren Writer", email="wren@example.net"),
                ),
                staff.officer,
                LONDON,
            )
            written.append(created.reference)
        await asyncio.sleep(0)


async def test_a_backup_taken_while_the_app_writes_restores_into_an_empty_place_and_serves_the_documents(
    sqlite_only: None, sessions: Any, settings: Settings, tmp_path: Path
) -> None:
    staff = await make_staff(sessions)
    token = await token_for(sessions, staff.officer)
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        created = await client.post("/api/v1/requests", json=new_request_body(), headers=bearer(token))
        assert created.status_code == 201, created.text
        reference = created.json()["reference"]
        uploaded = await client.post(
            f"/api/v1/requests/{reference}/documents",
            files={"file": ("routes.txt", LETTER, "text/plain")},
            data={"title": "Gritting routes", "for_release": "false"},
            headers=bearer(token),
        )
        assert uploaded.status_code in (200, 201), uploaded.text
        document_id = uploaded.json()["id"]

    stop, written = asyncio.Event(), []
    writing = asyncio.create_task(_writer(sessions, staff, stop, written))
    while len(written) < 3:  # the writer is going before the backup starts
        await asyncio.sleep(0.01)
    target = tmp_path / "backup"
    result = await anyio.to_thread.run_sync(backup, settings, target)
    stop.set()
    await writing
    assert result.engine == "sqlite" and result.files >= 1 and result.gone_meanwhile == 0

    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["migration"] and manifest["app_version"] and manifest["created_at"]
    assert manifest["files"]["count"] == result.files and len(manifest["database"]["sha256"]) == 64
    with sqlite3.connect(target / "database.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        in_copy = {row[0] for row in copy.execute("SELECT reference FROM requests")}
    copy.close()
    assert reference in in_copy and in_copy <= {reference, *written}  # a snapshot: whole requests, taken mid-stream

    with pytest.raises(BackupError, match="not empty"):
        await anyio.to_thread.run_sync(backup, settings, target)
    # a restore never overwrites: not over the live database, nor into a store that has files
    with pytest.raises(BackupError, match="already holds a database"):
        await anyio.to_thread.run_sync(restore, settings, target)

    restored = replace(
        settings, database_url=f"sqlite+aiosqlite:///{tmp_path / 'restored' / 'foi.sqlite3'}", storage_dir=tmp_path / "restored" / "files"
    )
    done = await anyio.to_thread.run_sync(restore, restored, target)
    assert done.files == result.files and done.migration == manifest["migration"]

    async with AsyncTestClient(app=create_app(restored), base_url="http://testserver.local") as client:
        download = await client.get(f"/api/v1/requests/{reference}/documents/{document_id}", headers=bearer(token))
        assert download.status_code == 200 and download.content == LETTER
        await sign_in(client, staff.officer)
        page = await client.get(f"/staff/requests/{reference}")
        assert page.status_code == 200 and "Gritting routes" in page.text


async def test_a_damaged_backup_restores_nothing(sqlite_only: None, sessions: Any, settings: Settings, tmp_path: Path) -> None:
    staff = await make_staff(sessions)
    token = await token_for(sessions, staff.officer)
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=bearer(token))).json()["reference"]
        uploaded = await client.post(
            f"/api/v1/requests/{reference}/documents", files={"file": ("a.txt", LETTER, "text/plain")}, headers=bearer(token)
        )
        assert uploaded.status_code in (200, 201)
    target = tmp_path / "backup"
    await anyio.to_thread.run_sync(backup, settings, target)
    [stored] = [path for path in (target / "files").rglob("*") if path.is_file()]
    stored.write_bytes(b"tampered")
    restored = replace(settings, database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}", storage_dir=tmp_path / "r-files")
    with pytest.raises(BackupError, match="missing or damaged"):
        await anyio.to_thread.run_sync(restore, restored, target)
    assert not (tmp_path / "r.sqlite3").exists() and not (tmp_path / "r-files").exists()


def test_the_commands_say_what_they_refuse(tmp_path: Path) -> None:
    env = {
        "FOI_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
        "FOI_SECRET_KEY": "k" * 40,
        "FOI_STORAGE_DIR": str(tmp_path / "files"),
    }
    runner = CliRunner()
    nothing = runner.invoke(main, ["backup", str(tmp_path / "none")], env=env)
    assert nothing.exit_code == 1 and "there is no database" in nothing.output
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    made = runner.invoke(main, ["backup", str(tmp_path / "b")], env=env)
    assert made.exit_code == 0 and "Backed up the sqlite database" in made.output
    again = runner.invoke(main, ["backup", str(tmp_path / "b")], env=env)
    assert again.exit_code == 1 and "is not empty" in again.output
    over = runner.invoke(main, ["restore", str(tmp_path / "b")], env=env)
    assert over.exit_code == 1 and "already holds a database" in over.output
    fresh = {**env, "FOI_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/new.sqlite3", "FOI_STORAGE_DIR": str(tmp_path / "new-files")}
    restored = runner.invoke(main, ["restore", str(tmp_path / "b")], env=fresh)
    assert restored.exit_code == 0 and "Restored the sqlite database" in restored.output
    dry = runner.invoke(main, ["retention", "--dry-run"], env=fresh)
    assert dry.exit_code == 0 and "Would anonymise 0 requests." in dry.output
    bad = runner.invoke(main, ["retention"], env={**fresh, "FOI_RETENTION_YEARS": "six"})
    assert bad.exit_code == 1 and "FOI_RETENTION_YEARS must be a whole number" in bad.output


async def test_postgresql_is_backed_up_with_pg_dump_and_restored_with_pg_restore(
    database_url: str, sessions: Any, settings: Settings, tmp_path: Path
) -> None:
    if not database_url.startswith("postgresql") or shutil.which("pg_dump") is None:
        pytest.skip("needs PostgreSQL and its client tools (pg_dump, pg_restore)")
    staff = await make_staff(sessions)
    token = await token_for(sessions, staff.officer)
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=bearer(token))).json()["reference"]
        uploaded = await client.post(
            f"/api/v1/requests/{reference}/documents", files={"file": ("a.txt", LETTER, "text/plain")}, headers=bearer(token)
        )
        document_id = uploaded.json()["id"]
    target = tmp_path / "backup"
    result = await anyio.to_thread.run_sync(backup, settings, target)
    assert result.engine == "postgresql" and (target / "database.dump").stat().st_size > 0 and result.files >= 1
    with pytest.raises(BackupError, match="already has tables"):
        await anyio.to_thread.run_sync(restore, settings, target)

    empty = make_url(database_url).set(database=f"{make_url(database_url).database}_restored")
    name = empty.database
    await _admin_execute(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    try:
        restored = replace(settings, database_url=empty.render_as_string(hide_password=False), storage_dir=tmp_path / "restored-files")
        done = await anyio.to_thread.run_sync(restore, restored, target)
        assert done.files == result.files
        async with AsyncTestClient(app=create_app(restored), base_url="http://testserver.local") as client:
            download = await client.get(f"/api/v1/requests/{reference}/documents/{document_id}", headers=bearer(token))
            assert download.status_code == 200 and download.content == LETTER
    finally:
        await _admin_execute(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _modes(top: Path) -> dict[str, str]:
    """Each path in a backup, and its permissions as `ls -l` writes them for anyone but the owner."""
    import stat

    return {str(path.relative_to(top.parent)): stat.filemode(path.stat().st_mode) for path in [top, *sorted(top.rglob("*"))]}


async def test_a_backup_is_readable_by_its_owner_alone_whatever_the_umask(
    database_url: str, sessions: Any, settings: Settings, tmp_path: Path
) -> None:
    """It holds every requester's personal data and staff's two-factor secrets: the directory is 0700 and
    each file 0600 even under the usual umask 022, so another account on the host reads none of it."""
    import os

    if database_url.startswith("postgresql") and shutil.which("pg_dump") is None:
        pytest.skip("needs PostgreSQL's client tools (pg_dump)")
    staff = await make_staff(sessions)
    token = await token_for(sessions, staff.officer)
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=bearer(token))).json()["reference"]
        uploaded = await client.post(
            f"/api/v1/requests/{reference}/documents", files={"file": ("a.txt", LETTER, "text/plain")}, headers=bearer(token)
        )
        assert uploaded.status_code in (200, 201)
    given = tmp_path / "made-beforehand"
    given.mkdir(mode=0o755)
    given.chmod(0o755)
    before = os.umask(0o022)
    try:
        for target in (tmp_path / "new" / "backup", given):
            await anyio.to_thread.run_sync(backup, settings, target)
            modes = _modes(target)
            assert len(modes) >= 5  # the directory, the database, the manifest, files/ and a file under it
            wrong = {path: mode for path, mode in modes.items() if mode not in ("drwx------", "-rw-------")}
            assert not wrong, wrong
    finally:
        os.umask(before)
