"""Staff API: one step on many requests at once (assign, add to a release batch, close as withdrawn
or lapsed), with a dry run; the same rules and all-or-nothing transaction as the staff list's bulk form."""

from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from app.services import bulk as service
from app.services.inputs import BulkIn, declared_params
from app.web.api.answers import BulkDoneJson, BulkPlanJson, errors
from app.web.auth import requires_officer
from app.web.dependencies import Db, Uow


def _plan_json(plan: service.BulkPlan) -> BulkPlanJson:
    return {
        "dry_run": True,
        "action": plan.action,
        "description": plan.description,
        "changes": [{"reference": c.reference, "status": c.status, "to_status": c.to_status, "change": c.change} for c in plan.changes],
        "refused": [{"reference": r.reference, "reason": r.reason} for r in plan.refused],
    }


class BulkApi(Controller):
    path = "/api/v1/requests/bulk"
    guards = [requires_officer]
    tags = ["requests"]

    @post("/", status_code=200, responses=errors(400, 401, 404, 409, 422))
    async def bulk(self, db: Db, uow: Uow, data: JSONBody[BulkIn]) -> BulkPlanJson | BulkDoneJson:
        """With `dry_run`, what would change and what the lifecycle refuses (and why); nothing is written.
        Otherwise every request changes, or none does: 409 naming the refused requests."""
        params = {**declared_params(data), "batch_id": data.batch_id or ""}
        if data.dry_run:
            # the read session: a dry run writes nothing
            plan = await service.plan_bulk(db, data.references, data.action, params, zone=uow.zone, on=data.on)
            return _plan_json(plan)
        operation = await service.apply_bulk(
            uow.session, data.references, data.action, params, actor=uow.staff, zone=uow.zone, on=data.on, note=data.note
        )
        return {
            "dry_run": False,
            "operation": operation.id,
            "action": operation.kind,
            "request_count": operation.request_count,
            "summary": operation.summary,
        }
