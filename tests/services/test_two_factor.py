"""Two-factor authentication kept in the database: switched on only with a right code, a code taken
once even by two sign-ins at the same moment, recovery codes used once and kept only as digests,
turned off with a code or the password, reset by an admin (or the foi command) with who did it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain import two_factor as rules
from app.domain.errors import Conflict, InvalidInput
from app.models import RecoveryCode, User
from app.services import two_factor
from app.services.clock import now_utc
from tests.factories import PASSWORD, Staff

STEP = timedelta(seconds=rules.STEP_SECONDS)


async def _on(sessions, user: User) -> tuple[str, list[str]]:
    secret = rules.new_secret()
    async with sessions.write.begin() as db:
        codes = await two_factor.enable(db, user, secret, rules.code_at(secret, now_utc()), now_utc())
    return secret, codes


async def test_it_is_switched_on_only_with_a_right_code(staff: Staff, sessions) -> None:
    secret = rules.new_secret()
    async with sessions.write.begin() as db:
        with pytest.raises(InvalidInput, match="the code is not right"):
            wrong = "000000" if rules.code_at(secret, now_utc()) != "000000" else "111111"
            await two_factor.enable(db, staff.officer, secret, wrong, now_utc())
    async with sessions.read() as db:
        officer = await db.get(User, staff.officer.id)
        assert officer is not None and not officer.two_factor_on
    _, codes = await _on(sessions, staff.officer)
    async with sessions.read() as db:
        officer = await db.get(User, staff.officer.id)
        assert officer is not None and officer.two_factor_on and officer.totp_last_step == rules.time_step(now_utc())
        stored = list(await db.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == officer.id)))
    assert len(stored) == 10
    assert not set(stored) & set(codes)  # only digests are kept
    async with sessions.write.begin() as db:
        with pytest.raises(Conflict):
            await two_factor.enable(db, staff.officer, rules.new_secret(), "123456", now_utc())


async def test_a_code_is_taken_once_even_by_two_sign_ins_at_once(staff: Staff, sessions) -> None:
    secret, _ = await _on(sessions, staff.officer)
    code = rules.code_at(secret, now_utc() + STEP)
    async with sessions.write() as first, sessions.write() as second:
        assert await two_factor.check_code(first, staff.officer, code, now_utc())
        await first.commit()
        assert not await two_factor.check_code(second, staff.officer, code, now_utc())
        await second.commit()


async def test_a_recovery_code_works_once(staff: Staff, sessions) -> None:
    _, codes = await _on(sessions, staff.officer)
    async with sessions.write.begin() as db:
        assert await two_factor.use_recovery_code(db, staff.officer, codes[0], now_utc())
        assert not await two_factor.use_recovery_code(db, staff.officer, codes[0], now_utc())
        assert not await two_factor.use_recovery_code(db, staff.other_officer, codes[1], now_utc())  # another's
        assert await two_factor.recovery_codes_left(db, staff.officer.id) == 9


async def test_turning_it_off_needs_a_code_or_the_password(staff: Staff, sessions) -> None:
    secret, _ = await _on(sessions, staff.officer)
    async with sessions.write.begin() as db:
        with pytest.raises(InvalidInput, match="the password is not right"):
            await two_factor.disable(db, staff.officer, "a wrong password", now_utc(), required_for_admins=False)
        with pytest.raises(InvalidInput, match="the code is not right"):
            await two_factor.disable(db, staff.officer, rules.code_at(secret, now_utc()), now_utc(), required_for_admins=False)  # taken
    async with sessions.write.begin() as db:
        await two_factor.disable(db, staff.officer, rules.code_at(secret, now_utc() + STEP), now_utc(), required_for_admins=False)
    async with sessions.read() as db:
        officer = await db.get(User, staff.officer.id)
        assert officer is not None and not officer.two_factor_on and officer.totp_secret is None
        assert await two_factor.recovery_codes_left(db, staff.officer.id) == 0
    await _on(sessions, staff.officer)
    async with sessions.write.begin() as db:
        await two_factor.disable(db, staff.officer, PASSWORD, now_utc(), required_for_admins=False)


async def test_an_admin_keeps_it_on_where_it_is_required(staff: Staff, sessions) -> None:
    await _on(sessions, staff.admin)
    async with sessions.write.begin() as db:
        with pytest.raises(Conflict, match="admins must keep two-factor authentication on"):
            await two_factor.disable(db, staff.admin, PASSWORD, now_utc(), required_for_admins=True)
    async with sessions.read() as db:
        admin = await db.get(User, staff.admin.id)
        officer = await db.get(User, staff.officer.id)
    assert admin is not None and officer is not None
    assert not two_factor.must_set_up(admin, required_for_admins=True)
    assert not two_factor.must_set_up(officer, required_for_admins=True)  # officers may choose


async def test_a_reset_records_who_did_it(staff: Staff, sessions) -> None:
    await _on(sessions, staff.officer)
    async with sessions.write.begin() as db:
        await two_factor.reset_by_id(db, staff.officer.id, by=staff.admin, now=now_utc())
    async with sessions.read() as db:
        officer = await db.get(User, staff.officer.id)
    assert officer is not None and not officer.two_factor_on
    assert officer.two_factor_reset_by == staff.admin.name and officer.two_factor_reset_at is not None
    async with sessions.write.begin() as db:
        with pytest.raises(Conflict, match="does not have two-factor authentication on"):
            await two_factor.reset_by_email(db, staff.officer.email, by=None, now=now_utc())
    await _on(sessions, staff.officer)
    async with sessions.write.begin() as db:
        await two_factor.reset_by_email(db, staff.officer.email.upper(), by=None, now=now_utc())
    async with sessions.read() as db:
        officer = await db.get(User, staff.officer.id)
    assert officer is not None and officer.two_factor_reset_by == "the foi command"
