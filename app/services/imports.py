"""Importing historic requests from CSV: every row checked first, then all written in one transaction.

Each row becomes a full request: its requester, the history the lifecycle allows (events marked
`imported`, dated with the original dates), the due date worked out by the deadline engine, the
outcome, exemptions and response. A reference given in the file is kept, and the reference
counter moves past it so a new request never gets the same one.

Nothing is written unless every row is valid (or `skip_invalid` is asked for). Each request keeps
the SHA-256 of its normalised row (`import_key`, unique), so importing a file again adds nothing.

Speed: 100,000 rows in well under a minute on SQLite. Rows are checked and deadlines computed in
plain Python (in a worker thread, so a web process keeps answering), then written with Core
executemany in chunks, with ids reserved up front instead of one ORM round trip per row.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time as monotonic_time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.domain.deadlines import Deadline
from app.domain.errors import InvalidInput, UnsupportedType
from app.domain.imports import (
    ImportContext,
    ImportFileError,
    PlannedRequest,
    RowError,
    RowResult,
    RowState,
    binary_kind,
    check_file,
    decode,
    summarise,
)
from app.domain.lifecycle import Status
from app.domain.outcomes import Channel
from app.domain.publication import PublicationState
from app.domain.references import format_reference, parse_reference
from app.domain.regimes import Regime
from app.models import Department, FoiRequest, ReferenceCounter, Requester, RequestEvent, RequestExemption, User
from app.models.base import table
from app.services.clock import now_utc, today_in
from app.services.deadlines import Calendars, EventFacts, compute_for, deadline_columns, working_days_taken
from app.services.errors import Conflict
from app.services.files.storage import ContentStore, InvalidDigest
from app.services.requests import LOG_ACTION
from app.services.scope import scope_of

CHUNK = 5_000
SQLITE_CACHE_KIB = 256 * 1024
LOOKUP_CHUNK = 1_000
# An uploaded file waiting for its confirmation is kept this long, then swept away.
PENDING_MAX_AGE_SECONDS = 24 * 60 * 60

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class NotCsv(UnsupportedType):
    """The upload is plainly not a CSV file (a workbook, a PDF): refused as a type (415)."""


@dataclass
class ImportReport:
    sha256: str
    rows: list[RowResult]
    dry_run: bool
    skip_invalid: bool
    imported: int = 0  # requests written by this run
    refused: bool = False  # invalid rows and no skip_invalid: nothing written
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def invalid(self) -> list[RowResult]:
        return [row for row in self.rows if row.state is RowState.INVALID]

    @property
    def to_import(self) -> int:
        """Rows that are (or, on a dry run, would be) written."""
        return sum(1 for row in self.rows if row.state in (RowState.READY, RowState.IMPORTED))

    def common_problems(self, limit: int = 3) -> list[tuple[str, int]]:
        """The problems most rows share, most frequent first (a wrong department on every row...)."""
        counts: dict[str, int] = {}
        for row in self.invalid:
            for error in row.errors:
                counts[str(error)] = counts.get(str(error), 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]

    @property
    def summary(self) -> str:
        c = self.counts
        parts = [f"{c.get('rows', 0):,} row{'s' if c.get('rows', 0) != 1 else ''}"]
        if self.refused and self.dry_run:
            parts.append(f"{c['invalid']:,} invalid: nothing would be imported until they are fixed (or skipped)")
        elif self.refused:
            parts.append(f"{c['invalid']:,} invalid: nothing was imported")
        elif self.dry_run:
            parts.append(f"{self.to_import:,} would be imported")
            if c.get("invalid"):
                parts.append(f"{c['invalid']:,} invalid ({'would be skipped' if self.skip_invalid else 'fix them first'})")
        else:
            parts.append(f"{self.imported:,} imported")
            if c.get("invalid"):
                parts.append(f"{c['invalid']:,} invalid, skipped")
        if c.get("already_imported"):
            parts.append(f"{c['already_imported']:,} already imported")
        if c.get("duplicate"):
            parts.append(f"{c['duplicate']:,} repeated in the file")
        return ", ".join(parts)


async def import_requests(
    session: AsyncSession,
    data: bytes,
    *,
    actor: User | None,
    zone: ZoneInfo,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Checks every row, then (unless a dry run, or refused) writes them all in the caller's unit of work.

    Raises InvalidInput("file", ...) when the file cannot be read at all (not UTF-8, a bad header).
    """
    sha256 = hashlib.sha256(data).hexdigest()
    kind = binary_kind(data)
    if kind:
        raise NotCsv(f"this file is {kind}, not CSV text: save the spreadsheet as 'CSV UTF-8' and upload that")
    try:
        text_ = decode(data)
    except ImportFileError as problem:
        raise InvalidInput("file", problem.message) from None
    departments = dict((await session.execute(select(Department.slug, Department.id))).tuples().all())
    context = ImportContext(today=today_in(zone), departments=frozenset(departments))
    try:
        rows = await asyncio.to_thread(
            check_file, text_, context, (lambda done, total: progress("checking", done, total)) if progress else None
        )
    except ImportFileError as problem:
        raise InvalidInput("file", problem.message) from None
    if progress:
        progress("checking", len(rows), len(rows))

    await _keep_to_scope(session, rows)
    await _mark_already_imported(session, rows)
    await _refuse_taken_references(session, rows)
    calendars = await Calendars.load(session)
    derived = await asyncio.to_thread(_derive_deadlines, rows, calendars)

    report = ImportReport(sha256=sha256, rows=rows, dry_run=dry_run, skip_invalid=skip_invalid)
    report.counts = summarise(rows)
    if report.counts["invalid"] and not skip_invalid:
        report.refused = True
        return report
    if dry_run:
        return report
    ready = [row for row in rows if row.state is RowState.READY]
    try:
        await _write(session, ready, derived, departments, actor, zone, sha256, progress)
    except IntegrityError:
        # a unique reference or row taken by another run meanwhile: the unit of work rolls back
        raise Conflict(
            "another import wrote some of these requests at the same moment; nothing was imported by this run: run it again"
        ) from None
    if ready and session.get_bind().dialect.name == "postgresql":
        # the planner's idea of the table's size is now far off; put it right at once (ANALYZE
        # inside the transaction counts the rows it has just written)
        await session.execute(text("ANALYZE requests, request_events, requesters"))
    for row in ready:
        row.state = RowState.IMPORTED
    report.imported = len(ready)
    report.counts = summarise(rows)
    return report


# ---------------------------------------------------------------- checks that need the database


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


async def _existing(session: AsyncSession, column: str, values: list[str]) -> list[tuple[str, str]]:
    """(value, reference) of the requests whose `column` (import_key or reference) is one of `values`.

    PostgreSQL gets one array parameter joined with unnest: a long IN list of parameters is
    matched value by value in a generic plan, which is quadratic on a table whose statistics do
    not know yet how large it has grown (a first big import). SQLite looks each value up in the index.
    """
    if not values:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = await session.execute(
            text(
                f"SELECT r.{column}, r.reference FROM requests AS r "
                f"JOIN unnest(CAST(:values AS varchar[])) AS wanted(value) ON r.{column} = wanted.value"
            ),
            {"values": values},
        )
        return [(value, reference) for value, reference in rows]
    found: list[tuple[str, str]] = []
    target = getattr(FoiRequest, column)
    for chunk in _chunks(values, LOOKUP_CHUNK):
        found.extend((await session.execute(select(target, FoiRequest.reference).where(target.in_(chunk)))).tuples())
    return found


async def _keep_to_scope(session: AsyncSession, rows: list[RowResult]) -> None:
    """Under department scope (app/services/scope.py) an officer imports their own department's
    requests: a row naming no department is theirs; a row naming another is refused (as a wrong
    value in any other column is), since they could not see the request once imported."""
    scope = scope_of(session)
    if not scope.limited:
        return
    own = await scope.department_slug(session)
    for row in rows:
        if row.state is not RowState.READY or row.plan is None:
            continue
        if own is None:
            problem = "you are not in a department yet: ask an admin to put you in one before importing requests"
        elif row.plan.department in (None, own):
            row.plan = replace(row.plan, department=own)
            continue
        else:
            problem = f"you can import requests for your own department only ({own}); ask a manager to import the others"
        row.state = RowState.INVALID
        row.errors.append(RowError("department", problem))


async def _mark_already_imported(session: AsyncSession, rows: list[RowResult]) -> None:
    by_key = {row.plan.import_key: row for row in rows if row.state is RowState.READY and row.plan}
    for key, reference in await _existing(session, "import_key", list(by_key)):
        row = by_key[key]
        row.state, row.reference = RowState.ALREADY_IMPORTED, reference
    # a repeat of a row imported earlier is reported as already imported too
    first_line = {row.line: row for row in rows}
    for row in rows:
        if row.state is RowState.DUPLICATE and row.same_as_line is not None:
            original = first_line[row.same_as_line]
            if original.state is RowState.ALREADY_IMPORTED:
                row.state, row.reference = RowState.ALREADY_IMPORTED, original.reference


async def _refuse_taken_references(session: AsyncSession, rows: list[RowResult]) -> None:
    by_reference = {row.plan.reference: row for row in rows if row.state is RowState.READY and row.plan and row.plan.reference}
    for reference, _ in await _existing(session, "reference", list(by_reference)):
        row = by_reference[reference]
        row.state = RowState.INVALID
        row.errors.append(RowError("reference", f"{reference} is already used by another request in the tracker"))


@dataclass(frozen=True, slots=True)
class _Derived:
    columns: dict[str, Any]
    response_working_days: int | None


def _derive_deadlines(rows: list[RowResult], calendars: Calendars) -> dict[int, _Derived]:
    """Due dates from the deadline engine, per line; a row the engine refuses becomes invalid."""
    derived: dict[int, _Derived] = {}
    for row in rows:
        if row.state is not RowState.READY or row.plan is None:
            continue
        plan = row.plan
        facts = [EventFacts(event.action, event.on, event.details) for event in plan.events]
        try:
            deadline: Deadline = compute_for(plan.regime, plan.received_on, facts, calendars)
        except InvalidInput as problem:
            row.state, row.plan = RowState.INVALID, None
            column = "received_on" if problem.field == "received_on" else "responded_on"
            row.errors.append(RowError(column, problem.message))
            continue
        taken = None
        if plan.status is Status.RESPONDED and plan.responded_on:
            taken = working_days_taken(deadline, plan.responded_on, calendars.for_regime(plan.regime))
        derived[row.line] = _Derived(deadline_columns(plan.status, deadline), taken)
    return derived


# ---------------------------------------------------------------- writing


async def _write(
    session: AsyncSession,
    rows: list[RowResult],
    derived: dict[int, _Derived],
    departments: dict[str, int],
    actor: User | None,
    zone: ZoneInfo,
    sha256: str,
    progress: Progress | None,
) -> None:
    if not rows:
        return
    connection = await session.connection()
    if connection.dialect.name == "sqlite":
        # a large transaction touches many index pages: keep them in memory rather than spilling
        # to the WAL again and again (this connection only, back to the default afterwards)
        await connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        await _write_rows(connection, rows, derived, departments, actor, zone, sha256, progress)
    finally:
        if connection.dialect.name == "sqlite":
            await connection.exec_driver_sql("PRAGMA cache_size = -2000")


async def _write_rows(
    connection: AsyncConnection,
    rows: list[RowResult],
    derived: dict[int, _Derived],
    departments: dict[str, int],
    actor: User | None,
    zone: ZoneInfo,
    sha256: str,
    progress: Progress | None,
) -> None:
    plans = [row.plan for row in rows if row.plan is not None]
    references = await _assign_references(connection, plans)
    for row, reference in zip(rows, references, strict=True):
        row.reference = reference
    requester_ids = await _reserve_ids(connection, table(Requester), len(plans))
    request_ids = await _reserve_ids(connection, table(FoiRequest), len(plans))
    now = now_utc()
    actor_id = actor.id if actor else None
    total, done = len(plans), 0
    for start in range(0, total, CHUNK):
        part = plans[start : start + CHUNK]
        requesters: list[dict[str, Any]] = []
        requests: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        exemptions: list[dict[str, Any]] = []
        for offset, plan in enumerate(part):
            index = start + offset
            request_id, requester_id = request_ids[index], requester_ids[index]
            requesters.append(
                {
                    "id": requester_id,
                    "name": plan.requester_name,
                    "email": plan.requester_email,
                    "address": plan.requester_address,
                    "created_at": now,
                }
            )
            requests.append(
                _request_row(plan, request_id, requester_id, references[index], derived[plan.line], departments, actor_id, zone, now)
            )
            events.extend(_event_rows(plan, request_id, actor_id, sha256, now))
            exemptions.extend({"request_id": request_id, "code": code} for code in plan.exemptions)
        await connection.execute(insert(table(Requester)), requesters)
        await connection.execute(insert(table(FoiRequest)), requests)
        await connection.execute(insert(table(RequestEvent)), events)
        if exemptions:
            await connection.execute(insert(table(RequestExemption)), exemptions)
        done += len(part)
        if progress:
            progress("writing", done, total)


def _request_row(
    plan: PlannedRequest,
    request_id: int,
    requester_id: int,
    reference: str,
    derived: _Derived,
    departments: dict[str, int],
    actor_id: int | None,
    zone: ZoneInfo,
    now: datetime,
) -> dict[str, Any]:
    return {
        "id": request_id,
        "reference": reference,
        "regime": plan.regime.value,
        "title": plan.title,
        "body": plan.body,
        # a date of receipt without a time is taken as the start of the working day, as when logging
        "received_at": datetime.combine(plan.received_on, time(9, 0), tzinfo=zone),
        "received_on": plan.received_on,
        "posted_on": plan.posted_on,
        "channel": _channel(plan).value,
        "department_id": departments[plan.department] if plan.department else None,
        "assignee_id": None,
        "requester_id": requester_id,
        "created_by_id": actor_id,
        "status": plan.status.value,
        "outcome": plan.outcome,
        "response": plan.response,
        "responded_on": plan.responded_on,
        "review_outcome": None,
        **{
            "response_due_on": None,
            "response_base_due_on": None,
            "extension_late": False,
            "review_due_on": None,
            **derived.columns,
        },
        "response_working_days": derived.response_working_days,
        "review_requested_on": None,
        "review_completed_on": None,
        "batch_id": None,
        "import_key": plan.import_key,
        "publication_state": PublicationState.UNPUBLISHED.value,
        "publish_at": None,
        "published_at": None,
        "public_title": None,
        "public_summary": None,
        "public_body": None,
        "public_response": None,
        "withdrawn_at": None,
        "withdrawn_reason": None,
        "version": 1 + len(plan.events),
        "created_at": now,
        "updated_at": now,
    }


def _channel(plan: PlannedRequest) -> Channel:
    # the file does not say how a request came in: by post when it gives a posting date, else by
    # email where there is an address for it
    return Channel.EMAIL if plan.requester_email and plan.posted_on is None else Channel.POST


def _event_rows(plan: PlannedRequest, request_id: int, actor_id: int | None, sha256: str, now: datetime) -> list[dict[str, Any]]:
    channel = _channel(plan).value
    rows = [
        {
            "request_id": request_id,
            "action": LOG_ACTION,
            "from_status": None,
            "to_status": Status.NEW.value,
            "occurred_on": plan.received_on,
            "recorded_at": now,
            "actor_id": actor_id,
            "note": None,
            "details": {"channel": channel, "import": {"file_sha256": sha256, "line": plan.line}},
            "imported": True,
        }
    ]
    rows.extend(
        {
            "request_id": request_id,
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "occurred_on": event.on,
            "recorded_at": now,
            "actor_id": actor_id,
            "note": None,
            "details": event.details,
            "imported": True,
        }
        for event in plan.events
    )
    return rows


async def _reserve_ids(connection: AsyncConnection, table: Any, count: int) -> list[int]:
    """Ids for `count` new rows, reserved before writing, so rows can refer to each other without
    reading anything back. PostgreSQL hands them out from the identity sequence (safe alongside
    other writers); on SQLite this transaction holds the write lock (BEGIN IMMEDIATE), so the
    numbers after the largest id are ours."""
    if count == 0:
        return []
    if connection.dialect.name == "postgresql":
        result = await connection.execute(
            text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, :n)"), {"n": count}
        )
        return [int(value) for value in result.scalars()]
    largest = (await connection.execute(select(func.coalesce(func.max(table.c.id), 0)))).scalar_one()
    return list(range(largest + 1, largest + 1 + count))


async def _assign_references(connection: AsyncConnection, plans: list[PlannedRequest]) -> list[str]:
    """Keeps the references given; moves each counter past the largest kept number of its regime
    and year, then hands out new numbers in blocks (one statement per regime and year)."""
    insert_ = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    counters = table(ReferenceCounter)
    kept: dict[tuple[str, int], int] = {}
    for plan in plans:
        if plan.reference:
            try:
                parsed = parse_reference(plan.reference)
            except InvalidInput:
                continue  # another system's numbering: nothing of ours to move past
            key = (parsed.regime.value, parsed.year)
            kept[key] = max(kept.get(key, 0), parsed.number)
    for (regime, year), number in sorted(kept.items()):
        statement = insert_(counters).values(regime=regime, year=year, last_number=number)
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=[counters.c.regime, counters.c.year],
                set_={"last_number": case((counters.c.last_number < number, number), else_=counters.c.last_number)},
            )
        )
    wanted: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, plan in enumerate(plans):
        if not plan.reference:
            wanted[(plan.regime.value, plan.received_on.year)].append(index)
    references = [plan.reference or "" for plan in plans]
    for (regime, year), indexes in sorted(wanted.items()):
        statement = insert_(counters).values(regime=regime, year=year, last_number=len(indexes))
        last = (
            await connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[counters.c.regime, counters.c.year],
                    set_={"last_number": counters.c.last_number + len(indexes)},
                ).returning(counters.c.last_number)
            )
        ).scalar_one()
        first = last - len(indexes) + 1
        for offset, index in enumerate(indexes):
            references[index] = format_reference(Regime(regime), year, first + offset)
    return references


# ---------------------------------------------------------------- files waiting for confirmation


def pending_store(storage_dir: Path, max_bytes: int) -> ContentStore:
    """Uploaded import files wait here, by SHA-256, between the preview and the confirmation."""
    return ContentStore(Path(storage_dir) / "imports", max_bytes)


async def keep_pending(store: ContentStore, chunks: AsyncIterator[bytes]) -> str:
    _sweep(store)
    stored = await store.save(chunks)
    stored.path.touch()  # the same file uploaded again starts its day afresh
    return stored.sha256


def read_pending(store: ContentStore, sha256: str) -> bytes:
    try:
        path = store.path_for(sha256)
    except InvalidDigest:
        raise InvalidInput("file", "the upload to confirm is not known; upload the file again") from None
    if not path.is_file():
        raise InvalidInput("file", "the uploaded file has expired or was already imported; upload it again")
    return path.read_bytes()


def discard_pending(store: ContentStore, sha256: str) -> None:
    with contextlib.suppress(InvalidDigest):
        store.path_for(sha256).unlink(missing_ok=True)


def _sweep(store: ContentStore) -> None:
    """Removes uploads nobody confirmed within a day (they hold requesters' personal data)."""
    if not store.root.is_dir():
        return
    cutoff = monotonic_time.time() - PENDING_MAX_AGE_SECONDS
    for path in store.root.glob("??/??/*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue
