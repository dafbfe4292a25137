"""Admin pages: staff accounts and departments."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from app.domain.errors import InvalidInput
from app.services import departments as department_service
from app.services import users as user_service
from app.services.errors import Conflict
from app.web.auth import requires_admin
from app.web.pages.forms import form_data
from app.web.dependencies import CurrentUser, Db


class AdminPages(Controller):
    path = "/staff/admin"
    guards = [requires_admin]

    @get("/users")
    async def users(self, db: Db, user: CurrentUser, done: FromQuery[str | None] = None) -> Template:
        return await self._users_page(db, user, {}, {}, 200, message=done)

    @post("/users")
    async def create_user(self, request: Request[Any, Any, Any], db: Db, user: CurrentUser) -> Template | Redirect:
        values = await form_data(request)
        try:
            created = await user_service.create_user(
                db,
                email=values.get("email", ""),
                name=values.get("name", ""),
                role=values.get("role", ""),
                password=values.get("password", ""),
            )
        except InvalidInput as problem:
            return await self._users_page(db, user, values, {problem.field: problem.message}, 422)
        except Conflict as problem:
            return await self._users_page(db, user, values, {"email": str(problem)}, 409)
        return Redirect(f"/staff/admin/users?done=Account+created+for+{created.name}", status_code=303)

    @post("/users/{user_id:int}/active")
    async def set_active(self, request: Request[Any, Any, Any], db: Db, user: CurrentUser, user_id: FromPath[int]) -> Template | Redirect:
        values = await form_data(request)
        if user_id == user.id:
            return await self._users_page(db, user, {}, {}, 409, message="You cannot deactivate your own account.")
        changed = await user_service.set_active(db, user_id, values.get("active") == "1")
        state = "reactivated" if changed.is_active else "deactivated"
        return Redirect(f"/staff/admin/users?done={changed.name}+{state}", status_code=303)

    async def _users_page(
        self, db: Db, user: CurrentUser, values: dict[str, Any], errors: dict[str, str], status_code: int,
        message: str | None = None,
    ) -> Template:
        return Template(
            "staff/admin/users.html",
            context={
                "users": await user_service.list_users(db),
                "roles": list(user_service.Role),
                "values": values,
                "errors": errors,
                "user": user,
                "message": message,
            },
            status_code=status_code,
        )

    @get("/departments")
    async def departments(self, db: Db, user: CurrentUser, done: FromQuery[str | None] = None) -> Template:
        return await self._departments_page(db, user, {}, {}, 200, message=done)

    @post("/departments")
    async def create_department(self, request: Request[Any, Any, Any], db: Db, user: CurrentUser) -> Template | Redirect:
        values = await form_data(request)
        try:
            created = await department_service.create_department(db, name=values.get("name", ""), slug=values.get("slug") or None)
        except InvalidInput as problem:
            return await self._departments_page(db, user, values, {problem.field: problem.message}, 422)
        except Conflict as problem:
            return await self._departments_page(db, user, values, {"slug": str(problem)}, 409)
        return Redirect(f"/staff/admin/departments?done={created.name}+added", status_code=303)

    async def _departments_page(
        self, db: Db, user: CurrentUser, values: dict[str, Any], errors: dict[str, str], status_code: int,
        message: str | None = None,
    ) -> Template:
        return Template(
            "staff/admin/departments.html",
            context={
                "departments": await department_service.list_departments(db),
                "values": values,
                "errors": errors,
                "user": user,
                "message": message,
            },
            status_code=status_code,
        )
