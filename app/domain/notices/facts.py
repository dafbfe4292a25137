"""What a notice is drafted from (the case's facts and the authority's letterhead), what an admin
edits (`NoticeText`) and what is sent (`Notice`). Plain values only: the caller reads the database
and the settings, this package never does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.notices.kinds import NoticeKind
from app.domain.regimes import Regime


@dataclass(frozen=True, kw_only=True)
class Letterhead:
    """The authority's own details, from the settings."""

    authority_name: str
    postal_address: str = ""
    """Several lines, as printed on a letter."""
    request_email: str = ""
    signature: str = ""
    """Who signs: "Information Governance Team"."""
    contact: str = ""
    """A telephone number or web page, as a sentence or a line."""
    base_url: str = ""

    @property
    def write_to(self) -> str:
        """Where a requester writes to: "foi@council.example, or County Hall, Felpersham, BS1 1AA"."""
        address = ", ".join(line.strip() for line in self.postal_address.splitlines() if line.strip())
        return ", or ".join(part for part in (self.request_email.strip(), address) if part)


@dataclass(frozen=True, kw_only=True)
class CaseFacts:
    """Everything a notice's text may read about its case.

    The caller works out every date with the authority's working-day calendar (its corrections
    included), so that a notice says the same dates as the case page.
    """

    reference: str
    regime: Regime
    title: str
    body: str
    """The request as the requester wrote it."""
    requester_name: str
    received_on: date
    due_on: date | None
    due_explanation: str = ""
    """How the due date was worked out, in words."""
    today: date
    """The notice's date."""
    outcome: str | None = None
    """An `Outcome` value for a response."""
    exemptions: tuple[str, ...] = ()
    """Exemption or exception codes (FOIA-s40, EIR-r12(5)(e), ...)."""
    response: str = ""
    """The officer's text: the answer, and for a refusal why each exemption applies."""
    public_interest: str = ""
    """The officer's public interest reasons for a qualified exemption, when recorded apart from `response`;
    empty, a refusal prints `response` under "The public interest" too."""
    responded_on: date | None = None
    """The date of our response: a review outcome names the response it reviewed."""
    fee_amount: str | None = None
    """"25.00": pounds, as typed."""
    estimated_date: date | None = None
    """An extension's estimate of when the decision will be made."""
    review_outcome: str | None = None
    """A `ReviewOutcome` value."""
    note: str = ""
    """The step's note: what needs clarifying, how to pay, why the time is extended, the reviewer's reasons."""
    channel: str = "email"
    whatdotheyknow: bool = False
    preferred_format: str | None = None
    """The public form's label ("By e-mail", "A paper copy by post", ...) or the requester's own words."""
    documents: tuple[str, ...] = ()
    """Titles of the documents released with the notice."""
    review_due_by: date | None = None
    """The last day to ask for an internal review: 40 working days under every regime, counted from
    `review_counts_from` (the notice's date; under FOISA the due date if that is later), docs/notices.md."""
    fee_due_by: date | None = None
    """The last day to pay before the request lapses (the engine's `lapse_date` less a day)."""
    reply_by: date | None = None
    """A clarification's last day before the request may be closed as lapsed."""


@dataclass(frozen=True)
class NoticeText:
    """A notice's template: what an admin edits (sandboxed Jinja, plain text)."""

    subject: str
    body: str


@dataclass(frozen=True)
class Notice:
    """A notice drafted for one case, ready to edit and send."""

    kind: NoticeKind
    subject: str
    body: str
