"""The inputs a lifecycle action takes, declared once: how each is checked and how forms ask for it.

An action's declaration (`app/domain/lifecycle.py`) lists its parameters; the rules read them to
check and clean what a caller sends, the API builds its request body and its documentation from
them, and the action form draws one field per parameter by its kind. The names are the API's
(docs/contract.md: they never change).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.domain.deadlines.engine import MAX_EXTENSION_WORKING_DAYS
from app.domain.errors import InvalidInput
from app.domain.exemptions import normalise_exemption_codes
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.regimes import Regime


class ParamKind(StrEnum):
    """What sort of value a parameter is: how it is checked, typed in the API and drawn on a form."""

    STAFF = "staff"
    """A member of staff, by email (a choice of people on the form)."""
    WORKING_DAYS = "working_days"
    """A whole number of working days, between the declared limits."""
    CHOICE = "choice"
    """One of a fixed list of values, each with its label."""
    EXEMPTIONS = "exemptions"
    """Exemption (or exception) codes of the request's regime: a list, or one text split at , or ;."""
    TEXT = "text"
    """Free text; one line ending whatever sent it, outer spaces trimmed."""
    MONEY = "money"
    """An amount in pounds ("45", "£45.50", "1,200"), kept as "£45.50"."""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    """As the API and the form name it (docs/contract.md)."""
    kind: ParamKind
    label: str
    """The form field's label."""
    description: str
    """What it is, for the API documentation."""
    hint: str = ""
    """Said under the label on the form."""
    required: bool = False
    missing: str = ""
    """What a refusal says when a required value is left out; `{choices}` lists the values of a choice."""
    unknown: str = ""
    """What a refusal says of a value not among the choices; `{value}` is the value sent."""
    choices: tuple[tuple[str, str], ...] = ()
    """(value, label) of each choice, in the order offered."""
    minimum: int = 1
    maximum: int | None = None
    default: str = ""
    """The form's starting value."""
    bulk_label: str = ""
    """The field's label on the bulk form, where one field serves one action among several."""
    recorded_when_empty: bool = True
    """False: left empty, it is not recorded on the step at all (a later addition older steps lack)."""
    required_now: bool = False
    """Required of a step taken now (`missing` says so), not of one imported from the records kept
    before the tracker (`plan_action(historic=True)`), which may lack it: a response's text."""

    @property
    def api_type(self) -> type:
        """The JSON type the API accepts (its request body is built from the declarations)."""
        if self.kind is ParamKind.WORKING_DAYS:
            return int
        if self.kind is ParamKind.EXEMPTIONS:
            return list[str]
        return str

    def clean(self, value: Any, regime: Regime) -> Any:
        """The value checked and in its stored form; InvalidInput names this parameter."""
        if self.kind is ParamKind.STAFF:
            if not value or not isinstance(value, str) or not value.strip():
                if self.required:
                    raise InvalidInput(self.name, self.missing, label=self.label)
                return None
            return value.strip().lower()
        if self.kind is ParamKind.WORKING_DAYS:
            return self._working_days(value)
        if self.kind is ParamKind.CHOICE:
            return self._choice(value)
        if self.kind is ParamKind.EXEMPTIONS:
            codes = value or []
            if isinstance(codes, str):
                codes = [code for code in codes.replace(";", ",").split(",") if code.strip()]
            if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
                raise InvalidInput(self.name, "give a list of exemption codes", label=self.label)
            return normalise_exemption_codes(codes, regime)
        if self.kind is ParamKind.MONEY:
            return self._money(value)
        text = "" if value is None else value
        if not isinstance(text, str):
            raise InvalidInput(self.name, "must be text", label=self.label)
        if self.required and not text.strip():
            raise InvalidInput(self.name, self.missing, label=self.label)
        return text.replace("\r\n", "\n").strip()

    def _working_days(self, value: Any) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(self.name, "must be a whole number of working days", label=self.label) from None
        if number < self.minimum or str(number) != str(value).strip():
            raise InvalidInput(self.name, f"must be a whole number of working days, {self.minimum} or more", label=self.label)
        if self.maximum is not None and number > self.maximum:
            raise InvalidInput(self.name, f"at most {self.maximum} working days", label=self.label)
        return number

    def _money(self, value: Any) -> str | None:
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required:
                raise InvalidInput(self.name, self.missing, label=self.label)
            return None
        found = _MONEY.fullmatch(text.replace(" ", ""))
        if found is None:
            if _NEGATIVE_MONEY.fullmatch(text.replace(" ", "")):
                raise InvalidInput(self.name, "must be more than £0", label=self.label)
            raise InvalidInput(self.name, "must be an amount in pounds, like £45 or £45.50", label=self.label)
        pounds = int(found.group(1).replace(",", ""))
        if pounds == 0 and int(found.group(2) or "0") == 0:
            raise InvalidInput(self.name, "must be more than £0", label=self.label)
        if pounds > MAX_FEE_POUNDS or (pounds == MAX_FEE_POUNDS and int(found.group(2) or "0")):
            raise InvalidInput(self.name, f"must be £{MAX_FEE_POUNDS:,} or less", label=self.label)
        return f"£{pounds:,}.{found.group(2) or '00'}"

    def _choice(self, value: Any) -> str:
        values = [choice for choice, _ in self.choices]
        listed = ", ".join(values)
        if not value:
            raise InvalidInput(self.name, self.missing.format(choices=listed), label=self.label)
        if value not in values:
            raise InvalidInput(self.name, self.unknown.format(choices=listed, value=value), label=self.label)
        return str(value)


_MONEY = re.compile(r"£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?")
# an amount below nothing ("-5", "£-5", "-£5.50"): said to be so, not to be no amount at all
_NEGATIVE_MONEY = re.compile(r"(?:-£?|£-)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?")
# the most a fees notice asks for: more is a typing slip (the cost limit is £450 or £600 of work)
MAX_FEE_POUNDS = 1_000_000


# -- the parameters the actions take (the lifecycle's declarations name them) ----------------------

ASSIGNEE = Param(
    "assignee",
    ParamKind.STAFF,
    label="Officer",
    bulk_label="Assign to",
    description="the email of the officer to assign",
    required=True,
    missing="give the email of the officer to assign",
)

MAX_PIT_EXTENSION_DAYS = MAX_EXTENSION_WORKING_DAYS

PIT_WORKING_DAYS = Param(
    "working_days",
    ParamKind.WORKING_DAYS,
    label="Extra working days",
    hint="The ICO expects no more than 20 extra working days. Tell the requester before the due date.",
    description=f"extra working days, 1 to {MAX_PIT_EXTENSION_DAYS}",
    required=True,
    maximum=MAX_PIT_EXTENSION_DAYS,
    default="20",
)

OUTCOME = Param(
    "outcome",
    ParamKind.CHOICE,
    label="Outcome",
    description="how the request is answered: " + ", ".join(Outcome),
    required=True,
    missing="Select the outcome",
    unknown="unknown outcome '{value}'; choose one of {choices}",
    choices=tuple((outcome.value, outcome.label) for outcome in Outcome),
)

EXEMPTIONS = Param(
    "exemptions",
    ParamKind.EXEMPTIONS,
    label="Exemptions relied on (a refusal names at least one, unless it is under s.12 or s.14)",
    description="codes of the exemptions or exceptions relied on, of the request's regime (FOIA-s40, EIR-r12(5)(e), ...)",
)

RESPONSE = Param(
    "response",
    ParamKind.TEXT,
    label="Response sent",
    hint="The answer to the request in your words: the notice to the requester quotes it, and a refusal says here why.",
    description="the text of the response sent to the requester (required: the notice quotes it)",
    required_now=True,
    missing="Enter the response",
)

PUBLIC_INTEREST = Param(
    "public_interest",
    ParamKind.TEXT,
    label="The public interest (for a qualified exemption or exception)",
    hint="The arguments for and against disclosure, and why withholding wins: a refusal notice must state them.",
    description="for a refusal relying on a qualified exemption or exception: the public interest arguments for and against "
    "disclosure; a refusal notice sent with the step must have them",
    recorded_when_empty=False,
)

REVIEW_OUTCOME = Param(
    "review_outcome",
    ParamKind.CHOICE,
    label="Result of the review",
    description="how the internal review came out: " + ", ".join(ReviewOutcome),
    required=True,
    missing="Select the result of the review",
    unknown="choose one of {choices}",
    choices=tuple((outcome.value, outcome.label) for outcome in ReviewOutcome),
)

FEE_AMOUNT = Param(
    "fee",
    ParamKind.MONEY,
    label="Fee to pay",
    hint="The amount in the fees notice, such as £45.50: it is written into the notice to the requester.",
    description='the fee asked for in the fees notice, in pounds ("45.50" or "£45.50")',
)
