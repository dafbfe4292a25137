"""Inputs that both the JSON API and the staff forms send, typed once.

The API decodes its JSON body into these types (Litestar, `JSONBody[...]`, which also documents them in
/schema/openapi.json); a page converts its form values through the same types with `read_form`; the
service takes what either built. A new lifecycle action's parameters reach `ActionIn` and `BulkIn`,
and their documentation, from its declaration (app/domain/lifecycle.py) without an edit here.
The new request's input is `NewRequest` in app/services/requests.py (beside the use case that takes it).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast, get_type_hints

import msgspec
from msgspec import UNSET, Meta, Struct, defstruct

from app.domain.dates import parse_date
from app.domain.deadlines import ClockEventType
from app.domain.errors import InvalidInput
from app.domain.lifecycle import ACTION_PARAMETERS, BULK_ACTIONS, Action, Who
from app.domain.regimes import Regime
from app.services.bulk import ACTIONS as BULK_FORM_ACTIONS
from app.services.sent import SentDate, SentText

T = TypeVar("T")

# ---------------------------------------------------------------- bounds

# far past the end of any list, and small enough that page × size stays a 64-bit offset on every engine
MAX_PAGE = 1_000_000


def parse_page(value: Any) -> int:
    """A page number from a query string: left out (or below 1) is the first page; anything but a whole
    number up to MAX_PAGE is refused naming `page`."""
    text = "" if value is None else str(value).strip()
    if not text:
        return 1
    if not re.fullmatch(r"-?[0-9]{1,19}", text) or int(text) > MAX_PAGE:
        raise InvalidInput("page", f"must be a whole number from 1 to {MAX_PAGE:,}")
    return max(1, int(text))


# ---------------------------------------------------------------- forms into input types

_AT = re.compile(r"- at `\$\.([A-Za-z_][A-Za-z0-9_]*)")
_KIND_WORDS = {"int": "must be a whole number", "array": "give a list", "str": "must be text", "bool": "must be true or false"}


def _fields(cls: type) -> dict[str, tuple[Any, bool]]:
    """Each field's type and whether it has a default."""
    hints = get_type_hints(cls)
    if issubclass(cls, Struct):
        return {f.name: (hints[f.name], not f.required) for f in msgspec.structs.fields(cls)}
    return {
        f.name: (hints[f.name], f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING)
        for f in dataclasses.fields(cast(Any, cls))
    }


def read_form(cls: type[T], values: Mapping[str, Any]) -> T:
    """Form (or query-string) values into the input type `cls` (a msgspec Struct or a dataclass): an
    empty value of a field with a default is left out (the default), dates are read as every typed
    date is (`app.domain.dates.parse_date`), text becomes a number where the type wants one; a value
    that will not convert is refused naming its field, as the API refuses it."""
    given: dict[str, Any] = {}
    for name, (kind, optional) in _fields(cls).items():
        value = values.get(name)
        if optional and (value is None or value == "" or value == []):
            continue
        given[name] = parse_date(value, name, required=not optional) if kind in (date, date | None) else value
    try:
        return msgspec.convert(given, cls, strict=False)
    except msgspec.ValidationError as problem:
        found = _AT.search(str(problem))
        field = found.group(1) if found else "form"
        expected = re.match(r"Expected `(\w+)", str(problem))
        raise InvalidInput(field, _KIND_WORDS.get(expected.group(1) if expected else "", "is not valid")) from None


# ---------------------------------------------------------------- lifecycle steps


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


class NoticeIn(Struct, forbid_unknown_fields=True):
    """The notice a step sends: `send` it or not, `by` e-mail or post (a PDF letter to print), with the
    officer's edited `text` (and `subject`) instead of the draft, and released `documents` (ids) attached."""

    send: bool
    by: str = "email"
    text: str | None = None
    subject: str | None = None
    documents: list[int] | None = None


class ActionFields(Struct):
    """A lifecycle step. `respond` and `submit_for_approval` (the draft to approve) take `outcome`,
    `exemptions` and `response`; a refusal names an exemption (unless refused_cost, refused_vexatious
    or refused_repeated) and always has a response. `approve` and `return_for_changes` (with a `note`)
    are a manager's or an admin's, never the submitter's; after an approval `respond` sends the
    approved draft. `lapse` only from the date the request's deadline gives."""

    action: Annotated[str, Meta(description=_ACTIONS_IN_WORDS)]
    on: Annotated[date | None, Meta(description="the date it happened (default today)")] = None
    note: str | None = None
    notice: Annotated[
        NoticeIn | None,
        Meta(
            description="the notice the step sends (acknowledge, request_clarification, issue_fee_notice, extend_pit, extend_eir, "
            "respond, complete_internal_review): left out, the step is recorded without one"
        ),
    ] = None


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
    """The lifecycle parameters a step gives, by their declared names (those left out are not passed on)."""
    return {param.name: getattr(data, param.name) for param in ACTION_PARAMETERS if getattr(data, param.name, None) is not None}


# ---------------------------------------------------------------- departments


class DepartmentIn(Struct):
    """A new department (the admin's page and the API): its name, and the slug requests are routed by
    (made from the name if left out)."""

    name: str
    slug: str | None = None


# ---------------------------------------------------------------- the deadline calculator

_CLOCK_EVENTS = Annotated[
    Any,
    Meta(
        extra_json_schema={
            "extra": {
                "type": "array",
                "description": "clock events in the order they happened",
                "items": {
                    "type": "object",
                    "required": ["type", "on"],
                    "properties": {
                        "type": {"type": "string", "description": ", ".join(ClockEventType)},
                        "on": {"type": "string", "format": "date"},
                        "working_days": {"type": "integer", "description": "pit_extension: the extra working days"},
                    },
                },
            }
        }
    ),
]


class CalculationIn(Struct):
    """A due date to work out (docs/contract.md, "The deadline calculator"): `regime`, `stage` (initial,
    the default, or internal_review), `received_on`, or for a posted request `posted_on` (FOISA
    s.74(2)(a)), and the clock `events`. Every value is checked by the calculator
    (app/services/deadline_calculator.py), which the public page shares, naming the field at fault."""

    regime: SentText = UNSET
    stage: SentText = UNSET
    received_on: SentDate = UNSET
    posted_on: SentDate = UNSET
    events: _CLOCK_EVENTS = UNSET

    def as_sent(self) -> dict[str, Any]:
        """The fields sent, as the calculator reads them."""
        return {name: value for name, value in msgspec.structs.asdict(self).items() if value is not UNSET}
