"""Builds small but genuine sample documents in the tests, so no binary fixtures are committed."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from fpdf import FPDF

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
WORD_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SHEET_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def pdf(*lines: str) -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    for line in lines:
        document.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def zip_of(members: dict[str, str | bytes], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            # OpenDocument requires "mimetype" first and uncompressed
            archive.writestr(stored_first, members[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            if name != stored_first:
                archive.writestr(name, content)
    return buffer.getvalue()


def docx(*paragraphs: str, document_xml: str | bytes | None = None) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p>" for paragraph in paragraphs)
    if document_xml is None:
        document_xml = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{WORD_NAMESPACE}"><w:body>{body}</w:body></w:document>'
        )
    return zip_of({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document_xml})


def xlsx(shared_strings: list[str], sheet_rows: str) -> bytes:
    shared = "".join(f"<si><t>{text}</t></si>" for text in shared_strings)
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": (f'<workbook xmlns="{SHEET_NAMESPACE}"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>'),
            "xl/sharedStrings.xml": f'<sst xmlns="{SHEET_NAMESPACE}">{shared}</sst>',
            "xl/worksheets/sheet1.xml": (f'<worksheet xmlns="{SHEET_NAMESPACE}"><sheetData>{sheet_rows}</sheetData></worksheet>'),
        }
    )


def open_document(mimetype: str, body: str) -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NAMESPACES}>'
        f"<office:body>{body}</office:body></office:document-content>"
    )
    return zip_of(
        {"mimetype": mimetype, "content.xml": content, "META-INF/manifest.xml": "<manifest/>"},
        stored_first="mimetype",
    )


def odt(*paragraphs: str) -> bytes:
    body = "".join(f"<text:p>{paragraph}</text:p>" for paragraph in paragraphs)
    return open_document("application/vnd.oasis.opendocument.text", f"<office:text>{body}</office:text>")


def ods(rows: list[list[str]]) -> bytes:
    table_rows = "".join(
        "<table:table-row>"
        + "".join(f"<table:table-cell><text:p>{cell}</text:p></table:table-cell>" for cell in row)
        + "</table:table-row>"
        for row in rows
    )
    return open_document(
        "application/vnd.oasis.opendocument.spreadsheet",
        f'<office:spreadsheet><table:table table:name="Sheet1">{table_rows}</table:table></office:spreadsheet>',
    )


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x00")  # filter byte, one black pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg() -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xda" + bytes(range(64)) + b"\xff\xd9"
