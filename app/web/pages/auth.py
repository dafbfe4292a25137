"""Signing in and out of the staff side."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from app.services.users import authenticate
from app.web.auth import SESSION_USER_KEY
from app.web.dependencies import OptionalUser, Uow
from app.web.pages.forms import form_data


def _safe_next(target: str | None) -> str:
    """Only a path on this site: a login link must not send anyone elsewhere."""
    if not target:
        return "/staff"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/staff"
    return target


class AuthPages(Controller):
    @get("/login")
    async def login_form(self, user: OptionalUser, next: FromQuery[str | None] = None) -> Template | Redirect:
        if user is not None:
            return Redirect(_safe_next(next), status_code=303)
        return Template("auth/login.html", context={"next": _safe_next(next), "email": "", "error": None})

    @post("/login")
    async def login(self, request: Request[Any, Any, Any], uow: Uow) -> Template | Redirect:
        data = await form_data(request)
        email, password = str(data.get("email", "")), str(data.get("password", ""))
        target = _safe_next(str(data.get("next", "")))
        # a unit of work: signing in may store a stronger hash of the password
        user = await authenticate(uow.session, email, password) if email and password else None
        if user is None:
            return Template(
                "auth/login.html",
                context={"next": target, "email": email, "error": "The email or password is not right."},
                status_code=400,
            )
        request.clear_session()  # a fresh session on sign-in: nothing carried over from before
        request.set_session({SESSION_USER_KEY: user.id})
        return Redirect(target, status_code=303)

    @post("/logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/login", status_code=303)

    @get("/logout")
    async def logout_link(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/login", status_code=303)
