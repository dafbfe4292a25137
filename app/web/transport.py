"""How requests reach the app: the client's address behind trusted proxies, and HTTPS kept to.

- Behind FOI_TRUSTED_PROXIES, the client is read from `X-Forwarded-For` (and the scheme from
  `X-Forwarded-Proto`), but only when the peer is one of those proxies: the right-most address in
  the header that is not a trusted proxy, so an address a client writes into the header itself is
  never believed. Uvicorn's `ProxyHeadersMiddleware` does exactly this; `foi serve` turns uvicorn's
  own use of it off (`proxy_headers=False`), so that this setting alone decides, whatever uvicorn's
  FORWARDED_ALLOW_IPS says. The sign-in throttle and the public form's limit read the address.
- With cookies marked Secure (FOI_SECURE_COOKIES, or an https:// FOI_BASE_URL) every answer carries
  `Strict-Transport-Security`, so a browser that has seen the site once never uses plain HTTP for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.config import Settings

STRICT_TRANSPORT = (b"strict-transport-security", b"max-age=31536000")


class StrictTransportMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if str(scope["type"]) != "http":
            await self.app(scope, receive, send)
            return
        send_raw = cast(Callable[[Any], Awaitable[None]], send)

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                await send_raw({**message, "headers": [*message.get("headers", ()), STRICT_TRANSPORT]})
                return
            await send_raw(message)

        await self.app(scope, receive, send_with_header)


def around_app(handler: ASGIApp, settings: Settings) -> ASGIApp:
    """The app's ASGI handler wrapped in what its settings ask for (the proxies outermost)."""
    if settings.cookies_secure:
        handler = StrictTransportMiddleware(handler)
    if settings.trusted_proxies:
        handler = cast(ASGIApp, ProxyHeadersMiddleware(cast(Any, handler), trusted_hosts=list(settings.trusted_proxies)))
    return handler
