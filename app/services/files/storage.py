"""Content-addressed storage: every file lives at root/ab/cd/<sha256>, so identical uploads are kept once."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from app.domain import errors

MEGABYTE = 1024 * 1024
HEAD_BYTES = 8 * 1024
FILE_MODE = 0o640
DIRECTORY_MODE = 0o750
_SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")


class TooLarge(errors.TooLarge):
    """An upload passed the size limit; nothing of it is kept (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file is larger than the {_describe_limit(limit)} limit")
        self.limit = limit


class InvalidDigest(ValueError):
    """A string offered as a SHA-256 digest is not one (and so could be a path trick)."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    head: bytes  # the first 8 KiB, enough to sniff the type without reopening the file


class ContentStore:
    def __init__(self, root: Path, max_bytes: int = 50 * MEGABYTE) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    async def save(self, chunks: AsyncIterator[bytes]) -> StoredFile:
        temp_dir = self.root / "tmp"
        temp_dir.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        # the temp file sits on the same filesystem as its destination so that os.replace is atomic:
        # a reader never sees a half-written file under its final name
        descriptor, temp_name = tempfile.mkstemp(dir=temp_dir, prefix="upload-")
        temp_path = Path(temp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            head = bytearray()
            with os.fdopen(descriptor, "wb") as temp_file:
                os.fchmod(temp_file.fileno(), FILE_MODE)
                async for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise TooLarge(self.max_bytes)
                    digest.update(chunk)
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    temp_file.write(chunk)
                temp_file.flush()
                os.fsync(temp_file.fileno())
            sha256 = digest.hexdigest()
            final_path = self.path_for(sha256)
            final_path.parent.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
            if final_path.exists():
                temp_path.unlink()
            else:
                os.replace(temp_path, final_path)
        except BaseException:
            # covers TooLarge, a client that disconnects mid-upload and cancellation alike
            temp_path.unlink(missing_ok=True)
            raise
        return StoredFile(sha256=sha256, size=size, path=final_path, head=bytes(head))

    def path_for(self, sha256: str) -> Path:
        # the digest often arrives from a URL; only exact lowercase hex may become part of a path
        if not isinstance(sha256, str) or not _SHA256_PATTERN.fullmatch(sha256):
            raise InvalidDigest(f"not a SHA-256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()


def _describe_limit(limit: int) -> str:
    if limit < MEGABYTE // 10:
        return f"{limit:,} byte" if limit == 1 else f"{limit:,} bytes"
    return f"{limit / MEGABYTE:,.1f}".removesuffix(".0") + " MB"
