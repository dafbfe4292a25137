"""Reading HTML form posts: one value or many per field, trimmed."""

from __future__ import annotations

from typing import Any

from litestar import Request

from app.domain.action_params import Param, ParamKind
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
