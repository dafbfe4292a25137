from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

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
    FileType,
    RefusedType,
    sniff,
)
from tests.services.files import samples


def write(tmp_path: Path, data: bytes, name: str = "upload") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (samples.pdf("hello"), PDF),
        (samples.docx("hello"), DOCX),
        (samples.xlsx(["hello"], '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), XLSX),
        (samples.odt("hello"), ODT),
        (samples.ods([["hello"]]), ODS),
        (samples.png(), PNG),
        (samples.jpeg(), JPEG),
        (b"Dear FOI team,\nplease find attached.\n", TEXT),
        ("Annwyl Swyddog, diolch am eich cais – £25\n".encode(), TEXT),
        (b"\xef\xbb\xbfWith a byte order mark\n", TEXT),
        ("Caf\u00e9 costs \u2013 \u20ac12\r\n".encode("cp1252"), TEXT),
        (b"council,year,spend\nLeeds,2023,100\nYork,2023,90\nHull,2023,80\n", CSV),
        (b"council;year;spend\nLeeds;2023;100\nYork;2023;90\nHull;2023;80\n", CSV),
        (b"\xef\xbb\xbfcouncil\tspend\nLeeds\t100\nYork\t90\nHull\t80\n", CSV),
    ],
)
def test_allowed_types_are_recognised_from_content(tmp_path: Path, data: bytes, expected: FileType) -> None:
    assert sniff(write(tmp_path, data, name="upload.bin")) == expected


def test_inline_only_for_what_browsers_show_safely() -> None:
    assert {t.extension for t in (PDF, DOCX, XLSX, ODT, ODS, CSV, TEXT, PNG, JPEG) if t.inline} == {"pdf", "png", "jpg"}


def test_csv_by_name_when_content_is_not_obviously_tabular(tmp_path: Path) -> None:
    path = write(tmp_path, b"just one column\nof values\n")

    assert sniff(path, filename="Export.CSV") == CSV
    assert sniff(path, filename="notes.txt") == TEXT
    assert sniff(path) == TEXT


def test_prose_with_commas_is_plain_text(tmp_path: Path) -> None:
    prose = b"Thank you for your request, which we received on 3 May.\nWe hold the information.\n"

    assert sniff(write(tmp_path, prose)) == TEXT


def test_the_name_never_decides_a_binary_type(tmp_path: Path) -> None:
    assert sniff(write(tmp_path, samples.pdf("x")), filename="photo.jpg") == PDF


def test_long_text_is_checked_to_the_end(tmp_path: Path) -> None:
    data = b"harmless line\n" * 10_000 + b"\x00\x01binary tail"

    with pytest.raises(RefusedType, match="binary data"):
        sniff(write(tmp_path, data))


def plain_zip() -> bytes:
    return samples.zip_of({"readme.txt": "hello", "data.bin": b"\x00" * 10})


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (b"MZ" + b"\x90\x00" * 200, "a Windows executable"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "a Linux executable"),
        (b"\xcf\xfa\xed\xfe" + b"\x00" * 100, "a macOS executable"),
        (plain_zip(), "a ZIP archive"),
        (b"PK\x03\x04 truncated nonsense", "a damaged or unreadable ZIP archive"),
        (samples.zip_of({"[Content_Types].xml": samples.CONTENT_TYPES, "ppt/presentation.xml": "<p/>"}), "PowerPoint"),
        (
            samples.zip_of({"[Content_Types].xml": samples.CONTENT_TYPES, "word/document.xml": "<d/>", "word/vbaProject.bin": b"x"}),
            "macros",
        ),
        (samples.open_document("application/vnd.oasis.opendocument.presentation", ""), "OpenDocument file of an"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "HTML"),
        (b"\n  <html><script>alert(1)</script></html>", "HTML"),
        (b"<SCRIPT>alert(1)</SCRIPT>", "HTML"),
        (b"\xef\xbb\xbf<!-- hidden -->\n<p>hi</p>", "HTML"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "SVG"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "GIF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "older-format"),
        ("UTF-16 text".encode("utf-16"), "UTF-16"),
        (bytes(range(256)) * 4, "binary data"),
        (b"text with a bell\x07 in it", "binary data"),
        (b"\x81\x8d\x8f", "binary data"),  # neither UTF-8 nor Windows-1252
        (b"", "empty"),
    ],
)
def test_refused_types(tmp_path: Path, data: bytes, found: str) -> None:
    with pytest.raises(RefusedType) as refusal:
        sniff(write(tmp_path, data, name="invoice.pdf"), filename="invoice.pdf")

    assert found in refusal.value.found
    assert str(refusal.value).endswith(
        "; allowed: PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT) and spreadsheet (ODS), CSV, plain text, PNG, JPEG"
    )


def test_refusal_message_names_what_was_found(tmp_path: Path) -> None:
    with pytest.raises(RefusedType) as refusal:
        sniff(write(tmp_path, b"MZ" + b"\x00" * 64, name="invoice.pdf"), filename="invoice.pdf")

    assert str(refusal.value) == (
        "this file is a Windows executable; allowed: PDF, Word (DOCX), Excel (XLSX), "
        "OpenDocument text (ODT) and spreadsheet (ODS), CSV, plain text, PNG, JPEG"
    )


def test_open_document_needs_mimetype_as_first_member(tmp_path: Path) -> None:
    data = samples.zip_of({"content.xml": "<x/>", "mimetype": "application/vnd.oasis.opendocument.text"}, stored_first=None)
    with zipfile.ZipFile(write(tmp_path, data)) as archive:
        assert archive.namelist()[0] == "content.xml"

    with pytest.raises(RefusedType, match="a ZIP archive"):
        sniff(tmp_path / "upload")
