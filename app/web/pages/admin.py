"""Admin pages: staff accounts and departments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote_plus

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from app.domain.deadlines import Nation
from app.domain.errors import InvalidInput
from app.domain.regimes import CalendarName, Regime, names_in_words
from app.services import calendar as calendar_service
from app.services import departments as department_service
from app.services import two_factor
from app.services import users as user_service
from app.services.clock import today_in
from app.services.deadlines import Calendars
from app.services.errors import Conflict
from app.services.inputs import DepartmentIn, read_form
from app.web.auth import requires_admin
from app.web.dependencies import AppSettings, CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import DateField, date_value, form_data

# the day a calendar correction is for, typed as day, month and year
CORRECTION_DAY = DateField("day", "Date", missing="Enter the date of the day off or working day")


class AdminPages(Controller):
    path = "/staff/admin"
    guards = [requires_admin]

    @get("/users")
    async def users(self, db: Db, user: CurrentUser, done: FromQuery[str | None] = None) -> Template:
        return await self._users_page(db, user, {}, {}, 200, message=done)

    @post("/users")
    async def create_user(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser) -> Redirect:
        values = await form_data(request)
        try:
            created = await user_service.create_user(
                uow.session,
                email=values.get("email", ""),
                name=values.get("name", ""),
                role=values.get("role", ""),
                password=values.get("password", ""),
                department=values.get("department") or None,
            )
        except InvalidInput as problem:
            raise Refusal(await self._users_page(db, user, values, {problem.field: problem.message}, 422)) from problem
        except Conflict as problem:
            raise Refusal(await self._users_page(db, user, values, {"email": str(problem)}, 409)) from problem
        return Redirect(f"/staff/admin/users?done=Account+created+for+{created.name}", status_code=303)

    @get("/users/{user_id:int}/deactivate")
    async def confirm_deactivate(self, db: Db, user: CurrentUser, user_id: FromPath[int]) -> Template:
        """Asks before deactivating someone: it signs them out everywhere at once."""
        target = await user_service.deactivation_target(db, user_id, by=user)
        return Template("staff/admin/user_deactivate.html", context={"user": user, "target": target})

    @post("/users/{user_id:int}/active")
    async def set_active(self, request: Request[Any, Any, Any], uow: Uow, user: CurrentUser, user_id: FromPath[int]) -> Redirect:
        values = await form_data(request)
        active = values.get("active") == "1"
        if not active and values.get("confirmed") != "yes":
            # only the confirmation page's form deactivates: anything else is shown that page first
            return Redirect(f"/staff/admin/users/{user_id}/deactivate", status_code=303)
        changed = await user_service.set_active(uow.session, user_id, active, by=user)
        state = "reactivated" if changed.is_active else "deactivated and signed out everywhere"
        return Redirect(f"/staff/admin/users?done={quote_plus(f'{changed.name} {state}')}", status_code=303)

    @post("/users/{user_id:int}/department")
    async def set_department(
        self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, user_id: FromPath[int]
    ) -> Redirect:
        """The department a member of staff works for (with FOI_DEPARTMENT_SCOPE on, an officer sees its requests only)."""
        values = await form_data(request)
        try:
            changed = await user_service.set_department(uow.session, user_id, str(values.get("department") or ""))
        except InvalidInput as problem:
            raise Refusal(await self._users_page(db, user, {}, {}, 422, message=f"Department: {problem.message}")) from problem
        slug = str(values.get("department") or "").strip()
        said = f"{changed.name} is now in {f'department {slug}' if changed.department_id else 'no department'}"
        return Redirect(f"/staff/admin/users?done={quote_plus(said)}", status_code=303)

    @get("/users/{user_id:int}/two-factor/reset")
    async def confirm_reset_two_factor(self, db: Db, user: CurrentUser, user_id: FromPath[int]) -> Template:
        """Asks before resetting someone's two-factor authentication, saying what it does."""
        target = await two_factor.reset_target(db, user_id, by=user)
        return Template("staff/admin/two_factor_reset.html", context={"user": user, "target": target})

    @post("/users/{user_id:int}/two-factor/reset")
    async def reset_two_factor(self, request: Request[Any, Any, Any], uow: Uow, user: CurrentUser, user_id: FromPath[int]) -> Redirect:
        """Turns off someone's two-factor authentication (a lost phone and no recovery codes), recorded with who did it."""
        values = await form_data(request)
        if values.get("confirmed") != "yes":
            # only the confirmation page's form resets: anything else is shown that page first
            return Redirect(f"/staff/admin/users/{user_id}/two-factor/reset", status_code=303)
        changed = await two_factor.reset_by_id(uow.session, user_id, by=user, now=uow.now)
        said = f"Two-factor authentication reset for {changed.name}: they are signed out everywhere, sign in with their password and can set it up again."
        return Redirect(f"/staff/admin/users?done={quote_plus(said)}", status_code=303)

    @get("/tokens")
    async def tokens(self, db: Db, user: CurrentUser, done: FromQuery[str | None] = None) -> Template:
        """Every member of staff's API tokens, to revoke any of them."""
        return Template("staff/admin/tokens.html", context={"tokens": await user_service.list_tokens(db), "user": user, "message": done})

    @post("/tokens/{token_id:int}/revoke")
    async def revoke_token(self, uow: Uow, user: CurrentUser, token_id: FromPath[int]) -> Redirect:
        token = await user_service.revoke_token(uow.session, token_id, by=user)
        said = f"The token ‘{token.label}’ is revoked: it no longer works."
        return Redirect(f"/staff/admin/tokens?done={quote_plus(said)}", status_code=303)

    async def _users_page(
        self,
        db: Db,
        user: CurrentUser,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int,
        message: str | None = None,
    ) -> Template:
        return Template(
            "staff/admin/users.html",
            context={
                "users": await user_service.list_users(db),
                "roles": list(user_service.Role),
                "departments": await department_service.list_departments(db),
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
    async def create_department(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser) -> Redirect:
        values = await form_data(request)
        try:
            department = read_form(DepartmentIn, values)
            created = await department_service.create_department(uow.session, name=department.name, slug=department.slug)
        except InvalidInput as problem:
            raise Refusal(await self._departments_page(db, user, values, {problem.field: problem.message}, 422)) from problem
        except Conflict as problem:
            raise Refusal(await self._departments_page(db, user, values, {"slug": str(problem)}, 409)) from problem
        return Redirect(f"/staff/admin/departments?done={created.name}+added", status_code=303)

    async def _departments_page(
        self,
        db: Db,
        user: CurrentUser,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int,
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


class CalendarPages(Controller):
    """Bank holiday corrections: adding or removing a day moves every open due date it affects."""

    path = "/staff/admin/calendar"
    guards = [requires_admin]

    @get("/")
    async def calendar(self, db: Db, settings: AppSettings, user: CurrentUser, done: FromQuery[str | None] = None) -> Template:
        return await self._page(db, settings, user, {}, {}, 200, message=done)

    @post("/")
    async def add(self, request: Request[Any, Any, Any], db: Db, uow: Uow, settings: AppSettings, user: CurrentUser) -> Redirect:
        values = await form_data(request)
        try:
            day = date_value(values, CORRECTION_DAY)  # typed as day, month and year
            correction = read_form(
                calendar_service.CorrectionIn, {"nation": "", "change": "", "name": "", "reason": "", **values, "day": day}
            )
            report = await calendar_service.add_correction(uow.session, **correction.fields(), actor=uow.staff, zone=uow.zone)
        except InvalidInput as problem:
            raise Refusal(await self._page(db, settings, user, values, {problem.field: problem.message}, 422)) from problem
        except Conflict as problem:
            raise Refusal(await self._page(db, settings, user, values, {"day": str(problem)}, 409)) from problem
        return Redirect(f"/staff/admin/calendar?done={quote_plus(_report_text('Correction saved', report))}", status_code=303)

    @post("/{correction_id:int}/delete")
    async def remove(self, uow: Uow, correction_id: FromPath[int]) -> Redirect:
        report = await calendar_service.remove_correction(uow.session, correction_id, actor=uow.staff, zone=uow.zone)
        return Redirect(f"/staff/admin/calendar?done={quote_plus(_report_text('Correction removed', report))}", status_code=303)

    async def _page(
        self,
        db: Db,
        settings: AppSettings,
        user: CurrentUser,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int,
        message: str | None = None,
    ) -> Template:
        today = today_in(settings.zone)
        calendars = await Calendars.load(db)
        upcoming = {
            f"{label} ({where})": calendars.for_regime(regime).holidays_between(today, today + timedelta(days=365))
            for label, where, regime in _calendars_shown()
        }
        return Template(
            "staff/admin/calendar.html",
            context={
                "corrections": await calendar_service.list_corrections(db),
                "upcoming": upcoming,
                "calendar_names": [(label, where) for label, where, _ in _calendars_shown()],
                "nations": list(Nation),
                "values": values,
                "errors": errors,
                "user": user,
                "message": message,
            },
            status_code=status_code,
        )


def _report_text(what: str, report: calendar_service.RecomputeReport) -> str:
    moved = f"{report.moved} due date{'' if report.moved == 1 else 's'} moved"
    return f"{what}: {report.checked} open request{'' if report.checked == 1 else 's'} checked, {moved}."


def _calendars_shown() -> list[tuple[str, str, Regime]]:
    """One row per working-day calendar, naming the regimes that count on it: "FOIA and EIR"."""
    by_calendar: dict[CalendarName, list[Regime]] = {}
    for regime in Regime:
        by_calendar.setdefault(regime.rules.calendar, []).append(regime)
    return [(names_in_words(regimes), calendar.where, regimes[0]) for calendar, regimes in by_calendar.items()]
