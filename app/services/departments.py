"""Departments: the parts of the authority a request is routed to."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import InvalidInput
from app.models import Department
from app.services.errors import Conflict, NotFound

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


async def list_departments(session: AsyncSession) -> list[Department]:
    return list(await session.scalars(select(Department).order_by(Department.name)))


async def get_department(session: AsyncSession, slug: str) -> Department:
    department = await session.scalar(select(Department).where(Department.slug == slug))
    if department is None:
        raise NotFound(f"no department '{slug}'")
    return department


async def create_department(session: AsyncSession, *, name: str, slug: str | None = None) -> Department:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name", "give the department's name")
    if len(name) > 200:
        raise InvalidInput("name", "at most 200 characters")
    slug = (slug or "").strip() or slugify(name)
    if not _SLUG.match(slug) or len(slug) > 60:
        raise InvalidInput("slug", "use lower-case letters, digits and single hyphens, like 'corporate-services'")
    if await session.scalar(select(Department.id).where(Department.slug == slug)):
        raise Conflict(f"a department with slug '{slug}' already exists")
    department = Department(slug=slug, name=name)
    session.add(department)
    await session.flush()
    return department
