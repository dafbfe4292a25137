"""Every shipped notice, for every regime and outcome, rendered from a dated case: the statutory
elements each must carry (docs/notices.md), with the dates in words."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from app.domain.exemptions import BY_CODE
from app.domain.notices import CaseFacts, Notice, NoticeKind, render_notice, sample_case, sample_letterhead, shipped_text
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.regimes import Regime

ALL = list(Regime)


def draft(regime: Regime, kind: NoticeKind, outcome: str | None = None, **changes: object) -> Notice:
    facts = sample_case(regime, kind, outcome)
    if changes:
        facts = replace(facts, **changes)  # type: ignore[arg-type]
    return render_notice(kind, shipped_text(kind, regime), facts, sample_letterhead())


def flat(notice: Notice) -> str:
    """The body with its line breaks as spaces, so a phrase split over lines is still found."""
    return " ".join(notice.body.split())


REVIEW_ROUTE = {
    Regime.FOIA: ["internal review", "Code of Practice issued under section 45"],
    Regime.EIR: ["representations", "regulation 11(2)"],
    Regime.FOISA: ["require us to review", "section 20(5)"],
    Regime.EISR: ["representations", "regulation 16(2)"],
}
COMMISSIONER = {
    Regime.FOIA: [
        "the Information Commissioner",
        "section 50 of the Freedom of Information Act 2000",
        "https://ico.org.uk/make-a-complaint/",
        "SK9 5AF",
    ],
    Regime.EIR: ["the Information Commissioner", "as applied by regulation 18", "https://ico.org.uk/make-a-complaint/", "0303 123 1113"],
    Regime.FOISA: ["the Scottish Information Commissioner", "section 47(1)", "https://www.foi.scot/appeal", "KY16 9DS", "six months"],
    Regime.EISR: [
        "the Scottish Information Commissioner",
        "as applied by regulation 17",
        "https://www.foi.scot/appeal",
        "01334 464610",
        "six months",
    ],
}


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_notice_names_the_case_the_law_the_review_and_the_commissioner(regime: Regime, kind: NoticeKind) -> None:
    for outcome in (None, *Outcome) if kind is NoticeKind.RESPONSE else (None,):
        notice = draft(regime, kind, outcome)
        text = flat(notice)
        assert "FOI" in notice.subject or regime.reference_prefix in notice.subject
        assert f"{regime.reference_prefix}-2026-00042" in text
        assert regime.label in text
        assert "Dear Zoë Ó Súilleabháin," in notice.body
        for phrase in COMMISSIONER[regime]:
            assert phrase in text, (kind, outcome, phrase)
        if kind is not NoticeKind.REVIEW_OUTCOME:
            assert "foi@borsetshire.example" in text  # where to write for a review
            for phrase in REVIEW_ROUTE[regime]:
                assert phrase in text, (kind, outcome, phrase)
        assert notice.body.rstrip().endswith("Telephone 01632 960 000 (Monday to Friday, 9am to 5pm)")
        assert "None" not in notice.body and "{{" not in notice.body


TIME_LIMIT = {Regime.FOIA: "Section 10(1)", Regime.EIR: "Regulation 5(2)", Regime.FOISA: "section 10(1)", Regime.EISR: "Regulation 5(2)(a)"}
CALENDAR = {
    Regime.FOIA: "bank holidays of any part of the United Kingdom",
    Regime.EIR: "bank holidays of any part of the United Kingdom",
    Regime.FOISA: "Scottish bank holidays",
    Regime.EISR: "Scottish bank holidays",
}


@pytest.mark.parametrize("regime", ALL)
def test_acknowledgement_gives_the_date_received_the_due_date_and_how_it_was_worked_out(regime: Regime) -> None:
    text = flat(draft(regime, NoticeKind.ACKNOWLEDGEMENT))
    assert "received on 2 November 2026" in text
    assert "by Tuesday 1 December 2026 at the latest" in text
    assert "St Andrew's Day" in text  # the case's own explanation of the count
    assert TIME_LIMIT[regime] in text
    assert CALENDAR[regime] in text
    assert "Please send me the council's contract for pothole repairs" in text  # the request quoted back to its author
    assert "PDF files by e-mail" in text


def test_foisa_acknowledgement_promises_no_extension_that_the_act_does_not_have() -> None:
    text = flat(draft(Regime.FOISA, NoticeKind.ACKNOWLEDGEMENT))
    assert "extend" not in text
    assert "section 10(3)" in text  # fees pause


CLARIFICATION = {
    Regime.FOIA: ["Section 1(3)", "section 16"],
    Regime.EIR: ["regulation 9(2)", "regulation 9(4)", "regulation 12(4)(c)"],
    Regime.FOISA: ["section 1(3)", "section 10(1)(b)", "section 15"],
    Regime.EISR: ["regulation 9", "regulation 10(4)(c)"],
}


@pytest.mark.parametrize("regime", ALL)
def test_clarification_says_what_is_unclear_that_the_clock_waits_and_when_the_request_closes(regime: Regime) -> None:
    text = flat(draft(regime, NoticeKind.CLARIFICATION_REQUEST))
    assert "Do you mean the term contract for reactive repairs" in text
    for citation in CLARIFICATION[regime]:
        assert citation in text
    assert "If we have not heard from you by 3 February 2027, we will close the request." in text
    without_date = flat(draft(regime, NoticeKind.CLARIFICATION_REQUEST, reply_by=None))
    assert "within three months, we will close the request" in without_date


FEES = {
    Regime.FOIA: ["section 9(1)", "section 10(2)", "section 9(2)", "section 16", "(Appropriate Limit and Fees) Regulations 2004"],
    Regime.EIR: ["regulation 8", "regulation 9", "60 working days after the date of this notice"],
    Regime.FOISA: [
        "section 9(1)",
        "section 10(3)",
        "section 9(4)",
        "section 15",
        "(Fees for Required Disclosure) (Scotland) Regulations 2004",
    ],
    Regime.EISR: ["regulation 8", "regulation 9", "60 working days after the date of this notice"],
}


@pytest.mark.parametrize("regime", ALL)
def test_fees_notice_gives_the_amount_how_to_pay_the_pause_the_lapse_and_help(regime: Regime) -> None:
    text = flat(draft(regime, NoticeKind.FEES_NOTICE))
    assert "£42.50" in text
    assert "Pay by card on 01632 960 000" in text
    assert "by 15 February 2027" in text
    for citation in FEES[regime]:
        assert citation in text


def test_fees_notice_without_payment_instructions_says_whom_to_contact() -> None:
    text = flat(draft(Regime.FOIA, NoticeKind.FEES_NOTICE, note="", fee_amount="1250"))
    assert "£1,250.00" in text
    assert "To pay, contact us at foi@borsetshire.example" in text


def test_foia_extension_names_the_exemption_considered_and_the_estimated_date() -> None:
    text = flat(draft(Regime.FOIA, NoticeKind.EXTENSION))
    assert "section 17(2)" in text and "Section 10(3)" in text
    assert "section 43 (Commercial interests)" in text
    assert "section 2(2)(b)" in text
    assert "by Thursday 31 December 2026" in text


@pytest.mark.parametrize("regime", [Regime.EIR, Regime.EISR])
def test_environmental_extension_is_reg_7_to_40_working_days_within_the_first_20(regime: Regime) -> None:
    text = flat(draft(regime, NoticeKind.EXTENSION))
    assert "complex and voluminous" in text
    assert "Regulation 7(1)" in text and "40 working days" in text and "within the first 20 working days" in text
    assert "by Thursday 31 December 2026 at the latest" in text
    assert "public interest" not in text.split("Yours")[0].split("If you are unhappy")[0]


def test_foisa_extension_text_says_the_act_has_none_and_offers_review_of_the_delay() -> None:
    text = flat(draft(Regime.FOISA, NoticeKind.EXTENSION))
    assert "no provision for extending" in text
    assert "we will not be able to reply by 1 December 2026" in text
    assert "review our failure to respond now (section 20(1))" in text


REFUSAL = {Regime.FOIA: "section 17(1)", Regime.EIR: "regulation 14", Regime.FOISA: "section 16", Regime.EISR: "regulation 13"}
PUBLIC_INTEREST = {
    Regime.FOIA: "section 2(2)(b)",
    Regime.EIR: "regulation 12(1)(b)",
    Regime.FOISA: "section 2(1)(b)",
    Regime.EISR: "regulation 10(1)(b)",
}
LABELS = {
    Regime.FOIA: ["section 43 (Commercial interests)", "section 40 (Personal information)"],
    Regime.EIR: ["regulation 12(5)(e) (Confidentiality of commercial or industrial information)", "regulation 13 (Personal data)"],
    Regime.FOISA: ["section 33 (Commercial interests and the economy)", "section 38 (Personal information)"],
    Regime.EISR: ["regulation 10(5)(e) (Confidentiality of commercial or industrial information)", "regulation 11 (Personal data)"],
}


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize("outcome", [Outcome.GRANTED_IN_PART, Outcome.REFUSED_IN_FULL])
def test_a_refusal_says_so_names_each_exemption_says_why_and_weighs_the_public_interest(regime: Regime, outcome: Outcome) -> None:
    text = flat(draft(regime, NoticeKind.RESPONSE, outcome))
    assert f"refusal notice under {REFUSAL[regime]}" in text
    for label in LABELS[regime]:
        assert label in text
    assert "would let its competitors undercut it" in text or "would let competing bidders" in text  # why: the officer's text
    assert PUBLIC_INTEREST[regime] in text
    # the last day to ask for a review: FOISA counts from the due date, a working day later (s.20(5))
    assert ("by 1 February 2027" if regime is Regime.FOISA else "by 29 January 2027") in text


@pytest.mark.parametrize("regime", [Regime.FOIA, Regime.FOISA])
def test_absolute_exemptions_say_no_public_interest_test_is_needed_and_claim_none(regime: Regime) -> None:
    absolute = {Regime.FOIA: ("FOIA-s41",), Regime.FOISA: ("FOISA-s37",)}[regime]
    text = flat(draft(regime, NoticeKind.RESPONSE, Outcome.REFUSED_IN_FULL, exemptions=absolute))
    assert "an absolute exemption, so no public interest test applies" in text
    assert PUBLIC_INTEREST[regime] not in text
    assert "The public interest:" not in text
    assert "public interest arguments we weighed" not in text


# s.2(3) FOIA and s.2(2) FOISA list the absolute provisions "and no others"
WHOLLY_ABSOLUTE = {
    Regime.FOIA: {"FOIA-s21", "FOIA-s23", "FOIA-s32", "FOIA-s34", "FOIA-s41", "FOIA-s44"},
    Regime.FOISA: {"FOISA-s25", "FOISA-s26", "FOISA-s37"},
}
ABSOLUTE_IN_PART = {
    "FOIA-s36": "section 2(3)(e)",
    "FOIA-s37": "section 2(3)(ea)",
    "FOIA-s40": "section 2(3)(f) and (fa)",
    "FOISA-s36": "section 2(2)(c)",
    "FOISA-s38": "section 2(2)(e)",
}


@pytest.mark.parametrize("regime", [Regime.FOIA, Regime.FOISA])
def test_only_the_provisions_section_2_lists_are_declared_absolute(regime: Regime) -> None:
    exemptions = regime.rules.exemptions
    assert {e.code for e in exemptions if e.absolute} == WHOLLY_ABSOLUTE[regime]
    in_part = {e.code: e.absolute_in_part for e in exemptions if e.absolute_in_part}
    assert set(in_part) == {code for code in ABSOLUTE_IN_PART if code.startswith(f"{regime.short_name}-")}
    for code, words in in_part.items():
        assert ABSOLUTE_IN_PART[code] in words, code
        assert not BY_CODE[code].absolute  # "absolute" stays "wholly absolute": a PIT extension may name it


@pytest.mark.parametrize(
    ("regime", "code", "part"),
    [
        (
            Regime.FOIA,
            "FOIA-s40",
            "subsection (1), the applicant's own personal data, and subsection (2) where disclosure would contravene",
        ),
        (Regime.FOIA, "FOIA-s36", "absolute only for information held by the House of Commons or the House of Lords (section 2(3)(e))"),
        (Regime.FOISA, "FOISA-s36", "subsection (2), information obtained from another person"),
        (Regime.FOISA, "FOISA-s38", "subsection (1)(a), (c) and (d), and subsection (1)(b) where disclosure would contravene"),
    ],
)
@pytest.mark.parametrize("kind", [NoticeKind.RESPONSE, NoticeKind.REVIEW_OUTCOME])
def test_an_exemption_absolute_only_in_part_says_which_part_and_that_the_rest_was_weighed(
    regime: Regime, code: str, part: str, kind: NoticeKind
) -> None:
    outcome = Outcome.REFUSED_IN_FULL if kind is NoticeKind.RESPONSE else ReviewOutcome.UPHELD
    text = flat(draft(regime, kind, outcome, exemptions=(code,)))
    assert "absolute only in part: " in text and part in text
    assert "an absolute exemption" not in text
    assert "Where the qualified part applies," in text and PUBLIC_INTEREST[regime] in text
    if kind is NoticeKind.RESPONSE:
        assert "The public interest:" in text


def test_a_public_interest_extension_may_name_an_exemption_absolute_only_in_part() -> None:
    text = flat(draft(Regime.FOIA, NoticeKind.EXTENSION, exemptions=("FOIA-s40",)))
    assert "section 40 (Personal information) of the Act, absolute only in part: subsection (1)" in text
    assert "we are weighing the public interest for the rest" in text


NCND = {
    Regime.FOIA: ["section 17(4)", "section 2(1)(b)"],
    Regime.EIR: ["Regulation 12(6)"],
    Regime.FOISA: ["Section 18(1)"],
    Regime.EISR: ["neither confirm nor deny"],
}


@pytest.mark.parametrize("regime", ALL)
def test_neither_confirm_nor_deny(regime: Regime) -> None:
    text = flat(draft(regime, NoticeKind.RESPONSE, Outcome.NEITHER_CONFIRM_NOR_DENY))
    assert "neither confirm nor deny" in text or "neither reveal whether the information" in text
    assert f"refusal notice under {REFUSAL[regime]}" in text
    for citation in NCND[regime]:
        assert citation in text


@pytest.mark.parametrize(
    ("regime", "outcome", "citations"),
    [
        (Regime.FOIA, Outcome.REFUSED_COST, ["section 12", "section 17(5)", "section 16", "£450", "£600"]),
        (Regime.FOISA, Outcome.REFUSED_COST, ["section 12(1)", "section 16(4)", "section 15", "£600"]),
        (Regime.FOIA, Outcome.REFUSED_VEXATIOUS, ["section 14(1)", "section 17(5)"]),
        (Regime.FOISA, Outcome.REFUSED_VEXATIOUS, ["section 14(1)", "section 16(5)"]),
        (Regime.FOIA, Outcome.REFUSED_REPEATED, ["section 14(2)", "section 17(5)"]),
        (Regime.FOISA, Outcome.REFUSED_REPEATED, ["section 14(2)", "section 16(5)"]),
        (Regime.EIR, Outcome.REFUSED_COST, ["manifestly unreasonable (regulation 12(4)(b))", "regulation 14", "regulation 9"]),
        (Regime.EISR, Outcome.REFUSED_VEXATIOUS, ["manifestly unreasonable (regulation 10(4)(b))", "regulation 13", "regulation 9"]),
        (Regime.FOIA, Outcome.NOT_HELD, ["we do not hold it", "section 1(1)(a)"]),
        (Regime.FOISA, Outcome.NOT_HELD, ["we do not hold it", "section 17(1)"]),
        (Regime.EIR, Outcome.NOT_HELD, ["regulation 12(4)(a)", "refusal notice under regulation 14"]),
        (Regime.EISR, Outcome.NOT_HELD, ["regulation 10(4)(a)", "refusal notice under regulation 13"]),
        (Regime.FOIA, Outcome.ADVICE_AND_ASSISTANCE, ["section 16"]),
        (Regime.FOISA, Outcome.ADVICE_AND_ASSISTANCE, ["section 15"]),
        (Regime.EIR, Outcome.ADVICE_AND_ASSISTANCE, ["regulation 9"]),
    ],
)
def test_procedural_refusals_and_other_outcomes_cite_their_law(regime: Regime, outcome: Outcome, citations: list[str]) -> None:
    text = flat(draft(regime, NoticeKind.RESPONSE, outcome))
    for citation in citations:
        assert citation in text, citation
    assert sample_case(regime, NoticeKind.RESPONSE, outcome).response in text


def test_cost_refusal_gives_advice_on_bringing_the_request_within_the_limit() -> None:
    text = flat(draft(Regime.FOIA, NoticeKind.RESPONSE, Outcome.REFUSED_COST))
    assert "If you limit the request to one depot" in text
    assert "duty to advise and assist you (section 16)" in text


@pytest.mark.parametrize("regime", ALL)
def test_information_given_lists_the_documents_and_the_format(regime: Regime) -> None:
    text = flat(draft(regime, NoticeKind.RESPONSE, Outcome.GRANTED_IN_FULL))
    assert "- Pothole repair contract 2025.pdf" in draft(regime, NoticeKind.RESPONSE, Outcome.GRANTED_IN_FULL).body
    assert "PDF files by e-mail" in text
    assert "refusal" not in text


REVIEW_WORDS = {
    ReviewOutcome.UPHELD: ["upheld our original", "confirmed our original decision"],
    ReviewOutcome.OVERTURNED: ["overturned our original", "substituted a different decision"],
    ReviewOutcome.PARTLY_OVERTURNED: ["upheld part of our original", "confirmed part of our original"],
}


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize("review", list(ReviewOutcome))
def test_review_outcome_says_the_decision_and_the_commissioner_route(regime: Regime, review: ReviewOutcome) -> None:
    notice = draft(regime, NoticeKind.REVIEW_OUTCOME, review)
    text = flat(notice)
    assert any(words in text for words in REVIEW_WORDS[review])
    if review is ReviewOutcome.OVERTURNED:
        assert "still rely on" not in text
    else:
        assert LABELS[regime][0] in text
    if regime in {Regime.FOISA, Regime.EISR}:
        assert "within six months" in text and "section 47(4)" in text and "Court of Session" in text
    else:
        assert "First-tier Tribunal" in text


ORIGINAL_RESPONSE = "The contract is attached. We have removed the contractor's unit rates"
REASONS_HEADING = {
    Regime.FOIA: "The reviewer's reasons",
    Regime.EIR: "The reviewer's reasons",
    Regime.FOISA: "Our reasons",
    Regime.EISR: "The reviewer's reasons",
}


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize("review", list(ReviewOutcome))
def test_review_outcome_gives_the_reviewers_reasons_not_the_original_response(regime: Regime, review: ReviewOutcome) -> None:
    reasons = "Having read the contract again, I found the unit rates already published in the council's spending data."
    notice = draft(regime, NoticeKind.REVIEW_OUTCOME, review, note=reasons)
    assert f"{REASONS_HEADING[regime]}\n{reasons}\n" in notice.body
    assert ORIGINAL_RESPONSE not in notice.body  # the original response is not the review's reasons
    assert "our response of 27 November 2026 to your request" in flat(notice)  # named by its date, not quoted


@pytest.mark.parametrize("regime", ALL)
def test_review_outcome_says_plainly_when_every_exemption_was_overturned(regime: Regime) -> None:
    text = flat(draft(regime, NoticeKind.REVIEW_OUTCOME, ReviewOutcome.OVERTURNED))
    assert f"We no longer rely on any of the {regime.rules.exemption_word}s in our original" in text
    assert "the review overturned them all" in text
    for label in LABELS[regime]:
        assert label in text
    assert "still rely on" not in text


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize("review", [ReviewOutcome.UPHELD, ReviewOutcome.PARTLY_OVERTURNED])
def test_review_outcome_lists_the_exemptions_still_relied_on(regime: Regime, review: ReviewOutcome) -> None:
    notice = draft(regime, NoticeKind.REVIEW_OUTCOME, review)
    heading = f"The {regime.rules.exemption_word}s we still rely on\n"
    assert heading in notice.body
    still = notice.body.split(heading)[1]
    for label in LABELS[regime]:
        assert label in still
    assert "for the reasons above" not in notice.body
    assert "no longer rely" not in notice.body


def test_review_outcome_without_reasons_or_a_response_date_still_reads() -> None:
    text = flat(draft(Regime.FOIA, NoticeKind.REVIEW_OUTCOME, ReviewOutcome.UPHELD, note="", responded_on=None))
    assert "We have upheld our original response: our decision on your request is unchanged." in text
    assert "reasons" not in text


def test_foisa_review_outcome_carries_the_section_21_particulars() -> None:
    notice = draft(Regime.FOISA, NoticeKind.REVIEW_OUTCOME, ReviewOutcome.PARTLY_OVERTURNED, note="The unit rates are released.")
    text = flat(notice)
    assert "confirmed part of our original decision of 27 November 2026 and modified the rest (section 21(4)(a))" in text
    assert "notice of its outcome under section 21(5): what we have decided, and our reasons" in text
    assert "Our reasons The unit rates are released." in text
    assert "the right to apply to the Scottish Information Commissioner" in text and "section 47(1)" in text
    assert "within six months" in text and "Court of Session" in text and "section 56" in text


INTERIM = [NoticeKind.ACKNOWLEDGEMENT, NoticeKind.CLARIFICATION_REQUEST, NoticeKind.FEES_NOTICE, NoticeKind.EXTENSION]


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize("kind", INTERIM)
def test_a_letter_before_the_response_gives_no_date_to_ask_for_a_review_by(regime: Regime, kind: NoticeKind) -> None:
    """The 40 working days run from the response (FOISA: its due date), not from this letter."""
    review_due_by = date(2027, 1, 29)
    text = flat(draft(regime, kind, review_due_by=review_due_by))
    assert "29 January 2027" not in text and "for this letter, by" not in text and "for this notice, by" not in text
    assert "40 working days" in text
    assert "how we are handling your request" in text or "how we are dealing with your request" in text
    assert "after our response" in text or "from the response" in text or "after the date our response is due" in text
    for phrase in COMMISSIONER[regime]:
        assert phrase in text, phrase


@pytest.mark.parametrize("regime", ALL)
def test_the_response_keeps_the_last_day_to_ask_for_a_review(regime: Regime) -> None:
    text = flat(draft(regime, NoticeKind.RESPONSE, Outcome.GRANTED_IN_FULL, review_due_by=date(2027, 1, 29)))
    assert "by 29 January 2027" in text


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize(
    ("label", "reads"),
    [
        ("By e-mail", "You asked to receive the information: by e-mail."),
        ("A paper copy by post", "You asked to receive the information: a paper copy by post."),
        ("To inspect the records in person", "You asked to receive the information: to inspect the records in person."),
        ("Braille, please.", "You asked to receive the information: Braille, please."),
        ("PDF files by e-mail", "You asked to receive the information: PDF files by e-mail."),
    ],
)
def test_the_preferred_format_reads_as_a_sentence_whatever_the_form_recorded(regime: Regime, label: str, reads: str) -> None:
    for kind, outcome in ((NoticeKind.ACKNOWLEDGEMENT, None), (NoticeKind.RESPONSE, Outcome.GRANTED_IN_FULL)):
        text = flat(draft(regime, kind, outcome, preferred_format=label))
        assert reads in text
        assert "as By" not in text and "as A paper" not in text


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize("kind", list(NoticeKind))
def test_the_request_title_after_the_greeting_is_labelled_or_left_out(regime: Regime, kind: NoticeKind) -> None:
    notice = draft(regime, kind)
    after_greeting = notice.body.split("\n\n")[1]
    assert after_greeting != "Pothole repair contracts 2025"
    if kind is NoticeKind.ACKNOWLEDGEMENT:
        assert "Pothole repair contracts 2025" not in notice.body  # the request itself is quoted instead
        assert "Please send me the council's contract" in notice.body
    else:
        assert after_greeting == "Your request: Pothole repair contracts 2025"


REFUSAL_HEADINGS = {
    Outcome.REFUSED_IN_FULL: {
        Regime.FOIA: "Why we are withholding it:",
        Regime.EIR: "Why we are refusing it:",
        Regime.FOISA: "Why we are withholding it:",
        Regime.EISR: "Why we are refusing it:",
    },
    Outcome.GRANTED_IN_PART: {
        Regime.FOIA: "What we are providing, and why we are withholding the rest:",
        Regime.EIR: "What we are making available, and why we are refusing the rest:",
        Regime.FOISA: "What we are giving you, and why we are withholding the rest:",
        Regime.EISR: "What we are making available, and why we are refusing the rest:",
    },
}


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize("outcome", [Outcome.REFUSED_IN_FULL, Outcome.GRANTED_IN_PART])
def test_a_refusal_gives_the_officers_reasons_and_public_interest_under_their_own_headings(regime: Regime, outcome: Outcome) -> None:
    facts = sample_case(regime, NoticeKind.RESPONSE, outcome)
    notice = draft(regime, NoticeKind.RESPONSE, outcome, public_interest="")
    assert f"{REFUSAL_HEADINGS[outcome][regime]}\n{facts.response}\n" in notice.body
    # without a separate public interest text (a preview: sending one is refused, notice_problems), the
    # officer's reasons stand for the public interest reasons
    assert f"The public interest:\n{facts.response}\n" in notice.body
    assert "set out above" not in notice.body and "public interest arguments we weighed" not in notice.body
    weighed = "On balance, openness about highways spending does not outweigh a fair retender."
    separate = draft(regime, NoticeKind.RESPONSE, outcome, public_interest=weighed)
    assert f"The public interest:\n{weighed}\n" in separate.body
    assert separate.body.count(facts.response) == 1


def test_eir_reg_12_4_d_and_reg_13_are_worded_to_be_true_whatever_the_officer_wrote() -> None:
    text = flat(draft(Regime.EIR, NoticeKind.RESPONSE, Outcome.REFUSED_IN_FULL, exemptions=("EIR-r12(4)(d)", "EIR-r13")))
    assert "above we say who is preparing it" not in text
    assert "Regulation 14(4) requires us to tell you, if we know, who is preparing it" in text
    assert "we weighed the public interest as set out below. " in text
    assert text.index("as set out below") < text.index("The public interest:")
    assert "set out above" not in text


@pytest.mark.parametrize("regime", ALL)
def test_whatdotheyknow_requests_are_told_the_reply_is_published(regime: Regime) -> None:
    for kind in NoticeKind:
        assert "WhatDoTheyKnow" in flat(draft(regime, kind, whatdotheyknow=True))
        assert "WhatDoTheyKnow" not in flat(draft(regime, kind, whatdotheyknow=False))


def test_the_requester_is_named_only_where_the_letter_greets_them() -> None:
    notice = draft(Regime.FOIA, NoticeKind.RESPONSE, Outcome.GRANTED_IN_PART)
    assert notice.body.count("Súilleabháin") == 1
    assert "Súilleabháin" not in notice.subject


def test_a_case_without_a_due_date_or_review_date_still_reads() -> None:
    facts: CaseFacts = replace(sample_case(Regime.FOIA, NoticeKind.RESPONSE), due_on=None, review_due_by=None)
    text = flat(render_notice(NoticeKind.RESPONSE, shipped_text(NoticeKind.RESPONSE, Regime.FOIA), facts, sample_letterhead()))
    assert "within 40 working days of the date of this response" in text


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_each_listed_item_is_on_its_own_line(kind: NoticeKind) -> None:
    """A block tag ending a line eats its newline (trim_blocks): two exemptions must not run together."""
    from app.domain.notices.samples import sample_cases

    cases = sample_cases(kind)
    assert {facts.regime for facts in cases} == set(ALL)
    for facts in cases:
        notice = render_notice(kind, shipped_text(kind, facts.regime), facts, sample_letterhead())
        for line in notice.body.splitlines():
            assert not re.search(r"[.)]- \S", line), (kind, facts.regime, facts.outcome, line)
