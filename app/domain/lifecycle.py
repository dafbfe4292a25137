"""The lifecycle of a request as a state machine: which action is allowed from which state.

Every change to a request is an action; the service records one event per action. Each action is
declared once, below, as a member of `Action`: its wording, the states it leaves from and goes to,
the parameters it takes (`app/domain/action_params.py`), the clock event it stands for, who may take
it, the regimes that allow it, whether it can be done in bulk, and how its form reads. The service,
the API's request body and documentation, the action form, bulk actions and the deadline's clock all
read these declarations (ARCHITECTURE.md, "Add a lifecycle action").

An action not allowed from the current state is refused before anything is written, and so is one the
state allows but a rule forbids: an approval by the person who submitted the draft or by an officer,
a response that is not the draft approved, a refusal without its grounds (FOIA s.17, EIR reg 14,
FOISA s.16), a lapse before the date the deadline engine gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from app.domain.action_params import (
    ASSIGNEE,
    EXEMPTIONS,
    FEE_AMOUNT,
    OUTCOME,
    PIT_WORKING_DAYS,
    PUBLIC_INTEREST,
    RESPONSE,
    REVIEW_OUTCOME,
    Param,
)
from app.domain.dates import spoken_date
from app.domain.deadlines import AWAITING_CLARIFICATION, AWAITING_FEE, ClockEventType, lapse_period, long_date
from app.domain.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, InvalidInputs
from app.domain.outcomes import Outcome
from app.domain.regimes import ExtensionKind, Regime


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
        """Work remains: the one test of "open" (lists, reports, the clock and the SQL all use it)."""
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
CLOSED_STATUSES = frozenset(Status) - OPEN_STATUSES


class Who(StrEnum):
    """Who may take a step."""

    STAFF = "staff"
    """Any member of staff: an officer, a manager or an admin."""
    APPROVER = "approver"
    """A manager or an admin, never the person who submitted the draft: approval is a second person's check."""


# -- refusals (FOIA s.17, EIR reg 14, FOISA s.16): the response's rules, read by its declaration ---

# A refusal resting on an exemption must name it; s.12 and s.14 refusals are their own reason.
REFUSALS_NAMING_AN_EXEMPTION = frozenset({Outcome.REFUSED_IN_FULL, Outcome.GRANTED_IN_PART, Outcome.NEITHER_CONFIRM_NOR_DENY})
SELF_GROUNDED_REFUSALS = frozenset({Outcome.REFUSED_COST, Outcome.REFUSED_VEXATIOUS, Outcome.REFUSED_REPEATED})
REFUSALS = REFUSALS_NAMING_AN_EXEMPTION | SELF_GROUNDED_REFUSALS


def refusal_problem(regime: Regime, outcome: Outcome, exemptions: list[str], response: str) -> InvalidInput | None:
    """Why a refusal is not yet lawful, or None: it names its exemption and says why in words."""
    law = regime.rules.refusal_notice_law
    if not regime.rules.allows_outcome(outcome):
        return InvalidInput("outcome", regime.rules.outcome_refusal(outcome))
    if outcome in REFUSALS_NAMING_AN_EXEMPTION and not exemptions:
        return InvalidInput("exemptions", f"a refusal must name the {regime.rules.exemption_word} it relies on ({law})")
    if outcome in REFUSALS and not response.strip():
        return InvalidInput("response", f"Enter the response: a refusal must tell the requester why ({law})")
    return None


def _check_response(regime: Regime, details: dict[str, Any]) -> None:
    """A response (or a draft of one) relies on exemptions only when it withholds, and a refusal says why."""
    outcome = Outcome(details["outcome"])
    if details["exemptions"] and outcome in {Outcome.GRANTED_IN_FULL, Outcome.NOT_HELD}:
        raise InvalidInput("exemptions", f"an outcome of '{outcome.label}' relies on no exemption")
    problem = refusal_problem(regime, outcome, details["exemptions"], details["response"])
    if problem is not None:
        raise problem


# -- the declarations --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """Everything about one lifecycle action that is not a rule of its own (those are in `plan_action`)."""

    label: str
    """What the step is called where it is offered (a button)."""
    done: str
    """What the step is called once done (the timeline, confirmations)."""
    leaves: tuple[Status, ...]
    """The states it may be taken from."""
    goes_to: Status | None = None
    """The state it leads to; None: the status stays as it is."""
    params: tuple[Param, ...] = ()
    params_optional: bool = False
    """The parameters may all be left out; given any, they are checked as declared."""
    check: Callable[[Regime, dict[str, Any]], None] | None = None
    """Rules between the cleaned parameters (a refusal names its exemption)."""
    clock: ClockEventType | None = None
    """The statutory clock event it stands for (app/domain/deadlines/engine.py)."""
    starts_review: bool = False
    """It starts the internal review's own clock."""
    by: Who = Who.STAFF
    extension: ExtensionKind | None = None
    """Only under a regime that declares this kind of extension (app/domain/regimes)."""
    regime_refusal: str = ""
    """Why it is refused under any other regime; "{laws}" stands for the laws that allow it."""
    bulk: str = ""
    """How the bulk form names it; empty: not offered in bulk."""
    not_now: str = ""
    """Which requests it suits, in words, for a bulk preview's refusals."""
    form_hint: str = ""
    note_label: str = "Note (optional)"
    note_required: str = ""
    """What the note must say, when the step means nothing without one."""
    dated: bool = True
    """The form asks the date it happened (a note is dated when written)."""
    warning: bool = False
    """It closes the request without an answer: its button says so."""

    @property
    def touches_clock(self) -> bool:
        return self.clock is not None or self.starts_review

    def allows(self, regime: Regime) -> bool:
        return self.extension is None or regime.rules.extension_kind is self.extension

    @property
    def refusal_under_other_regimes(self) -> str:
        laws = [r.rules.extension.law for r in Regime if r.rules.extension and r.rules.extension.kind is self.extension]
        return self.regime_refusal.format(laws=" and ".join(laws), verb="allows" if len(laws) == 1 else "allow")

    @property
    def once_per_period(self) -> bool:
        """A complex and voluminous extension sets the limit once (reg 7); a clarification starts a new period."""
        return self.extension is ExtensionKind.COMPLEX_AND_VOLUMINOUS


_WORKING = (Status.NEW, Status.IN_PROGRESS)
_BEFORE_RESPONSE = (
    Status.NEW,
    Status.IN_PROGRESS,
    Status.AWAITING_CLARIFICATION,
    Status.AWAITING_FEE,
    Status.AWAITING_APPROVAL,
)
_OPEN_IN_ORDER = tuple(status for status in Status if status in OPEN_STATUSES)
_DRAFT = (OUTCOME, EXEMPTIONS, replace(RESPONSE, label="Draft response"), PUBLIC_INTEREST)
# the exemption whose public interest test needs the time: the extension notice names it (FOIA s.17(2))
_CONSIDERED = replace(
    EXEMPTIONS,
    label="Exemptions being considered (the notice to the requester names them: s.17(2))",
    description="the qualified exemptions whose public interest test needs the extra time; the extension notice names them (FOIA s.17(2))",
)


def _check_considered(regime: Regime, details: dict[str, Any]) -> None:
    """Only a qualified exemption has a public interest test to extend the time for."""
    absolute = [e.provision for e in regime.rules.exemptions if e.code in (details.get("exemptions") or []) and e.absolute]
    if absolute and regime.rules.extension is not None:
        one = len(absolute) == 1
        raise InvalidInput(
            "exemptions",
            f"{', '.join(absolute)} {'is' if one else 'are'} absolute: there is no public interest test to extend the time for "
            f"({regime.rules.extension.law}); leave {'it' if one else 'them'} out",
        )


class Action(StrEnum):
    """The lifecycle's steps, each declared once, in the order a person would consider them."""

    _value_: str
    spec: ActionSpec

    def __new__(cls, value: str, spec: ActionSpec | None = None) -> Action:
        # Action("respond") looks a member up by its name; only the declarations below pass a spec
        if spec is None:
            raise TypeError("an Action is declared with its ActionSpec")
        member = str.__new__(cls, value)
        member._value_ = value
        member.spec = spec
        return member

    ASSIGN = (
        "assign",
        ActionSpec(
            label="Assign",
            done="Assigned",
            leaves=_OPEN_IN_ORDER,
            params=(ASSIGNEE,),
            bulk="Assign to",
            not_now="only open requests are assigned",
        ),
    )
    ACKNOWLEDGE = (
        "acknowledge",
        ActionSpec(
            label="Send acknowledgement",
            done="Acknowledgement sent",
            leaves=_BEFORE_RESPONSE,
            form_hint="Tells the requester the request arrived, its reference and the date it is due.",
        ),
    )
    START = "start", ActionSpec(label="Start work", done="Work started", leaves=(Status.NEW,), goes_to=Status.IN_PROGRESS)
    REQUEST_CLARIFICATION = (
        "request_clarification",
        ActionSpec(
            label="Ask for clarification",
            done="Clarification requested",
            leaves=_WORKING,
            goes_to=Status.AWAITING_CLARIFICATION,
            clock=ClockEventType.CLARIFICATION_REQUESTED,
            note_label="What needs clarifying (the notice to the requester quotes it)",
        ),
    )
    RECEIVE_CLARIFICATION = (
        "receive_clarification",
        ActionSpec(
            label="Record clarification received",
            done="Clarification received",
            leaves=(Status.AWAITING_CLARIFICATION,),
            goes_to=Status.IN_PROGRESS,
            clock=ClockEventType.CLARIFICATION_RECEIVED,
        ),
    )
    ISSUE_FEE_NOTICE = (
        "issue_fee_notice",
        ActionSpec(
            label="Issue fees notice",
            done="Fees notice issued",
            leaves=_WORKING,
            goes_to=Status.AWAITING_FEE,
            params=(FEE_AMOUNT,),
            params_optional=True,
            clock=ClockEventType.FEE_NOTICE_ISSUED,
            note_label="How to pay, or anything else for the requester (the notice quotes it)",
        ),
    )
    RECEIVE_FEE = (
        "receive_fee",
        ActionSpec(
            label="Record fee received",
            done="Fee received",
            leaves=(Status.AWAITING_FEE,),
            goes_to=Status.IN_PROGRESS,
            clock=ClockEventType.FEE_PAID,
        ),
    )
    EXTEND_PIT = (
        "extend_pit",
        ActionSpec(
            label="Extend for public interest test",
            done="Extended for public interest test",
            leaves=(*_WORKING, Status.AWAITING_APPROVAL),
            params=(PIT_WORKING_DAYS, _CONSIDERED),
            check=_check_considered,
            clock=ClockEventType.PIT_EXTENSION,
            extension=ExtensionKind.PUBLIC_INTEREST,
            regime_refusal="only {laws} {verb} a public interest extension",
            note_label="Why more time is needed (the notice to the requester quotes it)",
        ),
    )
    EXTEND_EIR = (
        "extend_eir",
        ActionSpec(
            # EIR and EISR alike (reg. 7 of each): the wording names neither
            label="Extend to 40 working days (reg. 7)",
            done="Extended to 40 working days (reg. 7)",
            leaves=(*_WORKING, Status.AWAITING_APPROVAL),
            clock=ClockEventType.EIR_EXTENSION,
            extension=ExtensionKind.COMPLEX_AND_VOLUMINOUS,
            regime_refusal="only {laws} {verb} an extension for complex and voluminous requests",
            note_label="Why more time is needed (the notice to the requester quotes it)",
        ),
    )
    SUBMIT_FOR_APPROVAL = (
        "submit_for_approval",
        ActionSpec(
            label="Submit for approval",
            done="Submitted for approval",
            leaves=_WORKING,
            goes_to=Status.AWAITING_APPROVAL,
            # the draft is optional (older callers submit without one), but a draft given is checked as a response
            params=_DRAFT,
            params_optional=True,
            check=_check_response,
            form_hint="The draft a manager approves: once approved, the response sent must be this one.",
        ),
    )
    APPROVE = (
        "approve",
        ActionSpec(
            label="Approve response",
            done="Response approved",
            leaves=(Status.AWAITING_APPROVAL,),
            goes_to=Status.IN_PROGRESS,
            by=Who.APPROVER,
        ),
    )
    RETURN_FOR_CHANGES = (
        "return_for_changes",
        ActionSpec(
            label="Return for changes",
            done="Returned for changes",
            leaves=(Status.AWAITING_APPROVAL,),
            goes_to=Status.IN_PROGRESS,
            by=Who.APPROVER,
            note_label="What must change",
            note_required="Enter what must change before the response can be approved",
        ),
    )
    RESPOND = (
        "respond",
        ActionSpec(
            label="Send response",
            done="Response sent",
            leaves=_WORKING,
            goes_to=Status.RESPONDED,
            params=(OUTCOME, EXEMPTIONS, RESPONSE, PUBLIC_INTEREST),
            check=_check_response,
        ),
    )
    WITHDRAW = (
        "withdraw",
        ActionSpec(
            label="Record withdrawal by requester",
            done="Withdrawn by requester",
            leaves=_BEFORE_RESPONSE,
            goes_to=Status.WITHDRAWN,
            bulk="Close as withdrawn",
            not_now="only a request not yet answered can be withdrawn",
            warning=True,
        ),
    )
    LAPSE = (
        "lapse",
        ActionSpec(
            label="Close as lapsed",
            done="Closed as lapsed",
            leaves=(Status.AWAITING_CLARIFICATION, Status.AWAITING_FEE),
            goes_to=Status.LAPSED,
            bulk="Close as lapsed",
            not_now="only a request waiting for a clarification or a fee can lapse",
            warning=True,
        ),
    )
    REQUEST_INTERNAL_REVIEW = (
        "request_internal_review",
        ActionSpec(
            label="Record internal review request",
            done="Internal review requested",
            leaves=(Status.RESPONDED,),
            goes_to=Status.INTERNAL_REVIEW,
            starts_review=True,
        ),
    )
    COMPLETE_INTERNAL_REVIEW = (
        "complete_internal_review",
        ActionSpec(
            label="Complete internal review",
            done="Internal review completed",
            leaves=(Status.INTERNAL_REVIEW,),
            goes_to=Status.REVIEW_COMPLETED,
            params=(REVIEW_OUTCOME,),
            note_label="The reviewer's reasons (the notice to the requester quotes them)",
        ),
    )
    NOTE = (
        "note",
        ActionSpec(
            label="Add a note",
            done="Note added",
            leaves=tuple(Status),
            note_label="Note",
            note_required="Enter the note",
            dated=False,
        ),
    )

    @property
    def label(self) -> str:
        """What the step is called where it is offered (a button)."""
        return self.spec.label

    @property
    def past_label(self) -> str:
        """What the step is called once done (the timeline, confirmations)."""
        return self.spec.done


def action_named(value: str) -> Action | None:
    """The action a stored event or a form names, or None (an event that is not a lifecycle step)."""
    return _BY_NAME.get(value)


_BY_NAME: dict[str, Action] = {action.value: action for action in Action}


def _parameters_by_name() -> dict[str, Param]:
    """Every parameter any action takes, once by name: one name is one type everywhere (the API
    has one field per name)."""
    found: dict[str, Param] = {}
    for action in Action:
        for param in action.spec.params:
            first = found.setdefault(param.name, param)
            if first.kind is not param.kind:
                raise TypeError(f"parameter '{param.name}' is declared as {first.kind} and as {param.kind}")
    return found


ACTION_PARAMETERS: tuple[Param, ...] = tuple(_parameters_by_name().values())
# The statutory clock event each action stands for (deadline engine event types).
CLOCK_EVENT_FOR_ACTION: dict[Action, ClockEventType] = {action: action.spec.clock for action in Action if action.spec.clock is not None}
# Steps the due date rests on: they are kept in date order, and a calendar change reads them again.
CLOCK_ACTIONS = frozenset(action for action in Action if action.spec.touches_clock)
BULK_ACTIONS = tuple(action for action in Action if action.spec.bulk)
# action -> what a note must say when the action requires one
NOTE_REQUIRED = {action: action.spec.note_required for action in Action if action.spec.note_required}


def is_limit_extended(regime: Regime, status: Status, working_days_limit: int) -> bool:
    """Whether a request's current time limit already runs past its regime's own: an extension was
    taken in this period (a clarification starts a new one, and an internal review has its own limit)."""
    return status is not Status.INTERNAL_REVIEW and working_days_limit > regime.rules.time_limit_working_days


def allowed_actions(status: Status, regime: Regime, *, limit_extended: bool = False) -> list[Action]:
    """The actions allowed now, in the order a person would consider them. `limit_extended`: the
    time limit is already extended for a complex and voluminous request, which is done once."""
    return [
        action
        for action in Action
        if status in action.spec.leaves and action.spec.allows(regime) and not (limit_extended and action.spec.once_per_period)
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
_DRAFT_KEYS = tuple(param.name for param in Action.SUBMIT_FOR_APPROVAL.spec.params)


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


def check_note(action: str, note: str | None) -> None:
    """Some steps mean nothing without words: a note, the reason a draft goes back."""
    chosen = action_named(action)  # None: plan_action names the unknown action
    if chosen is not None and chosen.spec.note_required and not (note or "").strip():
        raise InvalidInput("note", chosen.spec.note_required)


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
    limit_extended: bool = False,
    historic: bool = False,
) -> Transition:
    """Checks that `action` may happen now with these parameters, and says what it does.

    `params` carries the action's own inputs (outcome, exemptions, working_days, ...); the result's
    details are the validated, canonical form to store on the event.

    The services pass what the rules beyond the state machine need: the `actor` (approval is a
    manager's check, never the submitter's own), the `approval` of the latest draft (a response
    after an approval sends the approved draft) and `lapses_on`, the date the deadline engine says
    a waiting request may lapse from. Left out (a historic import, a replayed plan), those rules
    are not checked. `historic`: a step from the records kept before the tracker (an import), which
    may lack what a step taken now must have (a response's text).

    Every problem with what was sent (the date, each parameter) is raised at once (`InvalidInputs`).
    """
    try:
        chosen = Action(action)
    except ValueError:
        raise InvalidInput("action", f"unknown action '{action}'; known actions: {', '.join(Action)}") from None
    spec = chosen.spec
    allowed = [a.value for a in allowed_actions(status, regime, limit_extended=limit_extended)]
    if not spec.allows(regime):
        raise IllegalTransition(chosen.value, status.value, allowed, reason=spec.refusal_under_other_regimes)
    if limit_extended and spec.once_per_period and status in spec.leaves:
        law = regime.rules.extension.law if regime.rules.extension else ""
        raise IllegalTransition(chosen.value, status.value, allowed, reason=f"already extended: {law} allows one extension")
    if status not in spec.leaves:
        raise IllegalTransition(chosen.value, status.value, allowed)
    if spec.by is Who.APPROVER:
        _check_approver(chosen, actor, approval)
    problems = []
    if on < received_on:
        problems.append(InvalidInput("on", f"must be the same as or after the date the request was received ({spoken_date(received_on)})"))
    try:
        details = clean_params(chosen, regime, params, historic=historic)
    except InvalidInput as problem:
        problems.extend(InvalidInputs.of(problem))
    if problems:
        raise InvalidInputs(problems) if len(problems) > 1 else problems[0]
    if chosen is Action.RESPOND and approval is not None:
        _check_matches_approved_draft(details, approval)
    if chosen is Action.LAPSE and lapses_on is not None and on < lapses_on:
        waiting = AWAITING_FEE if status is Status.AWAITING_FEE else AWAITING_CLARIFICATION
        raise Conflict(f"can only lapse from {long_date(lapses_on)} ({lapse_period(regime, waiting)})")
    if chosen is Action.APPROVE and approval is not None and approval.draft is not None:
        details = dict(approval.draft)  # the approval names the draft it approves
    return Transition(chosen, status, spec.goes_to or status, details)


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
    if _one_form(approved.get("public_interest")) != _one_form(sent.get("public_interest")):
        differences.append("the public interest text")
    return differences


def _outcome_label(value: Any) -> str:
    try:
        return Outcome(value).label
    except ValueError:
        return str(value)


def clean_params(action: Action, regime: Regime, params: Mapping[str, Any], *, historic: bool = False) -> dict[str, Any]:
    """The action's declared parameters, checked and in the form stored on its event; others are ignored.
    Every parameter at fault is named at once (`InvalidInputs`, in the order of the declaration); the
    rules between them (`spec.check`) are checked once each is readable."""
    spec = action.spec
    if spec.params_optional and not any(params.get(param.name) for param in spec.params):
        return {}
    problems: list[InvalidInput] = []
    unreadable = False
    details: dict[str, Any] = {}
    for param in spec.params:
        try:
            value = param.clean(params.get(param.name), regime)
        except InvalidInput as problem:
            problems.append(problem)
            unreadable = True
            continue
        if value != "" or param.recorded_when_empty:
            details[param.name] = value
    if spec.check is not None and not unreadable:
        try:
            spec.check(regime, details)
        except InvalidInput as problem:
            problems.extend(InvalidInputs.of(problem))
    # a value a step taken now must have, unless a rule already said why it is needed (a refusal's text)
    said = {problem.field for problem in problems}
    for param in spec.params:
        if param.required_now and not historic and param.name not in said and details.get(param.name, "") in ("", None):
            problems.append(InvalidInput(param.name, param.missing, label=param.label))
    if problems:
        order = [param.name for param in spec.params]
        problems.sort(key=lambda found: order.index(found.field) if found.field in order else len(order))
        raise InvalidInputs(problems) if len(problems) > 1 else problems[0]
    return details


def _one_form(text: str | None) -> str:
    """A response's text as compared with its approved draft: line endings and outer spaces aside."""
    return (text or "").replace("\r\n", "\n").strip()
