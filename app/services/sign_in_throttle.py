"""Sign-in throttling per account and per source address, counted in the database, so that every
process and host shares one count (the rules: `app/domain/sign_in_throttle.py`).

`admit` runs before a password is checked, in a unit of work of its own that commits at once: one
`INSERT ... ON CONFLICT DO UPDATE ... RETURNING` per counter, which PostgreSQL runs on the row under
its lock and SQLite inside its single write transaction (BEGIN IMMEDIATE). Each attempt therefore
reads the count that the attempts before it left, and a limit of N lets exactly N attempts through
however many arrive at once. A right password takes back its place in the address's count
(`password_right`: only wrong ones count there), and signing in clears the account's (`signed_in`),
both in the sign-in's own unit of work.

`purge_expired` deletes ended sessions and finished windows (the periodic task and `foi purge-expired`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.domain.errors import DomainError
from app.domain.sign_in_throttle import ACCOUNT, ADDRESS, WINDOW, ThrottleLimits, account_key, address_key, seconds_to_wait
from app.models import SignInCounter, StoreItem
from app.models.base import affected_rows
from app.services.unit_of_work import unit_of_work

# the Litestar stores kept in store_items whose rows end: sessions, and the rate limit this replaced
ENDING_STORES = ("sessions", "rate_limit")


class TooManySignInAttempts(DomainError):
    """Past a limit: no password is checked until the window is over (429, with `Retry-After`)."""

    status_code: ClassVar[int] = 429

    def __init__(self, cause: str, again_at: datetime, retry_after: int) -> None:
        if cause == ACCOUNT:
            why = "There have been too many attempts to sign in to this account in the last minute."
        else:
            why = (
                "There have been too many unsuccessful attempts to sign in from your internet connection in the last "
                "minute (it may be shared, as in an office)."
            )
        super().__init__(f"{why} Try again in {retry_after} second{'' if retry_after == 1 else 's'}.")
        self.cause = cause  # ACCOUNT or ADDRESS: which limit was reached
        self.why = why
        self.again_at = again_at
        self.retry_after = retry_after  # seconds

    def details(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after}


@dataclass(frozen=True)
class Admission:
    """An attempt let through: the counters it was counted in."""

    account_key: str
    address_key: str


@dataclass(frozen=True)
class Purged:
    sessions: int
    counters: int


def limits_of(settings: Settings) -> ThrottleLimits:
    return ThrottleLimits.per_minute(settings.login_attempts_per_minute, settings.login_attempts_per_account)


async def _count(session: AsyncSession, key: str, now: datetime, window: timedelta) -> tuple[int, datetime]:
    """One more attempt in `key`'s window (a new window when the last one is over): the count and
    when its window started, read and written in one statement."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(SignInCounter).values(key=key, attempts=1, window_started_at=now)
    over = SignInCounter.window_started_at <= now - window
    statement = statement.on_conflict_do_update(
        index_elements=[SignInCounter.key],
        set_={
            "attempts": case((over, 1), else_=SignInCounter.attempts + 1),
            "window_started_at": case((over, statement.excluded.window_started_at), else_=SignInCounter.window_started_at),
        },
    )
    attempts, started_at = (await session.execute(statement.returning(SignInCounter.attempts, SignInCounter.window_started_at))).one()
    return attempts, started_at


async def admit(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, email: str, address: str, now: datetime | None = None
) -> Admission:
    """Counts an attempt to sign in as `email` from `address`, before its password is checked; raises
    `TooManySignInAttempts` past the account's limit or the address's. Committed at once, refused or not.

    The account is counted first: an attempt its limit refuses does not count against the address, so
    attempts at one account never use up what the address allows for the others."""
    limits = limits_of(settings)
    admission = Admission(account_key(settings.secret_key, email), address_key(settings.secret_key, address))
    refused: TooManySignInAttempts | None = None
    async with unit_of_work(sessions, zone=settings.zone, now=now) as uow:
        now = uow.now
        attempts, started_at = await _count(uow.session, admission.account_key, now, limits.window)
        if attempts > limits.per_account:
            refused = TooManySignInAttempts(ACCOUNT, started_at + limits.window, seconds_to_wait(started_at, now, limits.window))
        else:
            attempts, started_at = await _count(uow.session, admission.address_key, now, limits.window)
            if attempts > limits.per_address:
                # not let through: it is no attempt at the account
                await uow.session.execute(
                    update(SignInCounter)
                    .where(SignInCounter.key == admission.account_key, SignInCounter.attempts > 0)
                    .values(attempts=SignInCounter.attempts - 1)
                )
                refused = TooManySignInAttempts(ADDRESS, started_at + limits.window, seconds_to_wait(started_at, now, limits.window))
    if refused is not None:  # raised once the count is committed
        raise refused
    return admission


async def password_right(session: AsyncSession, admission: Admission) -> None:
    """The password was right: no failure from this address, whose place it took is given back."""
    await session.execute(
        update(SignInCounter)
        .where(SignInCounter.key == admission.address_key, SignInCounter.attempts > 0)
        .values(attempts=SignInCounter.attempts - 1)
    )


async def signed_in(session: AsyncSession, settings: Settings, email: str) -> None:
    """Signed in (after the password, or after its second step): the account's count starts afresh."""
    await session.execute(delete(SignInCounter).where(SignInCounter.key == account_key(settings.secret_key, email)))


async def purge_expired(session: AsyncSession, now: datetime, window: timedelta = WINDOW) -> Purged:
    """Deletes the sessions that have ended (and any rate-limit rows left from before the counters) and
    the counters whose window is over."""
    ended = await session.execute(delete(StoreItem).where(StoreItem.namespace.in_(ENDING_STORES), StoreItem.expires_at <= now))
    finished = await session.execute(delete(SignInCounter).where(SignInCounter.window_started_at <= now - window))
    return Purged(sessions=affected_rows(ended), counters=affected_rows(finished))
