"""A notice printed as a letter for post: an A4 PDF whose text reads back, names in any European
script included."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pypdfium2 as pdfium

from app.domain.notices import Notice, NoticeKind, render_notice, sample_case, sample_letterhead, shipped_text
from app.domain.outcomes import Outcome
from app.domain.regimes import Regime
from app.services.letters import letter_pdf

A4_POINTS = (595, 842)


def pages_text(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def response(regime: Regime = Regime.FOIA, **changes: object) -> Notice:
    facts = replace(sample_case(regime, NoticeKind.RESPONSE, Outcome.GRANTED_IN_PART), **changes)  # type: ignore[arg-type]
    return render_notice(NoticeKind.RESPONSE, shipped_text(NoticeKind.RESPONSE, regime), facts, sample_letterhead())


def test_the_letter_is_a4_with_letterhead_address_date_reference_subject_body_and_signature() -> None:
    notice = response()
    pdf = letter_pdf(notice, sample_letterhead(), "Zoë Ó Súilleabháin", "Flat 2\n14 High Street\nCardiff\nCF10 1AA", date(2026, 11, 27))
    assert pdf.startswith(b"%PDF-")
    document = pdfium.PdfDocument(pdf)
    assert tuple(round(side) for side in document[0].get_size()) == A4_POINTS
    document.close()
    text = " ".join(pages_text(pdf))
    assert "Borsetshire County Council" in text and "County Hall" in text
    assert "Zoë Ó Súilleabháin Flat 2 14 High Street Cardiff CF10 1AA" in text
    assert "27 November 2026" in text
    assert "Our reference: FOI-2026-00042" in text
    assert notice.subject in text
    text = re.sub(r" ?FOI-2026-00042 Page \d+ of \d+", "", text)  # the footers, between the pages' text
    for paragraph in notice.body.split("\n\n"):
        assert " ".join(paragraph.split()) in text
    assert text.count("Information Governance Team") >= 2  # letterhead and signature


def test_names_outside_latin_1_print_and_read_back() -> None:
    notice = response(requester_name="Łukasz Żółć")
    pdf = letter_pdf(notice, sample_letterhead(), "Łukasz Żółć", "Ffordd Ŵyau 3\nAberystwyth\nSY23 1AA", date(2026, 11, 27))
    text = " ".join(pages_text(pdf))
    assert "Dear Łukasz Żółć," in text
    assert "Ffordd Ŵyau 3" in text


def test_characters_the_font_lacks_print_as_question_marks_and_never_fail() -> None:
    notice = response(requester_name="李雷 😀", response="Control\x07 characters\x00 and a tab\tare dropped.")
    pdf = letter_pdf(notice, sample_letterhead(), "李雷", "北京\n\x1b[31m", date(2026, 11, 27))
    text = " ".join(pages_text(pdf))
    assert "Dear ?? ?," in text
    assert "Control characters and a tab are dropped." in text


def test_a_long_notice_runs_onto_numbered_pages() -> None:
    notice = response(response="\n\n".join(f"Paragraph {n} of the reasons, which the officer wrote at length." for n in range(80)))
    pages = pages_text(letter_pdf(notice, sample_letterhead(), "A Requester", "1 Street\nTown", date(2026, 11, 27)))
    assert len(pages) >= 3
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "FOI-2026-00042" in pages[-1]
    assert "Paragraph 79 of the reasons" in " ".join(pages)


def test_a_long_address_is_cut_to_the_envelope_window() -> None:
    address = "\n".join(f"Line {n} of an address that is far too long to fit in the window of any envelope" for n in range(12))
    text = " ".join(pages_text(letter_pdf(response(), sample_letterhead(), "A Requester", address, date(2026, 11, 27))))
    assert "Line 5 of an address" in text
    assert "Line 6 of an address" not in text  # the name and six lines: what the window shows
    assert "…" in text


def test_a_signature_missing_from_an_edited_body_is_added() -> None:
    notice = Notice(NoticeKind.ACKNOWLEDGEMENT, "Request FOI-2026-00042 received", "We have your request.\n")
    text = " ".join(pages_text(letter_pdf(notice, sample_letterhead(), "A Requester", "1 Street", date(2026, 11, 27))))
    assert "We have your request. Yours sincerely, Information Governance Team Borsetshire County Council" in text
