from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.services.files.text import extract_text
from app.services.files.types import (
    CSV,
    DOCX,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    TEXT,
    XLSX,
    sniff,
)
from tests.services.files import samples


def write(tmp_path: Path, data: bytes, name: str = "upload") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_pdf_text_from_every_page(tmp_path: Path) -> None:
    path = write(tmp_path, samples.pdf("The zebrafinch survey", "costs 1200 pounds"))

    text = extract_text(path, sniff(path))

    assert "zebrafinch" in text
    assert "1200 pounds" in text


def test_broken_pdf_gives_no_text(tmp_path: Path) -> None:
    assert extract_text(write(tmp_path, b"%PDF-1.7\nnot really a pdf"), PDF) == ""
    assert extract_text(write(tmp_path, samples.pdf("zebrafinch")[:300]), PDF) == ""


def test_docx_paragraphs(tmp_path: Path) -> None:
    path = write(tmp_path, samples.docx("Dear applicant,", "We hold the zebrafinch records."))

    assert extract_text(path, DOCX) == "Dear applicant,\nWe hold the zebrafinch records."


def test_docx_runs_tabs_and_tracked_deletions(tmp_path: Path) -> None:
    paragraph = (
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>"
        "<w:r><w:t>Total</w:t></w:r><w:r><w:tab/><w:t>£4,000</w:t></w:r>"
        "<w:del><w:r><w:delText>withdrawn words</w:delText></w:r></w:del>"
        "<w:r><w:instrText>PAGE</w:instrText><w:br/><w:t xml:space='preserve'>next line</w:t></w:r></w:p>"
    )
    document = f'<w:document xmlns:w="{samples.WORD_NAMESPACE}"><w:body>{paragraph}</w:body></w:document>'

    text = extract_text(write(tmp_path, samples.docx(document_xml=document)), DOCX)

    assert text == "Total\t£4,000\nnext line"


def test_xlsx_shared_inline_and_numbers(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>zebrafinch</t></is></c><c r="B2"><v>42.5</v></c>'
        '<c r="C2" t="b"><v>1</v></c><c r="D2" t="s"><v>99</v></c></row>'
    )
    path = write(tmp_path, samples.xlsx(["Species", "Count"], rows))

    assert extract_text(path, XLSX) == "Species Count \nzebrafinch 42.5"


def test_odt_and_ods(tmp_path: Path) -> None:
    odt = write(tmp_path, samples.odt("First paragraph", 'Second<text:s text:c="3"/>zebrafinch'), "a.odt")
    ods = write(tmp_path, samples.ods([["Ward", "Complaints"], ["Castle", "17"]]), "b.ods")

    assert extract_text(odt, ODT) == "First paragraph\nSecond   zebrafinch"
    assert extract_text(ods, ODS).split() == ["Ward", "Complaints", "Castle", "17"]


def test_text_and_csv_decoded(tmp_path: Path) -> None:
    utf8_bom = write(tmp_path, "\ufeffCroeso – £5\r\nline two".encode(), "a.txt")
    windows = write(tmp_path, "Caf\u00e9 \u20ac12".encode("cp1252"), "b.txt")
    csv = write(tmp_path, b"a,b\nzebrafinch,2\n", "c.csv")

    assert extract_text(utf8_bom, TEXT) == "Croeso – £5\nline two"
    assert extract_text(windows, TEXT) == "Caf\u00e9 \u20ac12"
    assert extract_text(csv, CSV) == "a,b\nzebrafinch,2"


def test_images_have_no_text(tmp_path: Path) -> None:
    assert extract_text(write(tmp_path, samples.png()), PNG) == ""
    assert extract_text(write(tmp_path, samples.jpeg()), JPEG) == ""


def test_truncated_at_max_chars(tmp_path: Path) -> None:
    text_file = write(tmp_path, b"abcdefghij" * 100, "a.txt")
    docx_file = write(tmp_path, samples.docx(*["zebrafinch"] * 1000), "b.docx")

    assert extract_text(text_file, TEXT, max_chars=25) == "abcdefghijabcdefghijabcde"
    assert len(extract_text(docx_file, DOCX, max_chars=100)) <= 100


def test_malformed_documents_of_allowed_types_give_what_they_can(tmp_path: Path) -> None:
    not_a_zip = write(tmp_path, b"PK\x03\x04 garbage", "a")
    no_document = write(tmp_path, samples.zip_of({"[Content_Types].xml": samples.CONTENT_TYPES}), "b")
    cut_short = write(
        tmp_path,
        samples.docx(document_xml=f'<w:document xmlns:w="{samples.WORD_NAMESPACE}"><w:body><w:p><w:t>kept</w:t></w:p><w:p>'),
        "c",
    )

    assert extract_text(not_a_zip, DOCX) == ""
    assert extract_text(no_document, XLSX) == ""
    assert extract_text(cut_short, DOCX) == "kept"


def test_entity_bomb_is_refused_quickly(tmp_path: Path) -> None:
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
        f'<w:document xmlns:w="{samples.WORD_NAMESPACE}">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    utf16_bomb = bomb.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")

    started = time.perf_counter()
    assert extract_text(write(tmp_path, samples.docx(document_xml=bomb), "a"), DOCX) == ""
    assert extract_text(write(tmp_path, samples.docx(document_xml=utf16_bomb), "b"), DOCX) == ""
    assert time.perf_counter() - started < 1


def test_oversized_member_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.services.files.text.MAX_MEMBER_BYTES", 1000)
    path = write(tmp_path, samples.docx("zebrafinch " * 200))

    assert extract_text(path, DOCX) == ""
