"""The regime's words a notice cites: the law's title, the review and who to complain to.

Most numbers come from the regime's declaration (`app/domain/regimes/`); what only a notice needs
(where to ask for a review and within how long, the regulator's address) is declared here, each
with its source in docs/notices.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from app.domain.regimes import Regime

REVIEW_ASK_WORKING_DAYS = 40
"""The time to ask for an internal review, the same under every regime: FOIA s.45 Code of Practice
(part 5), EIR reg 11(2), FOISA s.20(5), EISR reg 16(2)."""


@dataclass(frozen=True)
class Commissioner:
    """Who the requester complains to after the internal review."""

    name: str
    """"the Information Commissioner"."""
    office: str
    address: str
    """Several lines."""
    website: str
    complaint_url: str
    phone: str
    email: str
    law: str
    """The right to complain: "section 50 of the Freedom of Information Act 2000"."""
    when: str
    """How soon, in a sentence: the law's limit (FOISA s.47(4)) or the regulator's own practice."""


@dataclass(frozen=True)
class Law:
    """The `law` a notice's text reads."""

    regime: str
    title: str
    """"Freedom of Information Act 2000"."""
    short_name: str
    environmental: bool
    word: str
    """"exemption" or "exception"."""
    words: str
    """"exemptions" or "exceptions"."""
    time_limit_days: int
    review_ask_days: int
    review_ask_law: str
    review_days: int
    review_law: str
    fee_lapse: str
    """How long the requester has to pay, in words: "three months"."""
    fee_lapse_law: str
    """"FOIA s.9(2)": the regime's own citations, as declared in app/domain/regimes/."""
    fee_pause_law: str
    clarification_law: str
    refusal_law: str
    clarification_lapse: str
    commissioner: Commissioner


_ICO: dict[str, str] = dict(
    name="the Information Commissioner",
    office="Information Commissioner's Office",
    address="Wycliffe House\nWater Lane\nWilmslow\nCheshire\nSK9 5AF",
    website="https://ico.org.uk",
    complaint_url="https://ico.org.uk/make-a-complaint/",
    phone="0303 123 1113",
    email="",
    # not statutory: the ICO's complaint pages ask for six weeks; s.50(2)(b) lets it refuse after undue delay
    when="The Commissioner asks for complaints within six weeks of the final response, and normally expects the internal review to have been done first.",
)
_SIC: dict[str, str] = dict(
    name="the Scottish Information Commissioner",
    office="Scottish Information Commissioner",
    address="Kinburn Castle\nDoubledykes Road\nSt Andrews\nFife\nKY16 9DS",
    website="https://www.foi.scot",
    complaint_url="https://www.foi.scot/appeal",
    phone="01334 464610",
    email="enquiries@foi.scot",
    when=(
        "An application to the Commissioner can be made only after an internal review, and must be made within six months of "
        "receiving the review's outcome (or, if none is sent, of the date it was due) (section 47(4) of the Freedom of "
        "Information (Scotland) Act 2002)."
    ),
)


@dataclass(frozen=True)
class _Declared:
    review_ask_law: str
    review_law: str
    commissioner: Commissioner


_DECLARED = {
    Regime.FOIA: _Declared(
        review_ask_law="the Code of Practice issued under section 45 of the Freedom of Information Act 2000",
        review_law="the Code of Practice issued under section 45 of the Freedom of Information Act 2000",
        commissioner=Commissioner(law="section 50 of the Freedom of Information Act 2000", **_ICO),
    ),
    Regime.EIR: _Declared(
        review_ask_law="regulation 11(2) of the Environmental Information Regulations 2004",
        review_law="regulation 11(4) of the Environmental Information Regulations 2004",
        commissioner=Commissioner(
            law="section 50 of the Freedom of Information Act 2000, as applied by regulation 18 of the Environmental Information Regulations 2004",
            **_ICO,
        ),
    ),
    Regime.FOISA: _Declared(
        review_ask_law="section 20(5) of the Freedom of Information (Scotland) Act 2002",
        review_law="section 21(1) of the Freedom of Information (Scotland) Act 2002",
        commissioner=Commissioner(law="section 47(1) of the Freedom of Information (Scotland) Act 2002", **_SIC),
    ),
    Regime.EISR: _Declared(
        review_ask_law="regulation 16(2) of the Environmental Information (Scotland) Regulations 2004",
        review_law="regulation 16(4) of the Environmental Information (Scotland) Regulations 2004",
        commissioner=Commissioner(
            law=(
                "section 47(1) of the Freedom of Information (Scotland) Act 2002, as applied by regulation 17 of the "
                "Environmental Information (Scotland) Regulations 2004"
            ),
            **_SIC,
        ),
    ),
}

_MONTHS = {1: "one month", 2: "two months", 3: "three months", 6: "six months"}


@cache
def law_for(regime: Regime) -> Law:
    rules = regime.rules
    declared = _DECLARED[regime]
    lapse = rules.fee_lapse
    return Law(
        regime=regime.value,
        title=rules.title,
        short_name=rules.short_name,
        environmental=rules.environmental,
        word=rules.exemption_word,
        words=f"{rules.exemption_word}s",
        time_limit_days=rules.time_limit_working_days,
        review_ask_days=REVIEW_ASK_WORKING_DAYS,
        review_ask_law=declared.review_ask_law,
        review_days=rules.review_working_days,
        review_law=declared.review_law,
        fee_lapse=f"{lapse.working_days} working days" if lapse.working_days else _MONTHS.get(lapse.months, f"{lapse.months} months"),
        fee_lapse_law=lapse.law,
        fee_pause_law=rules.fee_pause_law,
        clarification_law=rules.clarification_law,
        refusal_law=rules.refusal_notice_law,
        clarification_lapse=_MONTHS.get(rules.clarification_lapse_months, f"{rules.clarification_lapse_months} months"),
        commissioner=declared.commissioner,
    )


def review_counts_from(regime: Regime, notice_on: date, due_on: date | None) -> date:
    """The day the 40 working days to ask for a review count from (`REVIEW_ASK_WORKING_DAYS`):
    the notice's date, except under FOISA, where s.20(5) counts from the expiry of the time for
    compliance unless the answer came after it. `review_due_by` is this day plus 40 working days on
    the regime's calendar."""
    if regime is Regime.FOISA and due_on is not None and due_on > notice_on:
        return due_on
    return notice_on
