"""A fictional, dated case for each regime, notice and outcome: what the admin page previews and
what `check_text` renders an edited text against.

The dates are worked out with the regime's own working-day calendar (the packaged bank holidays),
so the preview says what a real notice would: a request received on Monday 2 November 2026 is due
on Tuesday 1 December 2026 under every regime, St Andrew's Day (30 November) being a bank holiday
in Scotland and so, for FOIA and the EIR, in "any part of the United Kingdom".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from app.domain.deadlines.calendar import WorkingCalendar, build_calendar, calendar_kind_for
from app.domain.deadlines.engine import add_months
from app.domain.notices.facts import CaseFacts
from app.domain.notices.kinds import NoticeKind
from app.domain.notices.law import REVIEW_ASK_WORKING_DAYS, review_counts_from
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.regimes import Regime

SAMPLE_RECEIVED_ON = date(2026, 11, 2)

_WITHHELD = {
    Regime.FOIA: ("FOIA-s43", "FOIA-s40"),
    Regime.EIR: ("EIR-r12(5)(e)", "EIR-r13"),
    Regime.FOISA: ("FOISA-s33", "FOISA-s38"),
    Regime.EISR: ("EISR-r10(5)(e)", "EISR-r11"),
}
_NOT_HELD = {Regime.EIR: ("EIR-r12(4)(a)",), Regime.EISR: ("EISR-r10(4)(a)",)}
_NCND = {
    Regime.FOIA: ("FOIA-s31",),
    Regime.EIR: ("EIR-r12(5)(a)",),
    Regime.FOISA: ("FOISA-s35",),
    Regime.EISR: ("EISR-r10(5)(a)",),
}
_MANIFESTLY_UNREASONABLE = {Regime.EIR: ("EIR-r12(4)(b)",), Regime.EISR: ("EISR-r10(4)(b)",)}

_RESPONSES = {
    Outcome.GRANTED_IN_FULL: "The contract and its schedules are attached. The council paid £1.2 million under it in 2025.",
    Outcome.GRANTED_IN_PART: (
        "The contract is attached. We have removed the contractor's unit rates, which would let its competitors undercut "
        "it at the retender in 2027, and the names and telephone numbers of the contractor's staff below director level, "
        "who would not expect them to be published."
    ),
    Outcome.REFUSED_IN_FULL: (
        "The contract is being retendered. Its unit rates and method statements would let competing bidders shape their "
        "prices around the incumbent's, harming both the contractor and the council's chance of best value."
    ),
    Outcome.NOT_HELD: "The council has no contract of this kind: pothole repairs are carried out by its own highways team.",
    Outcome.NEITHER_CONFIRM_NOR_DENY: (
        "Saying whether we hold this information would itself reveal whether an investigation is under way."
    ),
    Outcome.REFUSED_COST: (
        "The invoices are held on paper in 14 depot files. Finding and extracting the amounts would take about 40 hours. "
        "If you limit the request to one depot, or to the total paid each month, we expect to be able to answer it."
    ),
    Outcome.REFUSED_VEXATIOUS: (
        "This is the 31st request on the same contract in six months, several repeating earlier ones word for word; "
        "answering it would take staff away from other requesters for a burden out of proportion to its value."
    ),
    Outcome.REFUSED_REPEATED: "We answered an identical request from you on 14 September 2026 (reference FOI-2026-00017).",
    Outcome.ADVICE_AND_ASSISTANCE: (
        "The contract register on our website lists every highways contract with its value: it may answer your question."
    ),
}


def _calendar(regime: Regime) -> WorkingCalendar:
    return build_calendar(calendar_kind_for(regime))


def _explanation(regime: Regime, calendar: WorkingCalendar, received: date, due: date) -> str:
    holidays = calendar.holidays_between(received, due)
    skipped = "weekends" + (f" and {', '.join(f'{name} ({day.day} {day:%B})' for day, name in holidays)}" if holidays else "")
    return (
        f"We received your request on {received.day} {received:%B %Y}. The law gives us {regime.rules.time_limit_working_days} "
        f"working days, counted from the next working day and not counting {skipped}."
    )


def sample_case(regime: Regime, kind: NoticeKind, outcome: str | None = None) -> CaseFacts:
    """A dated, plausible fictional case under `regime` at the step that sends `kind`; `outcome`
    picks a response's outcome (granted in part by default) or a review's (upheld by default)."""
    calendar = _calendar(regime)
    received = SAMPLE_RECEIVED_ON
    due = calendar.add_working_days(received, regime.rules.time_limit_working_days)
    facts = CaseFacts(
        reference=f"{regime.reference_prefix}-2026-00042",
        regime=regime,
        title="Pothole repair contracts 2025",
        body=(
            "Please send me the council's contract for pothole repairs in force in 2025, and the total paid under it "
            "that year. I would like the answer by e-mail, as PDF files."
        ),
        requester_name="Zoë Ó Súilleabháin",
        received_on=received,
        due_on=due,
        due_explanation=_explanation(regime, calendar, received, due),
        today=calendar.add_working_days(received, 1),
        channel="email",
        preferred_format="PDF files by e-mail",
    )
    if kind is NoticeKind.CLARIFICATION_REQUEST:
        today = calendar.add_working_days(received, 2)
        return replace(
            facts,
            today=today,
            due_on=None,
            due_explanation="",
            reply_by=add_months(today, regime.rules.clarification_lapse_months) - timedelta(days=1),
            note="Do you mean the term contract for reactive repairs, or also the resurfacing programme let separately?",
        )
    if kind is NoticeKind.FEES_NOTICE:
        today = calendar.add_working_days(received, 10)
        lapse = regime.rules.fee_lapse
        last_day = (
            calendar.add_working_days(today, lapse.working_days)
            if lapse.working_days
            else add_months(today, lapse.months) - timedelta(days=1)
        )
        return replace(
            facts,
            today=today,
            due_on=None,
            due_explanation="",
            fee_amount="42.50",
            fee_due_by=last_day,
            note=(
                "The fee is for copying 850 pages of contract schedules onto paper, as you asked, and posting them. "
                "Pay by card on 01632 960 000, quoting the reference, or by cheque payable to Borsetshire County Council."
            ),
        )
    if kind is NoticeKind.EXTENSION:
        extended = calendar.add_working_days(received, 40)
        return replace(
            facts,
            today=calendar.add_working_days(received, 18),
            due_on=extended if regime.rules.extension else due,
            estimated_date=extended,
            exemptions=() if regime.rules.environmental else _WITHHELD[regime][:1],
            note="The request covers 14 depot files and some 3,000 invoices, each to be read before we can decide.",
        )
    if kind is NoticeKind.RESPONSE:
        chosen = Outcome(outcome) if outcome in set(Outcome) else Outcome.GRANTED_IN_PART
        today = calendar.add_working_days(received, 19)
        return replace(
            facts,
            today=today,
            outcome=chosen.value,
            exemptions=_exemptions_for(regime, chosen),
            response=_RESPONSES[chosen],
            public_interest=_PUBLIC_INTEREST,
            responded_on=today,
            documents=("Pothole repair contract 2025.pdf", "Payments 2025.pdf")
            if chosen in {Outcome.GRANTED_IN_FULL, Outcome.GRANTED_IN_PART}
            else (),
            review_due_by=calendar.add_working_days(review_counts_from(regime, today, due), REVIEW_ASK_WORKING_DAYS),
        )
    if kind is NoticeKind.REVIEW_OUTCOME:
        chosen_review = ReviewOutcome(outcome) if outcome in set(ReviewOutcome) else ReviewOutcome.UPHELD
        asked = calendar.add_working_days(received, 30)
        return replace(
            facts,
            today=calendar.add_working_days(asked, 15),
            due_on=calendar.add_working_days(asked, regime.rules.review_working_days),
            due_explanation="",
            outcome=Outcome.GRANTED_IN_PART.value,
            exemptions=_WITHHELD[regime],
            review_outcome=chosen_review.value,
            # the original response stays the case's; the reviewer's reasons are the step's note
            response=_RESPONSES[Outcome.GRANTED_IN_PART],
            responded_on=calendar.add_working_days(received, 19),
            note=_REVIEWS[chosen_review],
            documents=("Pothole repair contract 2025, unit rates restored.pdf",) if chosen_review is not ReviewOutcome.UPHELD else (),
        )
    return facts


_PUBLIC_INTEREST = (
    "For release: openness about how road repair money is spent, and the chance for residents to judge value for money. "
    "Against: a fair retender, which needs bidders not to see the incumbent's prices, and which itself secures value for "
    "taxpayers. We concluded that, while the retender is open, the case for withholding the rates is stronger."
)

_REVIEWS = {
    ReviewOutcome.UPHELD: (
        "I have looked at the request afresh. The unit rates remain commercially sensitive until the retender closes in "
        "2027, and the staff names remain personal data their owners would not expect to be published."
    ),
    ReviewOutcome.OVERTURNED: "The retender has been postponed indefinitely, so the unit rates are no longer sensitive: they are attached.",
    ReviewOutcome.PARTLY_OVERTURNED: (
        "The 2025 unit rates are no longer sensitive and are attached. The method statements remain commercially sensitive "
        "until the retender closes, and the staff names remain withheld as personal data."
    ),
}


def _exemptions_for(regime: Regime, outcome: Outcome) -> tuple[str, ...]:
    if outcome in {Outcome.GRANTED_IN_PART, Outcome.REFUSED_IN_FULL}:
        return _WITHHELD[regime]
    if outcome is Outcome.NOT_HELD:
        return _NOT_HELD.get(regime, ())
    if outcome is Outcome.NEITHER_CONFIRM_NOR_DENY:
        return _NCND[regime]
    if outcome.is_procedural_refusal:
        return _MANIFESTLY_UNREASONABLE.get(regime, ())
    return ()


def sample_outcomes(kind: NoticeKind) -> tuple[str | None, ...]:
    """The outcomes a notice's text must handle: every response outcome, every review outcome."""
    if kind is NoticeKind.RESPONSE:
        return tuple(outcome.value for outcome in Outcome)
    if kind is NoticeKind.REVIEW_OUTCOME:
        return tuple(outcome.value for outcome in ReviewOutcome)
    return (None,)


def sample_cases(kind: NoticeKind) -> list[CaseFacts]:
    """Every regime and outcome's sample, and one sparse case per regime (no dates to come, nothing
    optional filled in, a WhatDoTheyKnow request), so that a text is tried against each branch."""
    cases = []
    for regime in Regime:
        for outcome in sample_outcomes(kind):
            cases.append(sample_case(regime, kind, outcome))
        cases.append(
            replace(
                cases[-1],
                due_on=None,
                due_explanation="",
                review_due_by=None,
                fee_due_by=None,
                reply_by=None,
                estimated_date=None,
                fee_amount=None,
                preferred_format=None,
                documents=(),
                note="",
                responded_on=None,
                whatdotheyknow=True,
                channel="post",
            )
        )
    return cases
