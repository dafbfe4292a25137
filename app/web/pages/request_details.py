"""Officer page: edit what a request says (title, text, receipt, department, requester), as a plain form.

The form carries the version it was loaded at, so an edit made over someone else's is refused
by the same check as the API's PATCH, and nothing is saved.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from app.domain.deadlines import Stage
from app.domain.errors import InvalidInput
from app.domain.lifecycle import Status
from app.services import departments as department_service
from app.services import requests as service
from app.services.clock import today_in
from app.services.errors import Conflict
from app.services.scope import scope_of
from app.web.auth import requires_officer
from app.web.dependencies import CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import RECEIPT_DATES, form_data, read_dates
from app.web.template_helpers import short_date, weekday_date


def _current_values(detail: service.RequestDetail) -> dict[str, Any]:
    request, requester = detail.request, detail.request.requester
    return {
        "title": request.title,
        "body": request.body,
        "channel": request.channel,
        "received_on": request.received_on.isoformat(),
        "posted_on": request.posted_on.isoformat() if request.posted_on else "",
        "department": request.department.slug if request.department else "",
        "requester_name": requester.name,
        "requester_email": requester.email or "",
        "requester_address": requester.address or "",
        "version": str(request.version),
    }


def confirmation(edit: service.DetailsEdit) -> str:
    """What the request page says once the edit is saved."""
    if not edit.changed:
        return "Nothing was changed."
    request = edit.request
    others = [label for key, label in zip(edit.changed, edit.labels, strict=True) if key != "received_on"]
    sentences = []
    if others:
        sentences.append(f"Details saved: {', '.join(others)} changed.")
    if edit.received_on_before is not None:
        moved = f"Date received changed from {short_date(edit.received_on_before)} to {short_date(request.received_on)}"
        if not Status(request.status).is_open or request.deadline_stage == Stage.INTERNAL_REVIEW:
            due = (
                f"the response was due on {weekday_date(request.response_due_on)}"
                if request.response_due_on
                else "the due date was recalculated"
            )
        elif request.due_on is None:
            due = "the clock is stopped, so there is no due date until it restarts"
        else:
            still = "still" if request.due_on == edit.due_on_before else "now"
            due = f"the response is {still} due on {weekday_date(request.due_on)}"
        sentences.append(f"{moved}; {due}.")
    return " ".join(sentences)


class RequestDetailsPages(Controller):
    path = "/staff/requests/{reference:str}/edit"
    guards = [requires_officer]

    @get("/")
    async def form(self, db: Db, user: CurrentUser, reference: FromPath[str]) -> Template:
        detail = await service.get_request(db, reference, with_history=False)
        return await self._form(db, user, detail, _current_values(detail), {}, 200)

    @post("/")
    async def save(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, reference: FromPath[str]) -> Redirect:
        values = await form_data(request)
        joined, errors = read_dates(values, RECEIPT_DATES, today=today_in(uow.zone))
        status_code = 422
        try:
            version = int(str(values.get("version", "")))
        except ValueError:
            errors["version"] = "the form lost track of the version it was opened at; open the request and edit it again"
        if "version" not in errors:
            # a date mistyped is left out, so the other fields are still checked and every problem said at once;
            # the edit is then refused, and the refusal rolls back what the service wrote
            checked = {key: value for key, value in joined.items() if key not in errors}
            try:
                edit = await service.edit_details(
                    uow.session, reference, service.DetailsChanges.from_form(checked), version, uow.staff, uow.zone
                )
            except service.InvalidDetails as problem:
                errors = {**problem.errors, **errors}
            except InvalidInput as problem:
                errors = {problem.field: problem.message, **errors}
            except Conflict as problem:
                errors, status_code = {"version": str(problem)}, 409
            else:
                if not errors:
                    if not scope_of(uow.session).allows(edit.request.department_id):
                        # moved to another department under department scope: its page is no longer theirs to see
                        moved = f"{confirmation(edit)} {edit.request.reference} is now another department's request and has left your list."
                        return Redirect(f"/staff/requests?done={quote_plus(moved)}", status_code=303)
                    done = quote_plus(confirmation(edit))
                    return Redirect(f"/staff/requests/{edit.request.reference}?done={done}", status_code=303)
        detail = await service.get_request(db, reference, with_history=False)
        errors = service.in_form_order(errors)
        raise Refusal(await self._form(db, user, detail, values, errors, status_code))

    async def _form(
        self, db: Db, user: CurrentUser, detail: service.RequestDetail, values: dict[str, Any], errors: dict[str, str], status_code: int
    ) -> Template:
        return Template(
            "staff/requests/edit.html",
            context={
                "case": detail.request,
                "values": values,
                "errors": errors,
                "departments": await department_service.list_departments(db),
                "user": user,
            },
            status_code=status_code,
        )
