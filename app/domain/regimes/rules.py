"""What a regime declares: every rule the deadline engine, the lifecycle, the reports, the forms
and the help texts read (docs/uk-foi-rules.md, "Regimes").

A declaration is data. The engine (`app/domain/deadlines/engine.py`) interprets it; nothing else
compares a regime's name to decide a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.outcomes import Outcome
from app.domain.regimes.regime import Regime


class ExtensionKind(StrEnum):
    PUBLIC_INTEREST = "public_interest"
    """FOIA s.10(3): "such time as is reasonable" to weigh the public interest; adds working days."""
    COMPLEX_AND_VOLUMINOUS = "complex_and_voluminous"
    """EIR and EISR reg 7: the limit becomes 40 working days for a complex and voluminous request."""


class CalendarName(StrEnum):
    """Which bank holidays stop the count (the working-day calendars of app/domain/deadlines/calendar.py)."""

    UK = "uk"
    SCOTLAND = "scotland"

    @property
    def where(self) -> str:
        """Whose bank holidays it skips: "every part of the UK", "Scotland"."""
        return "every part of the UK" if self is CalendarName.UK else "Scotland"


@dataclass(frozen=True, slots=True)
class Exemption:
    """One exemption (FOIA, FOISA) or exception (EIR, EISR) a refusal can rely on."""

    code: str
    regime: Regime
    provision: str
    title: str
    absolute: bool = False
    """Wholly absolute: no public interest test for any of it (FOIA s.2(3), FOISA s.2(2))."""
    absolute_in_part: str = ""
    """For an exemption only part of which is absolute, which part, as a clause citing s.2: "subsection (2)
    ... is absolute (section 2(2)(c))"; `absolute` is then False, the rest being qualified."""

    @property
    def label(self) -> str:
        return f"{self.provision} {self.title}"


@dataclass(frozen=True, slots=True)
class Extension:
    kind: ExtensionKind
    law: str
    """Cited when the extension is recorded: "FOIA s.10(3)"."""
    working_days: int
    """Public interest: the most the regulator expects in total (flagged above it). Complex and
    voluminous: the limit once extended."""
    notice_law: str
    """Cited when the extension was notified after the date it extended."""
    applies_to_review: bool = False
    """Whether an internal review can be extended the same way (FOIA: the s.45 Code allows up to 40)."""
    review_law: str = ""


@dataclass(frozen=True, slots=True)
class FeeLapse:
    """How long a requester has to pay before the request lapses: calendar months or working days."""

    law: str
    months: int = 0
    working_days: int = 0

    @property
    def in_words(self) -> str:
        if self.working_days:
            return f"{self.working_days} working days after the fees notice ({self.law})"
        return f"{_NUMBER_WORDS.get(self.months, str(self.months))} months after the fees notice ({self.law})"

    @property
    def short_words(self) -> str:
        return f"{self.working_days} working days" if self.working_days else f"{_NUMBER_WORDS.get(self.months, str(self.months))} months"


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 6: "six"}


@dataclass(frozen=True, slots=True)
class PostalReceipt:
    """A request sent by post is taken as received a number of days after posting, unless the
    contrary is shown (FOISA s.74)."""

    days_after_posting: int
    law: str


@dataclass(frozen=True, slots=True)
class RegimeRules:
    regime: Regime
    title: str
    """"Freedom of Information Act 2000"."""
    short_name: str
    """"FOIA": how the law is cited in sentences and tables."""
    reference_prefix: str
    """The first part of a reference: FOI-2026-00042. Unique across regimes."""
    where: str
    """Who answers under it, for forms and help: "public authorities in England, Wales and Northern
    Ireland, and UK-wide bodies"."""
    environmental: bool
    calendar: CalendarName
    calendar_law: str
    """Where the law defines a working day: "FOIA s.10(6)"."""
    time_limit_working_days: int
    time_limit_law: str
    review_working_days: int
    review_law: str
    extension: Extension | None
    fee_pause_law: str
    """The days from a fees notice through payment are not counted."""
    fee_notice_law: str
    """A fees notice must be given within the time for compliance."""
    fee_lapse: FeeLapse
    clarification_law: str
    refusal_notice_law: str
    exemption_word: str
    """"exemption" (FOIA, FOISA) or "exception" (EIR, EISR)."""
    exemption_code_example: str
    exemptions: tuple[Exemption, ...]
    otherwise_accessible: str = ""
    """Where the law lets the authority point the requester to what is already published."""
    procedural_refusals: tuple[tuple[Outcome, str], ...] = ()
    """The refusals for what a request is (cost, vexatious, repeated) the law has, with their sections;
    none under the environmental regimes."""
    manifestly_unreasonable: str = ""
    """Where there are none: the exception code a too costly or vexatious request is refused under."""
    postal_receipt: PostalReceipt | None = None
    clarification_lapse_months: int = 3
    """Unanswered clarification: the request may be closed as lapsed (ICO practice, every regime)."""
    notes: tuple[str, ...] = field(default=())
    """Sentences for the help texts (calculator, reports' definitions)."""

    @property
    def extension_kind(self) -> ExtensionKind | None:
        return self.extension.kind if self.extension else None

    @property
    def calendar_words(self) -> str:
        """ "the bank holidays of every part of the UK (FOIA s.10(6))"."""
        return f"the bank holidays of {self.calendar.where} ({self.calendar_law})"

    @property
    def exemptions_heading(self) -> str:
        """ "Exemptions" (FOIA, FOISA) or "Exceptions" (EIR, EISR)."""
        return f"{self.exemption_word.capitalize()}s"

    @property
    def exemptions_prompt(self) -> str:
        """What the response form asks: "Exemptions relied on (a refusal names at least one, unless it
        is under s.12 or s.14)"."""
        sections = dict.fromkeys(law.split()[-1].split("(")[0] for _, law in self.procedural_refusals)
        unless = f", unless it is under {' or '.join(sections)}" if sections else ""
        return f"{self.exemptions_heading} relied on (a refusal names at least one{unless})"

    def allows_outcome(self, outcome: Outcome) -> bool:
        return not outcome.is_procedural_refusal or outcome in dict(self.procedural_refusals)

    def outcome_refusal(self, outcome: Outcome) -> str:
        """Why an outcome this law does not have is refused, in words."""
        where = (
            f": refuse it in full under {self.manifestly_unreasonable} (manifestly unreasonable)" if self.manifestly_unreasonable else ""
        )
        return f"the {self.short_name} has no refusal '{outcome.label}'{where}"

    def exemption_codes(self) -> tuple[str, ...]:
        return tuple(exemption.code for exemption in self.exemptions)
