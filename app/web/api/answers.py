"""What the JSON API answers, typed, so that /schema/openapi.json describes every body and status.

The handlers return plain dicts built by the functions beside them (`app/web/presenters.py`,
`app/web/report_views.py`, the modules of `app/web/api/`); these TypedDicts are those dicts' types,
so the JSON stays exactly what it was (docs/contract.md: a key that is null is sent as null, and an
answer only ever gains keys) while Litestar reads the shapes from the return annotations and mypy
checks every builder against them. A key that only some answers carry is `NotRequired`.

Errors have one shape (`app/web/errors.py`): `ErrorJson`. `errors(...)` lists, for a route, the error
statuses it can answer with that shape; tests/web/api/test_openapi.py checks the lists against the
routes and, for a sample, against real answers.
"""

# no `from __future__ import annotations` here: TypedDict reads NotRequired[...] from evaluated annotations
from typing import Any, NotRequired, TypedDict

from litestar.openapi.datastructures import ResponseSpec

# ============================================================================ errors


class FieldProblemJson(TypedDict):
    """One input at fault, of several refused at once."""

    field: str
    detail: str


class ErrorJson(TypedDict):
    """Every error the API answers (app/web/errors.py)."""

    status_code: int
    detail: str
    field: NotRequired[str]  # the input at fault (a 422 names it; some 400s too)
    allowed_actions: NotRequired[list[str]]  # a refused lifecycle step: what the request allows now
    problems: NotRequired[list[FieldProblemJson]]  # a 422 finding several inputs at fault: each (`field` is the first)


_STATUS_MEANING = {
    400: "Malformed input: not JSON, a value of the wrong type, an unknown field or query parameter value",
    401: "No credentials, or an API token that is not valid: send `Authorization: Bearer <token>`",
    403: "The caller's role does not allow this",
    404: "Not found (or not visible to this caller)",
    409: "Conflicts with the current state: an illegal transition, a stale `version`, a duplicate, unreviewed suspicions",
    410: "No longer kept: removed under the retention policy (`detail` says when)",
    413: "The upload is larger than the limit",
    415: "The file's content is of a type the product does not take",
    422: "A value is refused; `detail` says why and `field` names it",
    503: "The database (or, for a file, the document store) is not reachable just now: try again after `Retry-After` seconds",
    507: "The document store is full: nothing was saved",
}


def errors(*statuses: int, **bodies: Any) -> dict[int, ResponseSpec]:
    """The error answers of a route, each with the error body's schema (or, by `s422=Type`, another)."""
    return {
        status: ResponseSpec(
            data_container=bodies.get(f"s{status}", ErrorJson), description=_STATUS_MEANING[status], generate_examples=False
        )
        for status in statuses
    }


# a download: the file as stored, with its own content type (a Range asks for part of it: 206)
FILE = ResponseSpec(
    data_container=bytes,
    media_type="application/octet-stream",
    description="The file, with its own content type; 206 with the part a Range header asks for, 304 if unchanged",
    generate_examples=False,
)


# ============================================================================ requests


class RequesterJson(TypedDict):
    name: str
    email: str | None
    address: str | None


class PublicationStateJson(TypedDict):
    state: str
    published_at: str | None
    publish_at: str | None
    batch: str | None  # the release batch's slug


class RequestSummaryJson(TypedDict):
    """A request as the list shows it (never its requester)."""

    reference: str
    regime: str
    title: str
    received_on: str
    received_at: str
    posted_on: str | None
    channel: str
    department: str | None  # slug
    assignee: str | None  # email
    status: str
    due_on: str | None  # null while the clock is stopped
    original_due_on: str | None
    working_days_limit: int
    clock_stopped: bool
    clock_state: str
    deadline_flags: list[str]
    calendar_version: str
    outcome: str | None
    responded_on: str | None
    review_outcome: str | None
    publication: PublicationStateJson
    version: int


class RequestListItemJson(RequestSummaryJson):
    exemptions: list[str]


class RequestListJson(TypedDict):
    items: list[RequestListItemJson]
    total: int
    page: int
    per_page: int
    pages: int


class EventJson(TypedDict):
    id: int
    action: str
    from_status: str | None
    to_status: str
    on: str
    recorded_at: str
    by: str | None  # email
    note: str | None
    details: dict[str, Any]
    imported: bool


class CorrespondenceItemJson(TypedDict, total=False):
    """One letter or e-mail on a request (staff only). `to` for what was sent, `from` for what came in."""

    id: int
    direction: str  # "in" | "out"
    kind: str  # a notice (acknowledgement, clarification_request, ...); in: request, reply, clarification_reply, review_request, message, bounce
    at: str
    subject: str
    by: str  # email | post | web
    to: str
    # "from" is a keyword: declared below
    delivery: str | None  # queued | sending | sent | failed | bounced; null for post and for what came in


CorrespondenceItemJson.__annotations__["from"] = str


class CorrespondenceJson(CorrespondenceItemJson):
    """One item in full: its text exactly as sent or received."""

    body: str
    message_id: str | None
    in_reply_to: str | None
    error: str | None
    attempts: int
    sent_at: str | None
    documents: list[int]
    event_id: int | None
    pdf: str | None  # a letter for post: where its PDF is


class HeldJson(TypedDict):
    reason: str
    since: str


class RequestJson(RequestSummaryJson):
    """One request, for staff: its requester, texts, exemptions, what may be done next, its history and
    its correspondence."""

    requester: RequesterJson
    body: str
    response: str | None
    preferred_format: str | None
    exemptions: list[str]
    allowed_actions: list[str]
    history: list[EventJson]  # newest first
    correspondence: list[CorrespondenceItemJson]  # oldest first
    legal_hold: HeldJson | None  # a manager's legal hold, which keeps the request from the retention policy
    anonymised_at: str | None  # when the retention policy removed the requester's data


class BulkChangeJson(TypedDict):
    reference: str
    status: str
    to_status: str
    change: str


class BulkRefusalJson(TypedDict):
    reference: str
    reason: str


class BulkPlanJson(TypedDict):
    """A dry run: what would change, and what the lifecycle refuses and why."""

    dry_run: bool  # true
    action: str
    description: str
    changes: list[BulkChangeJson]
    refused: list[BulkRefusalJson]


class BulkDoneJson(TypedDict):
    dry_run: bool  # false
    operation: int
    action: str
    request_count: int
    summary: str


# ============================================================================ documents and publication


class LegalHoldJson(TypedDict):
    """A request's legal hold: while held, the retention policy passes it over."""

    reference: str
    held: bool
    reason: str | None
    since: str | None  # when the hold was placed
    anonymised_at: str | None  # when the retention policy removed its requester data


class DocumentJson(TypedDict):
    id: int
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str
    public_sha256: str  # the copy the public downloads (without its metadata)
    for_release: bool
    uploaded_at: str
    url: str


class ReviewFieldJson(TypedDict):
    label: str
    public: str
    edited: bool
    editable: bool


class RedactionJson(TypedDict):
    field: str
    text: str
    reason: str


class SuspicionJson(TypedDict):
    id: str
    field: str
    text: str
    reason: str


class ReviewedSuspicionJson(SuspicionJson):
    decision: str  # redact | accept


class PublicationJson(TypedDict):
    reference: str
    publication_state: str
    fields: dict[str, ReviewFieldJson]
    redactions: list[RedactionJson]
    suspicions: list[SuspicionJson]  # not yet reviewed
    reviewed: list[ReviewedSuspicionJson]
    ready: bool


# ============================================================================ release batches


class BatchJson(TypedDict):
    id: int
    slug: str
    title: str
    description: str
    state: str
    publish_at: str | None
    approved_at: str | None
    published_at: str | None
    created_at: str
    url: str | None  # the public page, once published


class BatchListItemJson(BatchJson):
    request_count: int


class BatchDetailJson(BatchJson):
    requests: list[str]  # references
    request_count: int
    created_by: str | None
    approved_by: str | None


class BatchAddedJson(TypedDict):
    added: list[str]
    batch: BatchDetailJson


class PublicBatchJson(TypedDict):
    title: str
    description: str
    url: str


class PreviewDocumentJson(TypedDict):
    id: int
    title: str
    filename: str


class PreviewRequestJson(TypedDict):
    reference: str
    title: str
    summary: str | None
    request: str
    response: str | None
    documents: list[PreviewDocumentJson]
    warnings: list[str]
    suspicions: list[SuspicionJson]


class BatchPreviewJson(TypedDict):
    batch: BatchListItemJson
    warning_count: int
    unreviewed_count: int
    public: PublicBatchJson
    requests: list[PreviewRequestJson]


# ============================================================================ imports


class ImportErrorJson(TypedDict):
    column: str | None
    reason: str


class ImportRowJson(TypedDict):
    line: int
    status: str
    file_line: NotRequired[int]
    reference: NotRequired[str]
    errors: NotRequired[list[ImportErrorJson]]
    same_as_line: NotRequired[int]


class ImportReportJson(TypedDict):
    dry_run: bool
    skip_invalid: bool
    refused: bool
    imported: int
    summary: str
    counts: dict[str, int]
    sha256: str
    rows: list[ImportRowJson]


class ImportRefusedJson(ImportReportJson):
    """Invalid rows stopped the import (422): the error and the same per-row report."""

    status_code: int
    detail: str
    field: str


# ============================================================================ departments and the calendar


class DepartmentJson(TypedDict):
    slug: str
    name: str


class CorrectionJson(TypedDict):
    id: int
    day: str
    nation: str
    change: str
    name: str
    reason: str
    source: str


class RecomputeJson(TypedDict):
    open_requests_checked: int
    due_dates_moved: int
    calendar_versions: list[str]


# ============================================================================ the disclosure log (public)


class DisclosureHitJson(TypedDict):
    reference: str
    regime: str
    title: str
    summary: str | None
    outcome: str | None
    department: str | None
    received_on: str
    responded_on: str | None
    published_at: str
    snippet: str | None
    url: str


class DisclosureSearchJson(TypedDict):
    items: list[DisclosureHitJson]
    total: int
    page: int
    per_page: int
    pages: int
    sort: str


class PublicDocumentJson(TypedDict):
    id: int
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str


class DisclosureJson(TypedDict):
    reference: str
    state: str  # published
    regime: str
    title: str | None
    summary: str | None
    request: str | None
    response: str | None
    outcome: str | None
    exemptions: list[str]
    department: str | None
    received_on: str | None
    responded_on: str | None
    published_at: str | None
    documents: list[PublicDocumentJson]


class WithdrawnDisclosureJson(TypedDict):
    """A release taken down: only that it was, and when."""

    reference: str
    state: str  # withdrawn
    withdrawn_at: str | None


# ============================================================================ the deadline calculator (public)


class CalendarDayJson(TypedDict):
    date: str
    kind: str
    number: int | None
    reason: str


class CalculationJson(TypedDict):
    due_on: str | None  # null while the clock is stopped
    working_days: int
    explanation: list[str]
    clock_stopped: bool
    stopped_reason: str | None
    original_due_on: str | None
    effective_received_on: str
    received_on: str
    flags: list[str]
    warnings: list[str]
    calendar_version: str
    days: list[CalendarDayJson]


# ============================================================================ health


class HealthJson(TypedDict):
    status: str  # ok | degraded
    database: str  # ok | unavailable


# ============================================================================ reports (managers)


class CaseJson(TypedDict):
    reference: str
    title: str
    regime: str
    status: str
    stage: str  # initial | internal_review
    due_on: str | None
    department: str | None
    assignee: str | None
    assignee_email: str | None


class OverdueCaseJson(CaseJson):
    working_days_overdue: int | None
    ageing: str | None  # the ageing bucket's key


class DueSoonCaseJson(CaseJson):
    working_days_left: int | None


class StoppedCaseJson(CaseJson):
    waiting_for: str  # fee | clarification
    since: str | None
    lapses_on: str | None  # the first day it may be closed as lapsed


class CountsJson(TypedDict):
    overdue: int
    overdue_reviews: int
    due_soon: int
    due_soon_reviews: int
    clock_stopped: int
    ageing: dict[str, int]
    ageing_reviews: dict[str, int]


class DepartmentCountsJson(CountsJson):
    department: str
    department_slug: str


class OfficerCountsJson(CountsJson):
    assignee: str
    assignee_email: str | None


class OverdueFiltersJson(TypedDict):
    department: str | None
    assignee: str | None
    regime: str | None
    limit: int


class OverdueTotalsJson(TypedDict):
    overdue: int
    overdue_requests: int
    overdue_reviews: int
    due_soon: int
    due_soon_requests: int
    due_soon_reviews: int
    clock_stopped: int


class AgeingJson(TypedDict):
    requests: dict[str, int]
    internal_reviews: dict[str, int]


class OverdueReportJson(TypedDict):
    as_of: str
    filters: OverdueFiltersJson
    totals: OverdueTotalsJson
    ageing: AgeingJson
    by_department: list[DepartmentCountsJson]
    by_officer: list[OfficerCountsJson]
    overdue: list[OverdueCaseJson]
    due_soon: list[DueSoonCaseJson]
    clock_stopped: list[StoppedCaseJson]
    truncated: bool


class WithheldJson(TypedDict):
    procedural: dict[str, int]
    exemptions: dict[str, int]


class DaysToRespondJson(TypedDict):
    answers: int
    median: float | None
    mean: float | None
    longest: int | None


# "from" and "to" are Python keywords: these are declared by the functional syntax
TimelinessRowHeadJson = TypedDict(
    "TimelinessRowHeadJson",
    {
        "period": NotRequired[str],  # grouped by period (and the total): its key and label
        "label": NotRequired[str],
        "department": NotRequired[str],  # grouped by department: its name and slug
        "department_slug": NotRequired[str],
        "from": NotRequired[str],  # the period's first and last day
        "to": NotRequired[str],
    },
)


class TimelinessRowJson(TimelinessRowHeadJson):
    received: int
    responded: int
    in_time: int
    in_time_extended: int
    late: int
    timeliness_unknown: int
    open: int
    open_overdue: int
    in_time_rate: float | None
    outcomes: dict[str, int]
    withheld_by_reason: WithheldJson
    internal_reviews: dict[str, int]
    working_days_to_respond: DaysToRespondJson


TimelinessReportJson = TypedDict(
    "TimelinessReportJson",
    {
        "from": str,
        "to": str,
        "group_by": str,
        "department": str | None,
        "as_of": str,
        "rows": list[TimelinessRowJson],
        "total": TimelinessRowJson,
    },
)


# ============================================================================ API tokens


class TokenOwnerJson(TypedDict):
    id: int
    name: str


class TokenJson(TypedDict):
    """An API token as listed: never the token itself, which is shown once, when made."""

    id: int
    label: str
    owner: TokenOwnerJson
    created_at: str
    expires_at: str
    last_used_at: str | None
    revoked_at: str | None
    state: str  # active | expired | revoked
