"""Bulk actions from the staff request list: preview the change, then confirm it once."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from litestar import Controller, Request, post
from litestar.response import Redirect, Template

from app.domain.dates import parse_date
from app.domain.errors import InvalidInput
from app.services import bulk as service
from app.services.errors import Conflict
from app.web.auth import requires_officer
from app.web.dependencies import AppSettings, CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import action_form_params, as_list, form_data


def _params(values: dict[str, Any]) -> dict[str, Any]:
    return {**action_form_params(values), "batch_id": values.get("batch_id") or ""}


class BulkPages(Controller):
    path = "/staff/requests/bulk"
    guards = [requires_officer]

    @post("/")
    async def preview(self, request: Request[Any, Any, Any], db: Db, settings: AppSettings, user: CurrentUser) -> Template:
        """The dry run: what would change, what the lifecycle refuses and why. Nothing is written."""
        values = await form_data(request)
        references = as_list(values.get("reference"))
        action = str(values.get("bulk_action", ""))
        try:
            # a read session: the dry run writes nothing, and takes no write lock
            plan = await service.plan_bulk(
                db, references, action, _params(values), zone=settings.zone, on=parse_date(values.get("on"), "on")
            )
        except InvalidInput as problem:
            return Template(
                "staff/requests/bulk.html",
                context={"error": problem, "values": values, "references": references, "user": user, "actions": service.ACTIONS},
                status_code=422,
            )
        return Template(
            "staff/requests/bulk.html",
            context={"plan": plan, "values": values, "references": references, "user": user, "actions": service.ACTIONS},
        )

    @post("/confirm")
    async def confirm(self, request: Request[Any, Any, Any], uow: Uow, user: CurrentUser) -> Redirect:
        values = await form_data(request)
        references = as_list(values.get("reference"))
        action = str(values.get("bulk_action", ""))
        try:
            operation = await service.apply_bulk(
                uow.session,
                references,
                action,
                _params(values),
                actor=uow.staff,
                zone=uow.zone,
                on=parse_date(values.get("on"), "on"),
                note=values.get("note"),
            )
        except (InvalidInput, Conflict) as problem:
            page = Template(
                "staff/requests/bulk.html",
                context={"error": problem, "values": values, "references": references, "user": user, "actions": service.ACTIONS},
                status_code=409 if isinstance(problem, Conflict) else 422,
            )
            raise Refusal(page) from problem
        message = f"{service.ACTIONS[action]}: {operation.request_count} request{'' if operation.request_count == 1 else 's'} (operation {operation.id})."
        return Redirect(f"/staff/requests?status=all&done={quote_plus(message)}", status_code=303)
