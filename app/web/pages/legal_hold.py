"""Manager page: place or lift a request's legal hold, which keeps it from the retention policy
(`app/services/retention.py`) while a complaint or appeal is open. The request page shows the hold and
links here; the history records who placed or lifted it and why."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.domain.errors import Conflict, InvalidInput
from app.services import requests as service
from app.services import retention
from app.web.auth import requires_manager
from app.web.dependencies import CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import form_data


class LegalHoldPages(Controller):
    path = "/staff/requests/{reference:str}/legal-hold"
    guards = [requires_manager]

    @get("/")
    async def form(self, db: Db, user: CurrentUser, reference: FromPath[str]) -> Template:
        return await self._form(db, user, reference, {}, {}, 200)

    @post("/")
    async def save(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, reference: FromPath[str]) -> Redirect:
        values = await form_data(request)
        lifting = values.get("lift") == "1"
        try:
            if lifting:
                hold = await retention.lift_legal_hold(uow, reference, str(values.get("reason", "")))
            else:
                hold = await retention.place_legal_hold(uow, reference, str(values.get("reason", "")))
        except InvalidInput as problem:
            raise Refusal(await self._form(db, user, reference, values, {"reason": problem.message}, 422)) from None
        except Conflict as problem:
            raise Refusal(await self._form(db, user, reference, values, {"hold": str(problem)}, 409)) from None
        done = quote_plus("Legal hold lifted." if lifting else "Legal hold placed: the retention policy passes this request over.")
        return Redirect(f"/staff/requests/{hold.reference}?done={done}", status_code=303)

    async def _form(
        self, db: Db, user: CurrentUser, reference: str, values: dict[str, Any], errors: dict[str, str], status_code: int
    ) -> Template:
        detail = await service.get_request(db, reference, with_history=False)
        return Template(
            "staff/requests/legal_hold.html",
            context={"case": detail.request, "values": values, "errors": errors, "user": user},
            status_code=status_code,
        )
