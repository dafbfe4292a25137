"""The staff landing page."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Redirect

from app.web.auth import requires_officer
from app.web.dependencies import CurrentUser


class HomePages(Controller):
    @get("/staff", guards=[requires_officer])
    async def staff_home(self, user: CurrentUser) -> Redirect:
        del user
        return Redirect("/staff/requests", status_code=303)

