"""The confirmations a redirect carries in its address (`?done=…`, `?problem=…`), shown only when
this app put them there.

After a step, a page says what was done ("Assigned.", "Published") from its address: the redirect
that follows a form carries the words. Anyone could write a link with words of their own ("Your
password has expired: call 0800 …") and a staff page would show them as its own green banner. So every
redirect this app sends (`Location`, and htmx's `HX-Redirect`) gets a signature of those words
(`sig`, an HMAC with the app's secret key), and a request whose words do not match it loses them
before any page reads them. Nothing else in the app needs to know.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from litestar.types import ASGIApp, Message, Receive, Scope, Send

CARRIED = ("done", "problem")  # the parameters a page shows as its confirmation or problem
SIGNATURE = "sig"
_REDIRECTS = (b"location", b"hx-redirect")


class SignedConfirmations:
    def __init__(self, app: ASGIApp, secret: str) -> None:
        self.app = app
        self.key = hashlib.sha256(b"confirmations:" + secret.encode()).digest()

    def signature(self, pairs: list[tuple[str, str]]) -> str:
        carried = "\x00".join(f"{name}={value}" for name, value in pairs if name in CARRIED)
        return hmac.new(self.key, carried.encode(), hashlib.sha256).hexdigest()[:32]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if str(scope["type"]) != "http":
            await self.app(scope, receive, send)
            return
        query = bytes(scope.get("query_string", b""))
        if any(f"{name}=".encode() in query for name in CARRIED):
            scope = cast(Scope, {**scope, "query_string": self._verified(query)})
        raw = cast(Callable[[Any], Awaitable[None]], send)

        async def sign_redirects(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, self._signed(value) if name.lower() in _REDIRECTS else value) for name, value in message.get("headers", ())
                ]
                await raw({**message, "headers": headers})
                return
            await raw(message)

        await self.app(scope, receive, sign_redirects)

    def _verified(self, query: bytes) -> bytes:
        """The query string without its confirmation when the signature does not match it."""
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        given = next((value for name, value in pairs if name == SIGNATURE), "")
        if given and hmac.compare_digest(given, self.signature(pairs)):
            return query
        return urlencode([(name, value) for name, value in pairs if name not in (*CARRIED, SIGNATURE)]).encode("latin-1")

    def _signed(self, value: bytes) -> bytes:
        address = value.decode("latin-1")
        parts = urlsplit(address)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if not any(name in CARRIED for name, _ in pairs) or parts.netloc:
            return value  # nothing carried, or another site's address
        pairs = [(name, text) for name, text in pairs if name != SIGNATURE]
        signed = urlencode([*pairs, (SIGNATURE, self.signature(pairs))])
        return urlunsplit(parts._replace(query=signed)).encode("latin-1")
