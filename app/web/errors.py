"""One place that turns errors into answers: JSON under /api, pages (or a login redirect) elsewhere.

Messages name what was wrong and never echo personal data; unexpected errors say nothing specific.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from app.domain.errors import DomainError

logger = logging.getLogger("app.web")


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


def handle_error(request: Request, exc: Exception) -> Response:
    status, detail, extra = _status_and_detail(exc)
    if status >= 500:
        # the exception's text may carry submitted data; log its type and where, not its message
        frames = "".join(traceback.format_tb(exc.__traceback__))
        logger.error("unhandled %s on %s %s\n%s", type(exc).__name__, request.method, request.url.path, frames)
    if request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "").split(",")[0]:
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return Response({"status_code": status, "detail": detail, **extra}, status_code=status, media_type=MediaType.JSON, headers=headers)
    if isinstance(exc, NotAuthorizedException):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request"):
            return Response("", status_code=401, headers={"HX-Redirect": f"/login?next={quote(target)}"})
        return Redirect(f"/login?next={quote(target)}", status_code=303)
    return Template(
        "error.html",
        context={"status_code": status, "detail": detail if status < 500 else "Something went wrong on our side."},
        status_code=status,
    )


EXCEPTION_HANDLERS = {
    Refusal: answer_refusal,
    DomainError: handle_error,
    HTTPException: handle_error,
    Exception: handle_error,
}
