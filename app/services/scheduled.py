"""Scheduled publication: every single request and release batch whose time has come, exactly once.

Run by `foi publish-due` (cron, on any number of hosts) and by the web app's periodic task (every
60 seconds in each process unless FOI_SCHEDULER=off). Running several at the same moment is safe:
see `publication.publish_due` and `batches.publish_due_batches`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.services import batches, publication

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
    async with write_sessions() as session:
        result.requests = await publication.publish_due(session, zone)
    async with write_sessions() as session:
        result.batches, result.failed = await batches.publish_due_batches(session, zone, on_start=on_batch_start, on_request=on_request)
    return result


async def run_periodically(
    read_sessions: async_sessionmaker[AsyncSession],
    write_sessions: async_sessionmaker[AsyncSession],
    zone: ZoneInfo,
    interval: float = INTERVAL_SECONDS,
) -> None:
    """The web app's scheduler: checks with a cheap read, publishes only when something is due."""
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
        await asyncio.sleep(interval)
