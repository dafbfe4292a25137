"""One transaction per use case: the unit of work.

Whoever starts a use case opens one (the web layer per request, in `app/web/dependencies.py`; the
`foi` commands and the scheduler around each run) and the use case runs inside it: the services
read and write through `uow.session` and never commit or roll back. When the block ends normally
the unit of work commits, exactly once; when it raises, everything it wrote is rolled back, so a
use case refused half-way leaves the database as it was.

A web request whose writes are done may commit early (`await uow.commit()`) and read and render its
answer afterwards through a read session: on SQLite the write lock, taken by BEGIN IMMEDIATE at the
unit of work's first statement, is then held only for the writes.

It carries what every use case needs to know beside its input: who is acting (a member of staff,
or None for the scheduler and the public), the authority's time zone, and the moment it runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
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
    # where the unit came from: work after the commit opens its own units of work from it
    sessions: async_sessionmaker[AsyncSession] | None = None
    # work that must wait until what it reads is committed (sending a notice queued by the step);
    # run by `unit_of_work` after the commit, never when the use case is rolled back
    after_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def commit(self) -> None:
        """Commits now, once the use case's writes are done: on SQLite the write lock is given back
        before the answer is read and rendered, which the caller then does through a read session
        (reading through `session` again would begin another write transaction). Anything written
        after this is committed when the unit of work ends, as usual; `after_commit` work still runs
        then, after the commit it follows."""
        await _commit(self.session)

    @property
    def staff(self) -> User:
        """The member of staff acting: a use case that records who did it needs one."""
        if self.actor is None:
            raise Forbidden("only a signed-in member of staff can do this")
        return self.actor


@asynccontextmanager
async def unit_of_work(
    sessions: async_sessionmaker[AsyncSession],
    *,
    zone: ZoneInfo,
    actor: User | None = None,
    now: datetime | None = None,
    after_commit_in_background: bool = False,
) -> AsyncIterator[UnitOfWork]:
    """Opens a session from `sessions` (the write ones for a use case that writes); commits once when
    the block succeeds, rolls back when it raises. A failing commit raises too: never a silent loss.

    Then the `after_commit` work runs: awaited (a command waits for its e-mail to go), or in the
    background for a web request, whose answer should not wait on a mail server."""
    async with sessions() as session:
        uow = UnitOfWork(session=session, zone=zone, now=now or now_utc(), actor=actor, sessions=sessions)
        try:
            yield uow
        except BaseException:
            await session.rollback()
            raise
        await _commit(session)
    for work in uow.after_commit:
        if after_commit_in_background:
            task = asyncio.create_task(_logged(work))
            _background.add(task)  # held until done: the event loop keeps only weak references
            task.add_done_callback(_background.discard)
        else:
            await work()


async def _commit(session: AsyncSession) -> None:
    try:
        await session.commit()
    except BaseException:
        # a COMMIT the database refused can leave its connection inside the transaction (SQLite
        # keeps it open after SQLITE_BUSY), and the pool would hand it on as it is: discard it
        await session.invalidate()
        raise


_background: set[asyncio.Task[None]] = set()
logger = logging.getLogger(__name__)


async def _logged(work: Callable[[], Awaitable[None]]) -> None:
    try:
        await work()
    except Exception as problem:  # what failed is kept where the work records it (a notice's delivery)
        logger.error("work after a commit failed: %s", type(problem).__name__)
