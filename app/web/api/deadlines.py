"""The public deadline calculator API."""

from __future__ import annotations

from litestar import post
from litestar.params import JSONBody

from app.services.deadline_calculator import CalculatorResult, calculate
from app.services.inputs import CalculationIn
from app.web.api.answers import CalculationJson, errors
from app.web.dependencies import Db


def calculation_json(result: CalculatorResult) -> CalculationJson:
    deadline = result.deadline
    return {
        "due_on": deadline.due_on.isoformat() if deadline.due_on else None,
        "working_days": deadline.working_days_limit,
        "explanation": list(deadline.explanation),
        "clock_stopped": deadline.clock_stopped,
        "stopped_reason": deadline.stopped_reason,
        "original_due_on": deadline.original_due_on.isoformat() if deadline.original_due_on else None,
        "effective_received_on": deadline.effective_received_on.isoformat(),
        "received_on": result.calculation.received_on.isoformat(),
        "flags": list(deadline.flags),
        "warnings": list(deadline.warnings),
        "calendar_version": deadline.calendar_version,
        "days": [
            {"date": entry.day.isoformat(), "kind": entry.kind, "number": entry.number, "reason": entry.reason} for entry in result.days
        ],
    }


# public: no one is signed in for it, so a token sent along (even a revoked one) is not read
@post("/api/v1/deadlines/calculate", status_code=200, tags=["deadlines"], responses=errors(400, 422), opt={"exclude_from_auth": True})
async def calculate_deadline(db: Db, data: JSONBody[CalculationIn]) -> CalculationJson:
    """The statutory due date for a request received on a date, with its clock events (the body:
    `CalculationIn`). `due_on` is null while the clock is stopped."""
    return calculation_json(await calculate(db, data.as_sent()))
