"""Server-side sessions that exist only once someone signs in.

Litestar's server-side backend stores a session, and sets its cookie, on every response, even an
empty one: every anonymous page view would write a row. This backend writes only sessions that
hold something, and ends one that has been emptied (sign-out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession


class SignedInOnlySessionBackend(ServerSideSessionBackend):
    async def store_in_message(self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        if scope_session is Empty or not scope_session:
            if connection.cookies.get(self.config.key):
                await super().store_in_message(Empty, message, connection)
            return
        await super().store_in_message(scope_session, message, connection)


@dataclass
class SignedInOnlySessionConfig(ServerSideSessionConfig):
    _backend_class = SignedInOnlySessionBackend
