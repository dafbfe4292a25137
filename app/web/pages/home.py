"""The staff landing page."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Redirect

from app.services.users import Role
from app.web.auth import requires_officer
from app.web.dependencies import CurrentUser


class HomePages(Controller):
    @get("/staff", guards=[requires_officer])
    async def staff_home(self, user: CurrentUser) -> Redirect:
        """Managers (and admins) land on their dashboard; officers on the request list."""
        if Role(user.role).allows(Role.MANAGER):
            return Redirect("/staff/dashboard", status_code=303)
        return Redirect("/staff/requests", status_code=303)
