"""Bulk actions on requests chosen in the staff list: assign, add to a release batch, close as
withdrawn or lapsed.

First a dry run (`plan_bulk`) says what would change and which requests the lifecycle refuses,
with the reason. The confirmation (`apply_bulk`) checks everything again inside the caller's unit
of work and either does it all or nothing (a refusal raises, and the unit of work rolls back
whatever was written): one BulkOperation audit record for the operation, and one
history event per request, through the same rules (`requests.apply_action`) as a single step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.batches import BatchState, why_not_addable
from app.domain.errors import Conflict, IllegalTransition, InvalidInput
from app.domain.history import EventKind
from app.domain.lifecycle import BULK_ACTIONS, Action, Status, plan_action
from app.domain.regimes import Regime
from app.models import BulkOperation, FoiRequest, ReleaseBatch, User
from app.services import batches as batch_service
from app.services import requests as request_service
from app.services.clock import today_in
from app.services.publication import PUBLISHABLE
from app.services.scope import refuse_any_outside, scope_of

MAX_REQUESTS = 1_000
ADD_TO_BATCH = EventKind.ADD_TO_BATCH.value  # not a lifecycle step: the request joins a release batch
# what the bulk form offers: the lifecycle actions declared for bulk (app/domain/lifecycle.py), and batches
ACTIONS = {**{action.value: action.spec.bulk for action in BULK_ACTIONS}, ADD_TO_BATCH: "Add to release batch"}


@dataclass
class BulkChange:
    reference: str
    title: str
    status: str
    to_status: str
    change: str  # what happens, in words


@dataclass
class BulkRefusal:
    reference: str
    title: str | None
    reason: str


@dataclass
class BulkPlan:
    action: str
    description: str  # "Close as withdrawn", "Assign to Omar Officer", "Add to release batch 'spring-2025'"
    params: dict[str, Any]
    changes: list[BulkChange] = field(default_factory=list)
    refused: list[BulkRefusal] = field(default_factory=list)

    @property
    def references(self) -> list[str]:
        return [change.reference for change in self.changes]


def _clean_references(references: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(r.strip().upper() for r in references if r and r.strip()))
    if not wanted:
        raise InvalidInput("references", "choose at least one request")
    if len(wanted) > MAX_REQUESTS:
        raise InvalidInput("references", f"at most {MAX_REQUESTS:,} requests at a time")
    return wanted


async def plan_bulk(
    session: AsyncSession,
    references: list[str],
    action: str,
    params: dict[str, Any],
    *,
    zone: ZoneInfo,
    on: date | None = None,
    lock: bool = False,
) -> BulkPlan:
    """What `action` would do to each request, and why the others would be refused. Writes nothing."""
    if action not in ACTIONS:
        raise InvalidInput("action", f"choose one of {', '.join(ACTIONS)}")
    wanted = _clean_references(references)
    today = today_in(zone)
    on = on or today
    if on > today:
        raise InvalidInput("on", "cannot be in the future")
    statement = select(FoiRequest).where(FoiRequest.reference.in_(wanted))
    found = {r.reference: r for r in await session.scalars(statement.with_for_update() if lock else statement)}
    # under department scope, one request of another department refuses the whole action
    refuse_any_outside(scope_of(session), wanted, {reference: r.department_id for reference, r in found.items()})

    assignee_id = None
    if action == Action.ASSIGN:
        email = str(params.get("assignee") or "").strip().lower()
        if not email:
            raise InvalidInput("assignee", "choose who to assign the requests to")
        assignee = await session.scalar(select(User).where(User.email == email, User.is_active.is_(True)))
        if assignee is None:
            raise InvalidInput("assignee", "no active member of staff with that email")
        plan = BulkPlan(action, f"Assign to {assignee.name}", {"assignee": email})
        assignee_id = assignee.id
    elif action == ADD_TO_BATCH:
        try:
            batch_id = int(params.get("batch_id") or 0)
        except (TypeError, ValueError):
            batch_id = 0
        batch = await session.get(ReleaseBatch, batch_id) if batch_id else None
        if batch is None:
            raise InvalidInput("batch", "choose a release batch")
        if not BatchState(batch.state).editable:
            raise InvalidInput("batch", f"batch '{batch.slug}' is published: it can no longer take requests")
        plan = BulkPlan(action, f"Add to release batch '{batch.title}'", {"batch_id": batch.id, "batch": batch.slug})
    else:
        plan = BulkPlan(action, ACTIONS[action], {"on": on.isoformat(), **_step_params(action, params)})
    # a waiting request may lapse only from the date its page shows
    lapses_on = await request_service.lapse_dates(session, list(found.values())) if action == Action.LAPSE else {}

    for reference in wanted:
        request = found.get(reference)
        if request is None:
            plan.refused.append(BulkRefusal(reference, None, "no such request"))
            continue
        status = Status(request.status)
        if action == ADD_TO_BATCH:
            reason = why_not_addable(
                status=request.status,
                publication_state=request.publication_state,
                batch_id=request.batch_id,
                this_batch_id=plan.params["batch_id"],
                publishable_statuses=frozenset(PUBLISHABLE),
            )
            if reason:
                plan.refused.append(BulkRefusal(reference, request.title, f"It {reason}."))
            else:
                plan.changes.append(BulkChange(reference, request.title, status.value, status.value, f"Joins batch {plan.params['batch']}"))
            continue
        if action == Action.ASSIGN and request.assignee_id == assignee_id:
            plan.refused.append(BulkRefusal(reference, request.title, "Already assigned to them."))
            continue
        try:
            transition = plan_action(
                status=status,
                regime=Regime(request.regime),
                action=action,
                params=dict(plan.params),
                received_on=request.received_on,
                on=on,
                lapses_on=lapses_on.get(request.id),
            )
        except IllegalTransition as problem:
            plan.refused.append(BulkRefusal(reference, request.title, _refusal(Action(action), status, problem)))
            continue
        except Conflict as problem:
            plan.refused.append(BulkRefusal(reference, request.title, f"{str(problem)[0].upper()}{str(problem)[1:]}."))
            continue
        except InvalidInput as problem:
            plan.refused.append(BulkRefusal(reference, request.title, f"{problem.message[0].upper()}{problem.message[1:]}."))
            continue
        change = plan.description if transition.to_status is status else f"{transition.from_status.label} → {transition.to_status.label}"
        plan.changes.append(BulkChange(reference, request.title, status.value, transition.to_status.value, change))
    return plan


def _step_params(action: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters the lifecycle action declares, from those the bulk form or the API sent."""
    return {param.name: params[param.name] for param in Action(action).spec.params if params.get(param.name) not in (None, "")}


def _refusal(action: Action, status: Status, problem: IllegalTransition) -> str:
    if problem.reason:
        return f"{problem.reason[0].upper()}{problem.reason[1:]}."
    now = f"Its status is “{status.label}”"
    if action.spec.not_now:
        return f"{now}: {action.spec.not_now}."
    return f"{now}: '{action.label}' is not possible now."


async def apply_bulk(
    session: AsyncSession,
    references: list[str],
    action: str,
    params: dict[str, Any],
    *,
    actor: User,
    zone: ZoneInfo,
    on: date | None = None,
    note: str | None = None,
) -> BulkOperation:
    """Carries out a confirmed bulk action: every request changes, or none does."""
    plan = await plan_bulk(session, references, action, params, zone=zone, on=on, lock=True)
    if plan.refused:
        listed = "; ".join(f"{r.reference}: {r.reason}" for r in plan.refused[:10])
        more = f" (and {len(plan.refused) - 10} more)" if len(plan.refused) > 10 else ""
        raise Conflict(f"nothing was changed: {listed}{more} Look at the requests again and preview the change anew.")
    note = (note or "").strip() or None
    operation = BulkOperation(
        kind=action,
        params={key: value for key, value in plan.params.items()},
        request_count=len(plan.changes),
        summary=f"{plan.description}: {', '.join(plan.references[:50])}{' …' if len(plan.references) > 50 else ''}",
        actor_id=actor.id,
    )
    session.add(operation)
    await session.flush()
    marker = {"bulk_operation": operation.id}
    if action == ADD_TO_BATCH:
        await batch_service.add_requests(
            session,
            plan.params["batch_id"],
            references=plan.references,
            actor=actor,
            zone=zone,
            extra_details=marker,
        )
    else:
        step_params = _step_params(action, plan.params)
        for reference in plan.references:
            await request_service.apply_action(
                session,
                reference,
                action=action,
                params=dict(step_params),
                actor=actor,
                zone=zone,
                on=on,
                note=note,
                extra_details=marker,
            )
    return operation


async def recent_operations(session: AsyncSession, limit: int = 10) -> list[BulkOperation]:
    return list(await session.scalars(select(BulkOperation).order_by(BulkOperation.id.desc()).limit(limit)))
