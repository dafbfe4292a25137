"""Reading HTML form posts: one value or many per field, trimmed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request

from app.domain.action_params import Param, ParamKind
from app.domain.dates import DATE_PARTS, date_from_parts, time_of_day
from app.domain.errors import InvalidInput
from app.domain.lifecycle import ACTION_PARAMETERS


def _tidy(value: Any) -> Any:
    # browsers send a textarea's lines ending in CRLF (HTML's form encoding); everything else in
    # the product (the API, htmx, imports) sends LF: one form of text, so the same words compare equal
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() if isinstance(value, str) else value


async def form_data(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Single-valued fields as strings; fields sent several times (checkboxes, multi-selects) as lists."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form:
        values = form.getall(key)
        data[key] = [_tidy(v) for v in values] if len(values) > 1 else _tidy(values[0])
    return data


def as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [v for v in value if v]
    return [value]


def action_form_params(values: dict[str, Any], params: tuple[Param, ...] = ACTION_PARAMETERS) -> dict[str, Any]:
    """The lifecycle parameters a form sends, by their declared names (app/domain/action_params.py):
    codes ticked as a list, other fields when filled in."""
    found: dict[str, Any] = {}
    for param in params:
        if param.kind is ParamKind.EXEMPTIONS:
            if param.name in values:
                found[param.name] = as_list(values[param.name])
        elif values.get(param.name):
            found[param.name] = values[param.name]
    return found


@dataclass(frozen=True)
class DateField:
    """A date a form asks for in three boxes (templates/_date_input.html), by the name the services
    read it under and the words its legend and messages use.

    `missing` makes it required (its words: "Enter the date the request was received"); `past`
    refuses a day after today; `time` adds a box for the time of day ("14:30"), joined to the date
    as "YYYY-MM-DDTHH:MM" (the authority's local time, as `parse_local_datetime` reads it)."""

    name: str
    label: str
    missing: str | None = None
    past: bool = False
    time: bool = False
    # the time box's name in a message ("Time to publish must be a real time, like 09:30 or 14:30")
    time_label: str = "Time"


# a request's receipt (the new request and edit forms), typed as day, month and year
RECEIPT_DATES = (
    # required: a request's clock starts from it, so an empty one is never taken as today
    DateField("received_on", "Date the request was received", missing="Enter the date the request was received", past=True),
    DateField("posted_on", "Date the letter was posted", past=True),
)
# the day a step happened (empty: today)
STEP_DATE = DateField("on", "Date it happened", past=True)
# a publication's time: a date and a time of day, in the authority's time zone
PUBLISH_AT = DateField("at", "Date to publish", missing="Enter the date and time to publish", time=True, time_label="Time to publish")
BATCH_PUBLISH_AT = DateField("publish_at", "Date to publish", time=True, time_label="Time to publish")


def typed_date(values: Mapping[str, Any], field: DateField, *, today: date | None = None) -> str | None:
    """The date typed in `field`'s boxes as the ISO text the services read ("" when left empty), or
    None when the form sent no boxes, so the single ISO value under the field's own name stands (a
    bookmarked `?from=2026-01-01`, a script's post). Refused with the words to show beside the boxes."""
    boxes = [f"{field.name}-{part}" for part in DATE_PARTS] + ([f"{field.name}-time"] if field.time else [])
    if not any(box in values for box in boxes):
        return None
    day, month, year = (_one(values.get(f"{field.name}-{part}")) for part in DATE_PARTS)

    def the_date() -> date | None:
        return date_from_parts(
            field.name,
            field.label,
            day,
            month,
            year,
            required=field.missing is not None,
            missing=field.missing,
            latest=today if field.past else None,
        )

    if not field.time:
        found = the_date()
        return found.isoformat() if found else ""
    # a date and a time of day: a problem with each is said at once, never the time's after the date's is put right
    clock_text = _one(values.get(f"{field.name}-time")).strip()
    problems: list[str] = []
    try:
        clock = time_of_day(clock_text, field.name, field.time_label)
    except InvalidInput as problem:
        clock, problems = None, [problem.message]
    try:
        found = the_date()
    except InvalidInput as problem:
        found, problems = None, [problem.message, *problems]
    else:
        if found is None and clock_text:
            problems.insert(0, f"{field.label} must include a day, month and year")
        elif found is not None and not clock_text:
            problems.append(f"{field.label} must include a time")
    if problems:
        raise InvalidInput(field.name, ". ".join(problems))
    if found is None or clock is None:
        return ""
    return f"{found.isoformat()}T{clock:%H:%M}"


def date_value(values: Mapping[str, Any], field: DateField, *, today: date | None = None) -> Any:
    """What to read as `field`'s date: the ISO text joined from its boxes, or the value sent under its
    name when the form sent no boxes. A date mistyped in the boxes is refused (InvalidInput)."""
    found = typed_date(values, field, today=today)
    return values.get(field.name) if found is None else found


def half_typed(values: Any, names: Iterable[str]) -> bool:
    """Whether a date's boxes are filled in part (a day typed, its month and year not yet): a page
    that answers as the person types waits for the rest (htmx leaves the page as it is on a 204)."""
    for name in names:
        boxes = [
            values.getall(f"{name}-{part}", []) if hasattr(values, "getall") else [values.get(f"{name}-{part}") or ""]
            for part in DATE_PARTS
        ]
        for row in range(max(map(len, boxes))):  # a box not sent at all is empty
            filled = [row < len(typed) and bool(str(typed[row]).strip()) for typed in boxes]
            if any(filled) and not all(filled):
                return True
    return False


def read_dates(
    values: Mapping[str, Any], fields: Iterable[DateField], *, today: date | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's values with each date typed in boxes joined into its ISO text under the field's
    name, and a message by field name for each date refused (its value then left empty, so nothing
    half-read reaches a service; the page shows the message and saves nothing)."""
    joined, errors = dict(values), {}
    for field in fields:
        try:
            found = typed_date(values, field, today=today)
        except InvalidInput as problem:
            joined[field.name], errors[field.name] = "", problem.message
        else:
            if found is not None:
                joined[field.name] = found
    return joined, errors


def _one(value: Any) -> str:
    """A box's text; a box sent twice (a forged form) counts by its first value."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""
