"""Scheduled publication: every single request and release batch whose time has come, exactly once.

Run by `foi publish-due` (cron, on any number of hosts) and by the web app's periodic task (every
60 seconds in each process unless FOI_SCHEDULER=off). Running several at the same moment is safe:
see `publication.publish_due` and `batches.publish_due_batch`. The scheduled requests go in one unit
of work, then each due batch in its own: a batch that cannot go out does not hold back the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.services import batches, publication
from app.services.clock import now_utc
from app.services.correspondence import deliver
from app.services.errors import Conflict
from app.services.sign_in_throttle import purge_expired
from app.services.unit_of_work import unit_of_work

logger = logging.getLogger("app.scheduler")
INTERVAL_SECONDS = 60


@dataclass
class DueResult:
    requests: list[str] = field(default_factory=list)
    batches: list[batches.DueBatch] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (batch slug, why)

    @property
    def nothing(self) -> bool:
        return not (self.requests or self.batches or self.failed)


async def publish_due(
    write_sessions: async_sessionmaker[AsyncSession],
    zone: ZoneInfo,
    *,
    on_batch_start: Callable[[str, int], None] | None = None,
    on_request: Callable[[int, int], None] | None = None,
) -> DueResult:
    result = DueResult()
    now = now_utc()  # one moment for the whole run: what was due when it started
    async with unit_of_work(write_sessions, zone=zone, now=now) as uow:
        result.requests = await publication.publish_due(uow.session, zone)
    tried: set[int] = set()
    while True:
        slug = ""
        try:
            async with unit_of_work(write_sessions, zone=zone, now=now) as uow:
                batch = await batches.next_due_batch(uow.session, now, skip=tried)
                if batch is None:
                    break
                tried.add(batch.id)
                slug = batch.slug
                published = await batches.publish_due_batch(
                    uow.session, batch, zone=zone, now=now, on_start=on_batch_start, on_request=on_request
                )
        except Conflict as problem:
            # rolled back: the batch stays scheduled and is reported; the others still go out
            result.failed.append((slug, str(problem)))
            continue
        if published is not None:  # None: another run published it first
            result.batches.append(published)
    return result


async def run_periodically(
    read_sessions: async_sessionmaker[AsyncSession],
    write_sessions: async_sessionmaker[AsyncSession],
    zone: ZoneInfo,
    interval: float = INTERVAL_SECONDS,
    settings: Settings | None = None,
) -> None:
    """The web app's scheduler: checks with a cheap read, publishes only when something is due; then
    sends the notices waiting for the mail server (with `settings`), and deletes ended sessions and
    finished sign-in counters."""
    while True:
        try:
            async with read_sessions() as session:
                due = await batches.anything_due(session)
            if due:
                result = await publish_due(write_sessions, zone)
                for slug, why in result.failed:
                    logger.warning("scheduled batch %s was not published: %s", slug, why)
                if result.requests or result.batches:
                    logger.info("scheduled publication: %d request(s), %d batch(es)", len(result.requests), len(result.batches))
        except asyncio.CancelledError:
            raise
        except Exception as problem:
            # the type only: a message may carry data
            logger.error("scheduled publication failed: %s", type(problem).__name__)
        if settings is not None and settings.mail.configured:
            try:
                await deliver(write_sessions, settings)
            except asyncio.CancelledError:
                raise
            except Exception as problem:
                logger.error("sending the waiting notices failed: %s", type(problem).__name__)
        try:
            async with unit_of_work(write_sessions, zone=zone) as uow:
                await purge_expired(uow.session, uow.now)
        except asyncio.CancelledError:
            raise
        except Exception as problem:
            logger.error("deleting ended sessions failed: %s", type(problem).__name__)
        await asyncio.sleep(interval)
