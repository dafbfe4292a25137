from __future__ import annotations

import pytest

from app.services.files.names import safe_filename


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("invoice.exe", "pdf", "invoice.pdf"),
        ("report.PDF", "pdf", "report.pdf"),
        ("report", "pdf", "report.pdf"),
        ("invoice.pdf.exe", "pdf", "invoice.pdf"),
        ("../../etc/passwd", "txt", "passwd.txt"),
        ("C:\\Users\\clerk\\Desktop\\Reply letter.docx", "docx", "Reply letter.docx"),
        ('say "hello".txt', "txt", "say hello.txt"),
        ("O'Brien response.pdf", "pdf", "OBrien response.pdf"),
        ("line\nbreak\x00and\x07bell.csv", "csv", "line breakandbell.csv"),
        ("Q1,2024 budget;v2.xlsx", "xlsx", "Q1 2024 budget v2.xlsx"),
        ("  lots   of\tspace  .pdf", "pdf", "lots of space.pdf"),
        ("Ymateb i’r cais – Gŵyl.pdf", "pdf", "Ymateb ir cais Gŵyl.pdf"),
        ("réponse (copie).odt", "odt", "réponse (copie).odt"),
        ("minutes 12.03.2024", "pdf", "minutes 12.03.2024.pdf"),
        ("invoice\u202efdp.exe", "pdf", "invoicefdp.pdf"),  # right-to-left override spoof
        (".htaccess", "txt", "htaccess.txt"),
        ("...", "pdf", "document.pdf"),
        ("", "pdf", "document.pdf"),
        (None, "png", "document.png"),
        ("folder/", "jpg", "document.jpg"),
        ("<script>", "txt", "script.txt"),
        ("CON.txt", "txt", "CON document.txt"),
        ("report", ".PDF", "report.pdf"),
    ],
)
def test_safe_filename(name: str | None, extension: str, expected: str) -> None:
    assert safe_filename(name, extension) == expected


def test_long_names_are_cut_to_120_characters_keeping_the_extension() -> None:
    result = safe_filename("a" * 300 + ".docx", "docx")

    assert len(result) == 120
    assert result == "a" * 115 + ".docx"
