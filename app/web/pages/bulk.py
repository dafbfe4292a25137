"""Bulk actions from the staff request list: preview the change, then confirm it once."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from litestar import Controller, Request, post
from litestar.response import Redirect, Template

from app.domain.errors import InvalidInput
from app.services import bulk as service
from app.services.errors import Conflict
from app.services.inputs import BulkIn, declared_params, read_form
from app.web.auth import requires_officer
from app.web.dependencies import AppSettings, CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import action_form_params, as_list, form_data


def _step(values: dict[str, Any]) -> BulkIn:
    """The bulk form read into the API's body type (the form names the action `bulk_action` and each
    request `reference`)."""
    named = {"action": values.get("bulk_action", ""), "references": as_list(values.get("reference"))}
    return read_form(BulkIn, {**values, **action_form_params(values), **named})


def _params(step: BulkIn) -> dict[str, Any]:
    return {**declared_params(step), "batch_id": step.batch_id or ""}


class BulkPages(Controller):
    path = "/staff/requests/bulk"
    guards = [requires_officer]

    @post("/")
    async def preview(self, request: Request[Any, Any, Any], db: Db, settings: AppSettings, user: CurrentUser) -> Template:
        """The dry run: what would change, what the lifecycle refuses and why. Nothing is written."""
        values = await form_data(request)
        references = as_list(values.get("reference"))
        try:
            step = _step(values)
            # a read session: the dry run writes nothing, and takes no write lock
            plan = await service.plan_bulk(db, step.references, step.action, _params(step), zone=settings.zone, on=step.on)
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
            step = _step(values)
            operation = await service.apply_bulk(
                uow.session, step.references, step.action, _params(step), actor=uow.staff, zone=uow.zone, on=step.on, note=step.note
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
