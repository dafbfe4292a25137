"""Dates and times as people type them: the one reader of every date the product is given (forms,
query strings, JSON checked by hand, the command line), so that every field accepts the same
spelling and refuses it with the same words.

A date is written YYYY-MM-DD (ISO 8601's calendar date, as the API's JSON carries it: docs/contract.md);
a local date and time is that date and HH:MM, in the authority's time zone. The CSV import also
takes the DD/MM/YYYY that UK spreadsheets write (`app/domain/imports.py`), beside this rule.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Literal, overload
from zoneinfo import ZoneInfo

from app.domain.errors import InvalidInput

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCAL_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$")

# what a refusal repeats of the value: enough to recognise it, never a whole pasted text
_SHOWN = 30


def read_iso_date(text: str) -> date | None:
    """`text` as YYYY-MM-DD (surrounding spaces aside), or None if it is not a real date so written.
    Stricter than `date.fromisoformat`, which since Python 3.11 also takes 20260102 and 2026-W01-1."""
    text = text.strip()
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return None


@overload
def parse_date(value: object, field: str, *, required: Literal[True], missing: str = ...) -> date: ...
@overload
def parse_date(value: object, field: str, *, required: bool = False, missing: str = ...) -> date | None: ...
def parse_date(value: object, field: str, *, required: bool = False, missing: str = "give a date as YYYY-MM-DD") -> date | None:
    """A date given for `field`: a `date` as it is (a datetime's day), text as YYYY-MM-DD.

    Empty (None or blank) is None, or refused with `missing` when the field is required; anything
    else is refused by `field` in words a person can act on: "'31/02' is not a date (use YYYY-MM-DD)".
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(field, missing)
        return None
    if not isinstance(value, str):
        # a number or a list sent by a script: refused by name, never a crash
        raise InvalidInput(field, "must be a date (YYYY-MM-DD)")
    found = read_iso_date(value)
    if found is None:
        raise InvalidInput(field, f"'{value.strip()[:_SHOWN]}' is not a date (use YYYY-MM-DD)")
    return found


@overload
def parse_local_datetime(value: object, field: str, zone: ZoneInfo, *, required: Literal[True], missing: str = ...) -> datetime: ...
@overload
def parse_local_datetime(value: object, field: str, zone: ZoneInfo, *, required: bool = False, missing: str = ...) -> datetime | None: ...
def parse_local_datetime(
    value: object, field: str, zone: ZoneInfo, *, required: bool = False, missing: str = "give a date and time, like 2026-03-02 09:30"
) -> datetime | None:
    """A moment typed as a local date and time (YYYY-MM-DD HH:MM, or with the T of a datetime-local
    input), in the authority's time zone `zone`; seconds are allowed, an offset is not (the form
    means local time). Empty is None, or refused with `missing` when required."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(field, missing)
        return None
    text = value.strip() if isinstance(value, str) else ""
    match = _LOCAL_MOMENT.match(text)
    day = read_iso_date(match.group(1)) if match else None
    if match is None or day is None:
        raise InvalidInput(field, f"'{text[:_SHOWN]}' is not a date and time: give a date and time, like 2026-03-02 09:30")
    hour, minute, second = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidInput(field, f"'{text[:_SHOWN]}' is not a time of day: give a date and time, like 2026-03-02 09:30")
    return datetime.combine(day, time(hour, minute, second), tzinfo=zone)


# the three boxes of a date typed as day, month and year (the GOV.UK date input pattern)
DATE_PARTS = ("day", "month", "year")


def _part_text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def date_from_parts(
    field: str,
    label: str,
    day: object,
    month: object,
    year: object,
    *,
    required: bool = False,
    missing: str | None = None,
    latest: date | None = None,
) -> date | None:
    """A date typed in three boxes (day, month, year), refused in the words a person reads beside
    them: "Date received must include a month", "... must be a real date", "... must include a year
    with 4 numbers" (a year typed "26" is not guessed), "... must be today or in the past" after `latest`.

    `label` names the date as the form does ("Date received"); all three empty is None, or refused
    with `missing` ("Enter the date the request was received") when the date is required.
    """
    parts = {"day": _part_text(day), "month": _part_text(month), "year": _part_text(year)}
    absent = [name for name in DATE_PARTS if not parts[name]]
    if len(absent) == len(DATE_PARTS):
        if required:
            raise InvalidInput(field, missing or f"Enter {label[0].lower()}{label[1:]}")
        return None
    if absent:
        raise InvalidInput(field, f"{label} must include a {' and '.join(absent)}")
    if not all(text.isascii() and text.isdigit() for text in parts.values()) or len(parts["day"]) > 2 or len(parts["month"]) > 2:
        raise InvalidInput(field, f"{label} must be a real date")
    if len(parts["year"]) != 4:
        raise InvalidInput(field, f"{label} must include a year with 4 numbers")
    try:
        found = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:  # 31 2 2026, month 13, year 0000
        raise InvalidInput(field, f"{label} must be a real date") from None
    if latest is not None and found > latest:
        raise InvalidInput(field, f"{label} must be today or in the past")
    return found


def spoken_date(day: date) -> str:
    """A date as a message a person reads says it: "1 December 2026" (GOV.UK style), never
    "2026-12-01", whatever the process locale."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def time_of_day(value: object, field: str, label: str) -> time | None:
    """A time of day typed as "14:30" (or "9.30"): None when empty, otherwise refused with
    "<label> must be a real time, like 09:30 or 14:30", whatever the date beside it says, so a
    form reports a wrong time with its other problems, not after they are put right."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None
    match = _CLOCK.match(text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InvalidInput(field, f"{label} must be a real time, like 09:30 or 14:30")
    return time(int(match.group(1)), int(match.group(2)))


def check_period(date_from: date | None, date_to: date | None, *, field: str, from_label: str, to_label: str) -> None:
    """A period typed as two dates must not end before it starts: refused by the second (`field`),
    in the form's own labels ("The 'Released to' date must be the same as or after the 'Released
    from' date"), instead of finding nothing and saying nothing."""
    if date_from is not None and date_to is not None and date_to < date_from:
        raise InvalidInput(field, f"The \u2018{to_label}\u2019 date must be the same as or after the \u2018{from_label}\u2019 date")


def boxes_at_fault(message: str) -> tuple[str, ...]:
    """Which of a date input's boxes (day, month, year, time) a message about it names, in their
    order, for marking them invalid and linking the error summary to the first: "... must include a
    month and year" the month and year, "... must include a year with 4 numbers" the year, "... must
    include a time" or "... must be a real time" the time; any other message the whole date."""
    said = message.split("must include a ", 1)[1] if "must include a " in message else ""
    if said:
        said = said.replace("year with 4 numbers", "year")
        return tuple(part for part in (*DATE_PARTS, "time") if part in said)
    wrong_time = "must be a real time" in message
    wrong_date = not wrong_time or "must be a real date" in message or "must include" in message
    return (DATE_PARTS if wrong_date else ()) + (("time",) if wrong_time else ())
