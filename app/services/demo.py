"""Loads the demo authority through the real use cases, so its history is what the app would record
(all in the caller's one unit of work: a load that fails half-way leaves the database empty)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo.plan import build_demo_authority
from app.domain.lifecycle import Status
from app.domain.publication import PublicationState
from app.domain.publication_review import Decision
from app.models import Department, FoiRequest, User
from app.services import batches as batch_service
from app.services import documents as document_service
from app.services import publication
from app.services import publication_review as review_service
from app.services import requests as request_service
from app.services.clock import today_in
from app.services.files.storage import ContentStore
from app.services.users import hash_password


class DatabaseNotEmpty(Exception):
    """Demo data goes into an empty database only, never on top of real work."""


@dataclass(frozen=True)
class LoadResult:
    departments: int
    users: int
    requests: int
    published: int = 0


def _office_hours(day: date, index: int, zone: ZoneInfo) -> datetime:
    # a plausible recording time on the day itself, spread through the working day
    return datetime.combine(day, time(9, 0), tzinfo=zone) + timedelta(minutes=(index * 37) % 480)


async def load_demo_authority(
    session: AsyncSession, zone: ZoneInfo, today: date | None = None, count: int = 300, store: ContentStore | None = None
) -> LoadResult:
    if await session.scalar(select(func.count(User.id))):
        raise DatabaseNotEmpty
    authority = build_demo_authority(today or today_in(zone), count=count)
    departments = {d.slug: Department(slug=d.slug, name=d.name) for d in authority.departments}
    session.add_all(departments.values())
    await session.flush()
    users = {
        u.email: User(
            email=u.email,
            name=u.name,
            role=u.role,
            password_hash=hash_password(u.password),
            is_active=True,
            department_id=departments[u.department].id if u.department else None,
        )
        for u in authority.users
    }
    session.add_all(users.values())
    await session.flush()

    for number, planned in enumerate(authority.requests):
        created = await request_service.create_request(
            session,
            request_service.NewRequest(
                regime=planned.regime,
                title=planned.title,
                body=planned.body,
                channel=planned.channel,
                received_at=planned.received_at,
                department=planned.department,
                requester=request_service.RequesterDetails(
                    name=planned.requester_name, email=planned.requester_email, address=planned.requester_address
                ),
            ),
            users[planned.created_by],
            zone,
            recorded_at=planned.received_at,
        )
        for step, action in enumerate(planned.actions):
            await request_service.apply_action(
                session,
                created.reference,
                action=action.action,
                params=dict(action.params),
                actor=users[action.actor],
                zone=zone,
                on=action.on,
                note=action.note,
                recorded_at=_office_hours(action.on, number + step, zone),
            )
    published = await _publish_some(session, store, users[authority.users[0].email], zone, today or today_in(zone))
    manager = next(user for user in users.values() if user.role == "manager")
    await _release_one_batch(session, users[authority.users[0].email], manager, zone, today or today_in(zone))
    return LoadResult(len(authority.departments), len(users), len(authority.requests), published)


async def _release_one_batch(session: AsyncSession, officer: User, manager: User, zone: ZoneInfo, today: date) -> None:
    """Some of the older answers left unpublished go out together, as "a batch of older FOI documents"."""
    references = list(
        await session.scalars(
            select(FoiRequest.reference)
            .where(
                FoiRequest.status == Status.RESPONDED.value,
                FoiRequest.publication_state == PublicationState.UNPUBLISHED.value,
                FoiRequest.batch_id.is_(None),
                FoiRequest.responded_on < today - timedelta(days=30),
            )
            .order_by(FoiRequest.responded_on, FoiRequest.id)
        )
    )[::2][:12]
    if not references:
        return
    batch = await batch_service.create_batch(
        session,
        title="Older responses released together",
        slug="older-responses",
        description="Answers to requests made earlier, released together for anyone to read.",
        publish_at=None,
        actor=officer,
        zone=zone,
    )
    await batch_service.add_requests(session, batch.id, references=references, actor=officer, zone=zone)
    for reference in references:
        await _review_publication(session, reference, officer)
    await batch_service.approve_batch(session, batch.id, actor=manager)
    await batch_service.publish_batch(session, batch.id, actor=officer, zone=zone)


async def _publish_some(session: AsyncSession, store: ContentStore | None, officer: User, zone: ZoneInfo, today: date) -> int:
    """Publishes most answered requests older than a fortnight, with released documents where
    information was given, as an authority with a disclosure log would have done."""
    rows = (
        await session.execute(
            select(FoiRequest.reference, FoiRequest.outcome, FoiRequest.responded_on, FoiRequest.title)
            .where(
                FoiRequest.status.in_([Status.RESPONDED.value, Status.REVIEW_COMPLETED.value]),
                FoiRequest.responded_on < today - timedelta(days=14),
            )
            # in the order they were answered, so publication order (search_seq) follows published_at
            .order_by(FoiRequest.responded_on, FoiRequest.id)
        )
    ).all()
    published = 0
    for index, (reference, outcome, responded_on, title) in enumerate(rows):
        if index % 5 == 4:  # some stay unpublished, as in real life
            continue
        if store is not None and outcome in {"granted_in_full", "granted_in_part"}:
            await document_service.add_document(
                session,
                store,
                reference,
                chunks=_chunks(_released_table(reference, title)),
                filename=f"{reference}-information.csv",
                title="Information released",
                for_release=True,
                actor=officer,
                zone=zone,
            )
            await document_service.add_document(
                session,
                store,
                reference,
                chunks=_chunks(_working_note(reference)),
                filename="working-notes.txt",
                title="Working notes (internal)",
                for_release=False,
                actor=officer,
                zone=zone,
            )
        # the title as written: lowering its first letter spoilt the ones starting with a name or an
        # acronym ("fOI request statistics", "freedom of Information")
        summary = f"Our answer to the request \u2018{title}\u2019."
        await _review_publication(session, reference, officer, summary)
        await publication.publish(session, reference, actor=officer, zone=zone)
        # released a few days after the answer, as the log would show
        assert responded_on is not None  # answered requests only
        moment = datetime.combine(responded_on + timedelta(days=3), time(10, 0), tzinfo=zone)
        await session.execute(update(FoiRequest).where(FoiRequest.reference == reference).values(published_at=moment))
        await session.flush()
        published += 1
    return published


async def _review_publication(session: AsyncSession, reference: str, officer: User, summary: str | None = None) -> None:
    """The demo officer writes the summary, then redacts everything the review flags (names alone,
    other people's names, account numbers): the careful choice, so the demo log names no requester."""
    if summary is not None:
        await review_service.update_review(session, reference, fields={"summary": summary}, actor=officer)
    await review_service.decide_all(session, reference, Decision.REDACT, actor=officer)


def _released_table(reference: str, title: str) -> bytes:
    seed = sum(map(ord, reference))
    lines = ["financial_year,category,amount_gbp"]
    for year in ("2022/23", "2023/24", "2024/25"):
        for number, category in enumerate(("staff", "contracts", "other")):
            lines.append(f"{year},{category},{(seed * (number + 3) * 37) % 250_000 + 1_000}")
    return ("\n".join(lines) + "\n").encode()


def _working_note(reference: str) -> bytes:
    return f"Working notes for {reference}: figures checked against the ledger; names of junior staff removed.\n".encode()


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data
