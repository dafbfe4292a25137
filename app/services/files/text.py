"""Pulls searchable text out of an accepted file, for the public search index.

Uploaded files are hostile until shown otherwise: every reader here is bounded in size, refuses XML
with a DTD (entity expansion bombs) and gives up quietly, because a document that yields no text is
still a valid document.
"""

from __future__ import annotations

import re
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pypdfium2

from app.services.files.types import (
    CSV,
    DOCX,
    ODS,
    ODT,
    PDF,
    TEXT,
    XLSX,
    FileType,
    decode_text,
)

MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # all members of one document together
_READ_CHUNK = 64 * 1024
_DTD_MARKER = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_MAX_SHEETS = 1000

# PDFium is not thread-safe and extraction is likely to run in worker threads
_pdfium_lock = threading.Lock()


class _Full(Exception):
    """Enough text has been collected."""


class _Hostile(Exception):
    """The document is built to harm its reader (a DTD, an oversized member); none of it is used."""


class _Extraction:
    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.parts: list[str] = []
        self.length = 0
        self.archive_bytes_read = 0

    def add(self, text: str) -> None:
        if not text:
            return
        self.parts.append(text)
        self.length += len(text)
        if self.length >= self.max_chars:
            raise _Full

    def text(self) -> str:
        return "".join(self.parts)[: self.max_chars].strip()


def extract_text(path: Path, file_type: FileType, max_chars: int = 2_000_000) -> str:
    extractor = _EXTRACTORS.get(file_type.content_type)
    if extractor is None or max_chars <= 0:
        return ""
    extraction = _Extraction(max_chars)
    try:
        extractor(Path(path), extraction)
    except _Full:
        pass
    except _Hostile:
        return ""
    except Exception:
        pass
    return extraction.text()


def _extract_pdf(path: Path, extraction: _Extraction) -> None:
    with _pdfium_lock:
        try:
            document = pypdfium2.PdfDocument(path)
        except pypdfium2.PdfiumError:  # damaged, or needs a password
            return
        try:
            for index in range(len(document)):
                page = document[index]
                try:
                    text_page = page.get_textpage()
                    try:
                        extraction.add(_normalise_newlines(text_page.get_text_range()) + "\n\n")
                    finally:
                        text_page.close()
                finally:
                    page.close()
        finally:
            document.close()


def _extract_plain_text(path: Path, extraction: _Extraction) -> None:
    # at most four bytes a character in UTF-8, so this prefix holds max_chars characters
    byte_budget = extraction.max_chars * 4
    with open(path, "rb") as file:
        data = file.read(byte_budget)
        at_end = not file.read(1)
    text = decode_text(data, final=at_end)
    if text is not None:
        extraction.add(_normalise_newlines(text))


def _extract_docx(path: Path, extraction: _Extraction) -> None:
    with zipfile.ZipFile(path) as archive:
        _parse_member(archive, "word/document.xml", _WordText(extraction), extraction)


def _extract_xlsx(path: Path, extraction: _Extraction) -> None:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        shared = _SharedStrings()
        if "xl/sharedStrings.xml" in names:
            _parse_member(archive, "xl/sharedStrings.xml", shared, extraction)
        sheets = sorted((name for name in names if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name)), key=_natural_order)
        for sheet in sheets[:_MAX_SHEETS]:
            _parse_member(archive, sheet, _SheetText(extraction, shared.strings), extraction)
            extraction.add("\n")


def _extract_open_document(path: Path, extraction: _Extraction) -> None:
    with zipfile.ZipFile(path) as archive:
        _parse_member(archive, "content.xml", _OpenDocumentText(extraction), extraction)


_EXTRACTORS: dict[str, Callable[[Path, _Extraction], None]] = {
    PDF.content_type: _extract_pdf,
    DOCX.content_type: _extract_docx,
    XLSX.content_type: _extract_xlsx,
    ODT.content_type: _extract_open_document,
    ODS.content_type: _extract_open_document,
    CSV.content_type: _extract_plain_text,
    TEXT.content_type: _extract_plain_text,
}


def _parse_member(archive: zipfile.ZipFile, name: str, target: _XmlTarget, extraction: _Extraction) -> None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return
    if info.file_size > MAX_MEMBER_BYTES:
        raise _Hostile
    parser = ElementTree.XMLParser(target=target)
    member_bytes = 0
    tail = b""
    with archive.open(info) as member:
        # sizes in the ZIP headers can lie, so the bytes actually inflated are counted too
        while chunk := member.read(_READ_CHUNK):
            member_bytes += len(chunk)
            extraction.archive_bytes_read += len(chunk)
            if member_bytes > MAX_MEMBER_BYTES or extraction.archive_bytes_read > MAX_ARCHIVE_BYTES:
                raise _Hostile
            if _DTD_MARKER.search(tail + chunk):
                raise _Hostile
            tail = chunk[-16:]
            parser.feed(chunk)
    parser.close()


class _XmlTarget:
    """An ElementTree parser target that streams text out without building a tree."""

    def __init__(self) -> None:
        self.open_elements: list[str] = []  # local names, outermost first

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = _local_name(tag)
        self.opened(name, attributes)
        self.open_elements.append(name)

    def end(self, tag: str) -> None:
        self.open_elements.pop()
        self.closed(_local_name(tag))

    def data(self, text: str) -> None:
        pass

    def doctype(self, name: str, public_id: str | None, system_id: str | None) -> None:
        # the byte scan catches a DTD in UTF-8; this catches it in any other encoding expat accepts
        raise _Hostile

    def close(self) -> None:
        pass

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        pass

    def closed(self, name: str) -> None:
        pass


class _WordText(_XmlTarget):
    def __init__(self, extraction: _Extraction) -> None:
        super().__init__()
        self.extraction = extraction

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        parent = self.open_elements[-1] if self.open_elements else ""
        # w:tab also names tab stops in paragraph properties; only a tab inside a run is text
        if name == "tab" and parent == "r":
            self.extraction.add("\t")
        elif name in ("br", "cr"):
            self.extraction.add("\n")

    def closed(self, name: str) -> None:
        if name == "p":
            self.extraction.add("\n")

    def data(self, text: str) -> None:
        # w:t only: w:delText (tracked deletions) and w:instrText (field codes) are not document text
        if self.open_elements and self.open_elements[-1] == "t":
            self.extraction.add(text)


class _SharedStrings(_XmlTarget):
    def __init__(self) -> None:
        super().__init__()
        self.strings: list[str] = []
        self.current: list[str] = []

    def closed(self, name: str) -> None:
        if name == "si":
            self.strings.append("".join(self.current))
            self.current = []

    def data(self, text: str) -> None:
        # rPh holds phonetic readings (furigana) that would duplicate the visible text
        if self.open_elements and self.open_elements[-1] == "t" and "rPh" not in self.open_elements:
            self.current.append(text)


class _SheetText(_XmlTarget):
    def __init__(self, extraction: _Extraction, shared_strings: list[str]) -> None:
        super().__init__()
        self.extraction = extraction
        self.shared_strings = shared_strings
        self.cell_type = ""
        self.value: list[str] = []
        self.inline: list[str] = []

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        if name == "c":
            self.cell_type = attributes.get("t", "n")
            self.value = []
            self.inline = []

    def closed(self, name: str) -> None:
        if name == "c":
            cell_text = self.cell_text()
            if cell_text:
                self.extraction.add(cell_text + " ")
        elif name == "row":
            self.extraction.add("\n")

    def data(self, text: str) -> None:
        if not self.open_elements:
            return
        if self.open_elements[-1] == "v":
            self.value.append(text)
        elif self.open_elements[-1] == "t" and "is" in self.open_elements:
            self.inline.append(text)

    def cell_text(self) -> str:
        value = "".join(self.value).strip()
        if self.cell_type == "s":
            index = int(value) if value.isdigit() else -1
            return self.shared_strings[index] if 0 <= index < len(self.shared_strings) else ""
        if self.cell_type == "inlineStr":
            return "".join(self.inline)
        if self.cell_type in ("n", "str", "d"):
            return value
        return ""  # booleans and error values carry nothing worth searching


class _OpenDocumentText(_XmlTarget):
    _PARAGRAPHS = ("p", "h")

    def __init__(self, extraction: _Extraction) -> None:
        super().__init__()
        self.extraction = extraction

    def opened(self, name: str, attributes: dict[str, str]) -> None:
        if not self.in_paragraph():
            return
        if name == "s":  # a run of spaces, stored as a count
            count = next((value for key, value in attributes.items() if _local_name(key) == "c"), "1")
            self.extraction.add(" " * min(int(count) if count.isdigit() else 1, 100))
        elif name == "tab":
            self.extraction.add("\t")
        elif name == "line-break":
            self.extraction.add("\n")

    def closed(self, name: str) -> None:
        if name in self._PARAGRAPHS:
            self.extraction.add("\n")

    def data(self, text: str) -> None:
        if self.in_paragraph():
            self.extraction.add(text)

    def in_paragraph(self) -> bool:
        # tracked deletions are kept in the file but are no longer part of the document
        return "tracked-changes" not in self.open_elements and any(name in self._PARAGRAPHS for name in self.open_elements)


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def _natural_order(name: str) -> list[int | str]:
    # sheet2 before sheet10
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
