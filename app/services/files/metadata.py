"""Released files without their hidden metadata: a PDF's document information (Author, Title,
Creator, Producer, Subject, Keywords) and XMP packet, an Office file's document properties (creator,
last modified by, company, manager) and an OpenDocument file's meta.xml often name the person who
wrote or scanned it, or the requester it was prepared for, and the public never needs them."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pikepdf

log = logging.getLogger(__name__)


def pdf_without_metadata(path: Path) -> bytes | None:
    """The PDF with its metadata removed, or None when it has none to remove (or cannot be read:
    then it is released as uploaded, as before, and the log says so without naming the file)."""
    try:
        with pikepdf.open(path) as pdf:
            has_info = len(pdf.docinfo.keys()) > 0 if "/Info" in pdf.trailer else False
            has_xmp = "/Metadata" in pdf.Root
            if not (has_info or has_xmp):
                return None
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            if has_xmp:
                del pdf.Root["/Metadata"]
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
    except pikepdf.PdfError:
        log.warning("a PDF's metadata could not be read; it is kept as uploaded")
        return None


# Each metadata part replaced by an empty one of the same kind, so the file still opens everywhere.
_EMPTY_PARTS = {
    "docProps/core.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
    ),
    "docProps/app.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    ),
    "meta.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2">'
        "<office:meta/></office:document-meta>"
    ),
}


def office_without_metadata(path: Path) -> bytes | None:
    """A DOCX, XLSX, ODT or ODS file with its document properties emptied, every other part copied
    as it was (in order, with its own compression: OpenDocument wants "mimetype" first and stored);
    None when it has none, or is no readable archive."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if not any(member.filename in _EMPTY_PARTS for member in members):
                return None
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as copy:
                for member in members:
                    replacement = _EMPTY_PARTS.get(member.filename)
                    copy.writestr(member, replacement if replacement is not None else archive.read(member))
            return out.getvalue()
    except (zipfile.BadZipFile, OSError, RuntimeError):  # RuntimeError: an encrypted member
        log.warning("an office file's metadata could not be read; it is kept as uploaded")
        return None


def without_metadata(path: Path, extension: str) -> bytes | None:
    """The file without its metadata, for the types that carry any; None to publish it as it is."""
    if extension == "pdf":
        return pdf_without_metadata(path)
    if extension in {"docx", "xlsx", "odt", "ods"}:
        return office_without_metadata(path)
    return None
