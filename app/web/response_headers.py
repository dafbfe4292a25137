"""Headers every answer carries: browser security policy, and caching that fits who may see it.

Public pages and public API answers get an ETag from their content and `Cache-Control: no-cache`:
a browser or proxy keeps them but asks again every time, so a takedown is seen at once, and an
unchanged page costs a `304 Not Modified` with no body. Everything else (staff pages, the staff API,
the login form) is `no-store`: personal data must not stay behind in a shared computer's cache.

A plain ASGI middleware rather than a library: the headers are a fixed table, and the ETag needs the
finished body, which only this layer sees (streamed answers such as file downloads pass through
untouched; they set their own ETag).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from typing import Any, cast

from litestar.types import ASGIApp, Message, Receive, Scope, Send

# Pages and API answers anyone may see, without a login (their handlers never read a session).
PUBLIC_PATHS = (
    "^/$",
    "^/disclosures",
    "^/batches/",
    "^/deadline-calculator",
    "^/accessibility$",
    "^/healthz$",
    "^/api/v1/disclosures",
    "^/api/v1/deadlines",
)

# Charts are inline SVG with their own <style>, and htmx adds one for its indicators: styles may be
# inline, scripts may not (there are none in the templates; htmx and app.js come from /static).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
_ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
_CSP = (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())
# A 304 repeats the validators and caching headers of the 200 it stands for, and no body.
_KEPT_ON_304 = {b"cache-control", b"vary", b"content-location", b"expires"}


class ResponseHeadersMiddleware:
    def __init__(self, app: ASGIApp, public_paths: tuple[str, ...] = PUBLIC_PATHS) -> None:
        self.app = app
        self.public = re.compile("|".join(public_paths))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if str(scope["type"]) != "http":
            await self.app(scope, receive, send)
            return
        public = bool(self.public.match(scope["path"]))
        conditional = public and scope.get("method") in ("GET", "HEAD")
        send_raw = cast(Callable[[Any], Awaitable[None]], send)  # messages built as plain dicts
        if_none_match = _header(scope, b"if-none-match") if conditional else None
        held: dict[str, Any] = {}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                given = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in _ALWAYS if name not in given]  # each header once
                names = {name.lower() for name, _ in headers}
                if _header_value(headers, b"content-type").startswith(b"text/html"):
                    headers.append(_CSP)
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-cache" if public else b"no-store"))
                if public:
                    headers.append((b"vary", b"HX-Request"))  # htmx asks the same URL for a part of the page
                start = {**message, "headers": headers}
                if conditional and message["status"] == 200 and b"etag" not in names:
                    held["start"] = start  # wait for the body: the tag is its digest
                    return
                await send_raw(start)
                return
            if message["type"] == "http.response.body" and "start" in held:
                start = held.pop("start")
                if message.get("more_body", False):  # streamed: no tag
                    await send_raw(start)
                    await send_raw(message)
                    return
                body = message.get("body", b"")
                etag = b'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'
                if if_none_match is not None and tag_matches(if_none_match, etag):
                    await send_raw({**start, "status": 304, "headers": [*not_modified_headers(start["headers"]), (b"etag", etag)]})
                    await send_raw({"type": "http.response.body", "body": b"", "more_body": False})
                    return
                await send_raw({**start, "headers": [*start["headers"], (b"etag", etag)]})
            await send_raw(message)

        await self.app(scope, receive, send_with_headers)


# Headers that describe a body; a 304 has none.
_ENTITY = {b"content-length", b"content-type", b"content-encoding", b"content-disposition", b"content-language"}


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def _header_value(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    for key, value in headers:
        if key.lower() == name:
            return value
    return b""


def not_modified_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers of a 200 as its 304 repeats them: validators and caching, nothing about a body."""
    return [(n, v) for n, v in headers if n.lower() in _KEPT_ON_304 or n.lower() not in _ENTITY]


def tag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """Weak comparison, as RFC 9110 asks for If-None-Match: W/"x" and "x" are the same tag."""
    if if_none_match.strip() == b"*":
        return True
    wanted = etag.removeprefix(b"W/")
    return any(tag.strip().removeprefix(b"W/") == wanted for tag in if_none_match.split(b","))
