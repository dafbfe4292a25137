"""A notice printed as a letter for post: an A4 PDF whose text reads back, names in any European
script included."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import date

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

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
    # the name and six lines, what the window shows: the last lines kept whole (the postcode is last), the
    # first ones joined into one line, cut with "…"
    assert "Line 11 of an address" in text and "Line 7 of an address" in text
    assert "Line 6 of an address" not in text and "…" in text


def test_an_address_written_on_one_line_keeps_its_postcode() -> None:
    address = "Flat 19, Harcourt House, Juniper Court, Wimbourne Road, Redwell Green, Dunbarton, DB5 1TS"
    text = " ".join(pages_text(letter_pdf(response(), sample_letterhead(), "A Requester", address, date(2026, 11, 27))))
    assert "DB5 1TS" in text and "Dunbarton" in text and "Flat 19" in text


def test_a_signature_missing_from_an_edited_body_is_added() -> None:
    notice = Notice(NoticeKind.ACKNOWLEDGEMENT, "Request FOI-2026-00042 received", "We have your request.\n")
    text = " ".join(pages_text(letter_pdf(notice, sample_letterhead(), "A Requester", "1 Street", date(2026, 11, 27))))
    assert "We have your request. Yours sincerely, Information Governance Team Borsetshire County Council" in text


def font_weights(pdf: bytes, phrases: list[str]) -> dict[str, int]:
    """The font weight each phrase is printed in (700 and above is bold), read from the PDF."""
    document = pdfium.PdfDocument(pdf)
    weights: dict[str, int] = {}
    try:
        for page in document:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            for phrase in phrases:
                if phrase in text and phrase not in weights:
                    weights[phrase] = pdfium_c.FPDFText_GetFontWeight(textpage.raw, text.index(phrase))
    finally:
        document.close()
    return weights


def test_section_headings_are_bold_and_the_text_is_not() -> None:
    pdf = letter_pdf(response(), sample_letterhead(), "A Requester", "1 Street\nTown", date(2026, 11, 27))
    headings = ["The exemptions we rely on", "The public interest:", "Asking for an internal review", "Complaining to the Information"]
    text = [
        "Dear Zoë",
        "Your request: Pothole",
        "Thank you for your request",
        "- section 43",
        "Yours sincerely",
        "Information Governance Team\r\nBorsetshire",
    ]
    weights = font_weights(pdf, headings + text)
    assert set(weights) == set(headings + text)
    for phrase in headings:
        assert weights[phrase] >= 700, phrase
    for phrase in text:
        assert weights[phrase] < 700, phrase


def test_a_heading_is_never_left_alone_at_the_foot_of_a_page() -> None:
    for lines in range(22, 34):  # one of these puts the heading on the last lines of the first page
        body = "\n".join(f"Line {n} of the reasons the officer wrote." for n in range(lines))
        body += "\n\nAsking for an internal review\nIf you are unhappy, write to us.\nWe will reply within 20 working days.\n"
        notice = Notice(NoticeKind.RESPONSE, "Your request FOI-2026-00042: our response", body)
        pages = pages_text(letter_pdf(notice, sample_letterhead(), "A Requester", "1 Street", date(2026, 11, 27)))
        holding = [page for page in pages if "Asking for an internal review" in page]
        assert len(holding) == 1
        assert "If you are unhappy, write to us." in holding[0], lines


def test_building_a_letter_writes_nothing_to_the_log_at_info(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        letter_pdf(response(), sample_letterhead(), "A Requester", "1 Street", date(2026, 11, 27))
    assert [record.name for record in caplog.records if record.name.startswith("fontTools")] == []
