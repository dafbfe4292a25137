"""Reading HTML form posts: one value or many per field, trimmed."""

from __future__ import annotations

from typing import Any

from litestar import Request


async def form_data(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Single-valued fields as strings; fields sent several times (checkboxes, multi-selects) as lists."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form:
        values = form.getall(key)
        data[key] = (
            [v.strip() if isinstance(v, str) else v for v in values]
            if len(values) > 1
            else (values[0].strip() if isinstance(values[0], str) else values[0])
        )
    return data


def as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [v for v in value if v]
    return [value]
