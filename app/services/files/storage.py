"""Content-addressed storage: every file lives at root/ab/cd/<sha256>, so identical uploads are kept once.

A file no document holds any more is deleted by the retention policy while an upload of the very same
bytes may be under way (`app/services/retention.py`). So an upload that will be recorded holds its
bytes under a pin until its transaction ends (`save(..., pin=True)`, then `release`): the pin is a
hard link to the file, named after its digest, in root/tmp. The upload reads its file through the pin
(`StoredFile.source`), which no deletion reaches; after its commit `release` puts the file back under
its digest if it was deleted meanwhile, then drops the pin. Retention, having moved a file aside,
puts it back when a pin for it exists (or a document holds it). Either the pin was there when
retention looked (and the file goes back), or the pin came later and so did the upload's own check
that the file is in place (and the upload placed it itself).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.domain import errors

MEGABYTE = 1024 * 1024
HEAD_BYTES = 8 * 1024
FILE_MODE = 0o640
DIRECTORY_MODE = 0o750
_SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}
_PIN = "pin-"
PIN_LIFETIME = 24 * 60 * 60  # seconds: a pin older than this was left by a process that died

logger = logging.getLogger("app.storage")


class TooLarge(errors.TooLarge):
    """An upload passed the size limit; nothing of it is kept (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file is larger than the {describe_limit(limit)} limit")
        self.limit = limit


class StorageFailure(errors.DomainError):
    """The document store could not keep a file (a full disk, a directory that cannot be written):
    nothing of the file is kept. Not the user's fault; the administrator must act."""

    status_code = 503
    problem = "cannot be written to"

    def __init__(self) -> None:
        super().__init__(
            f"The document could not be saved: the document store {self.problem}. Nothing was saved. Tell your system administrator."
        )


class StoreFull(StorageFailure):
    """No space left (or the quota reached) where documents are stored (507 Insufficient Storage)."""

    status_code = 507
    problem = "is full"


class StoreUnwritable(StorageFailure):
    """The store's directory cannot be created or written (read-only, permissions, not a directory) (503)."""


class StoreUnreadable(errors.DomainError):
    """A stored file cannot be read (the store's disk not mounted, the file gone or unreadable) (503)."""

    status_code = 503

    def __init__(self) -> None:
        super().__init__("The document cannot be read from the document store just now. Tell your system administrator.")


class InvalidDigest(ValueError):
    """A string offered as a SHA-256 digest is not one (and so could be a path trick)."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    head: bytes  # the first 8 KiB, enough to sniff the type without reopening the file
    pin: Path | None = None  # held until the upload's transaction ends (`ContentStore.release`)

    @property
    def source(self) -> Path:
        """Where the upload reads its own bytes: its pin, which retention cannot take away, if it has one."""
        return self.pin or self.path


class ContentStore:
    def __init__(self, root: Path, max_bytes: int = 50 * MEGABYTE) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    async def save(self, chunks: AsyncIterator[bytes], *, pin: bool = False) -> StoredFile:
        """Keeps the file under its digest; StorageFailure (logged) if the store cannot take it, in
        which case nothing of it is left behind, not even a temporary file. `pin`: the file stays
        pinned (see the module's docstring) until `release`, which the caller must call."""
        temp_dir = self.root / "tmp"
        with self._writing():
            temp_dir.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
            # the temp file sits on the same filesystem as its destination so that os.replace is atomic:
            # a reader never sees a half-written file under its final name
            descriptor, temp_name = tempfile.mkstemp(dir=temp_dir, prefix="upload-")
        temp_path = Path(temp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            head = bytearray()
            try:
                with self._writing():
                    os.fchmod(descriptor, FILE_MODE)
                # what the client sends is read here: its own errors (a disconnect) are not the store's
                async for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise TooLarge(self.max_bytes)
                    digest.update(chunk)
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    with self._writing():
                        _write_all(descriptor, chunk)
                with self._writing():
                    os.fsync(descriptor)
            finally:
                with self._writing():
                    os.close(descriptor)
            sha256 = digest.hexdigest()
            final_path = self.path_for(sha256)
            with self._writing():
                final_path.parent.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
                if pin:
                    # pinned first, then placed: a deletion after the pin puts the file back
                    pinned = temp_dir / f"{_PIN}{sha256}-{secrets.token_hex(8)}"
                    os.replace(temp_path, pinned)
                    temp_path = pinned
                    _place(pinned, final_path)
                    return StoredFile(sha256=sha256, size=size, path=final_path, head=bytes(head), pin=pinned)
                if final_path.exists():
                    temp_path.unlink()
                else:
                    os.replace(temp_path, final_path)
        except BaseException:
            # covers TooLarge, a full or unwritable store, a client that disconnects mid-upload and cancellation alike
            with contextlib.suppress(OSError):
                temp_path.unlink(missing_ok=True)
            raise
        return StoredFile(sha256=sha256, size=size, path=final_path, head=bytes(head))

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """An operating system error while writing to the store: logged for the administrator (what
        and where, never a document's name or content) and raised as StoreFull or StoreUnwritable."""
        try:
            yield
        except OSError as problem:
            failure = StoreFull() if problem.errno in _FULL else StoreUnwritable()
            code = errno.errorcode.get(problem.errno or 0, "unknown")
            logger.error(
                "the document store at %s %s: %s (%s)", self.root, failure.problem, problem.strerror or type(problem).__name__, code
            )
            raise failure from problem

    def release(self, stored: StoredFile, *, committed: bool) -> None:
        """Ends a pin: after a commit, the file is first put back under its digest if it was deleted
        meanwhile (a document now holds it); after a rollback the pin just goes. Never raises: a
        failure is logged (the file stays pinned, and a pin older than `PIN_LIFETIME` counts no more)."""
        if stored.pin is None:
            return
        try:
            if committed and stored.pin.exists():
                _place(stored.pin, stored.path)
            stored.pin.unlink(missing_ok=True)
        except OSError as problem:
            code = errno.errorcode.get(problem.errno or 0, "unknown")
            logger.error("the document store at %s could not release a pinned file: %s (%s)", self.root, problem.strerror, code)

    def pinned(self, sha256: str) -> bool:
        """Whether an upload still under way holds these bytes (a pin younger than `PIN_LIFETIME`; an
        older one, left by a process that died, is removed)."""
        fresh = False
        now = time.time()
        for found in (self.root / "tmp").glob(f"{_PIN}{self.path_for(sha256).name}-*"):
            try:
                if now - found.stat().st_mtime < PIN_LIFETIME:
                    fresh = True
                else:
                    found.unlink(missing_ok=True)
            except FileNotFoundError:
                continue
        return fresh

    def path_for(self, sha256: str) -> Path:
        # the digest often arrives from a URL; only exact lowercase hex may become part of a path
        if not isinstance(sha256, str) or not _SHA256_PATTERN.fullmatch(sha256):
            raise InvalidDigest(f"not a SHA-256 digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()


def _place(pinned: Path, final_path: Path) -> None:
    """The pinned file also under its digest, unless a file is there already (identical: same digest)."""
    if final_path.exists():
        return
    final_path.parent.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    try:
        os.link(pinned, final_path)
    except FileExistsError:
        pass
    except OSError as problem:
        if problem.errno not in _NO_LINKS:
            raise
        # a filesystem without hard links: a copy, renamed into place
        copy = pinned.with_name(f"copy-{secrets.token_hex(8)}")
        try:
            shutil.copyfile(pinned, copy)
            os.chmod(copy, FILE_MODE)
            os.replace(copy, final_path)
        finally:
            copy.unlink(missing_ok=True)


def _write_all(descriptor: int, data: bytes) -> None:
    # unbuffered: an error is raised by the write that meets it, never later by a close that flushes
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def describe_limit(limit: int) -> str:
    """A size limit as people read it: "50 MB", "1.5 MB", "900 bytes"."""
    if limit < MEGABYTE // 10:
        return f"{limit:,} byte" if limit == 1 else f"{limit:,} bytes"
    return f"{limit / MEGABYTE:,.1f}".removesuffix(".0") + " MB"
