"""Staff accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.domain.errors import DomainError, InvalidInput
from app.models import ApiToken, Department, StoreItem, User
from app.services.clock import now_utc
from app.services.errors import Conflict, NotFound

_hasher = PasswordHasher()
# verifying against a real hash when the email is unknown keeps timing from revealing which emails exist
_DUMMY_HASH = _hasher.hash("not a real password")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10
TOKEN_USE_RESOLUTION = timedelta(minutes=5)
TOKEN_NAME_LENGTH = 100  # said when longer, never cut short: the page's box has no maxlength

# server-side sessions are Litestar store items (store_items) in this namespace, each value the session's
# JSON: a signed-in one holds the user's id under SESSION_USER_KEY, one waiting for the second step of a
# sign-in holds it under PENDING_KEY (app/web/sessions.py, app/web/pages/sign_in_code.py)
SESSION_NAMESPACE = "sessions"
SESSION_USER_KEY = "user_id"
PENDING_KEY = "two_factor_pending"


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


def _session_user(value: bytes | str | None) -> int | None:
    """The user a stored session is for: signed in, or between the password and the code."""
    try:
        data = json.loads(value or b"")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    pending = data.get(PENDING_KEY)
    user_id = data.get(SESSION_USER_KEY, pending.get(SESSION_USER_KEY) if isinstance(pending, dict) else None)
    return user_id if isinstance(user_id, int) else None


async def end_sessions(session: AsyncSession, user_id: int) -> int:
    """Signs someone out everywhere: deletes every session of theirs (on every host and process, as
    they are all kept in the database), including a sign-in waiting for its second step. Returns
    how many were ended."""
    stored = await session.execute(select(StoreItem.key, StoreItem.value).where(StoreItem.namespace == SESSION_NAMESPACE))
    keys = [key for key, value in stored.all() if _session_user(value) == user_id]
    for start in range(0, len(keys), 500):
        await session.execute(
            delete(StoreItem)
            .where(StoreItem.namespace == SESSION_NAMESPACE, StoreItem.key.in_(keys[start : start + 500]))
            .execution_options(synchronize_session=False)
        )
    await session.flush()
    return len(keys)


async def deactivation_target(session: AsyncSession, user_id: int, *, by: User | None) -> User:
    """The member of staff an admin (`by`; None for the `foi` command) may deactivate, or why not:
    what the confirmation page and the deactivation itself both check."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    if by is not None and by.id == user.id:
        raise Conflict("You cannot deactivate your own account")
    if not user.is_active:
        raise Conflict(f"{user.name} is already deactivated")
    return user


async def set_active(session: AsyncSession, user_id: int, active: bool, *, by: User | None = None) -> User:
    """Deactivates (signing them out everywhere) or reactivates a member of staff."""
    if active:
        user = await session.get(User, user_id)
        if user is None:
            raise NotFound(f"no user {user_id}")
    else:
        user = await deactivation_target(session, user_id, by=by)
    user.is_active = active
    await session.flush()
    if not active:
        await end_sessions(session, user.id)
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


async def check_password(session: AsyncSession, user_id: int, password: str) -> bool:
    """Whether `password` is this person's (to confirm a change to their own sign-in)."""
    password_hash = await session.scalar(select(User.password_hash).where(User.id == user_id))
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password or "") and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


# ============================================================================ API tokens

DEFAULT_TOKEN_LIFETIME_DAYS = 90


class TokenRefused(DomainError):
    """A bearer token that does not let anyone in; the message says why without saying whose it is."""

    status_code = 401


class TokenState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class TokenView:
    """A token as listed: never the token itself, which is shown once, when made."""

    id: int
    label: str
    user_id: int
    owner_name: str
    owner_email: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_by_name: str | None
    state: TokenState


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_state(token: ApiToken, now: datetime) -> TokenState:
    if token.revoked_at is not None:
        return TokenState.REVOKED
    if token.expires_at <= now:
        return TokenState.EXPIRED
    return TokenState.ACTIVE


def token_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise InvalidInput("label", "give the token a name that says what it is for, like 'Monthly report script'")
    if len(label) > TOKEN_NAME_LENGTH:
        raise InvalidInput("label", f"Token name must be {TOKEN_NAME_LENGTH} characters or fewer", label="Token name")
    return label


def token_days(days: int | str | None, lifetime_days: int) -> int:
    """How long a new token lasts: the default lifetime, or fewer days chosen at creation."""
    if days is None or (isinstance(days, str) and not days.strip()):
        return lifetime_days
    try:
        chosen = int(days)
    except ValueError:
        raise InvalidInput("days", "enter the number of days the token should last, like 30") from None
    if not 1 <= chosen <= lifetime_days:
        raise InvalidInput("days", f"a token can last from 1 to {lifetime_days} days")
    return chosen


async def create_token(
    session: AsyncSession,
    email: str,
    label: str,
    *,
    days: int | str | None = None,
    lifetime_days: int = DEFAULT_TOKEN_LIFETIME_DAYS,
) -> str:
    """Returns the token itself once; only its digest is kept. Every token expires: after
    `lifetime_days` (FOI_TOKEN_LIFETIME_DAYS), or after fewer `days` chosen at creation."""
    name = token_label(label)
    lasts = token_days(days, lifetime_days)
    user = await get_user_by_email(session, email)
    token = "foi_" + secrets.token_urlsafe(32)
    now = now_utc()
    session.add(
        ApiToken(user_id=user.id, label=name, token_hash=_token_digest(token), created_at=now, expires_at=now + timedelta(days=lasts))
    )
    await session.flush()
    return token


async def user_for_token(session: AsyncSession, token: str) -> tuple[User, int, bool]:
    """The token's user, the token's id, and whether its last use is stale enough to record.
    Raises TokenRefused saying whether the token is unknown, revoked or expired."""
    row = await session.execute(
        select(User, ApiToken).join(ApiToken, ApiToken.user_id == User.id).where(ApiToken.token_hash == _token_digest(token))
    )
    found = row.first()
    if found is None:
        raise TokenRefused("the API token is not valid")
    user, api_token = found
    now = now_utc()
    state = _token_state(api_token, now)
    if state is TokenState.REVOKED:
        raise TokenRefused("the API token was revoked: ask for a new one")
    if state is TokenState.EXPIRED:
        raise TokenRefused("the API token has expired: ask for a new one")
    if not user.is_active:
        raise TokenRefused("the API token is not valid")
    stale = api_token.last_used_at is None or now - api_token.last_used_at > TOKEN_USE_RESOLUTION
    return user, api_token.id, stale


async def record_token_use(session: AsyncSession, token_id: int) -> None:
    # written at most every few minutes, so API reads do not each take the write lock
    await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now_utc()))
    await session.flush()


async def list_tokens(session: AsyncSession, *, user_id: int | None = None, token_id: int | None = None) -> list[TokenView]:
    """Tokens newest first: one person's, or everyone's (`user_id` None, for admins)."""
    revoker = aliased(User)
    query = (
        select(ApiToken, User.name, User.email, revoker.name)
        .join(User, User.id == ApiToken.user_id)
        .outerjoin(revoker, revoker.id == ApiToken.revoked_by_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    if token_id is not None:
        query = query.where(ApiToken.id == token_id)
    now = now_utc()
    return [
        TokenView(
            id=token.id,
            label=token.label,
            user_id=token.user_id,
            owner_name=owner_name,
            owner_email=owner_email,
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
            revoked_by_name=revoked_by,
            state=_token_state(token, now),
        )
        for token, owner_name, owner_email, revoked_by in (await session.execute(query)).all()
    ]


async def revoke_token(session: AsyncSession, token_id: int, *, by: User | None) -> ApiToken:
    """Revokes a token at once: by its owner, by an admin, or by the `foi` command (`by` None).
    Someone else's token is 'not found' to an officer or manager, as if it did not exist."""
    token = await session.get(ApiToken, token_id)
    if token is None or (by is not None and token.user_id != by.id and by.role != Role.ADMIN.value):
        raise NotFound(f"no API token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = now_utc()
        token.revoked_by_id = by.id if by is not None else None
        await session.flush()
    return token


async def token_view(session: AsyncSession, token_id: int) -> TokenView:
    for view in await list_tokens(session, token_id=token_id):
        return view
    raise NotFound(f"no API token {token_id}")
