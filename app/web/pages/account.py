"""'Your account': a member of staff's own two-factor authentication and API tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

import segno
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from markupsafe import Markup

from app.config import Settings
from app.domain import two_factor as rules
from app.domain.errors import DomainError, InvalidInput
from app.models import User
from app.services import sign_in_throttle, two_factor
from app.services import users as user_service
from app.services.sign_in_throttle import Admission
from app.services.unit_of_work import UnitOfWork
from app.web.auth import TWO_FACTOR_SETUP_PATH, requires_officer, requires_signed_in
from app.web.dependencies import AppSettings, CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import form_data

# the secret offered while someone sets two-factor up: kept in their (server-side) session, not in
# their account, until a code from their app shows the app has it
SETUP_SECRET_KEY = "two_factor_setup_secret"


def qr_code(uri: str) -> Markup:
    """The otpauth:// address as an SVG QR code, drawn here (no script, nothing fetched elsewhere)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff", svgclass="qr-code", title="QR code")
    return Markup(
        svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)
    )  # segno's own SVG, nothing of the person's


def _setup_secret(request: Request[Any, Any, Any]) -> str:
    session = request.session if isinstance(request.session, dict) else {}
    secret = session.get(SETUP_SECRET_KEY)
    if not isinstance(secret, str) or not secret:
        secret = rules.new_secret()
        request.set_session({**session, SETUP_SECRET_KEY: secret})
    return secret


def _forget_setup_secret(request: Request[Any, Any, Any]) -> None:
    session = request.session if isinstance(request.session, dict) else {}
    if SETUP_SECRET_KEY in session:
        request.set_session({key: value for key, value in session.items() if key != SETUP_SECRET_KEY})


class AccountPages(Controller):
    path = "/staff/account"

    @get("/", guards=[requires_officer])
    async def account(self, db: Db, user: CurrentUser, settings: AppSettings, done: FromQuery[str | None] = None) -> Template:
        return await _account_page(db, user, settings, message=done)

    # ------------------------------------------------------------------ two-factor authentication

    @get("/two-factor", guards=[requires_signed_in])
    async def two_factor_page(self, request: Request[Any, Any, Any], db: Db, user: CurrentUser, settings: AppSettings) -> Template:
        return await _two_factor_page(request, db, user, settings, errors={}, status_code=200)

    @post("/two-factor", guards=[requires_signed_in])
    async def switch_on(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, settings: AppSettings) -> Template:
        values = await form_data(request)
        secret = _setup_secret(request)
        try:
            codes = await two_factor.enable(uow.session, user, secret, str(values.get("code", "")), uow.now)
        except DomainError as problem:
            errors = {"code": problem.message if isinstance(problem, InvalidInput) else str(problem)}
            raise Refusal(await _two_factor_page(request, db, user, settings, errors=errors, status_code=_status(problem))) from problem
        _forget_setup_secret(request)
        return _recovery_codes_page(user, codes, first_time=True)

    @post("/two-factor/off", guards=[requires_signed_in])
    async def switch_off(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, settings: AppSettings) -> Redirect:
        values = await form_data(request)
        try:
            admission = await _count_attempt(request, settings, user, uow)
            await two_factor.disable(
                uow.session, user, str(values.get("proof", "")), uow.now, required_for_admins=settings.require_2fa_for_admins
            )
            await sign_in_throttle.password_right(uow.session, admission)
        except DomainError as problem:
            errors = {"proof": problem.message if isinstance(problem, InvalidInput) else str(problem)}
            raise Refusal(await _two_factor_page(request, db, user, settings, errors=errors, status_code=_status(problem))) from problem
        return Redirect(f"/staff/account?done={quote_plus('Two-factor authentication is off.')}", status_code=303)

    @post("/two-factor/recovery-codes", guards=[requires_signed_in])
    async def new_recovery_codes(
        self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, settings: AppSettings
    ) -> Template:
        values = await form_data(request)
        try:
            admission = await _count_attempt(request, settings, user, uow)
            codes = await two_factor.regenerate_recovery_codes(uow.session, user, str(values.get("proof", "")), uow.now)
            await sign_in_throttle.password_right(uow.session, admission)
        except DomainError as problem:
            errors = {"codes_proof": problem.message if isinstance(problem, InvalidInput) else str(problem)}
            raise Refusal(await _two_factor_page(request, db, user, settings, errors=errors, status_code=_status(problem))) from problem
        return _recovery_codes_page(user, codes, first_time=False)

    # ------------------------------------------------------------------ API tokens

    @post("/tokens", guards=[requires_officer])
    async def create_token(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, settings: AppSettings) -> Template:
        values = await form_data(request)
        label = str(values.get("label", ""))
        try:
            token = await user_service.create_token(
                uow.session, user.email, label, days=str(values.get("days", "")), lifetime_days=settings.token_lifetime_days
            )
        except InvalidInput as problem:
            raise Refusal(
                await _account_page(db, user, settings, values=values, errors={problem.field: problem.message}, status_code=422)
            ) from problem
        return Template("account/token_created.html", context={"user": user, "token": token, "label": user_service.token_label(label)})

    @post("/tokens/{token_id:int}/revoke", guards=[requires_officer])
    async def revoke_token(self, uow: Uow, user: CurrentUser, token_id: FromPath[int]) -> Redirect:
        token = await user_service.revoke_token(uow.session, token_id, by=user)
        return Redirect(f"/staff/account?done={quote_plus(f'The token ‘{token.label}’ is revoked: it no longer works.')}", status_code=303)


async def _count_attempt(request: Request[Any, Any, Any], settings: Settings, user: User, uow: UnitOfWork) -> Admission:
    """A code or password typed to change two-factor counts as an attempt to sign in to the account
    (app/services/sign_in_throttle.py): a stolen session cannot guess them without limit. Counted
    before the unit of work writes anything (the count commits on its own)."""
    address = request.client.host if request.client else ""
    return await sign_in_throttle.admit(request.app.state.write_sessions, settings, user.email, address, uow.now)


def _status(problem: DomainError) -> int:
    return problem.status_code if problem.status_code < 500 else 400


async def _account_page(
    db: Db,
    user: User,
    settings: AppSettings,
    *,
    message: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    fresh = await db.get(User, user.id)
    return Template(
        "account/account.html",
        context={
            "user": user,
            "account": fresh or user,
            "tokens": await user_service.list_tokens(db, user_id=user.id),
            "codes_left": await two_factor.recovery_codes_left(db, user.id),
            "lifetime_days": settings.token_lifetime_days,
            "token_name_length": user_service.TOKEN_NAME_LENGTH,
            "message": message,
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status_code,
    )


async def _two_factor_page(
    request: Request[Any, Any, Any], db: Db, user: User, settings: AppSettings, *, errors: dict[str, str], status_code: int
) -> Template:
    fresh = await db.get(User, user.id, populate_existing=True) or user
    context: dict[str, Any] = {
        "user": user,
        "account": fresh,
        "errors": errors,
        "required": two_factor.must_set_up(fresh, settings.require_2fa_for_admins),
        "required_for_admins": settings.require_2fa_for_admins,
        "setup_path": TWO_FACTOR_SETUP_PATH,
    }
    if fresh.two_factor_on:
        context["codes_left"] = await two_factor.recovery_codes_left(db, user.id)
    else:
        secret = _setup_secret(request)
        context["qr_code"] = qr_code(rules.setup_uri(secret, fresh.email, settings.authority_name))
        context["secret_groups"] = rules.grouped(secret)
    return Template("account/two_factor.html", context=context, status_code=status_code)


def _recovery_codes_page(user: User, codes: list[str], *, first_time: bool) -> Template:
    return Template("account/recovery_codes.html", context={"user": user, "codes": codes, "first_time": first_time})
