"""Drafting from an admin's text: the checker's words, the sandbox, the filters, and that no case's
text, however strange, stops a notice being drafted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.deadlines.calendar import build_calendar, calendar_kind_for
from app.domain.deadlines.engine import compute_deadline
from app.domain.errors import InvalidInput
from app.domain.notices import (
    NoticeKind,
    NoticeText,
    NoticeTextError,
    check_text,
    notice_for,
    render_notice,
    review_counts_from,
    sample_case,
    sample_letterhead,
    shipped_text,
    template_fields,
)
from app.domain.notices.rendering import date_words, money_words, phrase_words, weekday_date_words
from app.domain.outcomes import Outcome, ReviewOutcome
from app.domain.regimes import Regime

GOOD_SUBJECT = "Your request {{ reference }}"


def body_problem(body: str, kind: NoticeKind = NoticeKind.RESPONSE) -> str:
    problems = check_text(kind, NoticeText(GOOD_SUBJECT, body))
    assert set(problems) == {"body"}, problems
    return problems["body"]


@pytest.mark.parametrize("kind", list(NoticeKind))
@pytest.mark.parametrize("regime", list(Regime))
def test_every_shipped_text_passes_the_check(kind: NoticeKind, regime: Regime) -> None:
    assert check_text(kind, shipped_text(kind, regime)) == {}


def test_a_misspelt_field_is_named_with_its_line_and_the_likely_field() -> None:
    problem = body_problem("Dear {{ requester_name }},\n\nThank you.\n\nYour reference: {{ refrence }}\n")
    assert problem.startswith("line 5: 'refrence' is not a field you can use (did you mean 'reference'?)")
    assert "requester_name" in problem  # the fields an admin can use are listed


def test_a_misspelt_field_in_a_branch_the_samples_might_not_take_is_still_found() -> None:
    problem = body_problem('{% if outcome == "no_such_outcome" %}\n{{ requster_name }}\n{% endif %}')
    assert "line 2: 'requster_name' is not a field you can use (did you mean 'requester_name'?)" in problem


def test_a_misspelt_field_of_the_letterhead_or_the_law_is_named() -> None:
    assert "line 3: 'authorty_name' is not a field of letterhead" in body_problem("a\nb\n{{ letterhead.authorty_name }}")
    assert "'websit' is not a field of law.commissioner" in body_problem("{{ law.commissioner.websit }}")


def test_a_misspelt_field_of_an_exemption_is_found_by_rendering_the_samples() -> None:
    problem = body_problem("{% for exemption in exemptions %}\n- {{ exemption.titel }}\n{% endfor %}")
    assert problem.startswith("line 2: 'titel' is not a field you can use there")


def test_a_syntax_error_is_reported_with_its_line() -> None:
    problem = body_problem("Dear {{ requester_name }},\n\n{% if outcome == 'not_held' %}\nWe do not hold it.\n")
    assert problem.startswith("line 4: this cannot be read as a notice text")
    problem = body_problem("one\n{{ reference }\n")
    assert problem.startswith("line 2:")


@pytest.mark.parametrize(
    "escape",
    [
        "{{ reference.__class__.__mro__[1].__subclasses__() }}",
        "{{ letterhead.__init__.__globals__ }}",
        "{{ ''.__class__ }}",
        "{{ '{0.__class__}'.format(reference) }}",
        "{{ 'x' * 100000000 }}",
        "{{ 10 ** 100000 }}",
        "{{ range(10000000) | list }}",
        # work enough to keep the server busy for hours: refused before anything runs
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{% for e in exemptions recursive %}{{ loop(exemptions) }}{% endfor %}",
        "{% macro again() %}{{ body }}{% endmacro %}{% for i in range(100000) %}{{ again() }}{% endfor %}",
    ],
)
def test_a_sandbox_escape_is_an_error_message_never_an_exception(escape: str) -> None:
    problem = body_problem(f"Dear {{{{ requester_name }}}},\n{escape}\n")
    assert problem.startswith("line 2:")
    with pytest.raises(NoticeTextError):
        render_notice(
            NoticeKind.RESPONSE, NoticeText(GOOD_SUBJECT, escape), sample_case(Regime.FOIA, NoticeKind.RESPONSE), sample_letterhead()
        )


def test_empty_fields_are_refused() -> None:
    assert check_text(NoticeKind.ACKNOWLEDGEMENT, NoticeText("  ", "")) == {"subject": "the subject is empty", "body": "the body is empty"}


def test_a_subject_that_comes_out_empty_is_refused() -> None:
    problems = check_text(NoticeKind.ACKNOWLEDGEMENT, NoticeText("{{ preferred_format }}", "Hello"))
    assert problems == {"subject": "the subject comes out empty for the sample case"}


def test_an_edited_text_renders_in_the_next_notice() -> None:
    edited = replace(
        shipped_text(NoticeKind.ACKNOWLEDGEMENT, Regime.FOIA),
        subject="We have your request {{ reference }}",
        body="Hello {{ requester_name }}, we will answer by {{ due_on | weekday_date }}.\n\n{{ letterhead.signature }}\n",
    )
    assert check_text(NoticeKind.ACKNOWLEDGEMENT, edited) == {}
    notice = render_notice(NoticeKind.ACKNOWLEDGEMENT, edited, sample_case(Regime.FOIA, NoticeKind.ACKNOWLEDGEMENT), sample_letterhead())
    assert notice.subject == "We have your request FOI-2026-00042"
    assert notice.body == "Hello Zoë Ó Súilleabháin, we will answer by Tuesday 1 December 2026.\n\nInformation Governance Team\n"


def test_a_text_that_does_not_render_is_refused_as_input_naming_its_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        render_notice(
            NoticeKind.ACKNOWLEDGEMENT,
            NoticeText("{{ nope }}", "fine"),
            sample_case(Regime.EIR, NoticeKind.ACKNOWLEDGEMENT),
            sample_letterhead(),
        )
    assert refused.value.field == "subject"
    assert "'nope' is not a field you can use" in refused.value.message


def test_case_text_is_never_run_as_a_template() -> None:
    facts = replace(sample_case(Regime.FOIA, NoticeKind.ACKNOWLEDGEMENT), body="{{ 7 * 7 }} {% raw %}", title="{{ letterhead }}")
    notice = render_notice(NoticeKind.ACKNOWLEDGEMENT, shipped_text(NoticeKind.ACKNOWLEDGEMENT, Regime.FOIA), facts, sample_letterhead())
    assert "{{ 7 * 7 }} {% raw %}" in notice.body and "49" not in notice.body
    response = replace(sample_case(Regime.FOIA, NoticeKind.RESPONSE), title="{{ letterhead }}")
    notice = render_notice(NoticeKind.RESPONSE, shipped_text(NoticeKind.RESPONSE, Regime.FOIA), response, sample_letterhead())
    assert "Your request: {{ letterhead }}" in notice.body


def test_a_subject_is_one_line_whatever_the_case_holds() -> None:
    facts = replace(sample_case(Regime.FOIA, NoticeKind.RESPONSE), reference="FOI-1\r\nBcc: someone@example.org")
    notice = render_notice(NoticeKind.RESPONSE, shipped_text(NoticeKind.RESPONSE, Regime.FOIA), facts, sample_letterhead())
    assert "\n" not in notice.subject and "\r" not in notice.subject
    assert notice.subject == "Your request for information FOI-1 Bcc: someone@example.org: our response"


_TEXT = st.text(max_size=200)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    regime=st.sampled_from(list(Regime)),
    kind=st.sampled_from(list(NoticeKind)),
    outcome=st.one_of(st.none(), st.sampled_from([*Outcome, *ReviewOutcome]), _TEXT),
    reference=_TEXT,
    title=_TEXT,
    body=_TEXT,
    name=_TEXT,
    response=_TEXT,
    note=_TEXT,
    explanation=_TEXT,
    fee=st.one_of(st.none(), _TEXT),
    preferred=st.one_of(st.none(), _TEXT),
    documents=st.lists(_TEXT, max_size=3),
    exemptions=st.lists(st.one_of(_TEXT, st.sampled_from(["FOIA-s40", "eir-r13", "FOISA-s38", "EISR-r10(4)(a)"])), max_size=3),
    wdtk=st.booleans(),
)
def test_any_unicode_in_the_case_still_drafts_every_notice(
    regime: Regime,
    kind: NoticeKind,
    outcome: str | None,
    reference: str,
    title: str,
    body: str,
    name: str,
    response: str,
    note: str,
    explanation: str,
    fee: str | None,
    preferred: str | None,
    documents: list[str],
    exemptions: list[str],
    wdtk: bool,
) -> None:
    facts = replace(
        sample_case(regime, kind),
        reference=reference,
        title=title,
        body=body,
        requester_name=name,
        response=response,
        note=note,
        due_explanation=explanation,
        fee_amount=fee,
        preferred_format=preferred,
        documents=tuple(documents),
        exemptions=tuple(exemptions),
        whatdotheyknow=wdtk,
        outcome=outcome,
        review_outcome=outcome,
    )
    notice = render_notice(kind, shipped_text(kind, regime), facts, sample_letterhead())
    assert notice.kind is kind
    assert "\n" not in notice.subject and "\r" not in notice.subject
    assert notice.body.endswith("\n")


def test_filters_write_dates_and_money_in_words() -> None:
    assert date_words(date(2026, 12, 6)) == "6 December 2026"
    assert weekday_date_words(date(2026, 12, 6)) == "Sunday 6 December 2026"
    assert date_words(None) == "" and weekday_date_words(None) == ""
    assert money_words("1250") == "£1,250.00"
    assert money_words("£1,250.5") == "£1,250.50"
    assert money_words("42.50") == "£42.50"
    assert money_words("to be confirmed") == "to be confirmed"
    assert money_words("NaN") == "NaN"
    assert money_words(None) == ""


def test_notices_follow_the_lifecycle_actions() -> None:
    assert notice_for("acknowledge") is NoticeKind.ACKNOWLEDGEMENT
    assert notice_for("request_clarification") is NoticeKind.CLARIFICATION_REQUEST
    assert notice_for("issue_fee_notice") is NoticeKind.FEES_NOTICE
    assert notice_for("extend_pit") is NoticeKind.EXTENSION
    assert notice_for("extend_eir") is NoticeKind.EXTENSION
    assert notice_for("respond") is NoticeKind.RESPONSE
    assert notice_for("complete_internal_review") is NoticeKind.REVIEW_OUTCOME
    for action in ("assign", "start", "approve", "withdraw", "lapse", "receive_fee", ""):
        assert notice_for(action) is None
    assert [kind.label for kind in NoticeKind] == [
        "Acknowledgement",
        "Request for clarification",
        "Fees notice",
        "Extension notice",
        "Response",
        "Internal review outcome",
    ]


def test_the_help_lists_every_field_a_text_can_use() -> None:
    names = [name for name, _ in template_fields()]
    for name in (
        "reference",
        "requester_name",
        "review_due_by",
        "exemptions",
        "law",
        "law.commissioner",
        "letterhead",
        "| date",
        "| money",
    ):
        assert name in names
    assert all(help_text for _, help_text in template_fields())


@pytest.mark.parametrize("regime", list(Regime))
def test_the_sample_case_dates_are_the_deadline_engines(regime: Regime) -> None:
    facts = sample_case(regime, NoticeKind.ACKNOWLEDGEMENT)
    calendar = build_calendar(calendar_kind_for(regime))
    assert facts.due_on == compute_deadline(regime, "initial", facts.received_on, [], calendar).due_on == date(2026, 12, 1)
    response = sample_case(regime, NoticeKind.RESPONSE)
    # answered the day before it was due: FOISA s.20(5) counts the 40 working days from the due date
    counted_from = response.due_on if regime is Regime.FOISA else response.today
    assert response.review_due_by == calendar.add_working_days(counted_from, 40)


def test_foisa_counts_the_time_to_ask_for_a_review_from_the_due_date_unless_the_answer_was_late() -> None:
    on_time, due, late = date(2026, 11, 27), date(2026, 12, 1), date(2026, 12, 3)
    assert review_counts_from(Regime.FOISA, on_time, due) == due
    assert review_counts_from(Regime.FOISA, late, due) == late
    assert review_counts_from(Regime.FOISA, on_time, None) == on_time
    for regime in (Regime.FOIA, Regime.EIR, Regime.EISR):
        assert review_counts_from(regime, on_time, due) == on_time


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_bidirectional_controls_in_the_case_never_reach_a_notice(kind: NoticeKind) -> None:
    """A name such as "Ann\u202egnirts" would display reversed: every text fact loses its direction controls."""
    spoofed = "Ann \u202eevil\u202c Smith\u2066\u2069"
    facts = replace(
        sample_case(Regime.FOIA, kind),
        requester_name=spoofed,
        title=f"Contracts {BIDI_CONTROLS}2025",
        body=f"Please send {BIDI_CONTROLS}the contract.",
        response=f"Attached{BIDI_CONTROLS}.",
        note=f"Which {BIDI_CONTROLS}year?",
        documents=(f"Contract{BIDI_CONTROLS}.pdf",),
        preferred_format=f"By{BIDI_CONTROLS} e-mail",
    )
    notice = render_notice(kind, shipped_text(kind, Regime.FOIA), facts, sample_letterhead())
    for control in BIDI_CONTROLS:
        assert control not in notice.body and control not in notice.subject
    assert "Dear Ann evil Smith," in notice.body


def test_a_label_after_a_colon_reads_as_part_of_the_sentence() -> None:
    assert phrase_words("By e-mail") == "by e-mail"
    assert phrase_words("A paper copy by post.") == "a paper copy by post"
    assert phrase_words("To inspect the records in person") == "to inspect the records in person"
    assert phrase_words("PDF files by e-mail") == "PDF files by e-mail"
    assert phrase_words("Microsoft Word") == "Microsoft Word"
    assert phrase_words("  large   print ") == "large print"
    assert phrase_words(None) == "" and phrase_words("By") == "by"


def test_an_unknown_filter_is_a_problem_with_its_line_never_an_exception() -> None:
    problem = body_problem("Dear {{ requester_name }},\nDue {{ due_on | dat }}\n")
    assert problem.startswith("line 2:") and "dat" in problem
