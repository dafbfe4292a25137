"""Admin API for corrections to the bank holiday calendar."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from app.services import calendar as service
from app.web.api.answers import CorrectionJson, RecomputeJson, errors
from app.web.auth import requires_admin, requires_officer
from app.web.dependencies import Db, Uow


def _report(report: service.RecomputeReport) -> RecomputeJson:
    return {"open_requests_checked": report.checked, "due_dates_moved": report.moved, "calendar_versions": list(report.calendar_versions)}


class CalendarApi(Controller):
    path = "/api/v1/calendar/corrections"
    tags = ["calendar"]

    @get("/", guards=[requires_officer], responses=errors(401))
    async def list_corrections(self, db: Db) -> list[CorrectionJson]:
        return [
            {
                "id": c.id,
                "day": c.day.isoformat(),
                "nation": c.nation,
                "change": c.change,
                "name": c.name,
                "reason": c.reason,
                "source": c.source,
            }
            for c in await service.list_corrections(db)
        ]

    @post("/", guards=[requires_admin], responses=errors(400, 401, 403, 409, 422))
    async def add_correction(self, uow: Uow, data: JSONBody[service.CorrectionIn]) -> RecomputeJson:
        report = await service.add_correction(uow.session, **data.fields(), actor=uow.staff, zone=uow.zone)
        return _report(report)

    @delete("/{correction_id:int}", guards=[requires_admin], status_code=200, responses=errors(400, 401, 403, 404))
    async def remove_correction(self, uow: Uow, correction_id: FromPath[int]) -> RecomputeJson:
        return _report(await service.remove_correction(uow.session, correction_id, actor=uow.staff, zone=uow.zone))
