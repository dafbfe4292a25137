"""The lifecycle state machine: which actions are allowed from which state, and what they record."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.deadlines import ClockEventType
from app.domain.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, InvalidInputs
from app.domain.lifecycle import (
    ACTION_PARAMETERS,
    BULK_ACTIONS,
    CLOCK_ACTIONS,
    CLOCK_EVENT_FOR_ACTION,
    CLOSED_STATUSES,
    NOTE_REQUIRED,
    OPEN_STATUSES,
    Action,
    Actor,
    ApprovalStage,
    ApprovalState,
    Status,
    Step,
    Who,
    action_named,
    allowed_actions,
    approval_state,
    approver_problem,
    check_note,
    is_limit_extended,
    plan_action,
)
from app.domain.regimes import Regime

RECEIVED = date(2025, 9, 9)
ON = date(2025, 9, 15)


def plan(status: Status, action: str, regime: Regime = Regime.FOIA, **params: object):
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
        (Status.IN_PROGRESS, "respond", {"outcome": "granted_in_full", "response": "Attached."}, Status.RESPONDED),
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
            params = {
                "outcome": "granted_in_full",
                "response": "Attached.",
                "review_outcome": "upheld",
                "assignee": "a@b.example",
                "working_days": 5,
            }
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
    with pytest.raises(IllegalTransition, match=r"EIR reg 7 and EISR reg 7 allow"):
        plan(Status.IN_PROGRESS, "extend_eir", Regime.FOIA)


def test_respond_validates_outcome_and_exemptions_for_the_regime() -> None:
    transition = plan(
        Status.IN_PROGRESS, "respond", outcome="granted_in_part", exemptions=["foia-s40", "FOIA-s43", "FOIA-s40"], response=" Attached "
    )
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
    # said in words, with the field's label and which date it must not be before, never as ISO dates
    assert str(early.value) == "Date it happened must be the same as or after the date the request was received (9 September 2025)"
    with pytest.raises(InvalidInput) as unknown:
        plan(Status.NEW, "shred")
    assert unknown.value.field == "action"
    with pytest.raises(InvalidInput) as review:
        plan(Status.INTERNAL_REVIEW, "complete_internal_review", review_outcome="maybe")
    assert review.value.field == "review_outcome"


# -- a refusal names its grounds and explains itself (FOIA s.17, EIR reg 14, FOISA s.16) -----------


@pytest.mark.parametrize("outcome", ["refused_in_full", "granted_in_part", "neither_confirm_nor_deny"])
@pytest.mark.parametrize(
    ("regime", "law", "word"),
    [(Regime.FOIA, "FOIA s.17(1)", "exemption"), (Regime.EIR, "EIR reg 14", "exception"), (Regime.FOISA, "FOISA s.16", "exemption")],
)
def test_a_refusal_resting_on_an_exemption_must_name_one(outcome: str, regime: Regime, law: str, word: str) -> None:
    for action in ("respond", "submit_for_approval"):
        with pytest.raises(InvalidInput) as refused:
            plan(Status.IN_PROGRESS, action, regime, outcome=outcome, exemptions=[], response="We cannot release this.")
        assert refused.value.field == "exemptions"
        assert refused.value.message == f"a refusal must name the {word} it relies on ({law})"


@pytest.mark.parametrize("outcome", ["refused_cost", "refused_vexatious", "refused_repeated"])
def test_cost_and_vexatious_refusals_are_their_own_reason_but_still_need_words(outcome: str) -> None:
    transition = plan(Status.IN_PROGRESS, "respond", outcome=outcome, response=" Over the cost limit of s.12. ")
    assert transition.details == {"outcome": outcome, "exemptions": [], "response": "Over the cost limit of s.12."}
    with pytest.raises(InvalidInput) as silent:
        plan(Status.IN_PROGRESS, "respond", outcome=outcome, response="   ")
    assert silent.value.field == "response" and "FOIA s.17(1)" in silent.value.message


@pytest.mark.parametrize("outcome", ["refused_in_full", "granted_in_part", "neither_confirm_nor_deny"])
def test_every_refusal_needs_a_response_text(outcome: str) -> None:
    with pytest.raises(InvalidInput) as silent:
        plan(Status.IN_PROGRESS, "respond", outcome=outcome, exemptions=["FOIA-s40"])
    assert silent.value.field == "response"
    assert silent.value.message == "Enter the response: a refusal must tell the requester why (FOIA s.17(1))"


@pytest.mark.parametrize("outcome", ["granted_in_full", "not_held", "advice_and_assistance"])
def test_answers_that_refuse_nothing_need_no_exemption_but_their_words(outcome: str) -> None:
    answered = plan(Status.IN_PROGRESS, "respond", outcome=outcome, response="Attached.")
    assert answered.details == {"outcome": outcome, "exemptions": [], "response": "Attached."}
    with pytest.raises(InvalidInput) as silent:
        plan(Status.IN_PROGRESS, "respond", outcome=outcome, response="  ")
    assert (silent.value.field, str(silent.value)) == ("response", "Enter the response")
    # a response imported from the records kept before the tracker may lack its text
    imported = plan_action(
        status=Status.IN_PROGRESS,
        regime=Regime.FOIA,
        action="respond",
        params={"outcome": outcome},
        received_on=RECEIVED,
        on=ON,
        historic=True,
    )
    assert imported.details == {"outcome": outcome, "exemptions": [], "response": ""}


def test_a_response_sent_empty_is_refused_for_everything_missing_at_once() -> None:
    with pytest.raises(InvalidInputs) as empty:
        plan_action(status=Status.IN_PROGRESS, regime=Regime.FOIA, action="respond", params={}, received_on=RECEIVED, on=date(2025, 9, 1))
    assert [(found.field, str(found)) for found in empty.value.problems] == [
        ("on", "Date it happened must be the same as or after the date the request was received (9 September 2025)"),
        ("outcome", "Select the outcome"),
        ("response", "Enter the response"),
    ]
    assert empty.value.field == "on"  # as one problem (the API's `field`), the first


# -- approval is a second person's check, and belongs to the draft ---------------------------------

OFFICER, MANAGER, OTHER_MANAGER = Actor(1, approves=False), Actor(2, approves=True), Actor(3, approves=True)
DRAFT = {"outcome": "refused_in_full", "exemptions": ["FOIA-s43", "FOIA-s40"], "response": "Withheld under s.43 and s.40."}


def submitted(by: Actor, draft: dict | None = None, *later: Step) -> ApprovalState:
    return approval_state([Step("submit_for_approval", by.id, draft or {}), *later])


def test_submit_for_approval_takes_a_draft_checked_like_a_response() -> None:
    transition = plan(Status.IN_PROGRESS, "submit_for_approval", **DRAFT)
    assert transition.to_status is Status.AWAITING_APPROVAL
    assert transition.details == {**DRAFT, "exemptions": ["FOIA-s43", "FOIA-s40"]}
    assert plan(Status.IN_PROGRESS, "submit_for_approval").details == {}  # older callers send no draft
    with pytest.raises(InvalidInput) as no_outcome:
        plan(Status.IN_PROGRESS, "submit_for_approval", response="Draft text")
    assert no_outcome.value.field == "outcome"


def test_only_a_manager_who_did_not_submit_approves() -> None:
    state = submitted(OFFICER, DRAFT)
    approve = lambda actor: plan_action(  # noqa: E731
        status=Status.AWAITING_APPROVAL,
        regime=Regime.FOIA,
        action="approve",
        params={},
        received_on=RECEIVED,
        on=ON,
        actor=actor,
        approval=state,
    )
    with pytest.raises(Forbidden, match="a manager or an admin approves a response"):
        approve(OFFICER)
    transition = approve(MANAGER)
    assert transition.to_status is Status.IN_PROGRESS
    assert transition.details == DRAFT  # the approval names the draft it approved
    own = submitted(MANAGER, DRAFT)
    with pytest.raises(Conflict) as refused:
        plan_action(
            status=Status.AWAITING_APPROVAL,
            regime=Regime.FOIA,
            action="approve",
            params={},
            received_on=RECEIVED,
            on=ON,
            actor=MANAGER,
            approval=own,
        )
    assert str(refused.value) == "you submitted this response for approval: another manager must approve it"
    assert approver_problem(Action.APPROVE, OTHER_MANAGER, own) is None


def test_return_for_changes_goes_back_to_work_with_a_reason() -> None:
    transition = plan(Status.AWAITING_APPROVAL, "return_for_changes")
    assert (transition.to_status, Action.RETURN_FOR_CHANGES.label, Action.RETURN_FOR_CHANGES.past_label) == (
        Status.IN_PROGRESS,
        "Return for changes",
        "Returned for changes",
    )
    with pytest.raises(InvalidInput) as no_reason:
        check_note("return_for_changes", "  ")
    assert no_reason.value.field == "note"
    check_note("return_for_changes", "Say why s.43 applies.")
    with pytest.raises(Forbidden):
        plan_action(
            status=Status.AWAITING_APPROVAL,
            regime=Regime.FOIA,
            action="return_for_changes",
            params={},
            received_on=RECEIVED,
            on=ON,
            actor=OFFICER,
            approval=submitted(OFFICER),
        )
    with pytest.raises(IllegalTransition):
        plan(Status.IN_PROGRESS, "return_for_changes")


def respond_after(state: ApprovalState, **params: object):
    return plan_action(
        status=Status.IN_PROGRESS,
        regime=Regime.FOIA,
        action="respond",
        params=params,
        received_on=RECEIVED,
        on=ON,
        actor=OFFICER,
        approval=state,
    )


def test_a_response_after_approval_is_the_approved_draft() -> None:
    approved = submitted(OFFICER, DRAFT, Step("approve", MANAGER.id, DRAFT))
    assert approved.stage is ApprovalStage.APPROVED
    # the same draft, exemptions in any order, text with other surrounding spaces
    sent = respond_after(
        approved, outcome="refused_in_full", exemptions=["FOIA-s40", "foia-s43"], response="\nWithheld under s.43 and s.40.  "
    )
    assert sent.to_status is Status.RESPONDED
    with pytest.raises(Conflict) as changed:
        respond_after(approved, outcome="granted_in_part", exemptions=["FOIA-s43", "FOIA-s40"], response=DRAFT["response"])
    assert str(changed.value) == (
        "the response differs from the approved draft (outcome: approved 'Refused in full', sent 'Granted in part'): "
        "submit it for approval again"
    )
    with pytest.raises(Conflict, match=r"exemptions: approved FOIA-s40, FOIA-s43, sent FOIA-s43; the response text"):
        respond_after(approved, outcome="refused_in_full", exemptions=["FOIA-s43"], response="Something else.")


def test_any_new_submission_needs_approving_again() -> None:
    approved = submitted(OFFICER, DRAFT, Step("approve", MANAGER.id, DRAFT))
    resubmitted = approval_state(
        [
            Step("submit_for_approval", OFFICER.id, DRAFT),
            Step("approve", MANAGER.id, DRAFT),
            Step("submit_for_approval", OFFICER.id, {**DRAFT, "response": "Shorter."}),
        ]
    )
    assert approved.stage is ApprovalStage.APPROVED and resubmitted.stage is ApprovalStage.PENDING
    assert resubmitted.draft == {**DRAFT, "response": "Shorter."}
    returned = submitted(OFFICER, DRAFT, Step("return_for_changes", MANAGER.id, {}, "Explain the public interest."))
    assert (returned.stage, returned.returned_note) == (ApprovalStage.RETURNED, "Explain the public interest.")
    with pytest.raises(Conflict, match="returned for changes"):
        respond_after(returned, **DRAFT)


def test_approval_stays_optional() -> None:
    assert respond_after(approval_state([]), outcome="granted_in_full", response="Attached.").to_status is Status.RESPONDED
    # an approval of a submission without a draft binds no particular text
    approved_blank = submitted(OFFICER, None, Step("approve", MANAGER.id, {}))
    assert respond_after(approved_blank, outcome="granted_in_full", response="Attached.").to_status is Status.RESPONDED


# -- a waiting request lapses only from the date its page shows -------------------------------------


def test_lapse_only_from_the_lapse_date() -> None:
    lapse = lambda status, on, regime=Regime.FOIA: plan_action(  # noqa: E731
        status=status, regime=regime, action="lapse", params={}, received_on=RECEIVED, on=on, lapses_on=date(2025, 12, 11)
    )
    with pytest.raises(Conflict) as early:
        lapse(Status.AWAITING_CLARIFICATION, date(2025, 12, 10))
    assert str(early.value) == "can only lapse from Thursday 11 December 2025 (three months after the clarification was asked for)"
    with pytest.raises(
        Conflict, match=r"can only lapse from Thursday 11 December 2025 \(60 working days after the fees notice \(EIR reg 8\)\)"
    ):
        lapse(Status.AWAITING_FEE, date(2025, 9, 16), Regime.EIR)
    with pytest.raises(Conflict, match=r"three months after the fees notice \(FOISA s.9\(4\)\)"):
        lapse(Status.AWAITING_FEE, date(2025, 9, 16), Regime.FOISA)
    assert lapse(Status.AWAITING_FEE, date(2025, 12, 11)).to_status is Status.LAPSED


# -- the declarations: each action once, read by every part of the product -------------------------


def test_every_clock_event_is_one_action_and_the_closed_states_are_the_rest() -> None:
    assert sorted(CLOCK_EVENT_FOR_ACTION.values()) == sorted(ClockEventType)
    assert {*CLOCK_EVENT_FOR_ACTION, Action.REQUEST_INTERNAL_REVIEW} == CLOCK_ACTIONS
    assert {Status.RESPONDED, Status.WITHDRAWN, Status.LAPSED, Status.REVIEW_COMPLETED} == CLOSED_STATUSES


def test_regime_only_steps_follow_the_regimes_declared_extensions() -> None:
    for action in Action:
        allowing = [regime for regime in Regime if action.spec.allows(regime)]
        if action.spec.extension is None:
            assert allowing == list(Regime)
            continue
        assert allowing == [regime for regime in Regime if regime.rules.extension_kind is action.spec.extension]
        # the refusal names each regime that allows the step, so a new one cannot be left out of it
        assert all(regime.rules.short_name in action.spec.refusal_under_other_regimes for regime in allowing), action
    assert Action.EXTEND_EIR in allowed_actions(Status.IN_PROGRESS, Regime.EISR)
    assert "EIR" not in Action.EXTEND_EIR.label  # offered under the EISR too: its wording names neither law
    assert Action.EXTEND_PIT not in allowed_actions(Status.IN_PROGRESS, Regime.EISR)


def test_a_step_checks_only_its_declared_parameters() -> None:
    # each declared parameter is checked by its kind; what an action does not declare is ignored
    assert plan(Status.NEW, "start", working_days="lots", outcome="nonsense").details == {}
    assert plan(Status.IN_PROGRESS, "submit_for_approval").details == {}  # the draft is optional as a whole
    with pytest.raises(InvalidInput) as partial_draft:
        plan(Status.IN_PROGRESS, "submit_for_approval", response="A draft without its outcome")
    assert partial_draft.value.field == "outcome"
    assert {param.name for param in ACTION_PARAMETERS} == {
        "assignee",
        "working_days",
        "outcome",
        "exemptions",
        "response",
        "review_outcome",
        "fee",
        "public_interest",
    }
    # a public interest extension may name the exemptions being considered (its notice names them, s.17(2)):
    # qualified ones only, since an absolute exemption has no public interest test to take time over
    assert plan(Status.IN_PROGRESS, "extend_pit", working_days=10, exemptions=["foia-s43"]).details == {
        "working_days": 10,
        "exemptions": ["FOIA-s43"],
    }
    with pytest.raises(InvalidInput, match=r"s\.21 is absolute") as absolute:
        plan(Status.IN_PROGRESS, "extend_pit", working_days=10, exemptions=["FOIA-s43", "FOIA-s21"])
    assert absolute.value.field == "exemptions"
    # a fees notice's amount is written into the notice: read as pounds, kept in one form
    assert plan(Status.IN_PROGRESS, "issue_fee_notice", fee="45").details == {"fee": "£45.00"}
    assert plan(Status.IN_PROGRESS, "issue_fee_notice", fee=" £1,200.50 ").details == {"fee": "£1,200.50"}
    assert plan(Status.IN_PROGRESS, "issue_fee_notice").details == {}
    for slip in ("1,200.5", "45p", "-3", "£2,000,000"):
        with pytest.raises(InvalidInput) as refused:
            plan(Status.IN_PROGRESS, "issue_fee_notice", fee=slip)
        assert refused.value.field == "fee"
    # each said in plain words, naming the field by its label
    for slip, said in [
        ("-5", "Fee to pay must be more than £0"),
        ("-£5.50", "Fee to pay must be more than £0"),
        ("0", "Fee to pay must be more than £0"),
        ("£0.00", "Fee to pay must be more than £0"),
        ("1,000,000.01", "Fee to pay must be £1,000,000 or less"),
        ("£2,000,000", "Fee to pay must be £1,000,000 or less"),
        ("45p", "Fee to pay must be an amount in pounds, like £45 or £45.50"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            plan(Status.IN_PROGRESS, "issue_fee_notice", fee=slip)
        assert str(refused.value) == said
    assert plan(Status.IN_PROGRESS, "issue_fee_notice", fee="£1,000,000").details == {"fee": "£1,000,000.00"}
    assert plan(Status.IN_PROGRESS, "issue_fee_notice", fee="0.50").details == {"fee": "£0.50"}


def test_bulk_actions_and_notes_are_declared() -> None:
    assert [action.value for action in BULK_ACTIONS] == ["assign", "withdraw", "lapse"]
    assert set(NOTE_REQUIRED) == {Action.RETURN_FOR_CHANGES, Action.NOTE}
    with pytest.raises(InvalidInput, match=r"^Enter the note$"):
        check_note("note", "  ")
    check_note("start", None)
    assert [action for action in Action if action.spec.by is Who.APPROVER] == [Action.APPROVE, Action.RETURN_FOR_CHANGES]
    assert action_named("log") is None and action_named("respond") is Action.RESPOND


@pytest.mark.parametrize("outcome", ["refused_cost", "refused_vexatious", "refused_repeated"])
def test_the_environmental_regimes_have_no_s12_or_s14_refusal(outcome: str) -> None:
    # EIR and EISR: a request too costly, vexatious or repeated is manifestly unreasonable (EIR reg 12(4)(b),
    # EISR reg 10(4)(b)), an exception named like any other; FOIA and FOISA have s.12 and s.14
    for regime, code in ((Regime.EIR, "EIR-r12(4)(b)"), (Regime.EISR, "EISR-r10(4)(b)")):
        with pytest.raises(InvalidInput) as caught:
            plan(Status.IN_PROGRESS, "respond", regime, outcome=outcome, response="Refused.")
        assert caught.value.field == "outcome"
        assert f"refuse it in full under {code} (manifestly unreasonable)" in caught.value.message
        refused = plan(Status.IN_PROGRESS, "respond", regime, outcome="refused_in_full", exemptions=[code], response="Refused.")
        assert refused.to_status is Status.RESPONDED
    for regime in (Regime.FOIA, Regime.FOISA):
        assert plan(Status.IN_PROGRESS, "respond", regime, outcome=outcome, response="Refused.").to_status is Status.RESPONDED


def test_a_limit_is_extended_only_past_the_regimes_own_and_outside_a_review() -> None:
    assert is_limit_extended(Regime.EISR, Status.IN_PROGRESS, 40)
    assert not is_limit_extended(Regime.EISR, Status.IN_PROGRESS, 20)
    assert not is_limit_extended(Regime.EIR, Status.INTERNAL_REVIEW, 40)  # the EIR review's own 40 days
    assert Action.EXTEND_EIR not in allowed_actions(Status.IN_PROGRESS, Regime.EISR, limit_extended=True)
    assert Action.EXTEND_PIT in allowed_actions(Status.IN_PROGRESS, Regime.FOIA, limit_extended=True)  # may be extended again
