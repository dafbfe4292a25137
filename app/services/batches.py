"""Release batches: requests published together, in one transaction, now or at a scheduled time.

Draft -> approved (by a manager) -> scheduled -> published. Any change before publication sends
the batch back to draft, so an approval always covers exactly what goes out. Publication locks
the batch and publishes every request (`publication.publish_loaded`) in the caller's one unit of
work: a failure (or a killed process) anywhere leaves none of them published.

Scheduled batches are published by `publish_due_batch`, one unit of work each (see
`services/scheduled.py`), safe on several processes at once: PostgreSQL hands each due batch to one
run (SELECT ... FOR UPDATE SKIP LOCKED) and the state change is guarded (UPDATE ... WHERE state =
'scheduled'): a run whose update changes no row (its row count) knows another run published the
batch, which on SQLite (one writer at a time) is what makes the second run find nothing left to do.

The public side (`public_batch`, `latest_published_batches`) reads public columns only and never
touches the requesters table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from app.domain.batches import (
    MAX_REQUESTS,
    PUBLISHABLE_STATES,
    BatchState,
    clean_description,
    clean_slug,
    clean_title,
    void_approval,
    why_not_addable,
)
from app.domain.dates import check_period
from app.domain.errors import InvalidInput
from app.domain.history import EventKind
from app.domain.outcomes import Outcome
from app.domain.publication import PublicationState
from app.domain.regimes import Regime
from app.models import Department, FoiRequest, ReleaseBatch, RequestEvent, RequestExemption, User
from app.models.base import affected_rows
from app.services import publication
from app.services import publication_review as review_service
from app.services.clock import now_utc, today_in
from app.services.errors import Conflict, Forbidden, NotFound
from app.services.scope import in_scope, refuse_any_outside, scope_of
from app.services.users import Role

ADD_ACTION = EventKind.ADD_TO_BATCH.value
REMOVE_ACTION = EventKind.REMOVE_FROM_BATCH.value
_PUBLISHABLE = frozenset(publication.PUBLISHABLE)


# ---------------------------------------------------------------- reading (staff)


@dataclass
class BatchSummary:
    batch: ReleaseBatch
    request_count: int


@dataclass
class BatchDetail:
    batch: ReleaseBatch
    requests: list[FoiRequest]
    created_by: User | None
    approved_by: User | None

    @property
    def state(self) -> BatchState:
        return BatchState(self.batch.state)


async def list_batches(session: AsyncSession) -> list[BatchSummary]:
    counts = (
        select(FoiRequest.batch_id, func.count(FoiRequest.id).label("n"))
        .where(FoiRequest.batch_id.is_not(None))
        .group_by(FoiRequest.batch_id)
        .subquery()
    )
    rows = await session.execute(
        select(ReleaseBatch, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.batch_id == ReleaseBatch.id)
        .order_by(ReleaseBatch.state == BatchState.PUBLISHED.value, ReleaseBatch.created_at.desc(), ReleaseBatch.id.desc())
    )
    return [BatchSummary(batch, count) for batch, count in rows.tuples()]


async def open_batches(session: AsyncSession) -> list[ReleaseBatch]:
    """Batches that can still take requests (the bulk action offers these)."""
    return list(
        await session.scalars(
            select(ReleaseBatch).where(ReleaseBatch.state != BatchState.PUBLISHED.value).order_by(ReleaseBatch.created_at.desc())
        )
    )


async def _get(session: AsyncSession, batch_id: int, lock: bool = False) -> ReleaseBatch:
    statement = select(ReleaseBatch).where(ReleaseBatch.id == batch_id)
    batch = await session.scalar(statement.with_for_update() if lock else statement)
    if batch is None:
        raise NotFound(f"no release batch {batch_id}")
    return batch


async def get_batch(session: AsyncSession, batch_id: int) -> BatchDetail:
    batch = await _get(session, batch_id)
    requests = list(
        await session.scalars(
            select(FoiRequest)
            .where(FoiRequest.batch_id == batch.id)
            .options(joinedload(FoiRequest.department))
            .order_by(FoiRequest.received_on, FoiRequest.id)
        )
    )
    people = {
        user.id: user
        for user in await session.scalars(select(User).where(User.id.in_([i for i in (batch.created_by_id, batch.approved_by_id) if i])))
    }
    return BatchDetail(batch, requests, people.get(batch.created_by_id or -1), people.get(batch.approved_by_id or -1))


async def batch_id_for_slug(session: AsyncSession, slug: str) -> int:
    batch_id = await session.scalar(select(ReleaseBatch.id).where(ReleaseBatch.slug == slug.strip().lower()))
    if batch_id is None:
        raise NotFound(f"no release batch '{slug}'")
    return batch_id


# ---------------------------------------------------------------- creating and editing


def _parse_moment(at: datetime | None, zone: ZoneInfo) -> datetime | None:
    return at.replace(tzinfo=zone) if at is not None and at.tzinfo is None else at


async def create_batch(
    session: AsyncSession,
    *,
    title: str,
    slug: str | None,
    description: str | None,
    publish_at: datetime | None,
    actor: User,
    zone: ZoneInfo,
) -> ReleaseBatch:
    """A draft batch; `publish_at` is the planned time (published then only once approved and scheduled)."""
    title = clean_title(title)
    slug_value = clean_slug(slug, title)
    description = clean_description(description)
    publish_at = publication.check_publish_time(publish_at, zone, now_utc(), within_a_year=False)
    if await session.scalar(select(ReleaseBatch.id).where(ReleaseBatch.slug == slug_value)):
        raise Conflict(f"there is already a batch with the slug '{slug_value}': choose another")
    batch = ReleaseBatch(
        slug=slug_value,
        title=title,
        description=description,
        state=BatchState.DRAFT.value,
        publish_at=publish_at,
        created_by_id=actor.id,
        created_at=now_utc(),
    )
    session.add(batch)
    try:
        await session.flush()
    except IntegrityError:
        # the unique slug, taken by another run since the check above: the unit of work rolls back
        raise Conflict(f"there is already a batch with the slug '{slug_value}': choose another") from None
    return batch


def _back_to_draft(batch: ReleaseBatch) -> None:
    void_approval(batch)


def _require_editable(batch: ReleaseBatch) -> None:
    if not BatchState(batch.state).editable:
        raise Conflict(f"batch '{batch.slug}' is published and can no longer change: a request leaves it only by being taken down")


async def update_batch(
    session: AsyncSession,
    batch_id: int,
    *,
    title: str,
    description: str | None,
    publish_at: datetime | None,
    zone: ZoneInfo,
) -> ReleaseBatch:
    batch = await _get(session, batch_id, lock=True)
    _require_editable(batch)
    title = clean_title(title)
    description = clean_description(description)
    publish_at = _parse_moment(publish_at, zone)
    if publish_at is not None and publish_at != batch.publish_at:
        publication.check_publish_time(publish_at, zone, now_utc(), within_a_year=False)
    if (title, description, publish_at) != (batch.title, batch.description, batch.publish_at):
        batch.title, batch.description, batch.publish_at = title, description, publish_at
        _back_to_draft(batch)
    await session.flush()
    return batch


@dataclass
class RequestFilter:
    """Which requests to add: answered, not published, in no batch, and matching every field given."""

    status: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    responded_from: date | None = None
    responded_to: date | None = None
    department: str | None = None
    regime: str | None = None
    outcome: str | None = None

    def check(self) -> None:
        if self.status and self.status not in _PUBLISHABLE:
            raise InvalidInput("status", f"choose an answered status: {', '.join(sorted(_PUBLISHABLE))}")
        if self.regime and self.regime not in {r.value for r in Regime}:
            raise InvalidInput("regime", f"choose one of {', '.join(Regime)}")
        if self.outcome and self.outcome not in {o.value for o in Outcome}:
            raise InvalidInput("outcome", f"choose one of {', '.join(Outcome)}")
        # in the batch page's labels (templates/staff/batches/detail.html)
        check_period(self.received_from, self.received_to, field="received_to", from_label="Received from", to_label="Received until")
        check_period(self.responded_from, self.responded_to, field="responded_to", from_label="Answered from", to_label="Answered until")

    @property
    def is_empty(self) -> bool:
        return not any(vars(self).values())


def _eligible(statement: Select, spec: RequestFilter) -> Select:
    conditions: list[Any] = [
        FoiRequest.batch_id.is_(None),
        FoiRequest.publication_state == PublicationState.UNPUBLISHED.value,
        FoiRequest.status.in_([spec.status] if spec.status else sorted(_PUBLISHABLE)),
    ]
    if spec.received_from:
        conditions.append(FoiRequest.received_on >= spec.received_from)
    if spec.received_to:
        conditions.append(FoiRequest.received_on <= spec.received_to)
    if spec.responded_from:
        conditions.append(FoiRequest.responded_on >= spec.responded_from)
    if spec.responded_to:
        conditions.append(FoiRequest.responded_on <= spec.responded_to)
    if spec.department:
        conditions.append(FoiRequest.department_id == select(Department.id).where(Department.slug == spec.department).scalar_subquery())
    if spec.regime:
        conditions.append(FoiRequest.regime == spec.regime)
    if spec.outcome:
        conditions.append(FoiRequest.outcome == spec.outcome)
    return statement.where(*conditions)


async def count_matching(session: AsyncSession, spec: RequestFilter) -> int:
    spec.check()
    return await session.scalar(in_scope(_eligible(select(func.count(FoiRequest.id)), spec), session)) or 0


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)


async def add_requests(
    session: AsyncSession,
    batch_id: int,
    *,
    references: list[str] | None = None,
    spec: RequestFilter | None = None,
    actor: User,
    zone: ZoneInfo,
    extra_details: dict[str, Any] | None = None,
) -> AddResult:
    """Adds requests by reference (every one must be able to join, or none is added) or by filter
    (every answered, unpublished request in no batch that matches). One history event each."""
    batch = await _get(session, batch_id, lock=True)
    _require_editable(batch)
    if references is not None:
        wanted = list(dict.fromkeys(r.strip().upper() for r in references if r and r.strip()))
        if not wanted:
            raise InvalidInput("references", "give at least one reference")
        requests = await _lock_by_reference(session, wanted)
        # under department scope an officer adds their department's requests only (app/services/scope.py)
        refuse_any_outside(scope_of(session), wanted, {reference: r.department_id for reference, r in requests.items()})
        problems = [f"{reference}: no such request" for reference in wanted if reference not in requests]
        slugs = await _batch_slugs(session, {r.batch_id for r in requests.values() if r.batch_id})
        for reference in wanted:
            request = requests.get(reference)
            if request is None:
                continue
            reason = why_not_addable(
                status=request.status,
                publication_state=request.publication_state,
                batch_id=request.batch_id,
                this_batch_id=batch.id,
                publishable_statuses=_PUBLISHABLE,
                batch_slug=slugs.get(request.batch_id or -1),
            )
            if reason:
                problems.append(f"{reference} {reason}")
        if problems:
            raise InvalidInput("references", "nothing was added: " + "; ".join(problems))
        chosen = [requests[reference] for reference in wanted]
    elif spec is not None:
        spec.check()
        if spec.is_empty:
            raise InvalidInput("filter", "choose at least one condition (a status, dates, a department...)")
        chosen = list(
            await session.scalars(
                in_scope(_eligible(select(FoiRequest), spec), session).order_by(FoiRequest.received_on, FoiRequest.id).with_for_update()
            )
        )
    else:
        raise InvalidInput("references", "give references, or a filter")
    current = await session.scalar(select(func.count(FoiRequest.id)).where(FoiRequest.batch_id == batch.id)) or 0
    if current + len(chosen) > MAX_REQUESTS:
        raise InvalidInput("references", f"a batch holds at most {MAX_REQUESTS:,} requests ({current:,} already in it)")
    today = today_in(zone)
    for request in chosen:
        request.batch_id = batch.id
        request.version += 1
        session.add(
            RequestEvent(
                request_id=request.id,
                action=ADD_ACTION,
                from_status=request.status,
                to_status=request.status,
                occurred_on=today,
                actor_id=actor.id,
                details={"batch": batch.slug, "batch_title": batch.title, **(extra_details or {})},
            )
        )
    if chosen:
        _back_to_draft(batch)
    await session.flush()
    return AddResult([request.reference for request in chosen])


async def _lock_by_reference(session: AsyncSession, references: list[str]) -> dict[str, FoiRequest]:
    found: dict[str, FoiRequest] = {}
    for start in range(0, len(references), 1000):
        chunk = references[start : start + 1000]
        for request in await session.scalars(select(FoiRequest).where(FoiRequest.reference.in_(chunk)).with_for_update()):
            found[request.reference] = request
    return found


async def _batch_slugs(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict((await session.execute(select(ReleaseBatch.id, ReleaseBatch.slug).where(ReleaseBatch.id.in_(ids)))).tuples().all())


async def remove_request(session: AsyncSession, batch_id: int, reference: str, *, actor: User, zone: ZoneInfo) -> FoiRequest:
    batch = await _get(session, batch_id, lock=True)
    _require_editable(batch)
    request = await session.scalar(
        select(FoiRequest).where(FoiRequest.reference == reference.strip().upper(), FoiRequest.batch_id == batch.id).with_for_update()
    )
    if request is None:
        raise NotFound(f"{reference.strip().upper()} is not in batch '{batch.slug}'")
    request.batch_id = None
    request.version += 1
    session.add(
        RequestEvent(
            request_id=request.id,
            action=REMOVE_ACTION,
            from_status=request.status,
            to_status=request.status,
            occurred_on=today_in(zone),
            actor_id=actor.id,
            details={"batch": batch.slug, "batch_title": batch.title},
        )
    )
    _back_to_draft(batch)
    await session.flush()
    return request


# ---------------------------------------------------------------- preview


@dataclass
class PreviewItem:
    request: FoiRequest
    version: publication.PublicVersion


@dataclass
class BatchPreview:
    batch: ReleaseBatch
    items: list[PreviewItem]
    # the batch's own public texts and address, as they would go out now
    public_title: str = ""
    public_description: str = ""
    public_slug: str = ""

    @property
    def with_warnings(self) -> list[PreviewItem]:
        return [item for item in self.items if item.version.warnings]

    @property
    def unreviewed_count(self) -> int:
        """Possible personal data left to review, over every request: approval needs none."""
        return sum(len(item.version.review.unreviewed) for item in self.items)

    @property
    def warning_count(self) -> int:
        return sum(len(item.version.warnings) for item in self.items)

    @property
    def grouped_warnings(self) -> list[tuple[str, list[str]]]:
        """Each warning once, with the references it applies to, the most frequent first."""
        groups: dict[str, list[str]] = {}
        for item in self.items:
            for warning in item.version.warnings:
                groups.setdefault(warning, []).append(item.request.reference)
        return sorted(groups.items(), key=lambda group: (-len(group[1]), group[0]))


async def preview_batch(session: AsyncSession, batch_id: int) -> BatchPreview:
    """Exactly what each request of the batch will show the public, with the warnings of a
    single preview (no released document, requester data in the text, no summary, an exemption
    never mentioned) and what is left to review. Loads everything in a handful of queries,
    whatever the batch's size."""
    batch = await _get(session, batch_id)
    requests = list(
        await session.scalars(select(FoiRequest).where(FoiRequest.batch_id == batch.id).order_by(FoiRequest.received_on, FoiRequest.id))
    )
    inputs = await review_service.load_inputs(session, requests)
    exemptions: dict[int, list[str]] = {request.id: [] for request in requests}
    ids = [request.id for request in requests]
    for start in range(0, len(ids), 1000):
        for request_id, code in await session.execute(
            select(RequestExemption.request_id, RequestExemption.code)
            .where(RequestExemption.request_id.in_(ids[start : start + 1000]))
            .order_by(RequestExemption.code)
        ):
            exemptions[request_id].append(code)
    items = [PreviewItem(request, publication.public_version(inputs[request.id], exemptions[request.id])) for request in requests]
    reviewed = list(inputs.values())
    public_title, public_description = review_service.public_batch_texts(batch, reviewed)
    public_slug = f"release-{batch.id}" if review_service.batch_slug_names_someone(batch, reviewed) else batch.slug
    return BatchPreview(batch, items, public_title, public_description, public_slug)


def _unreviewed_problems(items: list[PreviewItem]) -> list[str]:
    return [
        f"{item.request.reference} has {len(item.version.review.unreviewed)} possible personal data item"
        f"{'' if len(item.version.review.unreviewed) == 1 else 's'} to review"
        for item in items
        if item.version.review.unreviewed
    ]


# ---------------------------------------------------------------- approval and publication


async def approve_batch(session: AsyncSession, batch_id: int, *, actor: User) -> ReleaseBatch:
    if not Role(actor.role).allows(Role.MANAGER):
        raise Forbidden("a manager approves a release batch; you are signed in as " + actor.role)
    batch = await _get(session, batch_id, lock=True)
    if batch.state != BatchState.DRAFT.value:
        raise Conflict(f"batch '{batch.slug}' is {batch.state}, not a draft waiting for approval")
    requests = list(await session.scalars(select(FoiRequest).where(FoiRequest.batch_id == batch.id)))
    if not requests:
        raise Conflict(f"batch '{batch.slug}' has no requests to approve")
    problems = [f"{r.reference} is {r.status}" for r in requests if r.status not in _PUBLISHABLE]
    problems += [f"{r.reference} is already published" for r in requests if r.publication_state == PublicationState.PUBLISHED]
    if not problems:
        problems = _unreviewed_problems((await preview_batch(session, batch.id)).items)
    if problems:
        raise Conflict("cannot approve: " + "; ".join(problems[:20]))
    batch.state = BatchState.APPROVED.value
    batch.approved_by_id = actor.id
    batch.approved_at = now_utc()
    await session.flush()
    return batch


async def publish_batch(
    session: AsyncSession,
    batch_id: int,
    *,
    actor: User,
    zone: ZoneInfo,
    at: datetime | None = None,
) -> ReleaseBatch:
    """Publishes an approved batch now, or schedules it for `at` (a scheduled one may be moved, or published now)."""
    now = now_utc()
    at = publication.check_publish_time(at, zone, now)
    if at is not None:
        batch = await _get(session, batch_id, lock=True)
        if BatchState(batch.state) not in PUBLISHABLE_STATES:
            raise Conflict(_not_approved(batch))
        batch.state, batch.publish_at = BatchState.SCHEDULED.value, at
        await session.flush()
        return batch
    batch = await _get(session, batch_id, lock=True)
    if BatchState(batch.state) not in PUBLISHABLE_STATES:
        raise Conflict(_not_approved(batch))
    if await _publish_now(session, batch, actor=actor, zone=zone, now=now, claim_from=PUBLISHABLE_STATES) is None:
        raise Conflict(f"batch '{batch.slug}' was published by another run")
    await session.flush()
    return batch


async def unschedule_batch(session: AsyncSession, batch_id: int) -> ReleaseBatch:
    batch = await _get(session, batch_id, lock=True)
    if batch.state != BatchState.SCHEDULED.value:
        raise Conflict(f"batch '{batch.slug}' is not scheduled")
    batch.state = BatchState.APPROVED.value
    await session.flush()
    return batch


def _not_approved(batch: ReleaseBatch) -> str:
    if batch.state == BatchState.PUBLISHED.value:
        return f"batch '{batch.slug}' is already published"
    return f"batch '{batch.slug}' is {batch.state}: a manager approves it before it is published"


async def _publish_now(
    session: AsyncSession,
    batch: ReleaseBatch,
    *,
    actor: User | None,
    zone: ZoneInfo,
    now: datetime,
    claim_from: tuple[BatchState, ...],
    on_request: Callable[[int, int], None] | None = None,
) -> int | None:
    """Every request of the batch published in the caller's unit of work; returns how many. The
    batch's state change is guarded, so of two runs racing for one batch exactly one goes on: the
    other's update changes no row, and it gets None."""
    claimed = await session.execute(
        update(ReleaseBatch)
        .where(ReleaseBatch.id == batch.id, ReleaseBatch.state.in_([state.value for state in claim_from]))
        .values(state=BatchState.PUBLISHED.value, published_at=now, publish_at=batch.publish_at or now)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(claimed) != 1:
        return None
    requests = list(
        await session.scalars(select(FoiRequest).where(FoiRequest.batch_id == batch.id).order_by(FoiRequest.id).with_for_update())
    )
    if not requests:
        raise Conflict(f"batch '{batch.slug}' has no requests")
    inputs = await review_service.load_inputs(session, requests)
    if review_service.batch_slug_names_someone(batch, list(inputs.values())):
        # the address is public for ever: one made from a title naming a requester is replaced
        await session.execute(update(ReleaseBatch).where(ReleaseBatch.id == batch.id).values(slug=f"release-{batch.id}"))
        await session.refresh(batch)
    details = {"batch": batch.slug, **({} if actor else {"scheduled": True})}
    for number, request in enumerate(requests, start=1):
        await publication.publish_loaded(session, inputs[request.id], actor=actor, zone=zone, now=now, details=details)
        if on_request:
            on_request(number, len(requests))
    await session.refresh(batch)
    batch.public_title, batch.public_description = review_service.public_batch_texts(batch, list(inputs.values()))
    return len(requests)


@dataclass
class DueBatch:
    slug: str
    requests: int


async def next_due_batch(session: AsyncSession, now: datetime, *, skip: set[int]) -> ReleaseBatch | None:
    """The next scheduled batch whose time has come, leaving out those in `skip` (tried already by
    this run). On PostgreSQL it is locked for this run, and batches another run holds are skipped."""
    statement = (
        select(ReleaseBatch)
        .where(ReleaseBatch.state == BatchState.SCHEDULED.value, ReleaseBatch.publish_at <= now)
        .order_by(ReleaseBatch.publish_at, ReleaseBatch.id)
        .limit(1)
    )
    if skip:
        statement = statement.where(ReleaseBatch.id.not_in(skip))
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return await session.scalar(statement)


async def publish_due_batch(
    session: AsyncSession,
    batch: ReleaseBatch,
    *,
    zone: ZoneInfo,
    now: datetime,
    on_start: Callable[[str, int], None] | None = None,
    on_request: Callable[[int, int], None] | None = None,
) -> DueBatch | None:
    """Publishes a due batch (from `next_due_batch`, in the same unit of work). None when another
    run published it first; Conflict when it cannot be published (a request changed since the
    approval): its unit of work rolls back, and the batch stays scheduled."""
    slug = batch.slug
    count = await session.scalar(select(func.count(FoiRequest.id)).where(FoiRequest.batch_id == batch.id)) or 0
    if on_start:
        on_start(slug, count)
    published = await _publish_now(
        session,
        batch,
        actor=None,
        zone=zone,
        now=now,
        claim_from=(BatchState.SCHEDULED,),
        on_request=on_request,
    )
    return None if published is None else DueBatch(slug, published)


async def anything_due(session: AsyncSession) -> bool:
    """A cheap read: is a scheduled request or batch due? (so the periodic task takes no write lock for nothing)"""
    now = now_utc()
    request = await session.scalar(
        select(FoiRequest.id).where(FoiRequest.publication_state == PublicationState.SCHEDULED.value, FoiRequest.publish_at <= now).limit(1)
    )
    if request is not None:
        return True
    batch = await session.scalar(
        select(ReleaseBatch.id).where(ReleaseBatch.state == BatchState.SCHEDULED.value, ReleaseBatch.publish_at <= now).limit(1)
    )
    return batch is not None


# ---------------------------------------------------------------- the public side

# a batch's title and description as fixed at publication, personal data removed
_PUBLIC_TEXTS = (func.coalesce(ReleaseBatch.public_title, "Released together"), func.coalesce(ReleaseBatch.public_description, ""))


@dataclass
class PublicBatchItem:
    reference: str
    state: str  # published | withdrawn
    title: str | None
    summary: str | None
    outcome: str | None
    department: str | None


@dataclass
class PublicBatch:
    slug: str
    title: str
    description: str
    published_at: datetime
    items: list[PublicBatchItem]


async def public_batch(session: AsyncSession, slug: str) -> PublicBatch:
    """A published batch as the public sees it; drafts and scheduled batches do not exist here."""
    row = (
        await session.execute(
            select(ReleaseBatch.id, ReleaseBatch.slug, *_PUBLIC_TEXTS, ReleaseBatch.published_at).where(
                ReleaseBatch.slug == slug.strip().lower(), ReleaseBatch.state == BatchState.PUBLISHED.value
            )
        )
    ).first()
    if row is None:
        raise NotFound(f"no published batch '{slug}'")
    batch_id, slug_value, title, description, published_at = row
    items = [
        PublicBatchItem(
            reference,
            state,
            title_ if state == PublicationState.PUBLISHED else None,
            summary if state == PublicationState.PUBLISHED else None,
            outcome if state == PublicationState.PUBLISHED else None,
            department if state == PublicationState.PUBLISHED else None,
        )
        for reference, state, title_, summary, outcome, department in await session.execute(
            select(
                FoiRequest.reference,
                FoiRequest.publication_state,
                FoiRequest.public_title,
                FoiRequest.public_summary,
                FoiRequest.outcome,
                Department.name,
            )
            .outerjoin(Department, Department.id == FoiRequest.department_id)
            .where(
                FoiRequest.batch_id == batch_id,
                FoiRequest.publication_state.in_((PublicationState.PUBLISHED.value, PublicationState.WITHDRAWN.value)),
            )
            .order_by(FoiRequest.received_on, FoiRequest.id)
        )
    ]
    assert published_at is not None  # a published batch has its moment
    return PublicBatch(slug_value, title, description, published_at, items)


@dataclass
class PublishedBatchHit:
    slug: str
    title: str
    description: str
    published_at: datetime
    request_count: int


async def latest_published_batches(session: AsyncSession, limit: int = 5) -> list[PublishedBatchHit]:
    counts = (
        select(FoiRequest.batch_id, func.count(FoiRequest.id).label("n"))
        .where(FoiRequest.batch_id.is_not(None), FoiRequest.publication_state == PublicationState.PUBLISHED.value)
        .group_by(FoiRequest.batch_id)
        .subquery()
    )
    rows = await session.execute(
        select(ReleaseBatch.slug, *_PUBLIC_TEXTS, ReleaseBatch.published_at, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.batch_id == ReleaseBatch.id)
        .where(ReleaseBatch.state == BatchState.PUBLISHED.value)
        .order_by(ReleaseBatch.published_at.desc(), ReleaseBatch.id.desc())
        .limit(limit)
    )
    return [PublishedBatchHit(*row) for row in rows.tuples()]


async def batch_of_disclosure(session: AsyncSession, reference: str) -> tuple[str, str] | None:
    """(slug, title) of the published batch a published request came out in, if any."""
    row = (
        await session.execute(
            select(ReleaseBatch.slug, _PUBLIC_TEXTS[0])
            .join(FoiRequest, FoiRequest.batch_id == ReleaseBatch.id)
            .where(FoiRequest.reference == reference.strip().upper(), ReleaseBatch.state == BatchState.PUBLISHED.value)
        )
    ).first()
    return (row[0], row[1]) if row else None
