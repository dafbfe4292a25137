"""Sign-in throttling counted in the database: exact under concurrent bursts, per account and per address."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.config import Settings
from app.domain.sign_in_throttle import ACCOUNT, ADDRESS
from app.models import SignInCounter, StoreItem
from app.services import sign_in_throttle
from app.services.sign_in_throttle import Admission, TooManySignInAttempts, admit, password_right, purge_expired, signed_in

NOW = datetime(2026, 12, 7, 9, 30, 15, tzinfo=UTC)


@pytest.fixture
def limits(settings: Settings) -> Settings:
    """30 wrong passwords per address a minute, 10 attempts per account (a third)."""
    return replace(settings, login_attempts_per_minute=30, login_attempts_per_account=0)


async def _burst(sessions, settings: Settings, attempts: list[tuple[str, str]], now: datetime = NOW) -> list[Admission | BaseException]:
    return await asyncio.gather(
        *(admit(sessions.write, settings, email, address, now) for email, address in attempts), return_exceptions=True
    )


def _admitted(results: list[Admission | BaseException]) -> int:
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, TooManySignInAttempts)]
    assert unexpected == []
    return sum(isinstance(r, Admission) for r in results)


async def test_a_concurrent_burst_at_one_account_lets_exactly_its_limit_through(sessions, limits: Settings) -> None:
    results = await _burst(sessions, limits, [("ann@council.example", "192.0.2.1")] * 40)
    assert _admitted(results) == 10
    refused = [r for r in results if isinstance(r, TooManySignInAttempts)]
    assert {r.cause for r in refused} == {ACCOUNT}
    assert all(1 <= r.retry_after <= 60 for r in refused)


async def test_a_concurrent_burst_from_one_address_lets_exactly_its_limit_through(sessions, limits: Settings) -> None:
    # 80 different accounts from one address at once: 30 get their password checked, not 44
    results = await _burst(sessions, limits, [(f"guess{i}@council.example", "192.0.2.1") for i in range(80)])
    assert _admitted(results) == 30
    assert {r.cause for r in results if isinstance(r, TooManySignInAttempts)} == {ADDRESS}


async def test_the_account_limit_holds_across_many_addresses(sessions, limits: Settings) -> None:
    results = [await _burst(sessions, limits, [("ann@council.example", f"198.51.100.{i}")]) for i in range(15)]
    admitted = [isinstance(r[0], Admission) for r in results]
    assert admitted == [True] * 10 + [False] * 5
    # a different spelling of the same address is the same account
    with pytest.raises(TooManySignInAttempts) as refused:
        await admit(sessions.write, limits, "  ANN@Council.Example ", "203.0.113.9", NOW)
    assert refused.value.cause == ACCOUNT


async def test_another_account_still_gets_in_from_an_address_whose_guesses_hit_one_account(sessions, limits: Settings) -> None:
    # Ann's minute started elsewhere; then wrong passwords for her from the office's one address, in two
    # of her minutes within one minute of the address's: her limit stops each burst
    await admit(sessions.write, limits, "ann@council.example", "203.0.113.5", NOW - timedelta(seconds=30))
    assert _admitted(await _burst(sessions, limits, [("ann@council.example", "192.0.2.1")] * 25)) == 9
    later = NOW + timedelta(seconds=31)
    assert _admitted(await _burst(sessions, limits, [("ann@council.example", "192.0.2.1")] * 25, later)) == 10
    # Bob, in the same office, is let through
    bob = await admit(sessions.write, limits, "bob@council.example", "192.0.2.1", NOW + timedelta(seconds=40))
    async with sessions.write.begin() as db:
        await password_right(db, bob)
        await signed_in(db, limits, "bob@council.example")


async def test_only_wrong_passwords_count_against_an_address(sessions, limits: Settings) -> None:
    settings = replace(limits, login_attempts_per_minute=3)  # an account: 1
    for i in range(5):  # five people sign in rightly from one address
        admission = await admit(sessions.write, settings, f"person{i}@council.example", "192.0.2.1", NOW)
        async with sessions.write.begin() as db:
            await password_right(db, admission)
    results = await _burst(sessions, settings, [(f"guess{i}@council.example", "192.0.2.1") for i in range(5)])
    assert _admitted(results) == 3


async def test_signing_in_starts_the_account_afresh_and_a_new_window_opens_after_a_minute(sessions, limits: Settings) -> None:
    assert _admitted(await _burst(sessions, limits, [("ann@council.example", "192.0.2.1")] * 9)) == 9
    async with sessions.write.begin() as db:
        await signed_in(db, limits, "ann@council.example")
    assert _admitted(await _burst(sessions, limits, [("ann@council.example", "192.0.2.2")] * 12)) == 10
    with pytest.raises(TooManySignInAttempts) as refused:
        await admit(sessions.write, limits, "ann@council.example", "192.0.2.3", NOW + timedelta(seconds=45))
    assert refused.value.retry_after == 15
    assert refused.value.again_at == NOW + timedelta(minutes=1)
    await admit(sessions.write, limits, "ann@council.example", "192.0.2.3", NOW + timedelta(minutes=1))


async def test_the_counters_hold_no_email_or_network_address(sessions, limits: Settings) -> None:
    await admit(sessions.write, limits, "ann@council.example", "192.0.2.1", NOW)
    async with sessions.read() as db:
        keys = list(await db.scalars(select(SignInCounter.key)))
    assert len(keys) == 2
    assert not any("ann" in key or "council" in key or "192.0.2" in key for key in keys)


async def test_purging_deletes_ended_sessions_and_finished_counters(sessions, limits: Settings) -> None:
    await admit(sessions.write, limits, "old@council.example", "192.0.2.1", NOW - timedelta(minutes=5))
    await admit(sessions.write, limits, "new@council.example", "192.0.2.2", NOW - timedelta(seconds=10))
    async with sessions.write.begin() as db:
        for key, namespace, expires_at in (
            ("ended", "sessions", NOW - timedelta(seconds=1)),
            ("current", "sessions", NOW + timedelta(hours=1)),
            ("old-limit", "rate_limit", NOW - timedelta(hours=1)),
            ("form-token", "request_form_tokens", NOW - timedelta(hours=1)),  # another part's store: left alone
        ):
            db.add(StoreItem(key=key, namespace=namespace, value=b"{}", expires_at=expires_at))
    async with sessions.write.begin() as db:
        purged = await purge_expired(db, NOW)
    assert (purged.sessions, purged.counters) == (2, 2)  # the old account and its address
    async with sessions.read() as db:
        assert set(await db.scalars(select(StoreItem.key))) == {"current", "form-token"}
        assert await db.scalar(select(SignInCounter.attempts).where(SignInCounter.key.like("account:%"))) == 1


def test_the_limits_follow_the_settings() -> None:
    assert sign_in_throttle.limits_of(Settings(login_attempts_per_minute=30)).per_account == 10
    assert sign_in_throttle.limits_of(Settings(login_attempts_per_minute=30, login_attempts_per_account=5)).per_account == 5
    assert sign_in_throttle.limits_of(Settings(login_attempts_per_minute=3)).per_account == 1
