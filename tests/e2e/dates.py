"""Dates typed as a person types them into the GOV.UK date input (templates/_date_input.html): the
day, month and year boxes of the group its legend names."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from playwright.sync_api import expect


def date_group(scope: Any, legend: str | re.Pattern[str]) -> Any:
    """The fieldset of one date, by its legend (its accessible name)."""
    return scope.get_by_role("group", name=legend)


def fill_date(scope: Any, legend: str | re.Pattern[str], day: date | tuple[str, str, str], *, time: str | None = None) -> None:
    """Types `day` (or three strings as typed, typos included) into the boxes, then leaves the last box,
    as a person does, so a form listening for `change` hears it."""
    group = date_group(scope, legend)
    parts = (str(day.day), str(day.month), str(day.year)) if isinstance(day, date) else day
    for label, text in zip(("Day", "Month", "Year"), parts, strict=True):
        group.get_by_label(label, exact=True).fill(text)
    last = group.get_by_label("Year", exact=True)
    if time is not None:
        last = group.get_by_label("Time, for example 14:30", exact=True)
        last.fill(time)
    last.dispatch_event("change")


def expect_date(scope: Any, legend: str | re.Pattern[str], day: date) -> None:
    group = date_group(scope, legend)
    for label, text in zip(("Day", "Month", "Year"), (str(day.day), str(day.month), str(day.year)), strict=True):
        expect(group.get_by_label(label, exact=True)).to_have_value(text)
