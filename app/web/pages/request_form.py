"""The public request form: `GET /request`, `POST /request`, and its privacy notice.

No login. The answer to a request made is the POST's own page (200): it shows the reference and the
due date to the person who just sent the form and to nobody else, since it has no address of its
own to be found at. A refused form is shown again, with what was typed and why it was refused
(raised as `Refusal`, so the unit of work rolls back whatever was written). Not a cached public page
(`PUBLIC_PATHS`): the form carries a CSRF token, and its answers personal data (`no-store`).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template

from app.config import Settings
from app.domain.errors import InvalidInput
from app.domain.regimes import Regime
from app.services.clock import now_utc
from app.services.inputs import read_form
from app.services.public_requests import (
    AlreadySent,
    PreferredFormat,
    TooManyWebRequests,
    WebRequestForm,
    WebRequestRefused,
    issue_form_token,
    take_web_request,
    token_for_retry,
)
from app.web.dependencies import AppSettings, Uow
from app.web.errors import Refusal
from app.web.pages.forms import form_data

logger = logging.getLogger("app.web")

# the fields typed in, shown again when the form is refused (never the hidden field or the token)
_KEPT = ("name", "email", "address", "request", "preferred_format", "format_other", "environmental")


def _context(settings: Settings, **extra: Any) -> dict[str, Any]:
    notice = settings.correspondence.privacy_notice
    return {
        "public": True,
        "correspondence": settings.correspondence,
        "formats": list(PreferredFormat),
        "limit_days": Regime.FOIA.rules.time_limit_working_days,
        "privacy_url": notice if notice.startswith("https://") else "/request/privacy",
        **extra,
    }


def _form_page(settings: Settings, values: dict[str, Any], errors: dict[str, str], token: str, status_code: int = 200) -> Template:
    return Template(
        "public/request.html",
        context=_context(settings, values=values, errors=errors, form_token=token),
        status_code=status_code,
    )


def _done_page(settings: Settings, reference: str, regime: str, due_on: date | None, *, by_email: bool, repeated: bool) -> Template:
    return Template(
        "public/request_done.html",
        context=_context(
            settings,
            reference=reference,
            due_on=due_on,
            law=Regime(regime).label,
            limit_days=Regime(regime).rules.time_limit_working_days,
            by_email=by_email,  # from what was just typed: whether we will write by e-mail
            acknowledged=settings.correspondence.auto_acknowledge,
            repeated=repeated,
        ),
    )


class RequestFormPages(Controller):
    path = "/request"
    opt = {"exclude_from_auth": True}

    @get("/")
    async def form(self, settings: AppSettings) -> Template:
        return _form_page(settings, {}, {}, issue_form_token(settings, now_utc()))

    @post("/")
    async def send(self, request: Request[Any, Any, Any], uow: Uow, settings: AppSettings) -> Template:
        values = await form_data(request)
        kept = {key: values[key] for key in _KEPT if isinstance(values.get(key), str)}
        sent_token = values["form_token"] if isinstance(values.get("form_token"), str) else ""
        try:
            form = read_form(WebRequestForm, values)
            made = await take_web_request(uow, form, settings, request.client.host if request.client else "", uow.now)
        except AlreadySent as sent:
            return _done_page(
                settings, sent.reference, sent.regime, sent.due_on, by_email=bool(kept.get("email", "").strip()), repeated=True
            )
        except WebRequestRefused as refused:
            if refused.rule != "fields":
                logger.info("web request refused: %s", refused.rule)  # which rule, and nothing that was typed
            page = _form_page(settings, kept, refused.problems, token_for_retry(sent_token, settings, uow.now), refused.status_code)
            if isinstance(refused, TooManyWebRequests):
                page.headers["Retry-After"] = str(refused.retry_after)
            raise Refusal(page) from refused
        except InvalidInput as problem:  # a field that would not convert: a tick-box sent as "banana", a field sent twice
            message = "Tick the box, or leave it unticked" if problem.field == "environmental" else "Send this field once, as text"
            raise Refusal(
                _form_page(settings, kept, {problem.field: message}, token_for_retry(sent_token, settings, uow.now), 422)
            ) from problem
        return _done_page(settings, made.reference, made.regime, made.due_on, by_email=bool(made.requester.email), repeated=False)

    @get("/privacy")
    async def privacy(self, settings: AppSettings) -> Template:
        notice = settings.correspondence.privacy_notice
        paragraphs = [" ".join(part.split()) for part in notice.replace("\\n", "\n").split("\n\n") if part.strip()]
        return Template("public/request_privacy.html", context=_context(settings, paragraphs=paragraphs))
