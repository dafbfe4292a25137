"""A request's history: lifecycle steps and the other events, each named once with its label."""

from __future__ import annotations

from app.domain.history import EventKind, event_kind, event_label, is_step
from app.domain.lifecycle import Action


def test_event_kinds_and_actions_never_share_a_name() -> None:
    assert not {kind.value for kind in EventKind} & {action.value for action in Action}


def test_the_timeline_names_steps_by_their_past_and_other_events_by_their_label() -> None:
    assert event_label("respond") == "Response sent"
    assert event_label("extend_eir") == Action.EXTEND_EIR.past_label
    assert event_label("log") == "Request logged"
    assert event_label("recalculate_deadline") == "Due date recalculated"
    assert event_label("add_to_batch") == "Added to a release batch"
    assert event_label("something_new") == "Something new"  # stored by a later version: still readable
    assert event_kind("unpublish") is EventKind.UNPUBLISH and event_kind("note") is Action.NOTE and event_kind("x") is None


def test_records_about_a_request_are_not_steps_taken_on_it() -> None:
    assert [kind for kind in EventKind if not kind.is_step] == [EventKind.LOG, EventKind.EDIT_DETAILS, EventKind.RECALCULATE_DEADLINE]
    assert is_step("respond") and is_step("publish") and is_step("unknown") and not is_step("log")
