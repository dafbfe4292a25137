"""Uploaded documents: content-addressed storage, type sniffing, text extraction and safe names."""

from app.services.files.names import safe_filename
from app.services.files.storage import ContentStore, InvalidDigest, StoredFile, TooLarge
from app.services.files.text import extract_text
from app.services.files.types import FileType, RefusedType, sniff

__all__ = [
    "ContentStore",
    "FileType",
    "InvalidDigest",
    "RefusedType",
    "StoredFile",
    "TooLarge",
    "extract_text",
    "safe_filename",
    "sniff",
]
