"""The lifecycle of a request as a state machine: which action is allowed from which state.

Every change to a request is an action; the service records one event per action. An action not
allowed from the current state is refused before anything is written, and so is one the state allows
but a rule forbids: an approval by the person who submitted the draft or by an officer, a response
that is not the draft approved, a refusal without its grounds (FOIA s.17, EIR reg 14, FOISA s.16),
a lapse before the date the deadline engine gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from app.domain.deadlines import AWAITING_CLARIFICATION, AWAITING_FEE, lapse_period, long_date
from app.domain.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from app.domain.exemptions import normalise_exemption_codes
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.regimes import Regime


class Status(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    AWAITING_CLARIFICATION = "awaiting_clarification"
    AWAITING_FEE = "awaiting_fee"
    AWAITING_APPROVAL = "awaiting_approval"
    RESPONDED = "responded"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"
    INTERNAL_REVIEW = "internal_review"
    REVIEW_COMPLETED = "review_completed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.IN_PROGRESS,
        Status.AWAITING_CLARIFICATION,
        Status.AWAITING_FEE,
        Status.AWAITING_APPROVAL,
        Status.INTERNAL_REVIEW,
    }
)


class Action(StrEnum):
    ASSIGN = "assign"
    START = "start"
    REQUEST_CLARIFICATION = "request_clarification"
    RECEIVE_CLARIFICATION = "receive_clarification"
    ISSUE_FEE_NOTICE = "issue_fee_notice"
    RECEIVE_FEE = "receive_fee"
    EXTEND_PIT = "extend_pit"
    EXTEND_EIR = "extend_eir"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    APPROVE = "approve"
    RETURN_FOR_CHANGES = "return_for_changes"
    RESPOND = "respond"
    WITHDRAW = "withdraw"
    LAPSE = "lapse"
    REQUEST_INTERNAL_REVIEW = "request_internal_review"
    COMPLETE_INTERNAL_REVIEW = "complete_internal_review"
    NOTE = "note"

    @property
    def label(self) -> str:
        """What the step is called where it is offered (a button)."""
        return _ACTION_LABELS[self]

    @property
    def past_label(self) -> str:
        """What the step is called once done (the timeline, confirmations)."""
        return _PAST_LABELS[self]


_ACTION_LABELS = {
    Action.ASSIGN: "Assign",
    Action.START: "Start work",
    Action.REQUEST_CLARIFICATION: "Ask for clarification",
    Action.RECEIVE_CLARIFICATION: "Record clarification received",
    Action.ISSUE_FEE_NOTICE: "Issue fees notice",
    Action.RECEIVE_FEE: "Record fee received",
    Action.EXTEND_PIT: "Extend for public interest test",
    Action.EXTEND_EIR: "Extend (EIR reg. 7)",
    Action.SUBMIT_FOR_APPROVAL: "Submit for approval",
    Action.APPROVE: "Approve response",
    Action.RETURN_FOR_CHANGES: "Return for changes",
    Action.RESPOND: "Send response",
    Action.WITHDRAW: "Record withdrawal by requester",
    Action.LAPSE: "Close as lapsed",
    Action.REQUEST_INTERNAL_REVIEW: "Record internal review request",
    Action.COMPLETE_INTERNAL_REVIEW: "Complete internal review",
    Action.NOTE: "Add a note",
}

_PAST_LABELS = {
    Action.ASSIGN: "Assigned",
    Action.START: "Work started",
    Action.REQUEST_CLARIFICATION: "Clarification requested",
    Action.RECEIVE_CLARIFICATION: "Clarification received",
    Action.ISSUE_FEE_NOTICE: "Fees notice issued",
    Action.RECEIVE_FEE: "Fee received",
    Action.EXTEND_PIT: "Extended for public interest test",
    Action.EXTEND_EIR: "Extended (EIR reg. 7)",
    Action.SUBMIT_FOR_APPROVAL: "Submitted for approval",
    Action.APPROVE: "Response approved",
    Action.RETURN_FOR_CHANGES: "Returned for changes",
    Action.RESPOND: "Response sent",
    Action.WITHDRAW: "Withdrawn by requester",
    Action.LAPSE: "Closed as lapsed",
    Action.REQUEST_INTERNAL_REVIEW: "Internal review requested",
    Action.COMPLETE_INTERNAL_REVIEW: "Internal review completed",
    Action.NOTE: "Note added",
}

_SAME = None  # the action leaves the status as it is
_WORKING = (Status.NEW, Status.IN_PROGRESS)
_BEFORE_RESPONSE = (
    Status.NEW,
    Status.IN_PROGRESS,
    Status.AWAITING_CLARIFICATION,
    Status.AWAITING_FEE,
    Status.AWAITING_APPROVAL,
)

# action -> (states it is allowed from, state it leads to or _SAME)
_TRANSITIONS: dict[Action, tuple[tuple[Status, ...], Status | None]] = {
    Action.ASSIGN: (tuple(s for s in Status if s in OPEN_STATUSES), _SAME),
    Action.START: ((Status.NEW,), Status.IN_PROGRESS),
    Action.REQUEST_CLARIFICATION: (_WORKING, Status.AWAITING_CLARIFICATION),
    Action.RECEIVE_CLARIFICATION: ((Status.AWAITING_CLARIFICATION,), Status.IN_PROGRESS),
    Action.ISSUE_FEE_NOTICE: (_WORKING, Status.AWAITING_FEE),
    Action.RECEIVE_FEE: ((Status.AWAITING_FEE,), Status.IN_PROGRESS),
    Action.EXTEND_PIT: ((*_WORKING, Status.AWAITING_APPROVAL), _SAME),
    Action.EXTEND_EIR: ((*_WORKING, Status.AWAITING_APPROVAL), _SAME),
    Action.SUBMIT_FOR_APPROVAL: (_WORKING, Status.AWAITING_APPROVAL),
    Action.APPROVE: ((Status.AWAITING_APPROVAL,), Status.IN_PROGRESS),
    Action.RETURN_FOR_CHANGES: ((Status.AWAITING_APPROVAL,), Status.IN_PROGRESS),
    Action.RESPOND: (_WORKING, Status.RESPONDED),
    Action.WITHDRAW: (_BEFORE_RESPONSE, Status.WITHDRAWN),
    Action.LAPSE: ((Status.AWAITING_CLARIFICATION, Status.AWAITING_FEE), Status.LAPSED),
    Action.REQUEST_INTERNAL_REVIEW: ((Status.RESPONDED,), Status.INTERNAL_REVIEW),
    Action.COMPLETE_INTERNAL_REVIEW: ((Status.INTERNAL_REVIEW,), Status.REVIEW_COMPLETED),
    Action.NOTE: (tuple(Status), _SAME),
}

# Actions that only exist under one regime: the law gives no such step elsewhere.
_REGIME_ONLY = {
    Action.EXTEND_PIT: (Regime.FOIA, "only FOIA s.10(3) allows a public interest extension"),
    Action.EXTEND_EIR: (Regime.EIR, "only EIR reg. 7 allows an extension for complex and voluminous requests"),
}

# The statutory clock event each action stands for (deadline engine event types).
CLOCK_EVENT_FOR_ACTION: dict[Action, str] = {
    Action.REQUEST_CLARIFICATION: "clarification_requested",
    Action.RECEIVE_CLARIFICATION: "clarification_received",
    Action.ISSUE_FEE_NOTICE: "fee_notice_issued",
    Action.RECEIVE_FEE: "fee_paid",
    Action.EXTEND_PIT: "pit_extension",
    Action.EXTEND_EIR: "eir_extension",
}

MAX_PIT_EXTENSION_DAYS = 60


def allowed_actions(status: Status, regime: Regime) -> list[Action]:
    """The actions allowed now, in the order a person would consider them."""
    return [
        action for action, (sources, _) in _TRANSITIONS.items() if status in sources and _REGIME_ONLY.get(action, (regime,))[0] is regime
    ]


@dataclass(frozen=True, slots=True)
class Transition:
    """What an allowed action does: the state it leads to and the details to record."""

    action: Action
    from_status: Status
    to_status: Status
    details: dict[str, Any] = field(default_factory=dict)


# -- rules beyond the state machine: who acts, and what the history says -------------------------


@dataclass(frozen=True, slots=True)
class Actor:
    """Who takes the step, as the rules need to know them."""

    id: int | None
    approves: bool  # a manager or an admin: may approve a response or return it for changes


@dataclass(frozen=True, slots=True)
class Step:
    """A recorded action, as the approval rules read it."""

    action: str
    actor_id: int | None
    details: Mapping[str, Any]
    note: str | None = None


class ApprovalStage(StrEnum):
    NONE = "none"  # never submitted: approval is optional
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class ApprovalState:
    """Where the latest draft submitted for approval stands.

    `draft` is what was submitted (outcome, exemptions, response), or None when the submission
    named no draft (allowed for older callers): then the approval binds no particular text.
    """

    stage: ApprovalStage = ApprovalStage.NONE
    submitted_by: int | None = None
    draft: dict[str, Any] | None = None
    returned_note: str | None = None


NO_APPROVAL = ApprovalState()
APPROVAL_ACTIONS = frozenset({Action.SUBMIT_FOR_APPROVAL, Action.APPROVE, Action.RETURN_FOR_CHANGES})
_DRAFT_KEYS = ("outcome", "exemptions", "response")


def approval_state(steps: Iterable[Step]) -> ApprovalState:
    """The approval of the latest draft, from the request's history in order. Any new submission
    replaces the one before, and an approval belongs to the draft it approved."""
    state = NO_APPROVAL
    for step in steps:
        if step.action == Action.SUBMIT_FOR_APPROVAL:
            draft = {key: step.details[key] for key in _DRAFT_KEYS if key in step.details} or None
            state = ApprovalState(ApprovalStage.PENDING, step.actor_id, draft)
        elif step.action == Action.APPROVE and state.stage is ApprovalStage.PENDING:
            state = ApprovalState(ApprovalStage.APPROVED, state.submitted_by, state.draft)
        elif step.action == Action.RETURN_FOR_CHANGES and state.stage is ApprovalStage.PENDING:
            state = ApprovalState(ApprovalStage.RETURNED, state.submitted_by, state.draft, step.note)
    return state


# action -> what a note must say when the action requires one
NOTE_REQUIRED = {
    Action.NOTE: "write the note",
    Action.RETURN_FOR_CHANGES: "say what must change before the response can be approved",
}


def check_note(action: str, note: str | None) -> None:
    """Some steps mean nothing without words: a note, the reason a draft goes back."""
    try:
        chosen = Action(action)
    except ValueError:
        return  # plan_action names the unknown action
    if chosen in NOTE_REQUIRED and not (note or "").strip():
        raise InvalidInput("note", NOTE_REQUIRED[chosen])


def plan_action(
    *,
    status: Status,
    regime: Regime,
    action: str,
    params: dict[str, Any],
    received_on: date,
    on: date,
    actor: Actor | None = None,
    approval: ApprovalState | None = None,
    lapses_on: date | None = None,
) -> Transition:
    """Checks that `action` may happen now with these parameters, and says what it does.

    `params` carries the action's own inputs (outcome, exemptions, working_days, ...); the result's
    details are the validated, canonical form to store on the event.

    The services pass what the rules beyond the state machine need: the `actor` (approval is a
    manager's check, never the submitter's own), the `approval` of the latest draft (a response
    after an approval sends the approved draft) and `lapses_on`, the date the deadline engine says
    a waiting request may lapse from. Left out (a historic import, a replayed plan), those rules
    are not checked.
    """
    try:
        chosen = Action(action)
    except ValueError:
        raise InvalidInput("action", f"unknown action '{action}'; known actions: {', '.join(Action)}") from None
    sources, target = _TRANSITIONS[chosen]
    allowed = [a.value for a in allowed_actions(status, regime)]
    if chosen in _REGIME_ONLY and _REGIME_ONLY[chosen][0] is not regime:
        raise IllegalTransition(chosen.value, status.value, allowed, reason=_REGIME_ONLY[chosen][1])
    if status not in sources:
        raise IllegalTransition(chosen.value, status.value, allowed)
    if on < received_on:
        raise InvalidInput("on", f"{on.isoformat()} is before the request was received ({received_on.isoformat()})")
    if chosen in (Action.APPROVE, Action.RETURN_FOR_CHANGES):
        _check_approver(chosen, actor, approval)
    details = _validate_params(chosen, regime, params)
    if chosen is Action.RESPOND and approval is not None:
        _check_matches_approved_draft(details, approval)
    if chosen is Action.LAPSE and lapses_on is not None and on < lapses_on:
        waiting = AWAITING_FEE if status is Status.AWAITING_FEE else AWAITING_CLARIFICATION
        raise Conflict(f"can only lapse from {long_date(lapses_on)} ({lapse_period(regime, waiting)})")
    if chosen is Action.APPROVE and approval is not None and approval.draft is not None:
        details = dict(approval.draft)  # the approval names the draft it approves
    return Transition(chosen, status, target or status, details)


def _check_approver(action: Action, actor: Actor | None, approval: ApprovalState | None) -> None:
    problem = approver_problem(action, actor, approval)
    if problem is not None:
        raise problem


def approver_problem(action: Action, actor: Actor | None, approval: ApprovalState | None) -> Forbidden | Conflict | None:
    """Why this person may not approve (or return) the draft, or None: approval is a second
    person's check, by a manager or an admin who did not submit it."""
    if actor is None:
        return None
    if not actor.approves:
        what = "approves a response" if action is Action.APPROVE else "returns a response for changes"
        return Forbidden(f"a manager or an admin {what}: approval is a second person's check")
    if action is Action.APPROVE and approval is not None and approval.submitted_by == actor.id:
        return Conflict("you submitted this response for approval: another manager must approve it")
    return None


def _check_matches_approved_draft(details: dict[str, Any], approval: ApprovalState) -> None:
    if approval.stage is ApprovalStage.RETURNED:
        raise Conflict("the draft was returned for changes and has not been approved since: submit it for approval again")
    if approval.stage is not ApprovalStage.APPROVED or approval.draft is None:
        return
    differences = draft_differences(approval.draft, details)
    if differences:
        raise Conflict(f"the response differs from the approved draft ({'; '.join(differences)}): submit it for approval again")


def draft_differences(approved: Mapping[str, Any], sent: Mapping[str, Any]) -> list[str]:
    """What a response changes from the draft approved, in words (empty when it is the same)."""
    differences = []
    approved_outcome, sent_outcome = approved.get("outcome"), sent.get("outcome")
    if approved_outcome != sent_outcome:
        differences.append(f"outcome: approved '{_outcome_label(approved_outcome)}', sent '{_outcome_label(sent_outcome)}'")
    approved_codes, sent_codes = set(approved.get("exemptions") or ()), set(sent.get("exemptions") or ())
    if approved_codes != sent_codes:
        differences.append(
            f"exemptions: approved {', '.join(sorted(approved_codes)) or 'none'}, sent {', '.join(sorted(sent_codes)) or 'none'}"
        )
    if _one_form(approved.get("response")) != _one_form(sent.get("response")):
        differences.append("the response text")
    return differences


def _outcome_label(value: Any) -> str:
    try:
        return Outcome(value).label
    except ValueError:
        return str(value)


# -- refusals (FOIA s.17, EIR reg 14, FOISA s.16) -------------------------------------------------

# A refusal resting on an exemption must name it; s.12 and s.14 refusals are their own reason.
REFUSALS_NAMING_AN_EXEMPTION = frozenset({Outcome.REFUSED_IN_FULL, Outcome.GRANTED_IN_PART, Outcome.NEITHER_CONFIRM_NOR_DENY})
SELF_GROUNDED_REFUSALS = frozenset({Outcome.REFUSED_COST, Outcome.REFUSED_VEXATIOUS, Outcome.REFUSED_REPEATED})
REFUSALS = REFUSALS_NAMING_AN_EXEMPTION | SELF_GROUNDED_REFUSALS

_REFUSAL_NOTICE_LAW = {Regime.FOIA: "FOIA s.17(1)", Regime.EIR: "EIR reg 14", Regime.FOISA: "FOISA s.16"}
_EXEMPTION_WORD = {Regime.EIR: "exception"}


def refusal_problem(regime: Regime, outcome: Outcome, exemptions: list[str], response: str) -> InvalidInput | None:
    """Why a refusal is not yet lawful, or None: it names its exemption and says why in words."""
    law = _REFUSAL_NOTICE_LAW.get(regime, "FOIA s.17(1)")
    if outcome in REFUSALS_NAMING_AN_EXEMPTION and not exemptions:
        word = _EXEMPTION_WORD.get(regime, "exemption")
        return InvalidInput("exemptions", f"a refusal must name the {word} it relies on ({law})")
    if outcome in REFUSALS and not response.strip():
        return InvalidInput("response", f"a refusal must be explained to the requester: write the response sent ({law})")
    return None


def _validate_params(action: Action, regime: Regime, params: dict[str, Any]) -> dict[str, Any]:
    if action is Action.ASSIGN:
        assignee = params.get("assignee")
        if not assignee or not isinstance(assignee, str):
            raise InvalidInput("assignee", "give the email of the officer to assign")
        return {"assignee": assignee.strip().lower()}
    if action is Action.EXTEND_PIT:
        days = _positive_int(params.get("working_days"), "working_days")
        if days > MAX_PIT_EXTENSION_DAYS:
            raise InvalidInput("working_days", f"at most {MAX_PIT_EXTENSION_DAYS} working days")
        return {"working_days": days}
    if action is Action.RESPOND:
        return _validate_response(regime, params)
    if action is Action.SUBMIT_FOR_APPROVAL:
        # the draft is optional (older callers submit without one), but a draft given is checked as a response
        if any(params.get(key) for key in _DRAFT_KEYS):
            return _validate_response(regime, params)
        return {}
    if action is Action.COMPLETE_INTERNAL_REVIEW:
        text = params.get("review_outcome")
        try:
            review_outcome = ReviewOutcome(str(text))
        except ValueError:
            raise InvalidInput(
                "review_outcome", f"choose one of {', '.join(ReviewOutcome)}" + (f" (got '{text}')" if text else "")
            ) from None
        return {"review_outcome": review_outcome.value}
    return {}


def _validate_response(regime: Regime, params: dict[str, Any]) -> dict[str, Any]:
    outcome_text = params.get("outcome")
    if not outcome_text:
        raise InvalidInput("outcome", f"choose an outcome: {', '.join(Outcome)}")
    try:
        outcome = Outcome(outcome_text)
    except ValueError:
        raise InvalidInput("outcome", f"unknown outcome '{outcome_text}'; choose one of {', '.join(Outcome)}") from None
    raw_codes = params.get("exemptions") or []
    if isinstance(raw_codes, str):
        raw_codes = [code for code in raw_codes.replace(";", ",").split(",") if code.strip()]
    if not isinstance(raw_codes, list) or not all(isinstance(code, str) for code in raw_codes):
        raise InvalidInput("exemptions", "give a list of exemption codes")
    codes = normalise_exemption_codes(raw_codes, regime)
    if codes and outcome in {Outcome.GRANTED_IN_FULL, Outcome.NOT_HELD}:
        raise InvalidInput("exemptions", f"an outcome of '{outcome.label}' relies on no exemption")
    response = params.get("response") or ""
    if not isinstance(response, str):
        raise InvalidInput("response", "must be text")
    problem = refusal_problem(regime, outcome, codes, response)
    if problem is not None:
        raise problem
    # one line ending whatever sent it (a browser's form, the API), so an approved draft matches what is sent
    return {"outcome": outcome.value, "exemptions": codes, "response": response.replace("\r\n", "\n").strip()}


def _positive_int(value: Any, field_name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(field_name, "must be a whole number of working days") from None
    if number < 1 or str(number) != str(value).strip():
        raise InvalidInput(field_name, "must be a whole number of working days, 1 or more")
    return number


def _one_form(text: str | None) -> str:
    """A response's text as compared with its approved draft: line endings and outer spaces aside."""
    return (text or "").replace("\r\n", "\n").strip()
