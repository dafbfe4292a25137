"""What a request's history records: its lifecycle steps (`Action`, declared in
`app/domain/lifecycle.py`) and the events that are not steps (`EventKind`), each with the words the
timeline shows.

The stored value of an event's kind is the member's value (StrEnum), so these names are also the
`action` of the history in the API (docs/contract.md).
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.lifecycle import Action, action_named


class EventKind(StrEnum):
    """Events a request's history records that are not steps in its lifecycle."""

    LOG = "log"
    EDIT_DETAILS = "edit_details"
    RECALCULATE_DEADLINE = "recalculate_deadline"
    UPLOAD_DOCUMENT = "upload_document"
    MARK_DOCUMENT = "mark_document"
    PUBLISH = "publish"
    SCHEDULE_PUBLICATION = "schedule_publication"
    UNPUBLISH = "unpublish"
    ADD_TO_BATCH = "add_to_batch"
    REMOVE_FROM_BATCH = "remove_from_batch"
    PLACE_LEGAL_HOLD = "place_legal_hold"
    LIFT_LEGAL_HOLD = "lift_legal_hold"
    ANONYMISE = "anonymise"

    @property
    def label(self) -> str:
        """What the timeline calls it."""
        return _LABELS[self]

    @property
    def is_step(self) -> bool:
        """Whether it counts as something done to the request, rather than a record about it (the
        date of receipt may not move past the first step)."""
        return self not in _NOT_STEPS


_LABELS = {
    EventKind.LOG: "Request logged",
    EventKind.EDIT_DETAILS: "Details edited",
    EventKind.RECALCULATE_DEADLINE: "Due date recalculated",
    EventKind.UPLOAD_DOCUMENT: "Document added",
    EventKind.MARK_DOCUMENT: "Document release changed",
    EventKind.PUBLISH: "Published",
    EventKind.SCHEDULE_PUBLICATION: "Publication scheduled",
    EventKind.UNPUBLISH: "Withdrawn from publication",
    EventKind.ADD_TO_BATCH: "Added to a release batch",
    EventKind.REMOVE_FROM_BATCH: "Taken out of a release batch",
    EventKind.PLACE_LEGAL_HOLD: "Legal hold placed",
    EventKind.LIFT_LEGAL_HOLD: "Legal hold lifted",
    EventKind.ANONYMISE: "Requester data removed under the retention policy",
}
_NOT_STEPS = frozenset({EventKind.LOG, EventKind.EDIT_DETAILS, EventKind.RECALCULATE_DEADLINE})
_KINDS: dict[str, EventKind] = {kind.value: kind for kind in EventKind}


def event_kind(value: str) -> Action | EventKind | None:
    """What a stored event's kind names: a lifecycle step, another event, or None (unknown)."""
    return action_named(value) or _KINDS.get(value)


def event_label(value: str) -> str:
    """What the timeline calls an event: a step by its past tense ("Response sent"), another event
    by its label ("Request logged"); an unknown kind by its own words."""
    kind = event_kind(value)
    if isinstance(kind, Action):
        return kind.past_label
    if kind is not None:
        return kind.label
    return value.replace("_", " ").capitalize()


def is_step(value: str) -> bool:
    """Whether an event of this kind is a step taken on the request (every lifecycle action is)."""
    kind = event_kind(value)
    return kind.is_step if isinstance(kind, EventKind) else True
