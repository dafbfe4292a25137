"""Staff pages: one letter or e-mail on a request in full, its PDF for post, "Send again", "Mark as
posted", and what needs attention across all requests (notices not delivered, letters to post)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from app.domain.dates import parse_date
from app.domain.errors import Gone, InvalidInput, NotFound
from app.services import correspondence as service
from app.services.clock import today_in
from app.services.requests import get_request
from app.services.scope import scope_of
from app.web.auth import requires_officer
from app.web.dependencies import AppSettings, CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.letters import letter_response
from app.web.pages.forms import form_data

# where "Send again" and "Mark as posted" may return to, besides the request's own page
_RETURNS = ("/staff/correspondence", "/staff/admin/outbox")


def _number(item: str, reference: str) -> tuple[int, str]:
    number, _, extension = item.partition(".")
    if not number.isdigit() or len(number) > 18 or extension not in ("", "pdf"):
        raise NotFound(f"no correspondence {item[:40]} on request {reference[:40]}")
    return int(number), extension


def _sentence(text: str) -> str:
    """A message ending as a sentence does, once ("…is the port right?", not "…right?.")."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _back(values: dict[str, Any], reference: str, said: str, *, problem: bool = False) -> Redirect:
    target = str(values.get("next") or "")
    base = target if target in _RETURNS else f"/staff/requests/{reference.upper()}"
    anchor = "" if target in _RETURNS else "#correspondence"
    key = "done" if not problem else "problem" if target in _RETURNS else "notice_problem"
    return Redirect(f"{base}?{key}={quote_plus(said)}{anchor}", status_code=303)


class CorrespondencePages(Controller):
    path = "/staff/requests/{reference:str}/correspondence"
    guards = [requires_officer]

    @get("/{item:str}")
    async def show(
        self, db: Db, settings: AppSettings, user: CurrentUser, reference: FromPath[str], item: FromPath[str]
    ) -> Template | Response[bytes]:
        number, extension = _number(item, reference)
        row = await service.one_of(db, reference, number)
        if extension == "pdf":
            try:
                return await letter_response(db, settings, reference, row)
            except Gone as gone:
                back = f"/staff/requests/{reference.upper()}#correspondence"
                context = {
                    "status_code": 410,
                    "detail": str(gone),
                    "back": back,
                    "back_text": f"Back to {reference.upper()}",
                    "user": user,
                    "staff": True,
                }
                return Template("error.html", context=context, status_code=410, headers={"Cache-Control": "private, no-store"})
        case = (await get_request(db, reference, with_history=False)).request
        return Template(
            "staff/requests/correspondence.html",
            context={"case": case, "item": row, "user": user, "today": today_in(settings.zone)},
            headers={"Cache-Control": "private, no-store"},
        )

    @post("/{number:int}/send-again")
    async def send_again(
        self, request: Request[Any, Any, State], settings: AppSettings, user: CurrentUser, reference: FromPath[str], number: FromPath[int]
    ) -> Redirect:
        """Waits for the mail server's answer (a few seconds at most), so the officer hears how it went."""
        values = await form_data(request)
        try:
            result = await service.send_again_now(request.app.state.write_sessions, settings, reference, number, user)
        except InvalidInput as problem:
            return _back(values, reference, _sentence(problem.message[0].upper() + problem.message[1:]), problem=True)
        if result.error is None:
            return _back(values, reference, "The notice was sent.")
        # the reason stays on the notice: a mail server's answer may quote the address, never put in a URL
        return _back(values, reference, "The notice was still not sent: the reason is shown with it.", problem=True)

    @post("/{number:int}/posted")
    async def posted(
        self, request: Request[Any, Any, State], uow: Uow, settings: AppSettings, reference: FromPath[str], number: FromPath[int]
    ) -> Redirect:
        values = await form_data(request)
        try:
            on = parse_date(values.get("on"), "on", required=False) or today_in(settings.zone)
            await service.mark_posted(uow, reference, number, on)
        except InvalidInput as problem:
            raise Refusal(_back(values, reference, _sentence(problem.message[0].upper() + problem.message[1:]), problem=True)) from None
        return _back(values, reference, "The letter is marked as posted.")


class AttentionPages(Controller):
    """What needs someone's hand across all requests: notices the mail server did not take or that
    bounced, and letters waiting to be printed and posted."""

    path = "/staff/correspondence"
    guards = [requires_officer]

    @get("/")
    async def attention(
        self, db: Db, settings: AppSettings, user: CurrentUser, done: FromQuery[str | None] = None, problem: FromQuery[str | None] = None
    ) -> Template:
        return Template(
            "staff/correspondence.html",
            context={
                "failed": await service.failed_notices(db),
                "letters": await service.letters_to_post(db),
                "scope_notice": scope_of(db).notice,  # an officer in no department, under department scope
                "user": user,
                "today": today_in(settings.zone),
                "message": (done or "")[:300] or None,
                "problem": (problem or "")[:500] or None,
            },
            headers={"Cache-Control": "private, no-store"},
        )
