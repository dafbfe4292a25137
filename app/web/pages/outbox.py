"""Admin page: every e-mail the app has sent or tried to send (reminders, digests), and the notices to
requesters that were not delivered, each with "Send again"."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from app.services.correspondence import failed_notices
from app.services.inputs import MAX_PAGE
from app.services.reminders import list_outbox
from app.web.auth import requires_admin
from app.web.dependencies import CurrentUser, Db


class OutboxPages(Controller):
    path = "/staff/admin/outbox"
    guards = [requires_admin]

    @get("/")
    async def outbox(
        self, db: Db, user: CurrentUser, page: Annotated[int, QueryParameter(le=MAX_PAGE)] = 1, failed: FromQuery[str | None] = None
    ) -> Template:
        result = await list_outbox(db, page=max(page, 1), failed_only=failed == "1")
        notices = await failed_notices(db)
        return Template("staff/admin/outbox.html", context={"result": result, "failed": failed == "1", "notices": notices, "user": user})
