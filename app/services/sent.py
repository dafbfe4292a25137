"""Input fields taken as the JSON (or form) sent them, for inputs whose service checks every value
itself and reports every problem at once by field (an edit of a request's details, the deadline
calculator): decoding never refuses them, and the API documents each as the type it should be."""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta


def _documented_as(schema: dict[str, Any]) -> Any:
    return Annotated[Any, Meta(extra_json_schema={"extra": schema})]


SentText = _documented_as({"type": "string"})
SentTextOrNull = _documented_as({"type": ["string", "null"]})
SentInteger = _documented_as({"type": "integer"})
SentDate = _documented_as({"type": "string", "format": "date"})
