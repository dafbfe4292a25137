"""Signing in, second step: a code from the authenticator app (or a recovery code) after the password.

After a right password, someone with two-factor authentication on is not signed in: their session
holds only a pending second step (who, where to go next, until when, how many wrong codes so far),
which no staff page accepts. A right code within a few minutes signs them in; too many wrong ones, or
too long, and they start again from the password.
"""

from __future__ import annotations

import time
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select

from app.domain import two_factor as rules
from app.models import User
from app.services import sign_in_throttle, two_factor
from app.services.sign_in_throttle import TooManySignInAttempts
from app.services.users import PENDING_KEY
from app.web.auth import SESSION_USER_KEY
from app.web.dependencies import AppSettings, Db, Uow
from app.web.pages.forms import form_data

PENDING_SECONDS = 5 * 60
MAX_WRONG_CODES = 5
CODE_PATH = "/login/code"


def start_second_step(request: Request[Any, Any, Any], user: User, target: str) -> Redirect:
    """The password was right and the account has two-factor on: a fresh session holding only the
    pending step (not signed in), and on to the code page."""
    request.clear_session()
    request.set_session({PENDING_KEY: {"user_id": user.id, "next": target, "until": time.time() + PENDING_SECONDS, "wrong": 0}})
    return Redirect(CODE_PATH, status_code=303)


def _pending(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    session = request.session if isinstance(request.session, dict) else {}
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("user_id"), int):
        return None
    if float(pending.get("until", 0)) < time.time():
        return None
    return pending


def _start_again(request: Request[Any, Any, Any], why: str) -> Template:
    session = request.session if isinstance(request.session, dict) else {}
    if SESSION_USER_KEY not in session:  # only the pending step ends; a signed-in session is left alone
        request.clear_session()
    return Template("auth/login.html", context={"next": "/staff", "email": "", "error": why}, status_code=400)


class SignInCodePages(Controller):
    @get(CODE_PATH)
    async def code_form(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        if _pending(request) is None:
            # a GET never ends a session (someone signed in who follows a link here stays signed in)
            return Redirect("/login", status_code=303)
        return Template("auth/two_factor.html", context={"error": None, "recovery_error": None})

    @post(CODE_PATH)
    async def check_code(self, request: Request[Any, Any, Any], db: Db, uow: Uow, settings: AppSettings) -> Template | Redirect:
        pending = _pending(request)
        if pending is None:
            return _start_again(request, "That took too long: sign in again.")
        values = await form_data(request)
        code, recovery = str(values.get("code", "")), str(values.get("recovery_code", ""))
        # a recovery code typed into the Code box is taken as the recovery code it is (still good once)
        in_code_box = not recovery.strip() and rules.looks_like_recovery_code(code)
        if in_code_box:
            recovery = code
        # a code in the wrong form could not be right: said what form it takes, and not counted as a try
        if recovery.strip() and (problem := rules.recovery_code_problem(recovery)):
            return Template("auth/two_factor.html", context={"error": None, "recovery_error": problem}, status_code=400)
        if not recovery.strip() and (problem := rules.code_problem(code)):
            return Template("auth/two_factor.html", context={"error": problem, "recovery_error": None}, status_code=400)
        # read apart from the unit of work, which must not hold SQLite's write lock while the attempt is counted
        user = await db.scalar(select(User).where(User.id == pending["user_id"], User.is_active.is_(True)))
        if user is None:
            return _start_again(request, "Sign in again.")
        # each code counts as an attempt at the account, as a password does (app/services/sign_in_throttle.py)
        address = request.client.host if request.client else ""
        try:
            admission = await sign_in_throttle.admit(request.app.state.write_sessions, settings, user.email, address, uow.now)
        except TooManySignInAttempts as refused:
            again = refused.again_at.astimezone(settings.zone)
            return Template(
                "auth/two_factor.html",
                context={"error": f"{refused.why} You can try again from {again:%H:%M:%S}.", "recovery_error": None},
                status_code=429,
                headers={"Retry-After": str(refused.retry_after)},
            )
        checked = two_factor.CodeCheck.WRONG
        if user.two_factor_on:
            if recovery.strip():
                right = await two_factor.use_recovery_code(uow.session, user, recovery, uow.now)
                checked = two_factor.CodeCheck.RIGHT if right else two_factor.CodeCheck.WRONG
            else:
                checked = await two_factor.sign_in_code(uow.session, user, code, uow.now)
        if checked is not two_factor.CodeCheck.RIGHT:
            wrong = int(pending.get("wrong", 0)) + 1
            if wrong >= MAX_WRONG_CODES:
                return _start_again(request, "Too many wrong codes: sign in again with your password.")
            request.set_session({PENDING_KEY: {**pending, "wrong": wrong}})
            if recovery.strip():
                problem = "That recovery code is not right, or has been used."
                context = {"error": problem, "recovery_error": None} if in_code_box else {"error": None, "recovery_error": problem}
            elif checked is two_factor.CodeCheck.USED:
                problem = "That code has been used already. Wait for your app to show a new code, then enter it."
                context = {"error": problem, "recovery_error": None}
            else:
                context = {"error": "The code is not right. Enter the 6 digits your app shows now.", "recovery_error": None}
            return Template("auth/two_factor.html", context=context, status_code=400)
        await sign_in_throttle.password_right(uow.session, admission)  # no failure from this address
        await sign_in_throttle.signed_in(uow.session, settings, user.email)  # the account's count starts afresh
        target = str(pending.get("next") or "/staff")
        request.clear_session()  # a fresh session, signed in
        request.set_session({SESSION_USER_KEY: user.id})
        return Redirect(target, status_code=303)
