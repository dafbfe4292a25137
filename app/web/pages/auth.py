"""Signing in and out of the staff side."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from app.config import Settings
from app.services import sign_in_throttle
from app.services.sign_in_throttle import TooManySignInAttempts
from app.services.users import authenticate
from app.web.auth import SESSION_USER_KEY
from app.web.confirmations import CARRIED, SIGNATURE
from app.web.dependencies import AppSettings, OptionalUser, Uow
from app.web.pages.forms import form_data
from app.web.pages.sign_in_code import start_second_step

# said on the sign-in page when a form was sent after the session ended (app/web/errors.py)
SIGNED_OUT = "You were signed out, so what you sent was not saved. Sign in to go back to the page, then send it again."


def _safe_next(target: str | None) -> str:
    """Only a path on this site: a login link must not send anyone elsewhere. A confirmation in it
    (`?done=`, `?problem=`) is dropped: the redirect after signing in is signed as this app's own
    (app/web/confirmations.py), so a link must not get its words shown as a staff page's banner."""
    if not target:
        return "/staff"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/staff"
    if parts.query:
        kept = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name not in (*CARRIED, SIGNATURE)]
        return parts.path + (f"?{urlencode(kept)}" if kept else "")
    return target


def _too_many(
    request: Request[Any, Any, Any], settings: Settings, refused: TooManySignInAttempts, target: str, email: str
) -> Template | Response[Any]:
    """429 with Retry-After: the sign-in page saying why and when to try again (JSON when asked for)."""
    headers = {"Retry-After": str(refused.retry_after)}
    if "application/json" in request.headers.get("accept", "").split(",")[0]:
        body = {"status_code": 429, "detail": str(refused), **refused.details()}
        return Response(body, status_code=429, media_type=MediaType.JSON, headers=headers)
    again = refused.again_at.astimezone(settings.zone)
    seconds = f"{refused.retry_after} second{'' if refused.retry_after == 1 else 's'}"
    return Template(
        "auth/login.html",
        context={"next": target, "email": email, "error": f"{refused.why} You can try again from {again:%H:%M:%S} (in {seconds})."},
        status_code=429,
        headers=headers,
    )


class AuthPages(Controller):
    @get("/login")
    async def login_form(
        self, user: OptionalUser, next: FromQuery[str | None] = None, signed_out: FromQuery[str | None] = None
    ) -> Template | Redirect:
        if user is not None:
            return Redirect(_safe_next(next), status_code=303)
        notice = SIGNED_OUT if signed_out else None
        return Template("auth/login.html", context={"next": _safe_next(next), "email": "", "error": None, "notice": notice})

    @post("/login")
    async def login(self, request: Request[Any, Any, Any], uow: Uow, settings: AppSettings) -> Template | Redirect | Response[Any]:
        data = await form_data(request)
        email, password = str(data.get("email", "")), str(data.get("password", ""))
        target = _safe_next(str(data.get("next", "")))
        user = None
        if email and password:
            # counted before the password is checked, in a transaction of its own that every process and
            # host sees at once (the client's address: behind FOI_TRUSTED_PROXIES, from X-Forwarded-For)
            address = request.client.host if request.client else ""
            try:
                admission = await sign_in_throttle.admit(request.app.state.write_sessions, settings, email, address, uow.now)
            except TooManySignInAttempts as refused:
                return _too_many(request, settings, refused, target, email)
            # a unit of work: signing in may store a stronger hash of the password
            user = await authenticate(uow.session, email, password)
            if user is not None:  # a right password is no failure from this address
                await sign_in_throttle.password_right(uow.session, admission)
        if user is None:
            return Template(
                "auth/login.html",
                context={"next": target, "email": email, "error": "The email or password is not right."},
                status_code=400,
            )
        if user.two_factor_on:  # not signed in yet: a code from their app first (app/web/pages/sign_in_code.py)
            return start_second_step(request, user, target)
        await sign_in_throttle.signed_in(uow.session, settings, email)  # the account's count starts afresh
        # a fresh session on sign-in: nothing carried over from before; stored under a new ID, with a new
        # CSRF token bound to it (app/web/sessions.py)
        request.clear_session()
        request.set_session({SESSION_USER_KEY: user.id})
        return Redirect(target, status_code=303)

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/login", status_code=303)

    @get("/logout")
    async def logout_page(self, user: OptionalUser) -> Template | Redirect:
        """Signing out is a POST (the header's button): a link or an image on another page cannot sign
        anyone out. Opened as an address (a bookmark), this page offers the button."""
        if user is None:
            return Redirect("/login", status_code=303)
        return Template("auth/logout.html", context={"user": user})
