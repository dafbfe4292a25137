"""Decides what a file is from its bytes; the name a user gave it is never trusted."""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype

from app.domain.errors import UnsupportedType

ALLOWED_DESCRIPTION = "PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT) and spreadsheet (ODS), CSV, plain text, PNG, JPEG"
MAX_MEMBER_BYTES = 50 * 1024 * 1024
_READ_CHUNK = 64 * 1024
_HEAD_BYTES = 8 * 1024


class RefusedType(UnsupportedType):
    """The content is not one of the allowed document types (415)."""

    def __init__(self, found: str) -> None:
        super().__init__(f"this file is {found}; allowed: {ALLOWED_DESCRIPTION}")
        self.found = found


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str  # without the dot
    label: str
    inline: bool  # shown in the browser rather than downloaded


PDF = FileType("application/pdf", "pdf", "PDF", inline=True)
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word document (DOCX)", False)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel spreadsheet (XLSX)", False)
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "OpenDocument text (ODT)", inline=False)
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument spreadsheet (ODS)", False)
CSV = FileType("text/csv; charset=utf-8", "csv", "CSV", inline=False)
TEXT = FileType("text/plain; charset=utf-8", "txt", "plain text", inline=False)
PNG = FileType("image/png", "png", "PNG image", inline=True)
JPEG = FileType("image/jpeg", "jpg", "JPEG image", inline=True)

_OPEN_DOCUMENT_TYPES = {ODT.content_type: ODT, ODS.content_type: ODS}

_EXECUTABLE_MAGIC = [
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable (ELF)"),
    (b"\xfe\xed\xfa\xce", "a macOS executable (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "a macOS executable (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "a macOS executable (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "a macOS universal executable or Java class file"),
]
# the container of .doc/.xls/.ppt, and also of any password-protected DOCX or XLSX
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# What a browser would sniff as HTML (WHATWG MIME Sniffing, "text/html" patterns), plus XML and SVG:
# uploaded markup served from our origin could run script, so it is refused outright.
_MARKUP_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p)[\s>]"
    rb"|<!--|<\?xml|<svg[\s>]|<!doctype",
    re.IGNORECASE,
)
_ALLOWED_CONTROL_CHARACTERS = {"\t", "\n", "\r", "\f"}
_CONTROL_CHARACTERS = re.compile(
    "[" + "".join(chr(c) for c in [*range(0x20), 0x7F] if chr(c) not in _ALLOWED_CONTROL_CHARACTERS) + "\x80-\x9f]"
)


def sniff(path: Path, filename: str | None = None) -> FileType:
    with open(path, "rb") as file:
        head = file.read(_HEAD_BYTES)
    if not head:
        raise RefusedType("empty")
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    for magic, description in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            raise RefusedType(description)
    if head.startswith(_OLE2_MAGIC):
        raise RefusedType("an older-format (DOC/XLS/PPT) or password-protected Microsoft Office file")
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime == "image/png":
            return PNG
        if kind.mime == "image/jpeg":
            return JPEG
        raise RefusedType(f"a {kind.extension.upper()} file ({kind.mime})")
    return _sniff_text(path, head, filename)


def decode_text(data: bytes, final: bool = True) -> str | None:
    """The text of data as UTF-8 (BOM allowed) or else Windows-1252, or None if it is not text.

    With final=False, data may end part-way through a character (a prefix of a larger file).
    """
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(data, final=final)
        except UnicodeDecodeError:
            continue
        if _CONTROL_CHARACTERS.search(text):
            return None
        return text
    return None


def _sniff_zip(path: Path) -> FileType:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if members and members[0].filename == "mimetype":
                return _open_document_type(archive, members[0])
            names = {member.filename.lower() for member in members}
    except RefusedType:
        raise
    except Exception:
        raise RefusedType("a damaged or unreadable ZIP archive") from None
    if "[content_types].xml" in names:
        # macros cannot be enabled by renaming, but the document would still carry them to the public
        if any(name.endswith("vbaproject.bin") for name in names):
            raise RefusedType("an Office document containing macros")
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        if "ppt/presentation.xml" in names:
            raise RefusedType("a PowerPoint presentation")
        raise RefusedType("an Office Open XML file of an unsupported kind")
    raise RefusedType("a ZIP archive")


def _open_document_type(archive: zipfile.ZipFile, mimetype_member: zipfile.ZipInfo) -> FileType:
    if mimetype_member.file_size > 200:
        raise RefusedType("a ZIP archive")
    declared = archive.read(mimetype_member)[:200].decode("ascii", errors="replace").strip()
    if declared in _OPEN_DOCUMENT_TYPES:
        return _OPEN_DOCUMENT_TYPES[declared]
    if declared.startswith("application/vnd.oasis.opendocument."):
        raise RefusedType(f"an OpenDocument file of an unsupported kind ({declared})")
    raise RefusedType("a ZIP archive")


def _sniff_text(path: Path, head: bytes, filename: str | None) -> FileType:
    if head.startswith(_UTF16_BOMS):
        raise RefusedType("text in UTF-16 encoding (save it as UTF-8)")
    if not _is_text(path):
        raise RefusedType("binary data of an unrecognised kind")
    start = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n\f")
    if _MARKUP_START.match(start):
        raise RefusedType("HTML, XML or SVG markup")
    if filename and filename.strip().lower().endswith(".csv"):
        return CSV
    whole_file_read = len(head) < _HEAD_BYTES
    sample = decode_text(head, final=whole_file_read)
    if sample is not None and _looks_like_csv(sample, whole_file_read):
        return CSV
    return TEXT


def _is_text(path: Path) -> bool:
    # decoded in chunks so a 50 MB upload never sits in memory twice; the whole file must pass in one
    # encoding, so the UTF-8 attempt runs first and Windows-1252 only if that fails
    return _decodes_cleanly(path, "utf-8-sig") or _decodes_cleanly(path, "cp1252")


def _decodes_cleanly(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as file:
        while chunk := file.read(_READ_CHUNK):
            if b"\x00" in chunk:
                return False
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
            if _CONTROL_CHARACTERS.search(text):
                return False
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _looks_like_csv(sample: str, complete: bool) -> bool:
    lines = sample.splitlines()
    if not complete:
        lines = lines[:-1]  # probably cut short by the end of the sample
    lines = [line for line in lines if line.strip()][:20]
    if len(lines) < 3:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines, dialect)}
    return len(widths) == 1 and widths.pop() >= 2
