"""The public deadline calculator API."""

from __future__ import annotations

from typing import Any

from litestar import post
from litestar.params import JSONBody

from app.services.deadline_calculator import calculate
from app.web.dependencies import Db


@post("/api/v1/deadlines/calculate", status_code=200, tags=["deadlines"])
async def calculate_deadline(db: Db, data: JSONBody[dict[str, Any]]) -> dict[str, Any]:
    """The statutory due date for a request received on a date, with its clock events.

    Body: {"regime": "foia|eir|foisa", "stage": "initial|internal_review", "received_on": "YYYY-MM-DD",
    "events": [{"type": "fee_notice_issued", "on": "YYYY-MM-DD"}, ...]}. `due_on` is null while the
    clock is stopped.
    """
    return (await calculate(db, data)).as_json()
