"""`foi backup DIR` and `foi restore DIR`: the database and the document store, consistent while the app runs.

A backup directory holds `manifest.json` (written last: a directory without it is not a backup), the
database (`database.sqlite3`, or `database.dump` for PostgreSQL) and `files/`, the document store's
files laid out as the store lays them out (`ab/cd/<sha256>`).

Consistency. The store is content-addressed: a file is written before any row names it, and removed
(by a refused upload or the retention policy) only once no row does. So the database is copied first
(SQLite's online backup API, which reads one snapshot while writers go on; PostgreSQL's pg_dump, which
does the same), then every file that copy names. A file named by the copy can only have gone since
if no document names it any more (the retention policy removed its request's internal documents in
between): it is left out and counted in the manifest, and a restored database names it only for a
document the next `foi retention` removes. A file missing while a document still names it is an
error (the store is damaged), and so is one whose bytes do not match its name.

A backup holds every requester's personal data and staff's two-factor secrets: its directory (and every
directory in it) is made owner-only (0700) before anything is written, and each file 0600, whatever the
umask, so that another account on the host reads none of it, and a copy that keeps modes stays private.

A backup goes into a new or empty directory only, so that no earlier backup is overwritten or mixed
in. A restore goes only into an empty target: the configured SQLite file missing or empty (or a
PostgreSQL database with no tables) and the store missing or empty; every checksum is verified before
anything is written.

Both are plain functions (file copying blocks): from async code, call them in a worker thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.config import Settings
from app.db import create_engine
from app.services.files.storage import ContentStore

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
FILES = "files"
FORMAT = 1
_CHUNK = 1024 * 1024
PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why, in the operator's words."""


@dataclass(frozen=True)
class BackupResult:
    directory: Path
    engine: str
    migration: str | None
    files: int
    bytes: int
    gone_meanwhile: int


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    migration: str | None
    files: int


# ---------------------------------------------------------------- backup


def backup(settings: Settings, directory: Path, *, runner: Callable[..., Any] = subprocess.run) -> BackupResult:
    directory = Path(directory)
    _require_empty(directory, "back up into a new or empty directory, so that no earlier backup is overwritten or mixed in")
    _private_directory(directory)
    manifest: dict[str, Any] = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds")}
    manifest["app_version"] = importlib.metadata.version("foi-tracker")
    if settings.is_sqlite:
        copy = directory / SQLITE_FILE
        _private_file(copy).close()  # SQLite writes into it, and gives its journal the same mode
        try:
            _sqlite_online_backup(_sqlite_path(settings), copy)
            with sqlite3.connect(copy) as connection:
                migration = _one(connection, "SELECT version_num FROM alembic_version")
                named = _digests(connection.execute("SELECT sha256, public_sha256 FROM documents").fetchall())
            connection.close()
        except sqlite3.Error as problem:
            raise BackupError(f"the database could not be backed up ({problem}): is it migrated ('foi db upgrade')?") from None
        manifest["engine"] = "sqlite"
        manifest["database"] = {"file": SQLITE_FILE, "sha256": _sha256_of(copy), "size": copy.stat().st_size}
    else:
        dump = directory / POSTGRES_FILE
        _private_file(dump).close()  # pg_dump writes into it, keeping its mode
        _pg_dump(settings.database_url, dump, runner)
        migration, named = asyncio.run(_live_revision_and_digests(settings.database_url))
        manifest["engine"] = "postgresql"
        manifest["database"] = {"file": POSTGRES_FILE, "sha256": _sha256_of(dump), "size": dump.stat().st_size}
    manifest["migration"] = migration

    store = ContentStore(settings.storage_dir)
    copied: dict[str, int] = {}
    missing: list[str] = []
    _private_directory(directory / FILES)
    for digest in sorted(named):
        source, target = store.path_for(digest), directory / FILES / digest[:2] / digest[2:4] / digest
        try:
            copied[digest] = _copy_checked(source, target, digest, private=True)
        except FileNotFoundError:
            missing.append(digest)
    if missing:
        _, still_named = asyncio.run(_live_revision_and_digests(settings.database_url, only=missing))
        if still_named:
            raise BackupError(
                f"{len(still_named)} document file(s) named by the database are missing from the store "
                f"({settings.storage_dir}), e.g. {sorted(still_named)[0]}: the store is damaged; the backup is incomplete"
            )
    manifest["files"] = {"count": len(copied), "bytes": sum(copied.values()), "sha256": sorted(copied)}
    manifest["gone_meanwhile"] = sorted(missing)
    temporary = directory / f".{MANIFEST}.tmp"
    with _private_file(temporary) as writing:
        writing.write((json.dumps(manifest, indent=2) + "\n").encode())
    os.replace(temporary, directory / MANIFEST)
    return BackupResult(directory, manifest["engine"], migration, len(copied), sum(copied.values()), len(missing))


def _private_directory(directory: Path) -> None:
    """`directory` and any of its parents missing made, and `directory` itself owner-only."""
    directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIRECTORY)
    directory.chmod(PRIVATE_DIRECTORY)  # mkdir's mode is cut by the umask, and a directory given may be open


def _private_file(path: Path) -> io.BufferedWriter:
    """`path` opened for writing (created, or emptied), readable and writable by its owner alone."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)  # the umask may take bits from the mode, never add them; an existing file keeps its own
    return os.fdopen(descriptor, "wb")


def _sqlite_online_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"there is no database at {source} (FOI_DATABASE_URL)")
    with sqlite3.connect(source, timeout=30) as live:
        with sqlite3.connect(target) as copy:
            live.backup(copy)  # all pages in one step: one consistent snapshot, writers carry on (WAL)
        copy.close()
    live.close()


def _pg_dump(database_url: str, target: Path, runner: Callable[..., Any]) -> None:
    if shutil.which("pg_dump") is None:
        raise BackupError(
            "PostgreSQL: pg_dump is not on PATH. Install the PostgreSQL client tools, or back up by hand: "
            "pg_dump -Fc -f DIR/database.dump, then copy FOI_STORAGE_DIR (see the README, 'Backup and restore')"
        )
    url, environment = _libpq(database_url)
    done = runner(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", url], env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """The URL as libpq takes it, without the password, which goes in the environment instead (never
    on a command line others can read)."""
    url = make_url(database_url)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


async def _live_revision_and_digests(database_url: str, only: list[str] | None = None) -> tuple[str | None, set[str]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            revision = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
            query = "SELECT sha256, public_sha256 FROM documents"
            rows = (await connection.execute(text(query))).all()
    finally:
        await engine.dispose()
    named = _digests(rows)
    return revision, named if only is None else named & set(only)


def _digests(rows: Any) -> set[str]:
    return {value for row in rows for value in row if value}


def _one(connection: sqlite3.Connection, query: str) -> Any:
    row = connection.execute(query).fetchone()
    return row[0] if row else None


def _copy_checked(source: Path, target: Path, digest: str, *, private: bool = False) -> int:
    """Copies a stored file, checking on the way that its bytes are the ones its name says; into a
    backup (`private`), in owner-only directories and readable by the owner alone."""
    if private:
        for parent in reversed([target.parent, target.parent.parent]):
            _private_directory(parent)
    target.parent.mkdir(parents=True, exist_ok=True)
    hashing = hashlib.sha256()
    size = 0
    with source.open("rb") as reading, _private_file(target) if private else target.open("wb") as writing:
        while chunk := reading.read(_CHUNK):
            hashing.update(chunk)
            writing.write(chunk)
            size += len(chunk)
    if hashing.hexdigest() != digest:
        target.unlink()
        raise BackupError(f"the stored file {digest} does not hold the bytes its name says: the store is damaged")
    return size


def _sha256_of(path: Path) -> str:
    hashing = hashlib.sha256()
    with path.open("rb") as reading:
        while chunk := reading.read(_CHUNK):
            hashing.update(chunk)
    return hashing.hexdigest()


# ---------------------------------------------------------------- restore


def restore(settings: Settings, directory: Path, *, runner: Callable[..., Any] = subprocess.run) -> RestoreResult:
    directory = Path(directory)
    manifest = _read_manifest(directory)
    engine = "sqlite" if settings.is_sqlite else "postgresql"
    if manifest.get("engine") != engine:
        raise BackupError(
            f"this backup holds a {manifest.get('engine')} database, and FOI_DATABASE_URL is {engine}: restore it into the same kind"
        )
    if engine == "sqlite":
        target = _sqlite_path(settings)
        if (target.exists() and target.stat().st_size > 0) or Path(f"{target}-wal").exists():
            raise BackupError(f"{target} (FOI_DATABASE_URL) already holds a database: restore into a new, empty one")
    elif asyncio.run(_has_tables(settings.database_url)):
        raise BackupError("the PostgreSQL database (FOI_DATABASE_URL) already has tables: restore into a new, empty database")
    _require_empty(settings.storage_dir, "restore into an empty document store (FOI_STORAGE_DIR)")

    # every checksum first: nothing is written from a damaged backup
    database = manifest["database"]
    source_database = directory / database["file"]
    if not source_database.is_file() or _sha256_of(source_database) != database["sha256"]:
        raise BackupError(f"{source_database} is missing or does not match its checksum in the manifest: the backup is damaged")
    digests = list(manifest["files"]["sha256"])
    for digest in digests:
        path = directory / FILES / digest[:2] / digest[2:4] / digest
        if not path.is_file() or _sha256_of(path) != digest:
            raise BackupError(f"the backup's file {digest} is missing or damaged: nothing was restored")

    store = ContentStore(settings.storage_dir)
    for digest in digests:
        _copy_checked(directory / FILES / digest[:2] / digest[2:4] / digest, store.path_for(digest), digest)
    if engine == "sqlite":
        target = _sqlite_path(settings)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(source_database, temporary)
        os.replace(temporary, target)
    else:
        if shutil.which("pg_restore") is None:
            raise BackupError(
                "PostgreSQL: pg_restore is not on PATH; the files are restored; restore the database with pg_restore (README)"
            )
        url, environment = _libpq(settings.database_url)
        done = runner(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(source_database)],
            env=environment,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
    return RestoreResult(engine, manifest.get("migration"), len(digests))


def _read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} is not a finished backup: it has no {MANIFEST}")
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{path} cannot be read: the backup is damaged") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("database"), dict):
        raise BackupError(f"{path} is not a manifest this version of the app can restore")
    return manifest


async def _has_tables(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(text("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"))
    finally:
        await engine.dispose()
    return bool(count)


def _sqlite_path(settings: Settings) -> Path:
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        raise BackupError("FOI_DATABASE_URL names no SQLite file to back up or restore")
    return Path(database)


def _require_empty(directory: Path, advice: str) -> None:
    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"{directory} is not empty: {advice}")
