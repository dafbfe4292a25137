from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import JSONBody

from app.services import departments as service
from app.services.inputs import DepartmentIn
from app.web.api.answers import DepartmentJson, errors
from app.web.auth import requires_admin, requires_officer
from app.web.dependencies import Db, Uow


class DepartmentsApi(Controller):
    path = "/api/v1/departments"
    tags = ["departments"]

    @get("/", guards=[requires_officer], responses=errors(401))
    async def list_departments(self, db: Db) -> list[DepartmentJson]:
        return [{"slug": d.slug, "name": d.name} for d in await service.list_departments(db)]

    @post("/", guards=[requires_admin], responses=errors(400, 401, 403, 409, 422))
    async def create_department(self, uow: Uow, data: JSONBody[DepartmentIn]) -> DepartmentJson:
        department = await service.create_department(uow.session, name=data.name, slug=data.slug)
        return {"slug": department.slug, "name": department.name}
