"""Checking a CSV of historic requests, row by row, before anything is written.

Pure Python: the service hands in the file's text, today's date and the department slugs it
knows, and gets back, for every row, either a plan (the request and the history the lifecycle
allows for it) or every problem with that row (line, column, reason). The history is planned
through `plan_action`, the same rules an officer's clicks go through.

Messages name the column and never repeat what the requester columns, titles or texts held
(personal data); codes, dates and statuses are repeated where that helps to fix them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from app.domain.dates import read_iso_date, spoken_date
from app.domain.deadlines import date_of_receipt
from app.domain.errors import IllegalTransition, InvalidInput, InvalidInputs
from app.domain.lifecycle import Action, Status, plan_action
from app.domain.outcomes import Outcome
from app.domain.references import parse_reference
from app.domain.regimes import Regime

COLUMNS = (
    "reference",
    "regime",
    "received_on",
    "title",
    "body",
    "requester_name",
    "requester_email",
    "requester_address",
    "department",
    "status",
    "outcome",
    "responded_on",
    "exemptions",
    "response",
    "posted_on",
)
REQUIRED_COLUMNS = ("regime", "received_on", "title", "body", "requester_name")
IMPORTABLE_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.RESPONDED, Status.WITHDRAWN, Status.LAPSED)
MAX_TITLE = 300
MAX_BODY = 100_000
MAX_NAME = 200
MAX_ADDRESS = 1000
MAX_REFERENCE = 24
# "normalised row" version: bump it only together with a migration of stored keys
KEY_VERSION = "import-v1"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
_SPACES = re.compile(r"\s+")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# The columns whose values are never repeated in a message: the requester's data and free text.
PRIVATE_COLUMNS = frozenset({"requester_name", "requester_email", "requester_address", "title", "body", "response"})
_FIELD_TO_COLUMN = {"on": "responded_on", "outcome": "outcome", "exemptions": "exemptions", "response": "response"}


class ImportFileError(Exception):
    """The file as a whole cannot be read as an import (encoding, header): no row is looked at."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class RowError:
    column: str | None  # None: the row as a whole (for example, too many cells)
    reason: str

    def __str__(self) -> str:
        return f"{self.column}: {self.reason}" if self.column else self.reason


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    """One step of the imported history, checked by the lifecycle."""

    action: str
    from_status: str | None
    to_status: str
    on: date
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    line: int
    import_key: str
    reference: str | None
    regime: Regime
    received_on: date
    title: str
    body: str
    requester_name: str
    requester_email: str | None
    requester_address: str | None  # several lines, as written on an envelope
    department: str | None
    status: Status
    outcome: str | None
    exemptions: tuple[str, ...]
    response: str | None
    responded_on: date | None
    events: tuple[PlannedEvent, ...]
    posted_on: date | None = None  # a posted request: when it was posted (received_on is the day it arrived)


class RowState(StrEnum):
    READY = "ready"  # valid, not imported yet
    IMPORTED = "imported"  # written by this import
    INVALID = "invalid"
    ALREADY_IMPORTED = "already_imported"  # the same row came in by an earlier import
    DUPLICATE = "duplicate"  # the same row appears earlier in this file


@dataclass(slots=True)
class RowResult:
    line: int
    state: RowState
    plan: PlannedRequest | None = None
    errors: list[RowError] = field(default_factory=list)
    same_as_line: int | None = None  # for a duplicate
    file_line: int | None = None  # where the row starts in a text editor (differs from `line` after multi-line cells)
    reference: str | None = None  # the reference the request has (or will have) once imported

    @property
    def where(self) -> str:
        """ "line 7", or "line 7 (line 12 in a text editor)" when cells above span several lines."""
        if self.file_line and self.file_line != self.line:
            return f"line {self.line} (line {self.file_line} in a text editor)"
        return f"line {self.line}"

    @property
    def message(self) -> str:
        if self.state is RowState.INVALID:
            return "; ".join(str(error) for error in self.errors)
        if self.state is RowState.DUPLICATE:
            return f"the same as line {self.same_as_line}: imported once"
        if self.state is RowState.IMPORTED:
            return f"imported as {self.reference}"
        if self.state is RowState.ALREADY_IMPORTED:
            return f"already imported{f' as {self.reference}' if self.reference else ''}"
        return ""


@dataclass(frozen=True)
class ImportContext:
    today: date
    departments: frozenset[str]


# ---------------------------------------------------------------- reading the file


_BINARY_SIGNATURES = (
    (b"PK\x03\x04", "a spreadsheet workbook (or another zip file)"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel workbook"),
    (b"%PDF", "a PDF"),
)


def binary_kind(data: bytes) -> str | None:
    """What a file that is plainly not CSV text is (a workbook, a PDF, binary data), or None."""
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return kind
    if b"\x00" in data[:8192]:
        return "binary data (or UTF-16 text)"
    return None


def decode(data: bytes) -> str:
    """The file's text; UTF-8 only (with or without the byte order mark spreadsheets write)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise ImportFileError(
            f"the file is not UTF-8 text (line {line}, byte {problem.start + 1}): save it as 'CSV UTF-8' and upload it again"
        ) from None


def _records(text: str) -> Iterable[tuple[int, int, list[str]]]:
    """(line, file line, cells) for every non-empty record.

    `line` counts records as a spreadsheet shows rows (the header is line 1); `file line` is where
    the record starts in a text editor, later when a quoted cell above spans several lines.
    """
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    previous = 0
    number = 0
    try:
        for cells in reader:
            number += 1
            start, previous = previous + 1, reader.line_num
            if not cells or all(not cell.strip() for cell in cells):
                continue
            yield number, start, cells
    except csv.Error as problem:
        raise ImportFileError(f"line {previous + 1}: the CSV cannot be read ({problem})") from None


def read_header(cells: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in cells]
    unknown = [name or "(empty)" for name in names if name not in COLUMNS]
    if unknown:
        raise ImportFileError(
            f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(repr(n) for n in unknown)} in the header; "
            f"the columns are: {', '.join(COLUMNS)}"
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ImportFileError(
            f"column{'s' if len(repeated) > 1 else ''} {', '.join(repeated)} appear{'' if len(repeated) > 1 else 's'} more than once in the header"
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ImportFileError(f"the header lacks the required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    return names


# ---------------------------------------------------------------- checking rows


def check_file(text: str, context: ImportContext, progress: Callable[[int, int], None] | None = None) -> list[RowResult]:
    """Every data row of the file, checked; raises ImportFileError when the file cannot be read.

    `progress(rows checked, rows expected)` is called every 1,000 rows (the expectation counts lines).
    """
    expected = max(1, text.count("\n") - 1)
    records = iter(_records(text))
    first = next(records, None)
    if first is None:
        raise ImportFileError("the file is empty: it needs a header row and at least one request")
    header = read_header(first[2])
    results: list[RowResult] = []
    seen_keys: dict[str, int] = {}
    seen_references: dict[str, int] = {}
    for line, file_line, cells in records:
        result = check_row(line, header, cells, context)
        result.file_line = file_line
        plan = result.plan
        if plan is not None:
            if plan.import_key in seen_keys:
                result = RowResult(line, RowState.DUPLICATE, plan=plan, same_as_line=seen_keys[plan.import_key], file_line=file_line)
            elif plan.reference and plan.reference in seen_references:
                result = RowResult(
                    line,
                    RowState.INVALID,
                    file_line=file_line,
                    errors=[RowError("reference", f"{plan.reference} is also given on line {seen_references[plan.reference]}")],
                )
            else:
                seen_keys[plan.import_key] = line
                if plan.reference:
                    seen_references[plan.reference] = line
        results.append(result)
        if progress and len(results) % 1000 == 0:
            progress(len(results), max(expected, len(results)))
    if not results:
        raise ImportFileError("the file has a header but no requests")
    return results


def check_row(line: int, header: list[str], cells: list[str], context: ImportContext) -> RowResult:
    if len(cells) != len(header):
        return RowResult(line, RowState.INVALID, errors=[RowError(None, f"has {len(cells)} cells; the header has {len(header)}")])
    raw = dict(zip(header, cells, strict=True))
    checker = _RowChecker(raw, context)
    plan = checker.check(line)
    if checker.errors:
        return RowResult(line, RowState.INVALID, errors=checker.errors)
    assert plan is not None
    return RowResult(line, RowState.READY, plan=plan, reference=plan.reference)


class _RowChecker:
    def __init__(self, raw: dict[str, str], context: ImportContext) -> None:
        self.raw = raw
        self.context = context
        self.errors: list[RowError] = []

    def fail(self, column: str | None, reason: str) -> None:
        self.errors.append(RowError(column, reason))

    def cell(self, column: str) -> str:
        return (self.raw.get(column) or "").strip()

    def check(self, line: int) -> PlannedRequest | None:
        regime = self._regime()
        reference = self._reference(regime)
        received_on = self._date("received_on", required=True)
        posted_on = self._date("posted_on", required=False)
        if regime is not None and received_on is not None and posted_on is not None:
            try:
                date_of_receipt(regime, received_on, posted_on)  # a posting date after it arrived is refused
            except InvalidInput as problem:
                self.fail("posted_on", problem.message)
        responded_on = self._date("responded_on", required=False)
        title = self._text("title", MAX_TITLE, single_line=True)
        body = self._text("body", MAX_BODY)
        requester_name = self._text("requester_name", MAX_NAME, single_line=True)
        requester_email = self._email()
        requester_address = self._text("requester_address", MAX_ADDRESS, required=False) or None
        department = self._department()
        response = self._text("response", MAX_BODY, required=False) or None
        outcome_text = self.cell("outcome").lower()
        exemption_text = self.cell("exemptions")
        status = self._status(outcome_text, responded_on)
        if received_on and received_on > self.context.today:
            self.fail("received_on", f"must be today or in the past (it is {spoken_date(received_on)})")
        if responded_on and responded_on > self.context.today:
            self.fail("responded_on", f"must be today or in the past (it is {spoken_date(responded_on)})")
        if regime is None or received_on is None or status is None:
            return None
        # the history is checked even when other cells are wrong, so one pass reports everything
        events, details = self._history(regime, status, received_on, responded_on, outcome_text, exemption_text, response)
        if self.errors:
            return None
        outcome = details.get("outcome")
        exemptions = tuple(details.get("exemptions", ()))
        values = [
            KEY_VERSION,
            reference or "",
            regime.value,
            received_on.isoformat(),
            title,
            body,
            requester_name,
            requester_email or "",
            department or "",
            status.value,
            outcome or "",
            responded_on.isoformat() if responded_on else "",
            sorted(exemptions),
            response or "",
        ]
        if requester_address:
            # appended only when given, so rows without an address keep the keys earlier imports stored
            values.append(requester_address)
        if posted_on:
            values.append(f"posted:{posted_on.isoformat()}")
        import_key = hashlib.sha256(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
        return PlannedRequest(
            line=line,
            import_key=import_key,
            reference=reference,
            regime=regime,
            received_on=received_on,
            title=title,
            body=body,
            requester_name=requester_name,
            requester_email=requester_email,
            requester_address=requester_address,
            department=department,
            status=status,
            outcome=outcome,
            exemptions=exemptions,
            response=response,
            # the day it was answered (timeliness reports read it); a withdrawal or lapse is dated by its event
            responded_on=responded_on if status is Status.RESPONDED else None,
            events=tuple(events),
            posted_on=posted_on,
        )

    # -- the cells

    def _regime(self) -> Regime | None:
        value = self.cell("regime").lower()
        if not value:
            self.fail("regime", f"is required: one of {', '.join(Regime)}")
            return None
        try:
            return Regime(value)
        except ValueError:
            self.fail("regime", f"'{value[:20]}' is not one of {', '.join(Regime)}")
            return None

    def _reference(self, regime: Regime | None) -> str | None:
        value = self.cell("reference").upper()
        if not value:
            return None
        if len(value) > MAX_REFERENCE or not _REFERENCE.match(value):
            self.fail("reference", f"'{value[:30]}' is not a reference: letters, digits and hyphens, at most {MAX_REFERENCE} characters")
            return None
        try:
            parsed = parse_reference(value)
        except InvalidInput:
            return value  # another system's numbering: kept as it is, it cannot collide with ours
        if regime is not None and parsed.regime is not regime:
            self.fail("reference", f"{value} is a {parsed.regime.value} reference but the regime is {regime.value}")
        return value

    def _date(self, column: str, required: bool) -> date | None:
        value = self.cell(column)
        if not value:
            if required:
                self.fail(column, "is required (a date like 2024-03-31)")
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.fail(column, f"'{value[:30]}' is not a date (use YYYY-MM-DD, or DD/MM/YYYY)")
        return parsed

    def _text(self, column: str, limit: int, *, required: bool = True, single_line: bool = False) -> str:
        value = self.raw.get(column) or ""
        value = _SPACES.sub(" ", value).strip() if single_line else value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if required and not value:
            self.fail(column, "is required")
        elif len(value) > limit:
            self.fail(column, f"is {len(value):,} characters long; at most {limit:,}")
        return value

    def _email(self) -> str | None:
        value = self.cell("requester_email").lower()
        if not value:
            return None
        if len(value) > 254 or not _EMAIL.match(value):
            self.fail("requester_email", "is not a valid email address")  # never echoed: personal data
            return None
        return value

    def _department(self) -> str | None:
        value = self.cell("department").lower()
        if not value:
            return None
        if value not in self.context.departments:
            known = ", ".join(sorted(self.context.departments)) or "none yet"
            self.fail("department", f"no department '{value[:60]}' (known: {known})")
            return None
        return value

    def _status(self, outcome: str, responded_on: date | None) -> Status | None:
        value = self.cell("status").lower().replace(" ", "_").replace("-", "_")
        if not value:
            # an answered request says so by its outcome or its date of response
            return Status.RESPONDED if outcome or responded_on else Status.NEW
        allowed = ", ".join(s.value for s in IMPORTABLE_STATUSES)
        try:
            status = Status(value)
        except ValueError:
            self.fail("status", f"'{value[:30]}' is not a status the import takes: {allowed}")
            return None
        if status not in IMPORTABLE_STATUSES:
            self.fail("status", f"{value} cannot be imported (take {allowed}; move it on in the tracker afterwards)")
            return None
        return status

    # -- the history, through the lifecycle

    def _history(
        self,
        regime: Regime,
        status: Status,
        received_on: date,
        responded_on: date | None,
        outcome: str,
        exemption_text: str,
        response: str | None,
    ) -> tuple[list[PlannedEvent], dict[str, Any]]:
        errors_before = len(self.errors)
        if status is not Status.RESPONDED:
            for column, value in (("outcome", outcome), ("exemptions", exemption_text)):
                if value:
                    self.fail(
                        column,
                        f"only a responded request has {'an outcome' if column == 'outcome' else 'exemptions'} (status is {status.value})",
                    )
            if response:
                self.fail("response", f"only a responded request has a response (status is {status.value})")
        if status in (Status.NEW, Status.IN_PROGRESS) and responded_on:
            self.fail("responded_on", f"a request that is {status.value.replace('_', ' ')} has no date of response or closure")
        if status is Status.RESPONDED:
            if not outcome:
                self.fail("outcome", f"is required for a responded request: one of {', '.join(Outcome)}")
            if responded_on is None and not self.cell("responded_on"):
                self.fail("responded_on", "is required for a responded request")
        if len(self.errors) > errors_before or (status is Status.RESPONDED and responded_on is None):
            return [], {}  # (an unreadable date of response was reported with its cell)

        steps: list[tuple[str, dict[str, Any], date]] = []
        closed_on = responded_on or received_on
        if status is Status.IN_PROGRESS:
            steps.append((Action.START.value, {}, received_on))
        elif status is Status.RESPONDED:
            assert responded_on is not None
            codes = [code for code in exemption_text.replace(",", ";").split(";") if code.strip()]
            steps.append((Action.RESPOND.value, {"outcome": outcome, "exemptions": codes, "response": response or ""}, responded_on))
        elif status is Status.WITHDRAWN:
            steps.append((Action.WITHDRAW.value, {}, closed_on))
        elif status is Status.LAPSED:
            # a request lapses only while the authority waits on the requester: the file does not
            # say whether for a clarification or a fee, so the import records the clarification
            steps.append((Action.REQUEST_CLARIFICATION.value, {}, received_on))
            steps.append((Action.LAPSE.value, {}, closed_on))

        current, events, details = Status.NEW, [], {}
        for action, params, on in steps:
            try:
                transition = plan_action(
                    status=current, regime=regime, action=action, params=params, received_on=received_on, on=on, historic=True
                )
            except InvalidInput as problem:
                for found in InvalidInputs.of(problem):
                    self.fail(_FIELD_TO_COLUMN.get(found.field, found.field), found.message)
                return [], {}
            except IllegalTransition as problem:
                self.fail("status", str(problem))
                return [], {}
            events.append(
                PlannedEvent(transition.action.value, transition.from_status.value, transition.to_status.value, on, transition.details)
            )
            details.update(transition.details)
            current = transition.to_status
        return events, details


def parse_date(value: str) -> date | None:
    """YYYY-MM-DD (read as every other date the product is given: app/domain/dates.py), or the
    DD/MM/YYYY that UK spreadsheets write, which only a CSV file may use (a form's or the API's
    03/04/2026 would be ambiguous to a reader of either order); None if neither."""
    found = read_iso_date(value)
    if found is not None:
        return found
    match = _UK_DATE.match(value.strip())
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def summarise(results: list[RowResult]) -> dict[str, int]:
    counts = {state.value: 0 for state in RowState}
    for result in results:
        counts[result.state.value] += 1
    counts["rows"] = len(results)
    return counts
