"""Server-side sessions that exist only once someone signs in; each sign-in gets a new session ID and
a fresh CSRF token bound to the session.

Litestar's server-side backend stores a session, and sets its cookie, on every response, even an
empty one: every anonymous page view would write a row. This backend writes only sessions that
hold something, and ends one that has been emptied (sign-out).

When a session comes to hold a user it did not hold when the request came in (a sign-in, by the
password or by a second step), the backend, whichever handler signed in:
- stores it under a new ID and deletes the one the browser came with, so an ID planted in a browser
  before sign-in (session fixation) never becomes a signed-in session;
- issues a new `csrftoken` cookie and keeps its SHA-256 in the session. Litestar's CSRF check compares
  the token a form or htmx sends with the `csrftoken` cookie (a double submit); `csrf_token_is_bound`
  (checked by `app/web/auth.py` on every write a session makes) adds that the cookie must be the one
  issued at this session's sign-in. A token captured before sign-in or from another session, or a
  cookie set by a neighbouring site, is refused after it.

A session already stored is written back only over its own row (an UPDATE, never an insert): one ended
while a request of its owner's was under way (signed out everywhere by an admin's two-factor reset or
a deactivation, or signed out in another tab) is not brought back by that request's answer.

Viewing a page never writes the session: it is read without renewing it (through `read_store`, a
plain read transaction on SQLite, so a staff page never queues for the write lock), and written back
only when what it holds changed, or its expiry was last pushed back more than `renew_every` seconds
ago (five minutes, or a tenth of the lifetime if that is shorter). A session therefore ends after
`max_age` without a visit, give or take those few minutes.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from secrets import compare_digest
from typing import Any

from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.csrf import generate_csrf_token
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.base import Store
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items
from sqlalchemy import update

from app.models import StoreItem
from app.models.base import affected_rows
from app.services.users import SESSION_USER_KEY

__all__ = ["SESSION_USER_KEY", "SessionStore", "SignedInOnlySessionBackend", "SignedInOnlySessionConfig", "csrf_token_is_bound"]

CSRF_DIGEST_KEY = "csrf_digest"  # in the session: the SHA-256 of the CSRF token issued at sign-in
_LOADED_USER = "foi_session_user"  # in the connection's state: the user the session held on arrival
_NEW_ID = "foi_new_session_id"
_LOADED_DATA = "foi_session_data"  # in the connection's state: the session as stored when the request came in
RENEWED_KEY = "renewed_at"  # in the session: when its expiry was last pushed back (seconds since the epoch)
RENEW_EVERY_S = 300


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignedInOnlySessionBackend(ServerSideSessionBackend):
    config: SignedInOnlySessionConfig

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if session_id := connection.cookies.get(self.config.key):
            # read only: the expiry is pushed back when the session is stored (see store_in_message)
            stored = await self._read_store(connection).get(session_id)
            if stored is not None:
                connection.state[_LOADED_DATA] = stored
                data = self.deserialize_data(stored)
        connection.state[_LOADED_USER] = data.get(SESSION_USER_KEY)
        return data

    def _read_store(self, connection: ASGIConnection[Any, Any, Any, Any]) -> Store:
        app = connection.scope["app"]
        return app.stores.get(self.config.read_store) if self.config.read_store else self.config.get_store_from_app(app)

    def _unchanged(self, session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
        """Whether storing `session` would only push its expiry back, and that was done recently."""
        stored = connection.state.get(_LOADED_DATA)
        if stored is None or session != self.deserialize_data(stored):
            return False
        renewed = session.get(RENEWED_KEY)
        return isinstance(renewed, int | float) and 0 <= time.time() - renewed < self.config.renew_interval

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        renewed = connection.state.get(_NEW_ID)
        return str(renewed) if renewed else super().get_session_id(connection)

    async def store_in_message(self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        if scope_session is Empty or not scope_session:
            if connection.cookies.get(self.config.key):
                await super().store_in_message(Empty, message, connection)
            return
        user = scope_session.get(SESSION_USER_KEY) if isinstance(scope_session, dict) else None
        if isinstance(scope_session, dict) and user is not None and user != connection.state.get(_LOADED_USER):
            await self._signed_in(scope_session, message, connection)
        elif isinstance(scope_session, dict) and self._unchanged(scope_session, connection):
            return  # nothing to write: the cookie and the stored expiry stay as they are
        if isinstance(scope_session, dict):
            scope_session[RENEWED_KEY] = int(time.time())
        store = self.config.get_store_from_app(connection.scope["app"])
        if connection.state.get(_LOADED_DATA) is not None and not connection.state.get(_NEW_ID) and isinstance(store, SessionStore):
            # stored before this request: written over its row only, so one ended meanwhile stays ended
            session_id = self.get_session_id(connection)
            if await store.replace(session_id, self.serialize_data(scope_session, connection.scope), self.config.max_age):
                parameters = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
                cookie = Cookie(value=session_id, key=self.config.key, **parameters)
                MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))
            return
        await super().store_in_message(scope_session, message, connection)

    async def _signed_in(self, session: dict[str, Any], message: Message, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        """A new ID for the session (the old one deleted) and a new CSRF token bound to it."""
        if not connection.state.get(_NEW_ID):
            old = connection.cookies.get(self.config.key)
            if old and old != "null":
                await self.delete(old, store=self.config.get_store_from_app(connection.scope["app"]))
            connection.state[_NEW_ID] = self.generate_session_id()
        config = connection.app.csrf_config
        if config is None:  # pragma: no cover - the app always has one
            return
        token = generate_csrf_token(secret=config.secret)
        session[CSRF_DIGEST_KEY] = _digest(token)
        cookie = Cookie(
            key=config.cookie_name,
            value=token,
            path=config.cookie_path,
            secure=config.cookie_secure,
            httponly=config.cookie_httponly,
            samesite=config.cookie_samesite,
            domain=config.cookie_domain,
        )
        MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))


class SessionStore(SQLAlchemyStore):
    """The sessions' store (store_items), with a write that never brings back a session ended meanwhile."""

    async def replace(self, key: str, value: bytes, expires_in: int) -> bool:
        """Stores `value` over the session `key` if it is still there; whether it was."""
        async with self._get_async_session() as session, session.begin():
            written = await session.execute(
                update(StoreItem)
                .where(StoreItem.key == key, StoreItem.namespace == self.namespace)
                .values(value=value, expires_at=datetime.now(UTC) + timedelta(seconds=expires_in))
                .execution_options(synchronize_session=False)
            )
        return affected_rows(written) == 1


@dataclass
class SignedInOnlySessionConfig(ServerSideSessionConfig):
    _backend_class = SignedInOnlySessionBackend
    read_store: str | None = field(default=None)
    """The store sessions are read from (the same table through a read-only transaction); `store` writes."""
    renew_every: int = field(default=RENEW_EVERY_S)
    """Seconds between two writes of an unchanged session that only push its expiry back."""

    @property
    def renew_interval(self) -> float:
        return min(self.renew_every, self.max_age / 10)


async def stored_user_id(connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
    """The user a request's session cookie holds, read from the store (None without one), for an answer
    made where the session middleware did not run: an address no route has (a 404, a 405)."""
    config: SignedInOnlySessionConfig | None = getattr(connection.app.state, "session_config", None)
    session_id = connection.cookies.get(config.key) if config else None
    if config is None or not session_id:
        return None
    store = connection.app.stores.get(config.read_store) if config.read_store else config.get_store_from_app(connection.app)
    stored = await store.get(session_id)
    return None if stored is None else SignedInOnlySessionBackend.deserialize_data(stored).get(SESSION_USER_KEY)


def csrf_token_is_bound(connection: ASGIConnection[Any, Any, Any, Any], session: dict[str, Any]) -> bool:
    """Whether the request's `csrftoken` cookie is the one issued when this session signed in."""
    config = connection.app.csrf_config
    cookie = connection.cookies.get(config.cookie_name if config else "csrftoken") or ""
    bound = session.get(CSRF_DIGEST_KEY)
    return isinstance(bound, str) and bool(cookie) and compare_digest(_digest(cookie), bound)
