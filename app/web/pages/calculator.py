"""The public deadline calculator page: answers as you type with htmx, and without JavaScript."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from app.domain.dates import DATE_PARTS, date_from_parts
from app.domain.deadlines import ClockEventType, Stage
from app.domain.errors import InvalidInput
from app.services.deadline_calculator import calculate
from app.web.dependencies import Db
from app.web.pages.forms import DateField, date_value, half_typed

EVENT_ROWS = 4
EVENT_LABELS = {event_type: event_type.label for event_type in ClockEventType}


# the calculator's dates, typed as day, month and year (or given as YYYY-MM-DD, as older links do)
CALCULATOR_DATES = (DateField("received_on", "Date received"), DateField("posted_on", "Date posted"))


def _cell(values: list[str], i: int) -> str:
    return values[i] if i < len(values) else ""


def _payload(params: Any) -> tuple[dict[str, Any], list[dict[str, str]], InvalidInput | None]:
    """The calculator input from the query string; rows with no type are blank and ignored. A date
    mistyped in its boxes is the problem returned (its date then left out)."""
    types, days, extra = params.getall("event_type", []), params.getall("event_on", []), params.getall("event_days", [])
    boxes = {part: params.getall(f"event_on-{part}", []) for part in DATE_PARTS}
    problem: InvalidInput | None = None
    rows = []
    for i in range(max(len(types), len(days), len(extra), *(len(typed) for typed in boxes.values()))):
        row = {"type": _cell(types, i), "on": _cell(days, i), "working_days": _cell(extra, i)}
        if any(_cell(typed, i) for typed in boxes.values()):
            row |= {f"on-{part}": _cell(boxes[part], i) for part in DATE_PARTS}
            try:
                found = date_from_parts(f"events[{i}].on", f"Date of event {i + 1}", *(_cell(boxes[part], i) for part in DATE_PARTS))
            except InvalidInput as refused:
                problem, row["error"] = problem or refused, refused.message
            else:
                row["on"] = found.isoformat() if found else ""
        rows.append(row)
    single = {key: params.get(key) for key in params}
    dates: dict[str, Any] = {}
    for field in CALCULATOR_DATES:
        try:
            dates[field.name] = date_value(single, field) or ""
        except InvalidInput as refused:
            problem, dates[field.name] = problem or refused, ""
    events = [
        {"type": row["type"], "on": row["on"], **({"working_days": row["working_days"]} if row["working_days"] else {})}
        for row in rows
        if row["type"]
    ]
    payload = {
        "regime": params.get("regime", "foia"),
        "stage": params.get("stage", "initial"),
        "received_on": dates["received_on"],
        "posted_on": dates["posted_on"],
        "events": events,
    }
    rows += [{"type": "", "on": "", "working_days": ""}] * max(0, EVENT_ROWS - len(rows))
    return payload, rows, problem


@get("/deadline-calculator", opt={"exclude_from_auth": True})
async def deadline_calculator(request: HTMXRequest, db: Db) -> Template | Response[None]:
    if request.htmx and half_typed(request.query_params, ("received_on", "posted_on", "event_on")):
        return Response(None, status_code=204)  # answered as typed: the date is not finished yet
    payload, rows, error = _payload(request.query_params)
    result = None
    if error is None and (payload["received_on"] or payload["posted_on"]):
        try:
            result = await calculate(db, payload)
        except InvalidInput as problem:
            error = problem
    context = {
        "values": payload,
        # what the date boxes show: as typed, else the dates read
        "typed": {
            **payload,
            **{key: request.query_params.get(key) for key in request.query_params if key.endswith(("-day", "-month", "-year"))},
        },
        "rows": rows,
        "result": result,
        "error": error,
        "stages": list(Stage),
        "event_labels": EVENT_LABELS,
    }
    if request.htmx and request.htmx.target == "result":
        # the date boxes go with the answer (out of band), marked as the page without JavaScript marks them
        return Template("public/_calculator_result.html", context={**context, "oob_dates": True})
    return Template("public/deadline_calculator.html", context=context)
