"""Public pages kept once rendered, until something public changes (never for a time).

The disclosure log is read far more than it changes: a page rendered once is answered again from
memory, before routing, sessions or the database, for as long as the process's generation of public
changes (app/public_changes.py, told by the database itself) has not moved. A takedown moves it on
every process and host at once, and a page rendered while it was being committed is never used.

Kept: answers to GET on the public paths (pages, search and filter pages, the feed, the public API)
that are 200s in one piece and set no cookie, per path, query string and htmx target, for the day
(pages may say "today"). Not kept: anything with an Authorization header or a session cookie (a
person signed in may see more), downloads (streamed), errors. HEAD is answered from a kept GET.
Memory is bounded: least recently used pages go first once FOI_PUBLIC_CACHE_MB is reached.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.public_changes import PublicChanges
from app.web.response_headers import not_modified_headers, tag_matches

_VARIES = (b"hx-request", b"hx-target", b"hx-boosted")
_BYPASS = (b"authorization", b"cookie")
_ENTRY_OVERHEAD = 512  # bytes per entry beyond its body and headers, roughly


@dataclass(frozen=True)
class Kept:
    generation: int
    day: date
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes | None

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(n) + len(v) for n, v in self.headers) + _ENTRY_OVERHEAD


class PublicPageCache:
    def __init__(
        self,
        app: ASGIApp,
        *,
        changes: PublicChanges,
        public_paths: tuple[str, ...],
        max_bytes: int,
        today: Callable[[], date],
        excluded_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.changes = changes
        self.public = re.compile("|".join(public_paths))
        self.excluded = re.compile("|".join(excluded_paths)) if excluded_paths else None
        self.max_bytes = max_bytes
        self.today = today
        self.entries: OrderedDict[tuple[Any, ...], Kept] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method") if str(scope["type"]) == "http" else None
        if method not in ("GET", "HEAD") or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if not self.public.match(path) or (self.excluded is not None and self.excluded.match(path)):
            await self.app(scope, receive, send)
            return
        headers = dict(_lowered(scope["headers"]))
        if any(name in headers for name in _BYPASS):
            await self.app(scope, receive, send)
            return
        await self.changes.settle()
        generation = self.changes.generation()
        if generation is None:  # not told of changes just now: nothing kept can be trusted
            await self.app(scope, receive, send)
            return
        key = (path, scope.get("query_string", b""), *(headers.get(name) for name in _VARIES))
        today = self.today()
        kept = self.entries.get(key)
        if kept is not None and kept.generation == generation and kept.day == today:
            self.entries.move_to_end(key)
            self.hits += 1
            await self._answer(kept, method == "HEAD", headers, send)
            return
        self.misses += 1
        if method == "HEAD":
            await self.app(scope, receive, send)
            return
        await self._render_and_keep(key, generation, today, scope, receive, send)

    async def _answer(self, kept: Kept, head: bool, headers: dict[bytes, bytes], send: Send) -> None:
        raw = cast(Callable[[Any], Awaitable[None]], send)
        asked = headers.get(b"if-none-match")
        if asked is not None and kept.etag is not None and tag_matches(asked, kept.etag):
            await raw({"type": "http.response.start", "status": 304, "headers": not_modified_headers(kept.headers)})
            await raw({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await raw({"type": "http.response.start", "status": kept.status, "headers": kept.headers})
        await raw({"type": "http.response.body", "body": b"" if head else kept.body, "more_body": False})

    async def _render_and_keep(
        self, key: tuple[Any, ...], generation: int, today: date, scope: Scope, receive: Receive, send: Send
    ) -> None:
        start: dict[str, Any] = {}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start and not message.get("more_body", False):
                status = start.get("status")
                headers = [(bytes(n), bytes(v)) for n, v in start.get("headers", ())]
                if status == 200 and "body" in message and not any(n.lower() == b"set-cookie" for n, _ in headers):
                    etag = next((v for n, v in headers if n.lower() == b"etag"), None)
                    self._keep(key, Kept(generation, today, status, headers, bytes(message["body"]), etag))
                start.clear()
            else:
                start.clear()  # streamed: not kept
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(self, key: tuple[Any, ...], kept: Kept) -> None:
        if kept.size > self.max_bytes // 8:  # one huge page must not empty the cache
            return
        previous = self.entries.pop(key, None)
        if previous is not None:
            self.size -= previous.size
        self.entries[key] = kept
        self.size += kept.size
        while self.size > self.max_bytes and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.size -= dropped.size


def _lowered(headers: Any) -> list[tuple[bytes, bytes]]:
    return [(bytes(name).lower(), bytes(value)) for name, value in headers]
