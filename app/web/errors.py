"""One place that turns errors into answers: JSON under /api, pages (or a login redirect) elsewhere.

Messages name what was wrong and never echo personal data; unexpected errors say nothing specific.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any, cast
from urllib.parse import quote, urlsplit

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, MethodNotAllowedException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template
from litestar.response.base import ASGIResponse
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import Receive, Scope, Send
from litestar.utils.scope.state import ScopeState
from sqlalchemy import select

from app.access_log import printable
from app.domain.errors import DomainError, NotFound, field_words, sentence
from app.models import User
from app.services.files.storage import describe_limit
from app.web.auth import SAFE_METHODS, TWO_FACTOR_SETUP_PATH, TwoFactorSetupNeeded
from app.web.sessions import stored_user_id
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
        field = _validation_field(exc)
        return 400, _validation_detail(exc), {"field": field} if field else {}
    if isinstance(exc, HTTPException):
        return exc.status_code, exc.detail, {}
    return HTTP_500_INTERNAL_SERVER_ERROR, "internal error: the request was not carried out", {}


# what msgspec's "Expected `int`, got `str`" means, in words
_EXPECTED_WORDS = {
    "int": "must be a whole number",
    "str": "must be text",
    "array": "must be a list",
    "object": "must be a JSON object",
    "bool": "must be true or false",
    "float": "must be a number",
    "number": "must be a number",
}


def _problem_field(item: dict[str, Any]) -> str:
    """The name of the field a decoder's problem is about ("working_days", "requester.email"), or ""."""
    message = str(item.get("message") or "")
    found = re.search(r"missing required field `([^`]+)`", message) or re.search(r"at `\$\.([\w.\[\]]+)`", message)
    if found:
        return found.group(1)
    key = str(item.get("key") or "")
    return "" if key == "body" and item.get("source") == "body" else key


def _validation_field(exc: ValidationException) -> str:
    """The first field at fault, by its name, for the API answer's `field` (as a refused input has it)."""
    items = [item for item in exc.extra if isinstance(item, dict)] if isinstance(exc.extra, list) else []
    return next((name for name in map(_problem_field, items) if name), "")


def _validation_detail(exc: ValidationException) -> str:
    """Litestar lists the fields at fault in `extra`: each said as a sentence naming the field in words
    ("Extra working days must be a whole number"), never as the decoder's own text."""
    problems = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            message = str(item.get("message") or "is not valid")
            key = _problem_field(item)
            if "missing required field" in message:
                problems.append(f"{field_words(key)} is missing")
                continue
            named = field_words(key) if key else "The request body"
            expected = re.match(r"Expected `(\w+)", message)
            said = _EXPECTED_WORDS.get(expected.group(1), "is not valid") if expected else message
            problems.append(sentence(named, said))
    return "; ".join(problems) or exc.detail


def _error_headers(exc: Exception, status: int) -> dict[str, str]:
    """The headers an error's answer keeps: those Litestar put on the exception (a 405's `Allow`, a rate
    limit's), and for a 429 always a `Retry-After` (the limit's reset when it gave one, else a minute)."""
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
    if status == 429 and not any(name.lower() == "retry-after" for name in headers):
        reset = next((value for name, value in headers.items() if name.lower() == "ratelimit-reset"), "")
        headers["Retry-After"] = reset if reset.isdigit() and int(reset) > 0 else "60"
    return headers


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


def _takes_get(request: Request, path: str) -> bool:
    """Whether this app has a page (a GET route) at `path`."""
    try:
        request.app.asgi_router.handle_routing(path=path, method="GET")
    except HTTPException:  # no route (404) or not for GET (405): not a page
        return False
    return True


def _page_after_sign_in(request: Request) -> str:
    """Where signing in again leads. A page asked for (GET) is itself. A form sent (a POST) with a session
    that has ended is lost, and its address may take POST only (/staff/requests/REF/actions): the page it
    was sent from (the Referer, one of our staff pages), else the nearest page above its address."""
    if request.method in SAFE_METHODS:
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    back = _back_to_form(request)
    if back is not None and back.startswith("/staff") and _takes_get(request, urlsplit(back).path):
        return back
    return _nearest_page(request, request.url.path) or "/staff"


def _nearest_page(request: Request, path: str) -> str | None:
    """The staff page at `path`, or the nearest above it (/staff/requests/REF for .../REF/actions)."""
    path = path.rstrip("/")
    while path.startswith("/staff/"):
        if _takes_get(request, path):
            return path
        path = path.rsplit("/", 1)[0]
    return None


def _to_sign_in(request: Request) -> str:
    """The sign-in page's address, coming back to a page; saying that what was sent was not saved."""
    lost = "" if request.method in SAFE_METHODS else "&signed_out=1"
    return f"/login?next={quote(_page_after_sign_in(request))}{lost}"


def _page_detail(exc: Exception, status: int, detail: str) -> str:
    """What an error page says under its heading: a rule's own message as a sentence ("There is no
    request FOI-2026-99999."); nothing of the framework's ("Not Found", "Method Not Allowed"), whose
    page says what to do in its own words (templates/error.html)."""
    if isinstance(exc, NotFound):
        said = detail.strip().rstrip(".")
        said = f"There is {said}" if said.startswith("no ") else said[:1].upper() + said[1:]
        return f"{said}."
    if status in (404, 405) and not isinstance(exc, DomainError):
        return ""
    return detail


def _error_page(request: Request, status: int, context: dict[str, Any], headers: dict[str, str]) -> Response[Any]:
    """An error page: under /staff, for a member of staff signed in, in the staff layout (their header,
    navigation and Sign out), else the public one. Where no route was found (a 404 or a 405 of an address)
    the session was not read on the way in: it is read here, as the page is sent."""
    page = Template("error.html", context={**context, "staff": False}, status_code=status, headers=headers)
    path = request.url.path
    if not (path == "/staff" or path.startswith("/staff/")):
        return page
    if "user" in request.scope:  # read on the way in (app/web/auth.py)
        if request.scope["user"] is not None:
            page.context.update(user=request.scope["user"], staff=True)
        return page
    return _SignedInLater(page)


class _SignedInLater(Response[Any]):
    """An error page that looks up who is signed in (from the session cookie) before it is rendered."""

    def __init__(self, page: Template) -> None:
        super().__init__(content=None, status_code=page.status_code)
        self.page = page

    def to_asgi_response(self, app: Any, request: Request, **kwargs: Any) -> ASGIResponse:
        page = self.page

        async def answer(scope: Scope, receive: Receive, send: Send) -> None:
            user = None
            try:
                user_id = await stored_user_id(request)
                if user_id is not None:
                    async with request.app.state.read_sessions() as db:
                        user = await db.scalar(select(User).where(User.id == user_id, User.is_active.is_(True)))
            except Exception:  # the database away: the page all the same, in the public layout
                logger.warning("could not read who is signed in for an error page on %s", printable(request.url.path))
            if user is not None:
                page.context.update(user=user, staff=True)
                state = ScopeState.from_scope(scope)
                if not isinstance(state.csrf_token, str):  # the sign-out button's token: the cookie's, as on any page
                    state.csrf_token = request.cookies.get("csrftoken", "")
            await page.to_asgi_response(app, request, **kwargs)(scope, receive, send)

        return cast(ASGIResponse, answer)


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
        # the method and path as sent, escaped: a line break in them (%0A) cannot forge a log line
        logger.error("unhandled %s on %s %s\n%s", type(exc).__name__, printable(request.method), printable(request.url.path), frames)
    headers = _error_headers(exc, status)
    if _wants_json(request):
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return Response({"status_code": status, "detail": detail, **extra}, status_code=status, media_type=MediaType.JSON, headers=headers)
    if isinstance(exc, NotAuthorizedException):
        sign_in = _to_sign_in(request)
        if request.headers.get("hx-request"):
            return Response("", status_code=401, headers={"HX-Redirect": sign_in})
        return Redirect(sign_in, status_code=303)
    if isinstance(exc, TwoFactorSetupNeeded):  # an admin who must set up two-factor first (FOI_REQUIRE_2FA_FOR_ADMINS)
        if request.headers.get("hx-request"):
            return Response("", status_code=403, headers={"HX-Redirect": TWO_FACTOR_SETUP_PATH})
        return Redirect(TWO_FACTOR_SETUP_PATH, status_code=303)
    if status == 413:
        too_large = {"status_code": 413, "limit": _upload_limit(request), "back": _back_to_form(request)}
        return Template("error_too_large.html", context=too_large, status_code=413, headers=headers)
    shown = _page_detail(exc, status, detail) if status < 500 or isinstance(exc, DomainError) else "Something went wrong on our side."
    context: dict[str, Any] = {"status_code": status, "detail": shown}
    if isinstance(exc, MethodNotAllowedException) and request.method in SAFE_METHODS:
        # an address that takes a form only (/staff/requests/REF/actions), opened as a page: the page above it
        context.update(back=_nearest_page(request, request.url.path), back_text="Go to the page this form is on")
    return _error_page(request, status, context, headers)


EXCEPTION_HANDLERS = {
    Refusal: answer_refusal,
    DomainError: handle_error,
    HTTPException: handle_error,
    Exception: handle_error,
}
