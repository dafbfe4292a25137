from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import JSONBody

from app.services import departments as service
from app.web.api.schemas import DepartmentIn
from app.web.auth import requires_admin, requires_officer
from app.web.dependencies import Db, Uow


class DepartmentsApi(Controller):
    path = "/api/v1/departments"
    tags = ["departments"]

    @get("/", guards=[requires_officer])
    async def list_departments(self, db: Db) -> list[dict[str, Any]]:
        return [{"slug": d.slug, "name": d.name} for d in await service.list_departments(db)]

    @post("/", guards=[requires_admin])
    async def create_department(self, uow: Uow, data: JSONBody[DepartmentIn]) -> dict[str, Any]:
        department = await service.create_department(uow.session, name=data.name, slug=data.slug)
        return {"slug": department.slug, "name": department.name}
