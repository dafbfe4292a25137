"""Staff pages: one letter or e-mail on a request in full, its PDF for post, and "Send again"."""

from __future__ import annotations

from urllib.parse import quote_plus

from litestar import Controller, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.domain.errors import InvalidInput, NotFound
from app.services import correspondence as service
from app.services.requests import get_request
from app.web.auth import requires_officer
from app.web.dependencies import AppSettings, CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.letters import letter_response


def _number(item: str, reference: str) -> tuple[int, str]:
    number, _, extension = item.partition(".")
    if not number.isdigit() or len(number) > 18 or extension not in ("", "pdf"):
        raise NotFound(f"no correspondence {item[:40]} on request {reference[:40]}")
    return int(number), extension


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
            return await letter_response(db, settings, reference, row)
        case = (await get_request(db, reference, with_history=False)).request
        return Template(
            "staff/requests/correspondence.html",
            context={"case": case, "item": row, "user": user},
            headers={"Cache-Control": "private, no-store"},
        )

    @post("/{number:int}/send-again")
    async def send_again(self, db: Db, uow: Uow, settings: AppSettings, reference: FromPath[str], number: FromPath[int]) -> Redirect:
        try:
            await service.send_again(uow, settings, reference, number)
        except InvalidInput as problem:
            raise Refusal(
                Redirect(f"/staff/requests/{reference.upper()}?problem={quote_plus(problem.message)}#correspondence", status_code=303)
            ) from None
        done = quote_plus("The notice is being sent again.")
        return Redirect(f"/staff/requests/{reference.upper()}?done={done}#correspondence", status_code=303)
