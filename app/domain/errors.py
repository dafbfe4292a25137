"""Errors the domain and the use cases raise: one hierarchy, each kind naming the HTTP status it
answers with, which the web layer reads (`app/web/errors.py`) instead of keeping its own table.

The status is a plain number, so the domain stays free of any framework. The statuses are part of
the public surface (docs/contract.md, "HTTP"): 422 bad input, 403 wrong role, 404 unknown, 409
conflict (an illegal transition, a stale version), 410 removed under the retention policy, 413 too
large, 415 file type refused.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar


class DomainError(Exception):
    """A rule of the product was broken by the input."""

    status_code: ClassVar[int] = 400

    def details(self) -> dict[str, Any]:
        """What an API answer adds beside the message (the field at fault, the actions allowed now)."""
        return {}


# a message that needs its field named before it to make a sentence: "cannot be in the future"
_NEEDS_SUBJECT = ("must ", "is ", "are ", "cannot ", "can only ", "at most ", "should ")


def sentence(label: str, message: str) -> str:
    """A field's message as a sentence that stands alone, as an error summary lists it: one already
    a sentence ("Date the request was received must include a month") as it is; a predicate after
    the field's label ("Date received cannot be in the future", "Title must be at most 300
    characters"); anything else after the label and a colon ("Regime: choose one of ...")."""
    message = message.strip()
    if not message or message[0].isupper():
        return message
    if message.startswith("at most "):
        message = f"must be {message}"
    if message.startswith(_NEEDS_SUBJECT):
        return f"{label} {message}"
    return f"{label}: {message}"


# the fields as people know them (the forms' labels), for a message said away from its field: an API
# answer's `detail` (whose `field` keeps the name), an error page, a command's output
_FIELD_WORDS = {
    "on": "Date it happened",
    "received_on": "Date the request was received",
    "received_at": "Time the request was received",
    "received_time": "Time received",
    "posted_on": "Date the letter was posted",
    "responded_on": "Date of the response",
    "at": "Date and time to publish",
    "publish_at": "Planned publication",
    "from": "Start date",
    "to": "End date",
    "due_before": "Due before",
    "day": "Date",
    "working_days": "Extra working days",
    "regime": "Law",
    "channel": "Received by",
    "body": "What was asked",
    "requester.name": "Requester's name",
    "requester.email": "Requester's email",
    "requester.address": "Requester's postal address",
    "preferred_format": "Preferred format",
    "assignee": "Officer",
    "action": "Step",
    "exemptions": "Exemptions relied on",
    "response": "Response sent",
    "group_by": "Group by",
    "limit": "Rows per list",
    "soon_days": "Days before due",
    "q": "Words to look for",
    "sort": "Order",
    "slug": "Address",
    "batch": "Release batch",
    "file": "File",
    "notice": "Notice to the requester",
    "received_from": "Received from",
    "received_to": "Received until",
    "responded_from": "Answered from",
    "responded_to": "Answered until",
    "redact": "Redactions",
    "accept": "Items accepted",
}


def field_words(field: str) -> str:
    """A field's name in words: its form label where it has one ("received_on": "Date the request was
    received"), otherwise its name spelled out ("events[1].on": "Event 2 date", "dry_run": "Dry run")."""
    if field in _FIELD_WORDS:
        return _FIELD_WORDS[field]
    event = re.fullmatch(r"events\[(\d+)\](?:\.(\w+))?", field)
    if event:
        part = {"on": " date", "type": " type", "working_days": " working days"}.get(event.group(2) or "", "")
        return f"Event {int(event.group(1)) + 1}{part}"
    if field.startswith("fields."):
        return f"Public {field_words(field.removeprefix('fields.')).lower()}"
    words = re.sub(r"[._\[\]]+", " ", field).strip()
    return words[:1].upper() + words[1:] if words else "The value"


class InvalidInput(DomainError):
    """Input that is malformed or out of range; names the field at fault. Its `message` is said beside
    the field; said alone (`str`), it is a sentence that names the field in words, by `label` (the
    form's label) or else `field_words`, never by the field's internal name."""

    status_code = 422

    def __init__(self, field: str, message: str, *, label: str | None = None) -> None:
        self.field = field
        self.message = message
        # a label's hint in brackets is left out: "Exemptions relied on (a refusal names ...)"
        self.label = label.split(" (")[0] if label else field_words(field)
        super().__init__(sentence(self.label, message))

    def details(self) -> dict[str, Any]:
        return {"field": self.field}


class InvalidInputs(InvalidInput):
    """Every problem with one input at once, by field in the order its form shows them (a form says
    each beside its field and lists them all in its error summary); as an InvalidInput it names the
    first, so an answer that names one field (the API's `field`) names that one."""

    def __init__(self, problems: list[InvalidInput]) -> None:
        first = problems[0]
        super().__init__(first.field, first.message, label=first.label)
        self.problems = problems

    def details(self) -> dict[str, Any]:
        return {"field": self.field, "problems": [{"field": found.field, "detail": str(found)} for found in self.problems]}

    @staticmethod
    def of(problem: InvalidInput) -> list[InvalidInput]:
        """The problems an InvalidInput stands for: its own list, or itself."""
        return list(problem.problems) if isinstance(problem, InvalidInputs) else [problem]


class Conflict(DomainError):
    """The change clashes with the current state or a rule of the lifecycle: a stale version, a
    duplicate, a step taken too early, an approval by the person who asked for it (409)."""

    status_code = 409


class Forbidden(DomainError):
    """The caller's role does not allow this (403)."""

    status_code = 403


class NotFound(DomainError):
    """The thing named does not exist (or is not visible to this caller) (404)."""

    status_code = 404


class Gone(DomainError):
    """What was asked for was deliberately removed and is no longer kept (a letter of a request
    anonymised under the retention policy) (410)."""

    status_code = 410


class TooLarge(DomainError):
    """An upload (or a request body) passed the size limit (413)."""

    status_code = 413


class UnsupportedType(DomainError):
    """A file whose content is not of a type the product takes (415)."""

    status_code = 415

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class IllegalTransition(DomainError):
    """An action that the current state of a request does not allow (409)."""

    status_code = 409

    def __init__(self, action: str, status: str, allowed: list[str], reason: str | None = None) -> None:
        allowed_text = ", ".join(allowed) if allowed else "none"
        why = f" ({reason})" if reason else ""
        super().__init__(f"action '{action}' is not allowed while the request is '{status}'{why}; allowed now: {allowed_text}")
        self.reason = reason
        self.action = action
        self.status = status
        self.allowed = allowed

    def details(self) -> dict[str, Any]:
        return {"allowed_actions": self.allowed}
