"""Two-factor authentication for staff: switching it on and off, checking a code at sign-in,
recovery codes, and an admin's reset.

A code is taken once: the time step of the last code taken is stored and moved on by a guarded
UPDATE, so two sign-ins racing with one code cannot both succeed. A recovery code is marked used the
same way. Only digests of recovery codes are kept; they are shown once, when made.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import Enum

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain import two_factor as rules
from app.domain.errors import Forbidden, InvalidInput
from app.models import RecoveryCode, User
from app.models.base import affected_rows
from app.services.errors import Conflict, NotFound
from app.services.users import Role, check_password, end_sessions, get_user_by_email

logger = logging.getLogger(__name__)

COMMAND = "the foi command"
WRONG_CODE = "the code is not right: enter the 6 digits your authenticator app shows now"


def must_set_up(user: User, required_for_admins: bool) -> bool:
    """Whether this person must switch two-factor on before doing anything else (FOI_REQUIRE_2FA_FOR_ADMINS)."""
    return required_for_admins and user.role == Role.ADMIN.value and not user.two_factor_on


async def _take_step(session: AsyncSession, user: User, secret: str, code: str, now: datetime) -> bool:
    step = rules.matching_step(secret, code, now, user.totp_last_step)
    if step is None:
        return False
    moved = await session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(moved) != 1:
        return False  # taken a moment ago by another sign-in
    user.totp_last_step = step
    return True


async def _new_recovery_codes(session: AsyncSession, user: User, now: datetime) -> list[str]:
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = rules.new_recovery_codes()
    session.add_all([RecoveryCode(user_id=user.id, code_hash=rules.recovery_digest(user.id, code), created_at=now) for code in codes])
    await session.flush()
    return codes


async def enable(session: AsyncSession, user: User, secret: str, code: str, now: datetime) -> list[str]:
    """Switches two-factor on with `secret` once `code` shows the app has it; returns the recovery
    codes, which are never shown again."""
    user = await _reload(session, user.id)
    if user.two_factor_on:
        raise Conflict("two-factor authentication is already on for your account")
    if not rules.looks_like_code(code):
        raise InvalidInput("code", "enter the 6-digit code your authenticator app shows")
    user.totp_last_step = None
    if not await _take_step(session, user, secret, code, now):
        raise InvalidInput("code", WRONG_CODE)
    user.totp_secret = secret
    user.totp_enabled_at = now
    await session.flush()
    logger.info("two-factor authentication switched on for user %s", user.id)
    return await _new_recovery_codes(session, user, now)


class CodeCheck(Enum):
    RIGHT = "right"
    USED = "used"  # the right code, taken already: the person waits for the app's next one
    WRONG = "wrong"


async def check_code(session: AsyncSession, user: User, code: str, now: datetime) -> bool:
    """A code from the app at sign-in (taken at most once)."""
    return await sign_in_code(session, user, code, now) is CodeCheck.RIGHT


async def sign_in_code(session: AsyncSession, user: User, code: str, now: datetime) -> CodeCheck:
    """A code from the app at sign-in, taken at most once; a code taken already is told apart from a
    wrong one (it was right a moment ago, so saying so tells a guesser nothing)."""
    user = await _reload(session, user.id)
    if not user.two_factor_on or user.totp_secret is None:
        return CodeCheck.WRONG
    if await _take_step(session, user, user.totp_secret, code, now):
        return CodeCheck.RIGHT
    user = await _reload(session, user.id)  # another sign-in may have taken it a moment ago
    if rules.already_taken(user.totp_secret or "", code, now, user.totp_last_step):
        return CodeCheck.USED
    return CodeCheck.WRONG


async def use_recovery_code(session: AsyncSession, user: User, code: str, now: datetime) -> bool:
    """A recovery code at sign-in: good once."""
    if not code.strip():
        return False
    used = await session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == rules.recovery_digest(user.id, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(used) == 1:
        logger.info("a recovery code was used to sign in user %s", user.id)
        return True
    return False


async def recovery_codes_left(session: AsyncSession, user_id: int) -> int:
    return int(await session.scalar(select(func.count()).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))) or 0)


async def _confirm(session: AsyncSession, user: User, proof: str, now: datetime) -> None:
    """A person proves it is them again (a current code, or the password) before a change to their two-factor."""
    proof = proof or ""
    if not proof.strip():
        raise InvalidInput("proof", "enter a code from your authenticator app, or your password")
    if rules.looks_like_code(proof):
        if not await check_code(session, user, proof, now):
            raise InvalidInput("proof", WRONG_CODE)
        return
    if not await check_password(session, user.id, proof):
        raise InvalidInput("proof", "the password is not right")


async def disable(session: AsyncSession, user: User, proof: str, now: datetime, *, required_for_admins: bool) -> None:
    """Switches one's own two-factor off, with a current code or the password."""
    user = await _reload(session, user.id)
    if not user.two_factor_on:
        raise Conflict("two-factor authentication is not on for your account")
    if required_for_admins and user.role == Role.ADMIN.value:
        raise Conflict("admins must keep two-factor authentication on here; an admin can reset it for you")
    await _confirm(session, user, proof, now)
    await _switch_off(session, user)
    logger.info("two-factor authentication switched off by user %s", user.id)


async def regenerate_recovery_codes(session: AsyncSession, user: User, proof: str, now: datetime) -> list[str]:
    """New recovery codes in place of all the old ones (used or not)."""
    user = await _reload(session, user.id)
    if not user.two_factor_on:
        raise Conflict("two-factor authentication is not on for your account")
    await _confirm(session, user, proof, now)
    return await _new_recovery_codes(session, user, now)


async def reset(session: AsyncSession, user: User, *, by: User | None, now: datetime) -> User:
    """An admin (or the `foi` command: `by` None) switches two-factor off for someone who has lost
    their phone and their codes; recorded with who did it and when. They set it up again after.
    Every session of theirs ends: whoever holds one (perhaps with the lost phone) signs in again."""
    user = await reset_target(session, user.id, by=by)
    await _switch_off(session, user)
    user.two_factor_reset_at = now
    user.two_factor_reset_by = by.name if by is not None else COMMAND
    await session.flush()
    await end_sessions(session, user.id)
    logger.info("two-factor authentication reset for user %s by %s", user.id, f"user {by.id}" if by else "the foi command")
    return user


async def reset_target(session: AsyncSession, user_id: int, *, by: User | None) -> User:
    """The account whose two-factor `by` may reset, or why not: what the confirmation page and the
    reset itself both check."""
    user = await _reload(session, user_id)
    if by is not None and by.id == user.id:
        # else a stolen session could drop its owner's second factor without the code or password
        # that turning it off on the account page asks for
        raise Forbidden(
            "You cannot reset your own two-factor authentication: turn it off on Your account with a code or your password, "
            "or ask another admin"
        )
    if not user.two_factor_on:
        raise Conflict(f"{user.name} does not have two-factor authentication on")
    return user


async def reset_by_email(session: AsyncSession, email: str, *, by: User | None, now: datetime) -> User:
    return await reset(session, await get_user_by_email(session, email), by=by, now=now)


async def reset_by_id(session: AsyncSession, user_id: int, *, by: User | None, now: datetime) -> User:
    return await reset(session, await _reload(session, user_id), by=by, now=now)


async def _switch_off(session: AsyncSession, user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    await session.flush()


async def _reload(session: AsyncSession, user_id: int) -> User:
    """The account as this session has it (the signed-in `User` was read by another session)."""
    user = await session.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user
