"""Filenames that are safe to offer in a download (Content-Disposition) and to save on any system."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 120
FALLBACK_STEM = "document"
_ALLOWED_PUNCTUATION = set(" ._-()")
_DROPPED_CATEGORIES = {"Cc", "Cf"}  # controls and invisible format marks, e.g. right-to-left override
_QUOTES = set("\"'`\u2018\u2019\u201c\u201d")
# a short trailing ".abc" with at least one letter is an extension; ".2024" in a date is not
_EXTENSION_SUFFIX = re.compile(r"\.(?=[A-Za-z0-9]{0,4}[A-Za-z])[A-Za-z0-9]{1,5}$")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}


def safe_filename(name: str | None, extension: str) -> str:
    extension = extension.strip().lstrip(".").lower()
    base = re.split(r"[/\\]", name or "")[-1]
    stem = _clean(unicodedata.normalize("NFC", base))
    stem = _EXTENSION_SUFFIX.sub("", stem)
    # "invoice.pdf.exe" sniffed as PDF should not come out as "invoice.pdf.pdf"
    if stem.lower().endswith("." + extension):
        stem = stem[: -len(extension) - 1]
    suffix = "." + extension if extension else ""
    stem = stem[: MAX_LENGTH - len(suffix)]
    # leading dots hide a file on Unix; trailing dots and spaces are dropped by Windows
    stem = stem.strip(" .")
    if not stem:
        stem = FALLBACK_STEM
    elif stem.upper() in _WINDOWS_RESERVED:
        stem = f"{stem} {FALLBACK_STEM}"
    return stem + suffix


def _clean(text: str) -> str:
    kept = []
    for character in text:
        if character.isspace():
            kept.append(" ")
        elif character in _QUOTES or unicodedata.category(character) in _DROPPED_CATEGORIES:
            continue
        elif character.isalnum() or character in _ALLOWED_PUNCTUATION:
            kept.append(character)
        else:
            kept.append(" ")  # "Q1,2024" reads better as "Q1 2024" than "Q12024"
    return re.sub(r"\s+", " ", "".join(kept)).strip()


def renamed_like(name: str, original: str) -> str:
    """A new name for a stored file, made safe, keeping the original's extension (its type)."""
    extension = original.rpartition(".")[2] if "." in original else ""
    return safe_filename(name, extension)
