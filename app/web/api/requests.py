"""Staff API: log, list, read, edit requests and move them through their lifecycle."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.domain.errors import InvalidInput
from app.services import requests as service
from app.services.clock import today_in
from app.services.inputs import ActionIn, declared_params
from app.web.api.answers import RequestJson, RequestListItemJson, RequestListJson, errors
from app.web.auth import requires_officer
from app.web.dependencies import AppSettings, Db, Uow
from app.web.presenters import request_detail, request_summary


class RequestsApi(Controller):
    path = "/api/v1/requests"
    guards = [requires_officer]
    tags = ["requests"]

    @get("/", responses=errors(400, 401, 422))
    async def list_requests(
        self,
        db: Db,
        settings: AppSettings,
        status: Annotated[list[str] | None, QueryParameter(description="one or more statuses")] = None,
        regime: FromQuery[str | None] = None,
        department: Annotated[str | None, QueryParameter(description="department slug")] = None,
        assignee: Annotated[str | None, QueryParameter(description="officer email")] = None,
        overdue: FromQuery[bool] = False,
        due_before: FromQuery[date | None] = None,
        q: Annotated[str | None, QueryParameter(description="a reference, or text anywhere in the title")] = None,
        requester: Annotated[str | None, QueryParameter(description="text anywhere in the requester's name or e-mail")] = None,
        page: Annotated[int, QueryParameter(ge=1)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> RequestListJson:
        filters = service.RequestFilters(
            status=status or [],
            regime=regime,
            department=department,
            assignee=assignee,
            overdue=overdue,
            due_before=due_before,
            q=q,
            requester=requester,
        )
        result = await service.list_requests(db, filters, today=today_in(settings.zone), page=page, per_page=per_page)
        exemptions = await service.exemptions_by_request(db, [row.id for row in result.rows])
        items: list[RequestListItemJson] = [{**request_summary(row), "exemptions": exemptions[row.id]} for row in result.rows]
        return {"items": items, "total": result.total, "page": result.page, "per_page": result.per_page, "pages": result.pages}

    @post("/", responses=errors(400, 401, 422))
    async def create_request(self, uow: Uow, data: JSONBody[service.NewRequest]) -> RequestJson:
        request = await service.create_request(uow.session, data, uow.staff, uow.zone)
        return request_detail(await service.get_request(uow.session, request.reference))

    @get("/{reference:str}", responses=errors(400, 401, 404))
    async def get_request(self, db: Db, reference: FromPath[str]) -> RequestJson:
        return request_detail(await service.get_request(db, reference))

    @patch(
        "/{reference:str}",
        description="Edits details: `title`, `body`, `channel`, `received_on` (recomputes the due date; not in the future "
        "nor after the first recorded step), `department` (slug), `requester` (`name`, `email`, `address`); needs the "
        "current `version` (409 if stale). Every value is checked first: a refused edit changes nothing.",
        responses=errors(400, 401, 404, 409, 422),
    )
    async def update_request(self, uow: Uow, reference: FromPath[str], data: JSONBody[service.DetailsChanges]) -> RequestJson:
        version = data.version
        if not isinstance(version, int) or isinstance(version, bool):
            raise InvalidInput("version", "send the version you last read (an integer), so no one's change is overwritten")
        await service.update_details(uow.session, reference, data, version, uow.staff, uow.zone)
        return request_detail(await service.get_request(uow.session, reference))

    @post("/{reference:str}/actions", status_code=200, responses=errors(400, 401, 403, 404, 409, 422))
    async def act(self, uow: Uow, reference: FromPath[str], data: JSONBody[ActionIn]) -> RequestJson:
        await service.apply_action(
            uow.session,
            reference,
            action=data.action,
            params=declared_params(data),
            actor=uow.staff,
            zone=uow.zone,
            on=data.on,
            note=data.note,
        )
        return request_detail(await service.get_request(uow.session, reference))
