"""Staff accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import InvalidInput
from app.models import ApiToken, Department, User
from app.services.clock import now_utc
from app.services.errors import Conflict, NotFound

_hasher = PasswordHasher()
# verifying against a real hash when the email is unknown keeps timing from revealing which emails exist
_DUMMY_HASH = _hasher.hash("not a real password")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10
TOKEN_USE_RESOLUTION = timedelta(minutes=5)


class Role(StrEnum):
    OFFICER = "officer"
    MANAGER = "manager"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """Managers can do what officers do; admins what managers do."""
        order = [Role.OFFICER, Role.MANAGER, Role.ADMIN]
        return order.index(self) >= order.index(needed)


def normalise_email(email: str, field: str = "email") -> str:
    email = (email or "").strip().lower()
    if not _EMAIL.match(email):
        # the value is personal data: name the field, never echo it
        raise InvalidInput(field, "is not a valid email address")
    return email


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


async def create_user(session: AsyncSession, *, email: str, name: str, role: str, password: str, department: str | None = None) -> User:
    """A new member of staff; `department` (a slug) is the one they work for (department scope)."""
    email = normalise_email(email)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("name", "give the person's name")
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput("role", f"choose one of {', '.join(Role)}") from None
    if await session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(f"a user with email {email} already exists")
    department_id = await _department_id(session, department) if department else None
    user = User(email=email, name=name, role=role_value.value, password_hash=hash_password(password), is_active=True)
    user.department_id = department_id
    session.add(user)
    await session.flush()
    return user


async def set_active(session: AsyncSession, user_id: int, active: bool) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    user.is_active = active
    await session.flush()
    return user


async def set_role(session: AsyncSession, user_id: int, role: str) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    try:
        user.role = Role(role).value
    except ValueError:
        raise InvalidInput("role", f"choose one of {', '.join(Role)}") from None
    await session.flush()
    return user


async def _department_id(session: AsyncSession, slug: str) -> int:
    found = await session.scalar(select(Department.id).where(Department.slug == slug.strip().lower()))
    if found is None:
        known = ", ".join(await session.scalars(select(Department.slug).order_by(Department.slug))) or "none yet"
        raise InvalidInput("department", f"no department '{slug.strip()[:60]}' (known: {known})")
    return found


async def set_department(session: AsyncSession, user_id: int, department: str | None) -> User:
    """Puts a member of staff in a department (a slug), or in none (None or ""): with department
    scope on, an officer sees that department's requests only."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    slug = (department or "").strip()
    user.department_id = await _department_id(session, slug) if slug else None
    await session.flush()
    return user


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    user = await session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        await session.flush()
    return user


async def list_users(session: AsyncSession) -> list[User]:
    return list(await session.scalars(select(User).order_by(func.lower(User.name))))


async def get_user_by_email(session: AsyncSession, email: str) -> User:
    user = await session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(f"no user with email {email}")
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(session: AsyncSession, email: str, label: str = "") -> str:
    """Returns the token itself once; only its digest is kept."""
    user = await get_user_by_email(session, email)
    token = "foi_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, label=label[:100], token_hash=_token_digest(token)))
    await session.flush()
    return token


async def user_for_token(session: AsyncSession, token: str) -> tuple[User, int, bool] | None:
    """The token's user, the token's id, and whether its last use is stale enough to record."""
    row = await session.execute(
        select(User, ApiToken.id, ApiToken.last_used_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _token_digest(token), ApiToken.revoked_at.is_(None), User.is_active.is_(True))
    )
    found = row.first()
    if found is None:
        return None
    user, token_id, last_used_at = found
    stale = last_used_at is None or now_utc() - last_used_at > TOKEN_USE_RESOLUTION
    return user, token_id, stale


async def record_token_use(session: AsyncSession, token_id: int) -> None:
    # written at most every few minutes, so API reads do not each take the write lock
    await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now_utc()))
    await session.flush()
