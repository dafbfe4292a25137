"""One place that turns errors into answers: JSON under /api, pages (or a login redirect) elsewhere.

Messages name what was wrong and never echo personal data; unexpected errors say nothing specific.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any
from urllib.parse import quote, urlsplit

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from app.domain.errors import DomainError
from app.services.files.storage import describe_limit
from app.web.auth import TWO_FACTOR_SETUP_PATH, TwoFactorSetupNeeded
from app.web.unavailable import database_unavailable

logger = logging.getLogger("app.web")

# how long a client is asked to wait before trying again while the database is away (seconds)
RETRY_AFTER_SECONDS = 60
UNAVAILABLE_DETAIL = "the service is unavailable: the database cannot be reached just now; nothing was changed; try again in a few minutes"


class Refusal(Exception):
    """A page (or redirect) answering a use case the services refused, raised rather than returned so
    that the request's unit of work rolls back whatever the use case wrote before it was refused.

    Build the page from the `db` read session (a fresh read of what is committed, which is what the
    rollback leaves), never from the unit of work's session, which still holds the refused writes.
    """

    def __init__(self, answer: Response[Any]) -> None:
        super().__init__("refused")
        self.answer = answer


def answer_refusal(_: Request, exc: Refusal) -> Response[Any]:
    return exc.answer


def _status_and_detail(exc: Exception) -> tuple[int, str, dict[str, Any]]:
    if isinstance(exc, DomainError):
        # each kind of error names its own status (app/domain/errors.py)
        return exc.status_code, str(exc), exc.details()
    if isinstance(exc, ValidationException):
        return 400, _validation_detail(exc), {}
    if isinstance(exc, HTTPException):
        return exc.status_code, exc.detail, {}
    return HTTP_500_INTERNAL_SERVER_ERROR, "internal error: the request was not carried out", {}


def _validation_detail(exc: ValidationException) -> str:
    """Litestar lists the fields at fault in `extra`; put them where a person reads first."""
    problems = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            key = item.get("key") or item.get("source") or "body"
            problems.append(f"{key}: {item.get('message', 'invalid')}")
    return "; ".join(problems) or exc.detail


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "").split(",")[0]


def answer_unavailable(request: Request, outage: str) -> Response[Any]:
    """503 with `Retry-After` while the database is away: a page in the site's design or the API's JSON.
    Nothing is cached, so the first request after the database is back is served as usual."""
    # the path as a quoted literal: a line break in it (%0A) cannot forge a line of the log
    logger.warning("database unavailable on %s %r: %s", request.method, request.url.path, outage)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if _wants_json(request):
        body = {"status_code": 503, "detail": UNAVAILABLE_DETAIL}
        return Response(body, status_code=503, media_type=MediaType.JSON, headers=headers)
    return Template("error_unavailable.html", context={"status_code": 503}, status_code=503, headers=headers)


def _upload_limit(request: Request) -> str:
    return describe_limit(request.app.state.settings.max_upload_bytes)


def _back_to_form(request: Request) -> str | None:
    """The page the refused form was on, when it is one of ours (its path only), for a link back."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def handle_error(request: Request, exc: Exception) -> Response:
    outage = database_unavailable(exc)
    if outage is not None:
        return answer_unavailable(request, outage)
    status, detail, extra = _status_and_detail(exc)
    if status == 413 and not isinstance(exc, DomainError):
        # the body passed the limit before any handler read it (Litestar's request_max_body_size)
        detail = f"the request is too large: a file must be smaller than {_upload_limit(request)}"
    # a domain error's message is written for people (a full document store says so and is logged where it happens)
    if status >= 500 and not isinstance(exc, DomainError):
        # the exception's text may carry submitted data; log its type and where, not its message
        frames = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("unhandled %s on %s %s\n%s", type(exc).__name__, request.method, request.url.path, frames)
    if _wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return Response({"status_code": status, "detail": detail, **extra}, status_code=status, media_type=MediaType.JSON, headers=headers)
    if isinstance(exc, NotAuthorizedException):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request"):
            return Response("", status_code=401, headers={"HX-Redirect": f"/login?next={quote(target)}"})
        return Redirect(f"/login?next={quote(target)}", status_code=303)
    if isinstance(exc, TwoFactorSetupNeeded):  # an admin who must set up two-factor first (FOI_REQUIRE_2FA_FOR_ADMINS)
        if request.headers.get("hx-request"):
            return Response("", status_code=403, headers={"HX-Redirect": TWO_FACTOR_SETUP_PATH})
        return Redirect(TWO_FACTOR_SETUP_PATH, status_code=303)
    if status == 413:
        context = {"status_code": 413, "limit": _upload_limit(request), "back": _back_to_form(request)}
        return Template("error_too_large.html", context=context, status_code=413)
    shown = detail if status < 500 or isinstance(exc, DomainError) else "Something went wrong on our side."
    return Template("error.html", context={"status_code": status, "detail": shown}, status_code=status)


EXCEPTION_HANDLERS = {
    Refusal: answer_refusal,
    DomainError: handle_error,
    HTTPException: handle_error,
    Exception: handle_error,
}
