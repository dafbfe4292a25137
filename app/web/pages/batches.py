"""Release batch pages: staff build, preview, approve and publish batches; the public reads them."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from app.domain.batches import BatchState
from app.domain.dates import parse_local_datetime
from app.domain.errors import InvalidInput
from app.domain.outcomes import Outcome
from app.services import batches as service
from app.services import departments as department_service
from app.services.errors import Conflict, Forbidden, NotFound
from app.services.inputs import read_form
from app.services.publication import PUBLISHABLE
from app.services.users import Role
from app.web.auth import requires_officer
from app.web.dependencies import CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import BATCH_PUBLISH_AT, PUBLISH_AT, DateField, date_value, form_data

PREVIEW_PER_PAGE = 50


# the add-by-filter form's dates, each typed as day, month and year
FILTER_DATES = (
    DateField("responded_from", "Answered from"),
    DateField("responded_to", "Answered until"),
    DateField("received_from", "Received from"),
    DateField("received_to", "Received until"),
)


def filter_from(values: Any) -> service.RequestFilter:
    """The add-by-filter form (and the live count beside it), read into the type the API's `filter`
    is; bad dates name their field."""
    plain = {key: str(values.get(key) or "").strip() for key in values}
    plain |= {field.name: date_value(plain, field) for field in FILTER_DATES}
    return read_form(service.RequestFilter, plain)


def _back(batch_id: int, message: str, anchor: str = "") -> Redirect:
    return Redirect(f"/staff/batches/{batch_id}?done={quote_plus(message)}{anchor}", status_code=303)


class BatchPages(Controller):
    path = "/staff/batches"
    guards = [requires_officer]

    @get("/")
    async def list_page(self, db: Db, user: CurrentUser, done: FromQuery[str | None] = None) -> Template:
        return await self._list(db, user, {}, {}, 200, message=(done or "")[:300] or None)

    async def _list(
        self, db: Db, user: Any, values: dict[str, Any], errors: dict[str, str], status_code: int, message: str | None = None
    ) -> Template:
        return Template(
            "staff/batches/list.html",
            context={"batches": await service.list_batches(db), "values": values, "errors": errors, "user": user, "message": message},
            status_code=status_code,
        )

    @post("/")
    async def create(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser) -> Redirect:
        values = await form_data(request)
        try:
            publish_at = parse_local_datetime(date_value(values, BATCH_PUBLISH_AT), "publish_at", uow.zone)
            batch = await service.create_batch(
                uow.session,
                title=values.get("title", ""),
                slug=values.get("slug") or None,
                description=values.get("description"),
                publish_at=publish_at,
                actor=uow.staff,
                zone=uow.zone,
            )
        except InvalidInput as problem:
            raise Refusal(await self._list(db, user, values, {problem.field: problem.message}, 422)) from problem
        except Conflict as problem:
            raise Refusal(await self._list(db, user, values, {"slug": str(problem)}, 409)) from problem
        return _back(batch.id, "Batch created: now add the requests to release.", "#add")

    @get("/{batch_id:int}")
    async def detail(
        self,
        db: Db,
        user: CurrentUser,
        batch_id: FromPath[int],
        done: FromQuery[str | None] = None,
        problem: FromQuery[str | None] = None,
    ) -> Template:
        return await self._detail(db, user, batch_id, message=(done or "")[:300] or None, problem=(problem or "")[:500] or None)

    async def _detail(
        self,
        db: Db,
        user: Any,
        batch_id: int,
        *,
        message: str | None = None,
        problem: str | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        detail = await service.get_batch(db, batch_id)
        return Template(
            "staff/batches/detail.html",
            context={
                "detail": detail,
                "batch": detail.batch,
                "state": detail.state,
                "user": user,
                "message": message,
                "problem": problem,
                "errors": errors or {},
                "values": values or {},
                "can_approve": Role(user.role).allows(Role.MANAGER),
                "departments": await department_service.list_departments(db),
                "outcomes": list(Outcome),
                "publishable_statuses": sorted(PUBLISHABLE),
                "BatchState": BatchState,
            },
            status_code=status_code,
        )

    @post("/{batch_id:int}")
    async def change(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, batch_id: FromPath[int]) -> Redirect:
        values = await form_data(request)
        try:
            publish_at = parse_local_datetime(date_value(values, BATCH_PUBLISH_AT), "publish_at", uow.zone)
            await service.update_batch(
                uow.session,
                batch_id,
                title=values.get("title", ""),
                description=values.get("description"),
                publish_at=publish_at,
                zone=uow.zone,
            )
        except (InvalidInput, Conflict) as problem:
            errors = {problem.field: problem.message} if isinstance(problem, InvalidInput) else {"edit": str(problem)}
            page = await self._detail(db, user, batch_id, errors=errors, values={"form": "edit", **values}, status_code=422)
            raise Refusal(page) from problem
        return _back(batch_id, "Details saved.")

    @get("/{batch_id:int}/matching")
    async def matching(self, request: Request[Any, Any, Any], db: Db) -> Template:
        """How many requests the add-by-filter form would add (an htmx fragment beside the form)."""
        errors: dict[str, str] = {}
        try:
            spec = filter_from(request.query_params)
            count = None if spec.is_empty else await service.count_matching(db, spec)
            error = None
        except InvalidInput as problem:
            count, error, errors = None, problem.message, {problem.field: problem.message}
        # the form's dates go with the count (out of band), their boxes marked as the page marks them
        typed = {key: str(request.query_params.get(key) or "") for key in request.query_params}
        return Template("staff/batches/_matching.html", context={"count": count, "error": error, "errors": errors, "f": typed})

    @post("/{batch_id:int}/requests")
    async def add(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, batch_id: FromPath[int]) -> Redirect:
        values = await form_data(request)
        try:
            if values.get("how") == "references":
                text = str(values.get("references", ""))
                references = [part for part in text.replace(",", " ").split() if part]
                result = await service.add_requests(uow.session, batch_id, references=references, actor=uow.staff, zone=uow.zone)
            else:
                result = await service.add_requests(uow.session, batch_id, spec=filter_from(values), actor=uow.staff, zone=uow.zone)
        except (InvalidInput, Conflict) as problem:
            field = problem.field if isinstance(problem, InvalidInput) else "references"
            message = problem.message if isinstance(problem, InvalidInput) else str(problem)
            page = await self._detail(db, user, batch_id, errors={field: message}, values={"form": "add", **values}, status_code=422)
            raise Refusal(page) from problem
        count = len(result.added)
        if not count:
            return _back(batch_id, "No request matched: nothing was added.", "#add")
        return _back(batch_id, f"{count} request{'' if count == 1 else 's'} added.", "#requests")

    @post("/{batch_id:int}/requests/{reference:str}/remove")
    async def remove(self, uow: Uow, batch_id: FromPath[int], reference: FromPath[str]) -> Redirect:
        try:
            await service.remove_request(uow.session, batch_id, reference, actor=uow.staff, zone=uow.zone)
        except (Conflict, NotFound) as problem:
            raise Refusal(Redirect(f"/staff/batches/{batch_id}?problem={quote_plus(str(problem))}", status_code=303)) from problem
        return _back(batch_id, f"{reference.upper()} taken out of the batch.", "#requests")

    @get("/{batch_id:int}/preview")
    async def preview(self, db: Db, user: CurrentUser, batch_id: FromPath[int], page: FromQuery[int] = 1) -> Template:
        preview = await service.preview_batch(db, batch_id)
        pages = max(1, -(-len(preview.items) // PREVIEW_PER_PAGE))
        page = min(max(1, page), pages)
        shown = preview.items[(page - 1) * PREVIEW_PER_PAGE : page * PREVIEW_PER_PAGE]
        return Template(
            "staff/batches/preview.html",
            context={
                "preview": preview,
                "batch": preview.batch,
                "shown": shown,
                "page": page,
                "pages": pages,
                "user": user,
                "page_of": {item.request.reference: 1 + index // PREVIEW_PER_PAGE for index, item in enumerate(preview.items)},
                "per_page": PREVIEW_PER_PAGE,
                "can_approve": Role(user.role).allows(Role.MANAGER),
            },
        )

    @post("/{batch_id:int}/approve")
    async def approve(self, uow: Uow, batch_id: FromPath[int]) -> Redirect:
        try:
            await service.approve_batch(uow.session, batch_id, actor=uow.staff)
        except (Conflict, Forbidden) as problem:
            # no #workflow: the page opens at its error summary, which takes the focus (autofocus), with or without JavaScript
            raise Refusal(Redirect(f"/staff/batches/{batch_id}?problem={quote_plus(str(problem))}", status_code=303)) from problem
        return _back(batch_id, "Approved: the batch can now be published or scheduled.", "#workflow")

    @post("/{batch_id:int}/publish")
    async def publish(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, batch_id: FromPath[int]) -> Redirect:
        values = await form_data(request)
        try:
            at = None
            if values.get("when") == "later":
                at = parse_local_datetime(
                    date_value(values, PUBLISH_AT),
                    "at",
                    uow.zone,
                    required=True,
                    missing="Enter the date and time to publish, like 2026-03-02 09:30",
                )
            batch = await service.publish_batch(uow.session, batch_id, actor=uow.staff, zone=uow.zone, at=at)
        except (InvalidInput, Conflict) as problem:
            errors = {problem.field: problem.message} if isinstance(problem, InvalidInput) else {"publish": str(problem)}
            page = await self._detail(db, user, batch_id, errors=errors, values={"form": "publish", **values}, status_code=422)
            raise Refusal(page) from problem
        if batch.state == BatchState.SCHEDULED.value and batch.publish_at:
            local = batch.publish_at.astimezone(uow.zone)
            return _back(
                batch_id, f"Scheduled: every request of the batch will be published on {local.day} {local:%B %Y at %H:%M}.", "#workflow"
            )
        return _back(batch_id, "Published: every request of the batch is now on the disclosure log.", "#workflow")

    @post("/{batch_id:int}/unschedule")
    async def unschedule(self, uow: Uow, batch_id: FromPath[int]) -> Redirect:
        try:
            await service.unschedule_batch(uow.session, batch_id)
        except Conflict as problem:
            # no #workflow: the page opens at its error summary, which takes the focus (autofocus), with or without JavaScript
            raise Refusal(Redirect(f"/staff/batches/{batch_id}?problem={quote_plus(str(problem))}", status_code=303)) from problem
        return _back(batch_id, "The schedule is cancelled; the batch stays approved.", "#workflow")


class PublicBatchPages(Controller):
    opt = {"exclude_from_auth": True}

    @get("/batches/{slug:str}")
    async def batch(self, db: Db, slug: FromPath[str]) -> Template:
        return Template("public/batch.html", context={"b": await service.public_batch(db, slug), "public": True})
