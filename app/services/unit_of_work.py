"""One transaction per use case: the unit of work.

Whoever starts a use case opens one (the web layer per request, in `app/web/dependencies.py`; the
`foi` commands and the scheduler around each run) and the use case runs inside it: the services
read and write through `uow.session` and never commit or roll back. When the block ends normally
the unit of work commits, exactly once; when it raises, everything it wrote is rolled back, so a
use case refused half-way leaves the database as it was.

It carries what every use case needs to know beside its input: who is acting (a member of staff,
or None for the scheduler and the public), the authority's time zone, and the moment it runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.domain.errors import Forbidden
from app.models import User
from app.services.clock import now_utc


@dataclass(frozen=True)
class UnitOfWork:
    session: AsyncSession
    zone: ZoneInfo
    now: datetime  # the moment the use case runs (UTC): one clock reading for all it records
    actor: User | None = None

    @property
    def staff(self) -> User:
        """The member of staff acting: a use case that records who did it needs one."""
        if self.actor is None:
            raise Forbidden("only a signed-in member of staff can do this")
        return self.actor


@asynccontextmanager
async def unit_of_work(
    sessions: async_sessionmaker[AsyncSession], *, zone: ZoneInfo, actor: User | None = None, now: datetime | None = None
) -> AsyncIterator[UnitOfWork]:
    """Opens a session from `sessions` (the write ones for a use case that writes); commits once when
    the block succeeds, rolls back when it raises. A failing commit raises too: never a silent loss."""
    async with sessions() as session:
        uow = UnitOfWork(session=session, zone=zone, now=now or now_utc(), actor=actor)
        try:
            yield uow
        except BaseException:
            await session.rollback()
            raise
        try:
            await session.commit()
        except BaseException:
            # a COMMIT the database refused can leave its connection inside the transaction (SQLite
            # keeps it open after SQLITE_BUSY), and the pool would hand it on as it is: discard it
            await session.invalidate()
            raise
