"""Released files lose their hidden metadata (who wrote them, for whom) and keep everything else."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf
from fpdf import FPDF

from app.services.files.metadata import without_metadata
from app.services.files.text import extract_text
from app.services.files.types import DOCX, ODT, PDF
from tests.services.files import samples

CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Smithers</dc:creator>'
    "<cp:lastModifiedBy>Jane Smithers</cp:lastModifiedBy><dc:title>Letter for Jane Smithers</dc:title></cp:coreProperties>"
)


def write(tmp_path: Path, content: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_pdf_loses_its_document_information_and_keeps_its_text(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Gritting routes 2024")
    pdf.set_author("Jane Smithers")
    pdf.set_title("Letter for Jane Smithers")
    original = write(tmp_path, bytes(pdf.output()), "a.pdf")
    stripped = without_metadata(original, "pdf")
    assert stripped is not None
    with pikepdf.open(io.BytesIO(stripped)) as opened:
        assert "/Info" not in opened.trailer and "/Metadata" not in opened.Root
    assert extract_text(write(tmp_path, stripped, "b.pdf"), PDF).strip() == "Gritting routes 2024"
    assert without_metadata(write(tmp_path, stripped, "c.pdf"), "pdf") is None  # nothing left to remove


def test_a_word_file_loses_its_properties_and_keeps_its_text(tmp_path: Path) -> None:
    base = zipfile.ZipFile(io.BytesIO(samples.docx("Routes attached.")))
    members = {name: base.read(name) for name in base.namelist()} | {"docProps/core.xml": CORE}
    original = write(tmp_path, samples.zip_of(members), "a.docx")
    stripped = without_metadata(original, "docx")
    assert stripped is not None and b"Smithers" not in stripped
    copy = write(tmp_path, stripped, "b.docx")
    assert extract_text(copy, DOCX).strip() == "Routes attached."
    assert zipfile.ZipFile(copy).namelist() == zipfile.ZipFile(original).namelist()


def test_an_open_document_keeps_its_mimetype_first_and_stored(tmp_path: Path) -> None:
    base = zipfile.ZipFile(io.BytesIO(samples.odt("Routes attached.")))
    members = {name: base.read(name) for name in base.namelist()} | {
        "meta.xml": "<office:document-meta><dc:creator>Jane Smithers</dc:creator></office:document-meta>"
    }
    original = write(tmp_path, samples.zip_of(members, stored_first="mimetype"), "a.odt")
    stripped = without_metadata(original, "odt")
    assert stripped is not None and b"Smithers" not in stripped
    copy = write(tmp_path, stripped, "b.odt")
    first = zipfile.ZipFile(copy).infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert extract_text(copy, ODT).strip() == "Routes attached."


def test_files_without_metadata_or_of_other_types_are_left_as_they_are(tmp_path: Path) -> None:
    assert without_metadata(write(tmp_path, samples.docx("Plain."), "a.docx"), "docx") is None
    assert without_metadata(write(tmp_path, b"a,b\n1,2\n", "a.csv"), "csv") is None
    assert without_metadata(write(tmp_path, b"PK\x03\x04 broken", "a.xlsx"), "xlsx") is None
