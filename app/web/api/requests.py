"""Staff API: log, list, read, edit requests and move them through their lifecycle."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from app.domain.errors import InvalidInput, NotFound
from app.services import correspondence, retention
from app.services import requests as service
from app.services.clock import today_in
from app.services.inputs import MAX_PAGE, ActionIn, declared_params
from app.web.api.answers import CorrespondenceJson, LegalHoldJson, RequestJson, RequestListItemJson, RequestListJson, errors
from app.web.auth import requires_manager, requires_officer
from app.web.dependencies import AppSettings, Db, Uow
from app.web.letters import letter_response
from app.web.presenters import correspondence_json, request_detail, request_summary


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
        page: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE)] = 1,
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
    async def create_request(self, uow: Uow, db: Db, data: JSONBody[service.NewRequest]) -> RequestJson:
        request = await service.create_request(uow.session, data, uow.staff, uow.zone)
        await uow.commit()  # the answer is read and rendered after the write lock is given back
        return request_detail(await service.get_request(db, request.reference))

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
    async def act(self, uow: Uow, db: Db, settings: AppSettings, reference: FromPath[str], data: JSONBody[ActionIn]) -> RequestJson:
        await correspondence.take_step(
            uow,
            settings,
            reference,
            action=data.action,
            params=declared_params(data),
            notice=data.notice,
            on=data.on,
            note=data.note,
            actor=uow.staff,
        )
        await uow.commit()  # the answer is read and rendered after the write lock is given back
        return request_detail(await service.get_request(db, reference))

    @get(
        "/{reference:str}/correspondence/{item:str}",
        description="One letter or e-mail on the request in full, by its `id`; `{id}.pdf` gives a letter for post as a PDF "
        "(410 once the request is anonymised: the letter's address and text were removed with the requester's data).",
        responses=errors(400, 401, 404, 410),
    )
    async def correspondence_item(self, db: Db, settings: AppSettings, reference: FromPath[str], item: FromPath[str]) -> CorrespondenceJson:
        number, _, extension = item.partition(".")
        if not number.isdigit() or len(number) > 18 or extension not in ("", "pdf"):
            raise NotFound(f"no correspondence {item[:40]} on request {reference[:40]}")
        row = await correspondence.one_of(db, reference, int(number))
        if extension == "pdf":
            # the letter itself; the documented answer is the JSON (Litestar sends a Response as it is)
            return await letter_response(db, settings, reference, row)  # type: ignore[return-value]
        return correspondence_json(row, reference.upper())

    @post(
        "/{reference:str}/legal-hold",
        status_code=200,
        guards=[requires_manager],
        description='Places a legal hold (managers and admins): `{"reason"}` (required: the complaint or appeal open). '
        "A held request is passed over by the retention policy until the hold is lifted; 409 when already held or anonymised.",
        responses=errors(400, 401, 403, 404, 409, 422),
    )
    async def place_legal_hold(self, uow: Uow, reference: FromPath[str], data: JSONBody[retention.LegalHoldIn]) -> LegalHoldJson:
        return legal_hold_json(await retention.place_legal_hold(uow, reference, data.reason))

    @post(
        "/{reference:str}/legal-hold/lift",
        status_code=200,
        guards=[requires_manager],
        description='Lifts the legal hold (managers and admins): `{"reason"}` (required: why it ends). 409 when not held.',
        responses=errors(400, 401, 403, 404, 409, 422),
    )
    async def lift_legal_hold(self, uow: Uow, reference: FromPath[str], data: JSONBody[retention.LegalHoldIn]) -> LegalHoldJson:
        return legal_hold_json(await retention.lift_legal_hold(uow, reference, data.reason))


def legal_hold_json(hold: retention.LegalHold) -> LegalHoldJson:
    return {
        "reference": hold.reference,
        "held": hold.held,
        "reason": hold.reason,
        "since": hold.since.isoformat() if hold.since else None,
        "anonymised_at": hold.anonymised_at.isoformat() if hold.anonymised_at else None,
    }
