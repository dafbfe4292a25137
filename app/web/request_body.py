"""An answer given before the request's body was read (a 413 for an upload over the limit, a redirect to
sign in, a 503) waits until the rest of the body has been read and thrown away, so that it reaches a
client that sends its whole body before reading (a script, `Connection: close`, HTTP/1.0).

Without this, uvicorn closes such a connection as soon as the answer is written, with the client's
data still arriving, and the operating system answers that data with a reset: the client sees
"connection reset by peer" instead of the 413. (A keep-alive client is already spared this by uvicorn,
which reads and discards what follows the answer; reading it here first costs no more.)

Bounds: at most `bound` bytes are read this way; past that the answer goes at once (a client sending
gigabytes may then see the reset). A client that asked `Expect: 100-continue` and has not been told to
go on has sent nothing more: it is answered at once with `Connection: close`, so its body is never sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from litestar.types import ASGIApp, Message, Receive, Scope, Send

_CLOSE = (b"connection", b"close")


class DrainBeforeAnswering:
    def __init__(self, app: ASGIApp, bound: int) -> None:
        self.app = app
        self.bound = bound

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if str(scope["type"]) != "http" or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        state = {"read_all": False, "asked": False}
        send_raw = cast(Callable[[Any], Awaitable[None]], send)

        async def tracked_receive() -> Any:
            message: Any = await receive()
            state["asked"] = True
            if message["type"] != "http.request" or not message.get("more_body", False):
                state["read_all"] = True
            return message

        async def send_after_reading(message: Message) -> None:
            if message["type"] == "http.response.start" and not state["read_all"]:
                if _header(scope, b"expect").lower() == b"100-continue" and not state["asked"]:
                    message = cast(Message, {**message, "headers": [*message.get("headers", ()), _CLOSE]})
                else:
                    await self._discard_rest(receive, state)
            await send_raw(message)

        await self.app(scope, tracked_receive, cast(Send, send_after_reading))

    async def _discard_rest(self, receive: Receive, state: dict[str, bool]) -> None:
        discarded = 0
        while discarded <= self.bound:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away
            discarded += len(message.get("body", b""))
            if not message.get("more_body", False):
                state["read_all"] = True
                break


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    if length:
        return length.strip() not in (b"0", b"")
    return b"chunked" in _header(scope, b"transfer-encoding").lower()


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return b""
