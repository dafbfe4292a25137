"""Who is asking: a Bearer token or the server-side session; and guards that check roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from sqlalchemy import select

from app.models import User
from app.services.unit_of_work import unit_of_work
from app.services.users import Role, record_token_use, user_for_token

SESSION_USER_KEY = "user_id"


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the user, or None for the public; never refuses here (guards do that)."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        state = connection.app.state
        if header[:7].lower() == "bearer ":
            async with state.read_sessions() as db:
                found = await user_for_token(db, header[7:].strip())
            if found is None:
                raise NotAuthorizedException("the API token is not valid (unknown or revoked)")
            user, token_id, stale = found
            if stale:
                async with unit_of_work(state.write_sessions, zone=state.settings.zone, actor=user) as uow:
                    await record_token_use(uow.session, token_id)
            return AuthenticationResult(user=user, auth="token")
        session = connection.scope.get("session") or {}  # absent on public routes, which skip sessions
        user_id = session.get(SESSION_USER_KEY) if isinstance(session, dict) else None
        if user_id is None:
            return AuthenticationResult(user=None, auth=None)
        async with state.read_sessions() as db:
            user = await db.scalar(select(User).where(User.id == user_id, User.is_active.is_(True)))
        return AuthenticationResult(user=user, auth="session" if user else None)


def _require(role: Role) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if user is None:
            raise NotAuthorizedException("sign in, or send an API token as 'Authorization: Bearer <token>'")
        if not Role(user.role).allows(role):
            raise PermissionDeniedException(f"this needs the {role.value} role; you are signed in as {user.role}")

    guard.__name__ = f"requires_{role.value}"
    return guard


requires_officer = _require(Role.OFFICER)
requires_manager = _require(Role.MANAGER)
requires_admin = _require(Role.ADMIN)
