"""What a step must give before its notice can be queued (`notice_problems`), in an officer's words
and without the case's personal data."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.notices import NoticeKind, notice_problems, sample_case
from app.domain.outcomes import ReviewOutcome
from app.domain.regimes import Regime


@pytest.mark.parametrize("regime", list(Regime))
@pytest.mark.parametrize("kind", list(NoticeKind))
def test_the_sample_cases_can_be_sent(regime: Regime, kind: NoticeKind) -> None:
    assert notice_problems(kind, sample_case(regime, kind)) == {}


def test_a_public_interest_extension_must_name_the_exemption_considered() -> None:
    facts = replace(sample_case(Regime.FOIA, NoticeKind.EXTENSION), exemptions=())
    assert notice_problems(NoticeKind.EXTENSION, facts) == {
        "exemptions": "name the exemption being considered: the extension notice must say it (FOIA s.17(2))"
    }


@pytest.mark.parametrize("regime", [Regime.EIR, Regime.EISR])
def test_a_complex_and_voluminous_extension_names_no_exemption(regime: Regime) -> None:
    facts = replace(sample_case(regime, NoticeKind.EXTENSION), exemptions=())
    assert notice_problems(NoticeKind.EXTENSION, facts) == {}


@pytest.mark.parametrize("regime", list(Regime))
def test_a_request_for_clarification_must_say_what_is_unclear(regime: Regime) -> None:
    for note in ("", "  \n "):
        facts = replace(sample_case(regime, NoticeKind.CLARIFICATION_REQUEST), note=note)
        assert notice_problems(NoticeKind.CLARIFICATION_REQUEST, facts) == {
            "note": "say what needs clarifying: the notice asks the requester for it"
        }


REVIEW_LAW = {
    Regime.FOIA: "s.45 Code of Practice",
    Regime.EIR: "EIR reg 11(4)",
    Regime.FOISA: "FOISA s.21(5)",
    Regime.EISR: "EISR reg 16(4)",
}


@pytest.mark.parametrize("regime", list(Regime))
@pytest.mark.parametrize("review", list(ReviewOutcome))
def test_a_review_outcome_must_give_the_reviewers_reasons(regime: Regime, review: ReviewOutcome) -> None:
    facts = replace(sample_case(regime, NoticeKind.REVIEW_OUTCOME, review), note="")
    problems = notice_problems(NoticeKind.REVIEW_OUTCOME, facts)
    assert set(problems) == {"note"}
    assert problems["note"].startswith("give the reviewer's reasons: the notice sends them (")
    assert REVIEW_LAW[regime] in problems["note"]


def test_the_messages_hold_nothing_from_the_case() -> None:
    facts = replace(
        sample_case(Regime.FOIA, NoticeKind.EXTENSION),
        requester_name="Zoë Ó Súilleabháin",
        reference="FOI-2026-00042",
        title="Pothole repair contracts 2025",
        exemptions=(),
        note="",
    )
    for kind in NoticeKind:
        for message in notice_problems(kind, facts).values():
            for private in ("Zoë", "Súilleabháin", "FOI-2026-00042", "Pothole"):
                assert private not in message


@pytest.mark.parametrize("regime", list(Regime))
def test_a_refusal_resting_on_a_qualified_exemption_must_state_the_public_interest(regime: Regime) -> None:
    facts = replace(sample_case(regime, NoticeKind.RESPONSE, "refused_in_full"), public_interest=" ")
    [(field, message)] = notice_problems(NoticeKind.RESPONSE, facts).items()
    assert field == "public_interest" and "for and against disclosure" in message
    # wholly absolute ones have no public interest test, and "not held" has nothing to weigh
    absolute = next((e.code for e in regime.rules.exemptions if e.absolute), None)
    if absolute:
        assert notice_problems(NoticeKind.RESPONSE, replace(facts, exemptions=(absolute,))) == {}
    not_held = {Regime.EIR: "EIR-r12(4)(a)", Regime.EISR: "EISR-r10(4)(a)"}.get(regime)
    if not_held:
        assert notice_problems(NoticeKind.RESPONSE, replace(facts, exemptions=(not_held,))) == {}
    assert notice_problems(NoticeKind.RESPONSE, replace(facts, outcome="granted_in_full", exemptions=())) == {}


@pytest.mark.parametrize(
    ("regime", "code"),
    [
        (Regime.FOIA, "FOIA-s40"),
        (Regime.FOISA, "FOISA-s38"),
        (Regime.FOISA, "FOISA-s36"),
        (Regime.EIR, "EIR-r13"),
        (Regime.EISR, "EISR-r11"),
    ],
)
def test_personal_data_and_other_partly_absolute_refusals_need_no_public_interest_text(regime: Regime, code: str) -> None:
    facts = replace(sample_case(regime, NoticeKind.RESPONSE, "refused_in_full"), exemptions=(code,), public_interest="")
    assert notice_problems(NoticeKind.RESPONSE, facts) == {}
