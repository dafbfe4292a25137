"""Shapes of the API's request bodies (they also document the API in /schema/openapi.json)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from msgspec import Meta, Struct, defstruct

from app.domain.lifecycle import ACTION_PARAMETERS, BULK_ACTIONS, Action, Who
from app.domain.regimes import Regime
from app.services.bulk import ACTIONS as BULK_FORM_ACTIONS


class RequesterIn(Struct):
    name: str
    email: str | None = None
    address: str | None = None


class NewRequestIn(Struct):
    regime: str
    title: str
    body: str
    requester: RequesterIn
    channel: str = "email"
    received_on: date | None = None
    received_at: datetime | None = None
    department: str | None = None
    assignee: str | None = None
    posted_on: date | None = None


def _action_in_words(action: Action) -> str:
    """One action as the API documentation lists it: its name, what it takes, who and where."""
    spec = action.spec
    said = [", ".join(param.name for param in spec.params) + (", all optional" if spec.params_optional else "")] if spec.params else []
    if spec.note_required:
        said.append("`note` required")
    if spec.by is Who.APPROVER:
        said.append("a manager or an admin, never the submitter")
    if spec.extension is not None:
        said.append("only under " + ", ".join(regime.value for regime in Regime if spec.allows(regime)))
    return f"`{action.value}`" + (f" ({'; '.join(said)})" if said else "")


_ACTIONS_IN_WORDS = "one of " + ", ".join(_action_in_words(action) for action in Action)
_BULK_ACTIONS_IN_WORDS = "one of " + ", ".join(f"`{name}`" for name in BULK_FORM_ACTIONS)


class ActionFields(Struct):
    """A lifecycle step. `respond` and `submit_for_approval` (the draft to approve) take `outcome`,
    `exemptions` and `response`; a refusal names an exemption (unless refused_cost, refused_vexatious
    or refused_repeated) and always has a response. `approve` and `return_for_changes` (with a `note`)
    are a manager's or an admin's, never the submitter's; after an approval `respond` sends the
    approved draft. `lapse` only from the date the request's deadline gives."""

    action: Annotated[str, Meta(description=_ACTIONS_IN_WORDS)]
    on: Annotated[date | None, Meta(description="the date it happened (default today)")] = None
    note: str | None = None


class BulkFields(Struct):
    """One step on many requests: a dry run says what would change; otherwise all change or none."""

    action: Annotated[str, Meta(description=_BULK_ACTIONS_IN_WORDS)]
    references: list[str]
    dry_run: bool = False
    batch_id: int | None = None
    on: date | None = None
    note: str | None = None


def _with_parameters(name: str, base: type[Struct], actions: Iterable[Action]) -> Any:
    """`base` and one optional field per parameter these actions declare (app/domain/lifecycle.py),
    so that an action's parameters reach the API, and its documentation, without an edit here."""
    chosen = list(actions)
    params = {param.name: param for action in chosen for param in action.spec.params}
    fields = []
    for param in params.values():
        users = ", ".join(action.value for action in chosen if param.name in {p.name for p in action.spec.params})
        fields.append((param.name, Annotated[param.api_type | None, Meta(description=f"{users}: {param.description}")], None))
    body = defstruct(name, fields, bases=(base,), module=__name__)
    body.__doc__ = base.__doc__
    return body


# the parameters are read by name (`declared_params`): the type checker sees the fixed fields only
if TYPE_CHECKING:
    ActionIn = ActionFields
    BulkIn = BulkFields
else:
    ActionIn = _with_parameters("ActionIn", ActionFields, Action)
    BulkIn = _with_parameters("BulkIn", BulkFields, BULK_ACTIONS)


def declared_params(data: Struct) -> dict[str, Any]:
    """The lifecycle parameters a body gives, by their declared names (those left out are not passed on)."""
    return {param.name: getattr(data, param.name) for param in ACTION_PARAMETERS if getattr(data, param.name, None) is not None}


class DepartmentIn(Struct):
    name: str
    slug: str | None = None
