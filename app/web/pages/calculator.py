"""The public deadline calculator page: answers as you type with htmx, and without JavaScript."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from app.domain.deadlines import ClockEventType, Stage
from app.domain.errors import InvalidInput
from app.services.deadline_calculator import calculate
from app.web.dependencies import Db

EVENT_ROWS = 4
EVENT_LABELS = {event_type: event_type.label for event_type in ClockEventType}


def _payload(params: Any) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The calculator input from the query string; rows with no type are blank and ignored."""
    types, days, extra = params.getall("event_type", []), params.getall("event_on", []), params.getall("event_days", [])
    rows = [
        {
            "type": types[i] if i < len(types) else "",
            "on": days[i] if i < len(days) else "",
            "working_days": extra[i] if i < len(extra) else "",
        }
        for i in range(max(len(types), len(days), len(extra)))
    ]
    events = [
        {"type": row["type"], "on": row["on"], **({"working_days": row["working_days"]} if row["working_days"] else {})}
        for row in rows
        if row["type"]
    ]
    payload = {
        "regime": params.get("regime", "foia"),
        "stage": params.get("stage", "initial"),
        "received_on": params.get("received_on", ""),
        "posted_on": params.get("posted_on", ""),
        "events": events,
    }
    rows += [{"type": "", "on": "", "working_days": ""}] * max(0, EVENT_ROWS - len(rows))
    return payload, rows


@get("/deadline-calculator", opt={"exclude_from_auth": True})
async def deadline_calculator(request: HTMXRequest, db: Db) -> Template:
    payload, rows = _payload(request.query_params)
    result, error = None, None
    if payload["received_on"] or payload["posted_on"]:
        try:
            result = await calculate(db, payload)
        except InvalidInput as problem:
            error = problem
    context = {
        "values": payload,
        "rows": rows,
        "result": result,
        "error": error,
        "stages": list(Stage),
        "event_labels": EVENT_LABELS,
    }
    if request.htmx and request.htmx.target == "result":
        return Template("public/_calculator_result.html", context=context)
    return Template("public/deadline_calculator.html", context=context)
