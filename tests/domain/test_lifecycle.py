"""The lifecycle state machine: which actions are allowed from which state, and what they record."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.errors import IllegalTransition, InvalidInput
from app.domain.lifecycle import OPEN_STATUSES, Action, Status, allowed_actions, plan_action
from app.domain.regimes import Regime

RECEIVED = date(2025, 9, 9)
ON = date(2025, 9, 15)


def plan(status: Status, action: str, regime: Regime = Regime.FOIA, **params: object):  # noqa: ANN201
    return plan_action(status=status, regime=regime, action=action, params=params, received_on=RECEIVED, on=ON)


@pytest.mark.parametrize(
    ("status", "action", "params", "expected"),
    [
        (Status.NEW, "start", {}, Status.IN_PROGRESS),
        (Status.NEW, "request_clarification", {}, Status.AWAITING_CLARIFICATION),
        (Status.AWAITING_CLARIFICATION, "receive_clarification", {}, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, "issue_fee_notice", {}, Status.AWAITING_FEE),
        (Status.AWAITING_FEE, "receive_fee", {}, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, "submit_for_approval", {}, Status.AWAITING_APPROVAL),
        (Status.AWAITING_APPROVAL, "approve", {}, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, "respond", {"outcome": "granted_in_full"}, Status.RESPONDED),
        (Status.AWAITING_FEE, "withdraw", {}, Status.WITHDRAWN),
        (Status.AWAITING_CLARIFICATION, "lapse", {}, Status.LAPSED),
        (Status.AWAITING_FEE, "lapse", {}, Status.LAPSED),
        (Status.RESPONDED, "request_internal_review", {}, Status.INTERNAL_REVIEW),
        (Status.INTERNAL_REVIEW, "complete_internal_review", {"review_outcome": "upheld"}, Status.REVIEW_COMPLETED),
        (Status.IN_PROGRESS, "assign", {"assignee": "A@Council.example"}, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, "extend_pit", {"working_days": 20}, Status.IN_PROGRESS),
        (Status.LAPSED, "note", {}, Status.LAPSED),
    ],
)
def test_allowed_transitions(status: Status, action: str, params: dict, expected: Status) -> None:
    transition = plan(status, action, **params)
    assert transition.from_status is status
    assert transition.to_status is expected


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.NEW, "receive_fee"),
        (Status.NEW, "approve"),
        (Status.IN_PROGRESS, "lapse"),
        (Status.AWAITING_CLARIFICATION, "respond"),
        (Status.RESPONDED, "respond"),
        (Status.RESPONDED, "withdraw"),
        (Status.WITHDRAWN, "start"),
        (Status.REVIEW_COMPLETED, "request_internal_review"),
        (Status.AWAITING_APPROVAL, "respond"),
    ],
)
def test_refused_transitions_name_the_allowed_actions(status: Status, action: str) -> None:
    with pytest.raises(IllegalTransition) as refused:
        plan(status, action, outcome="granted_in_full")
    assert refused.value.allowed == [a.value for a in allowed_actions(status, Regime.FOIA)]
    assert f"'{status.value}'" in str(refused.value)


def test_every_state_is_reachable_and_closed_states_only_take_notes() -> None:
    reachable = {Status.NEW}
    frontier = [Status.NEW]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(status, Regime.FOIA) + allowed_actions(status, Regime.EIR):
            params = {"outcome": "granted_in_full", "review_outcome": "upheld", "assignee": "a@b.example", "working_days": 5}
            target = plan(status, action.value, Regime.EIR if action is Action.EXTEND_EIR else Regime.FOIA, **params).to_status
            if target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(Status)
    for closed in set(Status) - OPEN_STATUSES - {Status.RESPONDED}:
        assert [a for a in allowed_actions(closed, Regime.FOIA)] == [Action.NOTE]


def test_extensions_belong_to_their_regime() -> None:
    assert Action.EXTEND_PIT in allowed_actions(Status.IN_PROGRESS, Regime.FOIA)
    assert Action.EXTEND_PIT not in allowed_actions(Status.IN_PROGRESS, Regime.FOISA)
    assert Action.EXTEND_EIR in allowed_actions(Status.IN_PROGRESS, Regime.EIR)
    with pytest.raises(IllegalTransition, match="public interest extension"):
        plan(Status.IN_PROGRESS, "extend_pit", Regime.FOISA, working_days=20)
    with pytest.raises(IllegalTransition, match="reg. 7"):
        plan(Status.IN_PROGRESS, "extend_eir", Regime.FOIA)


def test_respond_validates_outcome_and_exemptions_for_the_regime() -> None:
    transition = plan(Status.IN_PROGRESS, "respond", outcome="granted_in_part", exemptions=["foia-s40", "FOIA-s43", "FOIA-s40"], response=" Attached ")
    assert transition.details == {"outcome": "granted_in_part", "exemptions": ["FOIA-s40", "FOIA-s43"], "response": "Attached"}
    with pytest.raises(InvalidInput) as missing:
        plan(Status.IN_PROGRESS, "respond")
    assert missing.value.field == "outcome"
    with pytest.raises(InvalidInput) as unknown:
        plan(Status.IN_PROGRESS, "respond", outcome="partly")
    assert unknown.value.field == "outcome"
    with pytest.raises(InvalidInput, match="belongs to") as wrong_regime:
        plan(Status.IN_PROGRESS, "respond", outcome="refused_in_full", exemptions=["EIR-r12(5)(e)"])
    assert wrong_regime.value.field == "exemptions"
    with pytest.raises(InvalidInput, match="unknown exemption"):
        plan(Status.IN_PROGRESS, "respond", outcome="refused_in_full", exemptions=["FOIA-s99"])
    with pytest.raises(InvalidInput, match="relies on no exemption"):
        plan(Status.IN_PROGRESS, "respond", outcome="granted_in_full", exemptions=["FOIA-s40"])


@pytest.mark.parametrize("days", [0, -3, "ten", "2.5", None, 61])
def test_pit_extension_needs_a_sensible_number_of_days(days: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        plan(Status.IN_PROGRESS, "extend_pit", working_days=days)
    assert refused.value.field == "working_days"


def test_action_dates_and_names_are_checked() -> None:
    with pytest.raises(InvalidInput) as early:
        plan_action(status=Status.NEW, regime=Regime.FOIA, action="start", params={}, received_on=RECEIVED, on=date(2025, 9, 1))
    assert early.value.field == "on"
    with pytest.raises(InvalidInput) as unknown:
        plan(Status.NEW, "shred")
    assert unknown.value.field == "action"
    with pytest.raises(InvalidInput) as review:
        plan(Status.INTERNAL_REVIEW, "complete_internal_review", review_outcome="maybe")
    assert review.value.field == "review_outcome"
