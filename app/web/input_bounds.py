"""Bounds every request keeps before a handler reads it, so that no value sent turns into a server error.

- A JSON body nested deeper than `MAX_JSON_DEPTH` is refused (400) before it is decoded: decoding
  100,000 brackets would exhaust the decoder's recursion (a server error), and nothing the API takes
  is nested more than a few levels. Every JSON body is read through `BoundedRequest.json`, the app's
  request class.
- A whole number in a path (`/api/v1/batches/{batch_id:int}`) past what a database id can hold (a
  signed 64-bit integer on SQLite and PostgreSQL) is refused (422 naming the parameter) before any
  query is made with it, rather than overflowing in the database driver.
- A NUL character in a path, a query string or a JSON body is refused (422 naming the field), and
  taken out of a form's values: PostgreSQL cannot hold one in text (its driver raises). The API names
  the field by its name, in the contract's words; a page names the box by the label its form gives it,
  in plain words ("Reference or words in the title must not contain special characters"), and a page
  whose address holds one is a page that does not exist (404).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import AsyncGenerator
from itertools import accumulate
from typing import Any
from urllib.parse import parse_qsl

from litestar import Litestar
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.exceptions import ClientException, HTTPException, NotFoundException
from litestar.plugins.htmx import HTMXRequest
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Receive, Scope, Send

from app.domain.errors import InvalidInput, field_words
from app.web.api.answers import errors

MAX_JSON_DEPTH = 32
# bodies up to this size are measured before decoding; a larger one is stopped by the decoder's own
# recursion limit (a thousand levels), answered the same way
MEASURED_BYTES = 1024 * 1024
LARGEST_ID = 2**63 - 1

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"?', re.DOTALL)  # an unterminated string runs to the end
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 in, -1 out (as signed bytes)


def json_depth(body: bytes) -> int:
    """How deep the JSON text `body` nests arrays and objects (brackets inside strings do not count)."""
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    steps = array("b")
    steps.frombytes(brackets.translate(_STEPS))
    return max(accumulate(steps), default=0)


_NUL_MESSAGE = "cannot contain a NUL character (\\0): no text here may hold one"
_NUL_ON_A_PAGE = "must not contain special characters"

# the labels of the boxes of the forms that search with GET, as each page shows them, for a query value
# refused on a page; any other is named in words by field_words (app/domain/errors.py). A date's boxes
# (`from-day`, `from-month`, `from-year`) are named by the date's legend.
_PAGE_LABELS: dict[str, dict[str, str]] = {
    "/staff/requests": {
        "q": "Reference or words in the title",
        "requester": "Requester's name or e-mail",
        "status": "Status",
        "regime": "Law",
        "department": "Department",
        "assignee": "Assigned to",
        "overdue": "Overdue only",
    },
    "/disclosures": {
        "q": "Words to look for",
        "sort": "Order",
        "outcome": "Outcome",
        "department": "Department",
        "exemption": "Exemption applied",
        "from": "Released from",
        "to": "Released to",
    },
    "/staff/reports/overdue": {"department": "Department", "assignee": "Officer", "regime": "Law", "limit": "Rows per list"},
    "/staff/reports/timeliness": {"group_by": "Group by", "department": "Department", "from": "Received from", "to": "Received to"},
    "/deadline-calculator": {
        "regime": "Law the request was made under",
        "stage": "Stage",
        "received_on": "Date received",
        "posted_on": "Date posted",
    },
    "/staff/admin/outbox": {"failed": "Only messages that failed"},
}
_DATE_BOX = re.compile(r"(.+)-(?:day|month|year|time)")


def _page_label(path: str, name: str) -> str:
    """What a page calls the box a query value `name` comes from."""
    labels = _PAGE_LABELS.get(path.rstrip("/") or "/", {})
    box = _DATE_BOX.fullmatch(name)
    for key in (name, box.group(1) if box else name):
        if key in labels:
            return labels[key]
    return field_words(box.group(1) if box else name)


def _nul_in(value: Any, where: str) -> str | None:
    """The name of the first field of decoded JSON (`requester.name`, `references[2]`) whose text, or
    key, holds a NUL character; None when none does. Walked without recursion."""
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        at, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return at or "body"
        elif isinstance(item, dict):
            for key, inner in item.items():
                name = f"{at}.{key}" if at else str(key)
                if "\x00" in str(key):
                    return name
                stack.append((name, inner))
        elif isinstance(item, list):
            stack.extend((f"{at}[{index}]", inner) for index, inner in enumerate(item))
    return None


class BoundedRequest(HTMXRequest):
    """The app's request class (htmx's, which the pages read). Its JSON is refused when nested too deep,
    and when a value holds a NUL character (naming the field): PostgreSQL cannot store one in text, and
    a program sending one wants to know. A form's NULs are taken out instead: a person cannot see one
    in what they pasted, and the rest of what they typed is kept. Alike on every engine.

    A form whose body passes the size limit (sent chunked, without a length, it is only known while its
    file is being spooled) has every file Litestar spooled closed before the 413 is answered."""

    __slots__ = ("_cut_short", "_forming")
    _cut_short: HTTPException | None
    _forming: bool

    async def json(self) -> Any:
        body = await self.body()
        if len(body) <= MEASURED_BYTES and body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH and json_depth(body) > MAX_JSON_DEPTH:
            raise ClientException(f"the JSON body is nested more than {MAX_JSON_DEPTH} deep; nothing here takes that")
        try:
            value = await super().json()
        except RecursionError:
            raise ClientException(f"the JSON body is nested more than {MAX_JSON_DEPTH} deep; nothing here takes that") from None
        if b"\\u0000" in body and (field := _nul_in(value, "")) is not None:
            raise InvalidInput(field, _NUL_MESSAGE)
        return value

    async def body(self) -> bytes:
        body = await super().body()
        # a form read straight from the body (Litestar's URL-encoded `data`): its NULs taken out as form() does
        if b"%00" in body and self.content_type[0] == "application/x-www-form-urlencoded":
            return body.replace(b"%00", b"")
        return body

    async def stream(self) -> AsyncGenerator[bytes, None]:
        if not getattr(self, "_forming", False):
            async for chunk in super().stream():
                yield chunk
            return
        try:
            async for chunk in super().stream():
                yield chunk
        except HTTPException as problem:
            # the body passed the size limit (or the client went) while a form was read: raised here,
            # it would leave the file being spooled open for the garbage collector; the form's end
            # instead makes Litestar's parser close every file it made, then `form` raises it
            self._cut_short = problem
            yield b""

    async def form(self) -> FormMultiDict:
        self._forming, self._cut_short = True, None
        try:
            form = await super().form()
        except ClientException:
            if self._cut_short is not None:
                raise self._cut_short from None
            raise
        finally:
            self._forming = False
        if self._cut_short is not None:  # a form that happened to end where the body was cut
            for _, value in form.multi_items():
                if isinstance(value, UploadFile):
                    await value.close()
            raise self._cut_short
        items = form.multi_items()
        for _, value in items:
            if isinstance(value, UploadFile) and "\x00" in (value.filename or ""):
                value.filename = value.filename.replace("\x00", "")
        if any("\x00" in key or (isinstance(value, str) and "\x00" in value) for key, value in items):
            # what a person typed: a NUL they cannot see is taken out rather than refused
            clean = [(key.replace("\x00", ""), value.replace("\x00", "") if isinstance(value, str) else value) for key, value in items]
            self._form = form = FormMultiDict(clean)
        return form


class InputBounds:
    """Refuses, before any handler or query runs, a path or query-string value no handler could use: a
    whole number in the path that no id can be (past 64 bits), or a NUL character; each names its field."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        page = not path.startswith("/api/")
        for name, value in (scope.get("path_params") or {}).items():
            if isinstance(value, int) and not isinstance(value, bool) and not -LARGEST_ID <= value <= LARGEST_ID:
                raise InvalidInput(name, f"must be a whole number no larger than {LARGEST_ID}")
            if isinstance(value, str) and "\x00" in value:
                if page:  # no page has an address with one in it
                    raise NotFoundException()
                raise InvalidInput(name, _NUL_MESSAGE)
        query = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            for key, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
                if "\x00" in key or "\x00" in value:
                    name = key.replace("\x00", "\\0")
                    if page:
                        raise InvalidInput(name, _NUL_ON_A_PAGE, label=_page_label(path, name))
                    raise InvalidInput(name, _NUL_MESSAGE)
        await self.app(scope, receive, send)


# the names a handler takes that are not query parameters
_NOT_QUERY = {"self", "request", "data", "socket", "state", "scope", "headers", "cookies", "body"}


def document_refusals(app: Litestar) -> None:
    """Adds to each API operation in /schema/openapi.json the refusals its input may meet before its
    handler reads it: 400 for a body or parameter that cannot be read (JSON malformed or nested too deep,
    a number that is not one) and 422 for a value refused here (a NUL character, an id past 64 bits).
    A route's own `responses=errors(...)` says the rest. Called once the app is built (the document is
    made on its first request)."""
    refusals = errors(400, 422)
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/"):
            continue
        for handler in route.route_handlers:
            # any operation may find the database away (app/web/unavailable.py)
            handler.responses = {**errors(503), **(handler.responses or {})}
            names = set(handler.parsed_fn_signature.parameters) - _NOT_QUERY - set(handler.resolve_dependencies())
            if route.path_parameters or names or "data" in handler.parsed_fn_signature.parameters:
                handler.responses = {**refusals, **(handler.responses or {})}
