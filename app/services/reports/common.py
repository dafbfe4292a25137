"""What the reports share: the columns they read, "open" written as the partial index's predicate,
the names of departments and staff (one query each, whatever the number of rows), and titles safe
to show (without the requester's personal data; the reminders use them too)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.deadlines import Stage
from app.domain.errors import InvalidInput
from app.domain.lifecycle import OPEN_STATUSES
from app.domain.redaction import PersonalData, may_need_redaction, redact
from app.models import Department, FoiRequest, Requester, RequestEvent, RequestExemption, User
from app.models.base import table

R = table(FoiRequest).c
E = table(RequestEvent).c
X = table(RequestExemption).c

# Written exactly as the partial index ix_requests_open_due_on's predicate, so that both engines
# see that the index applies (a bound IN list would hide it from SQLite, and from PostgreSQL's
# generic plans).
OPEN_SQL = "status IN ({})".format(", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES)))
REVIEW_STAGE = Stage.INTERNAL_REVIEW.value


def open_condition() -> ColumnElement[bool]:
    return text(OPEN_SQL)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    slug: str  # a department's slug, or a member of staff's email
    name: str


async def load_names(session: AsyncSession) -> tuple[dict[int, Named], dict[int, Named]]:
    """Every department and every member of staff by id."""
    departments = {
        row.id: Named(row.id, row.slug, row.name) for row in await session.execute(select(Department.id, Department.slug, Department.name))
    }
    users = {row.id: Named(row.id, row.email, row.name) for row in await session.execute(select(User.id, User.email, User.name))}
    return departments, users


async def department_id_of(session: AsyncSession, slug: str | None) -> int | None:
    if not slug:
        return None
    found = await session.scalar(select(Department.id).where(Department.slug == slug.strip()))
    if found is None:
        raise InvalidInput("department", "Select a department from the list")
    return found


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


async def safe_titles(session: AsyncSession, rows: Sequence[tuple[int, str, str | None]]) -> dict[int, str]:
    """Titles without the requester's personal data: the published title where there is one, else
    the title with the requester's name, email and address taken out (one query for the lot)."""
    ids = [row_id for row_id, _, public_title in rows if not public_title]
    people: dict[int, PersonalData] = {}
    if ids:
        found = await session.execute(
            select(R.id, Requester.name, Requester.email, Requester.address)
            .join(Requester, Requester.id == R.requester_id)
            .where(R.id.in_(ids))
        )
        people = {row_id: PersonalData(name, email, address) for row_id, name, email, address in found}
    return {row_id: safe_title(title, public_title, people.get(row_id)) for row_id, title, public_title in rows}


def safe_title(title: str, public_title: str | None, person: PersonalData | None) -> str:
    if public_title:
        return public_title
    return redact(title, person) if person is not None and may_need_redaction(title, person) else title
