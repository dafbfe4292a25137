"""Filters and globals the templates use to show dates, states and labels the same way everywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment

from app.domain.dates import boxes_at_fault, parse_date
from app.domain.errors import sentence
from app.domain.exemptions import BY_CODE, EXEMPTIONS
from app.domain.history import event_label
from app.domain.lifecycle import BULK_ACTIONS, Status
from app.domain.notices import NoticeKind, notice_for
from app.domain.outcomes import Channel, Outcome, ReviewOutcome
from app.domain.regimes import Regime, calendars_in_words
from app.services.clock import now_utc
from app.services.correspondence import Delivery
from app.services.users import TOKEN_USE_RESOLUTION


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def short_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def _in_zone(zone: ZoneInfo) -> Callable[[date | datetime | None], date | datetime | None]:
    """Moments are stored in UTC; people read them in the authority's time zone."""

    def local(value: date | datetime | None) -> date | datetime | None:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(zone)
        return value

    return local


def local_time(value: datetime | None) -> str:
    return "" if value is None else f"{value:%H:%M}"


def token_last_used(value: datetime | None, now: datetime, zone: ZoneInfo) -> str:
    """When an API token was last used, to what is known: a use is recorded at most every few minutes
    (TOKEN_USE_RESOLUTION), so the last use lies within that time after the one recorded."""
    if value is None:
        return "Never"
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    minutes = int(TOKEN_USE_RESOLUTION.total_seconds() // 60)
    if now - value <= TOKEN_USE_RESOLUTION:
        return f"In the last {minutes} minutes"
    start, end = value.astimezone(zone), (value + TOKEN_USE_RESOLUTION).astimezone(zone)
    day = "Today" if start.date() == now.astimezone(zone).date() else short_date(start)
    return f"{day}, between {start:%H:%M} and {end:%H:%M}"


def weekday_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value:%a} {value.day} {value:%b %Y}"


def _label(enum: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()


def filesize(size: int | None) -> str:
    if size is None:
        return ""
    amount: float = size
    for unit in ("bytes", "KB", "MB", "GB"):
        if amount < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{amount:.1f} {unit}".replace(".0 ", " ")
        amount /= 1024
    return ""


_EDITED_FIELDS = {"title": "title", "channel": "channel", "date received": "received_on", "department": "department"}


def edit_lines(details: dict[str, Any] | None) -> list[str]:
    """What an edit of a request's details changed, one line each: old → new where the values are
    not personal; the request text and the requester's details only named (the history never holds them)."""
    details = details or {}
    if "changed" not in details:
        return []  # not an edit
    values = details.get("values") or {}
    lines = []
    for label in details.get("changed") or []:
        key = _EDITED_FIELDS.get(label)
        pair = values.get(key) if key else None
        if not pair:
            lines.append(f"{label.capitalize()} changed")
        elif key == "received_on":
            lines.append(f"Date received: {short_date(_day(pair[0]))} → {short_date(_day(pair[1]))}")
        else:
            shown = [f"“{_label(Channel, value) if key == 'channel' else value}”" if value else "none" for value in pair]
            lines.append(f"{label.capitalize()}: {shown[0]} → {shown[1]}")
    if details.get("due_on") and details["due_on"][0] != details["due_on"][1]:
        before, after = (weekday_date(_day(value)) or "none while the clock is stopped" for value in details["due_on"])
        lines.append(f"Due date: {before} → {after}")
    return lines


def _day(value: str | None) -> date | None:
    return parse_date(value, "due_on")


_CHANNEL_WORDS = {
    "email": "by e-mail",
    "post": "by post",
    "web": "by the web form",
    "phone": "by phone",
    "in_person": "in person",
    "whatdotheyknow": "through WhatDoTheyKnow",
}

_INCOMING_KINDS = {
    "request": "Request received",
    "reply": "Reply from the requester",
    "clarification_reply": "Clarification from the requester",
    "bounce": "Delivery failure report",
    "message": "Message from someone other than the requester",
    "review_request": "Internal review asked for by the requester",
}


def correspondence_kind_label(kind: str) -> str:
    """A notice's name, or what came in, in words."""
    try:
        return NoticeKind(kind).label
    except ValueError:
        return _INCOMING_KINDS.get(kind, kind.replace("_", " ").capitalize())


def register(environment: Environment, zone: ZoneInfo) -> None:
    local = _in_zone(zone)
    environment.filters.update(
        long_date=lambda value: long_date(local(value)),
        short_date=lambda value: short_date(local(value)),
        local_time=lambda value: local_time(local(value)),  # type: ignore[arg-type]  # given datetimes only
        token_last_used=lambda value: token_last_used(value, now_utc(), zone),
        local_day=lambda value: local(value).date() if isinstance(value, datetime) else value,  # type: ignore[union-attr]
        # the value of a datetime-local input, in the authority's zone
        datetime_local=lambda value: f"{local(value):%Y-%m-%dT%H:%M}" if isinstance(value, datetime) else "",
        weekday_date=weekday_date,
        status_label=lambda value: _label(Status, value),
        outcome_label=lambda value: _label(Outcome, value),
        review_outcome_label=lambda value: _label(ReviewOutcome, value),
        channel_label=lambda value: _label(Channel, value),
        regime_label=lambda value: _label(Regime, value),
        action_label=event_label,  # a history event, as the timeline names it
        edit_lines=edit_lines,
        filesize=filesize,
        exemption_label=lambda code: BY_CODE[code].label if code in BY_CODE else code,
        exemptions_heading=lambda regime: Regime(regime).rules.exemptions_heading,
        calendar_words=lambda regime: Regime(regime).rules.calendar_words,
    )
    environment.globals.update(
        STATUSES=list(Status),
        REGIMES=list(Regime),
        REGIME_RULES={regime.value: regime.rules for regime in Regime},
        CALENDARS_IN_WORDS=calendars_in_words(),
        CHANNELS=list(Channel),
        OUTCOMES=list(Outcome),
        REVIEW_OUTCOMES=list(ReviewOutcome),
        EXEMPTIONS=EXEMPTIONS,
        BULK_ACTIONS=BULK_ACTIONS,  # the lifecycle actions the list offers for many requests at once
        # an outcome the request's law has (no s.12 or s.14 refusal under the EIR or the EISR)
        outcome_allowed=lambda regime, outcome: Regime(regime).rules.allows_outcome(Outcome(outcome)),
        notice_of=notice_for,  # the notice a step sends, or None (app/domain/notices)
    )
    environment.filters.update(
        delivery_label=lambda value: Delivery(value).label if value else "",
        correspondence_kind=correspondence_kind_label,
        # "Received Fri 4 Dec 2026 by e-mail" / "through WhatDoTheyKnow"
        channel_words=lambda channel: _CHANNEL_WORDS.get(channel, f"by {channel}"),
        correspondence_by=lambda by: {"email": "by e-mail", "post": "by post", "web": "by the web form"}.get(by, by),
        # a field's message as the error summary lists it: a sentence naming the field by its label
        error_sentence=lambda message, label: sentence(label, str(message)),
    )
    environment.globals.update(
        # a date input's boxes a message about it names (templates/_date_input.html marks them), and
        # where an error summary's link about it goes: the first of them ("#received_on-year" for a
        # year typed short; the day box takes the field's own id)
        date_boxes=lambda message: boxes_at_fault(str(message)) if message else (),
        date_anchor=date_anchor,
    )


def date_anchor(field_id: str, message: object) -> str:
    """The id of the first box of date input `field_id` that `message` finds fault with: the field's
    own id (its day box) unless the fault is in its month, year or time alone."""
    boxes = boxes_at_fault(str(message)) if message else ()
    first = boxes[0] if boxes else "day"
    return field_id if first == "day" else f"{field_id}-{first}"
