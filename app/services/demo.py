"""Loads the demo authority through the real use cases, so its history is what the app would record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.demo.plan import build_demo_authority
from app.models import Department, User
from app.services import requests as request_service
from app.services.clock import today_in
from app.services.users import hash_password


class DatabaseNotEmpty(Exception):
    """Demo data goes into an empty database only, never on top of real work."""


@dataclass(frozen=True)
class LoadResult:
    departments: int
    users: int
    requests: int


def _office_hours(day: date, index: int, zone: ZoneInfo) -> datetime:
    # a plausible recording time on the day itself, spread through the working day
    return datetime.combine(day, time(9, 0), tzinfo=zone) + timedelta(minutes=(index * 37) % 480)


async def load_demo_authority(
    session: AsyncSession, zone: ZoneInfo, today: date | None = None, count: int = 300
) -> LoadResult:
    if await session.scalar(select(func.count(User.id))):
        raise DatabaseNotEmpty
    authority = build_demo_authority(today or today_in(zone), count=count)
    session.add_all(Department(slug=d.slug, name=d.name) for d in authority.departments)
    users = {u.email: User(email=u.email, name=u.name, role=u.role, password_hash=hash_password(u.password), is_active=True) for u in authority.users}
    session.add_all(users.values())
    await session.commit()

    for number, planned in enumerate(authority.requests):
        created = await request_service.create_request(
            session,
            request_service.NewRequest(
                regime=planned.regime, title=planned.title, body=planned.body, channel=planned.channel,
                received_at=planned.received_at, department=planned.department, requester_name=planned.requester_name,
                requester_email=planned.requester_email, requester_address=planned.requester_address,
            ),
            users[planned.created_by],
            zone,
            recorded_at=planned.received_at,
        )
        for step, action in enumerate(planned.actions):
            await request_service.apply_action(
                session, created.reference, action=action.action, params=dict(action.params), actor=users[action.actor],
                zone=zone, on=action.on, note=action.note, recorded_at=_office_hours(action.on, number + step, zone),
            )
    return LoadResult(len(authority.departments), len(users), len(authority.requests))
