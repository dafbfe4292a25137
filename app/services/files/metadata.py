"""Released files without their hidden metadata: a PDF's document information (Author, Title,
Creator, Producer, Subject, Keywords) and XMP packet often name the person who wrote or scanned it,
or the requester it was prepared for, and the public never needs them."""

from __future__ import annotations

import io
import logging
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
