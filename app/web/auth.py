"""Who is asking: a Bearer token or the server-side session; and guards that check roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from sqlalchemy import select

from app.config import Settings
from app.models import User
from app.services.two_factor import must_set_up
from app.services.unit_of_work import unit_of_work
from app.services.users import Role, TokenRefused, record_token_use, user_for_token
from app.web.sessions import SESSION_USER_KEY, csrf_token_is_bound

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
TWO_FACTOR_SETUP_PATH = "/staff/account/two-factor"


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the user, or None for the public; never refuses here (guards do that)."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        state = connection.app.state
        if header[:7].lower() == "bearer ":
            try:
                async with state.read_sessions() as db:
                    user, token_id, stale = await user_for_token(db, header[7:].strip())
            except TokenRefused as refused:  # unknown, revoked or expired: which, but never whose
                raise NotAuthorizedException(str(refused)) from None
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
        if user is not None and isinstance(session, dict) and connection.scope.get("method", "GET") not in SAFE_METHODS:
            _check_session_write(connection, session, state.settings)
        return AuthenticationResult(user=user, auth="session" if user else None)


class TwoFactorSetupNeeded(PermissionDeniedException):
    """An admin signed in without two-factor authentication where FOI_REQUIRE_2FA_FOR_ADMINS is on:
    pages send them to set it up (app/web/errors.py); the API answers 403."""

    def __init__(self) -> None:
        super().__init__("set up two-factor authentication first, at /staff/account/two-factor: it is required for admins here")


def requires_signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Any signed-in member of staff, even one who must still set up two-factor authentication."""
    if connection.scope.get("user") is None:
        raise NotAuthorizedException("sign in, or send an API token as 'Authorization: Bearer <token>'")


# signing out stays possible with a CSRF cookie that is no longer the session's (one overwritten by a
# neighbouring site); Litestar's check of the form's token against the cookie still applies
_UNBOUND_ALLOWED = frozenset({"/logout"})


def _check_session_write(connection: ASGIConnection[Any, Any, Any, Any], session: dict[str, Any], settings: Settings) -> None:
    """A write carried by the session cookie. A form's CSRF token must be the one issued at this
    session's sign-in (app/web/sessions.py). A JSON API call must be JSON (a form another site's page
    sends is not) and, when the browser says where it comes from (Origin), come from this site.
    Bearer tokens skip all this: a browser never sends one by itself."""
    path = connection.scope["path"]
    if path.startswith("/api/"):
        origin = connection.headers.get("origin")
        if origin is not None and (_origin(origin) or "?") not in {_origin(settings.mail.base_url), _origin(str(connection.base_url))}:
            raise PermissionDeniedException(
                "a write to the API with the session cookie must come from this site's own pages, not from another site "
                "(a script elsewhere sends an API token as 'Authorization: Bearer <token>')"
            )
        media_type = connection.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json" and (media_type or connection.scope.get("method") != "DELETE"):
            raise HTTPException(
                status_code=415,
                detail="with the session cookie the API takes JSON only, sent as 'Content-Type: application/json' "
                "(to upload a file, or send anything else, use an API token: 'Authorization: Bearer <token>')",
            )
    elif path not in _UNBOUND_ALLOWED and not csrf_token_is_bound(connection, session):
        raise PermissionDeniedException(
            "This form was opened before you signed in, or in another session, so it was not sent. Reload the page and "
            "send it again; if that does not help, sign out and sign in again."
        )


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> str | None:
    """scheme://host[:port] of a URL or an Origin header, without a default port; None for anything
    else ("null", a URL without a host)."""
    try:
        parts = urlsplit(url.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + ("" if port in (None, _DEFAULT_PORTS[parts.scheme]) else f":{port}")


def _require(role: Role) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if user is None:
            raise NotAuthorizedException("sign in, or send an API token as 'Authorization: Bearer <token>'")
        if connection.scope.get("auth") == "session" and must_set_up(user, connection.app.state.settings.require_2fa_for_admins):
            raise TwoFactorSetupNeeded()
        if not Role(user.role).allows(role):
            raise PermissionDeniedException(f"this needs the {role.value} role; you are signed in as {user.role}")

    guard.__name__ = f"requires_{role.value}"
    return guard


requires_officer = _require(Role.OFFICER)
requires_manager = _require(Role.MANAGER)
requires_admin = _require(Role.ADMIN)
