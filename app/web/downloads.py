"""Serving stored files: ETag and conditional requests, single byte ranges, safe disposition."""

from __future__ import annotations

import errno
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from litestar import Request, Response
from litestar.response import Stream

from app.services.files.storage import StoreUnreadable

CHUNK = 64 * 1024
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}

logger = logging.getLogger("app.storage")


def _disposition(filename: str, content_type: str) -> str:
    kind = "inline" if content_type in INLINE_TYPES else "attachment"
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """One `bytes=a-b`, `bytes=a-` or `bytes=-n` range as (first, last), or None if unsatisfiable.
    Several ranges are answered with the whole file, which RFC 9110 allows."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        raise ValueError("unsupported range")
    first_text, _, last_text = spec.strip().partition("-")
    if not first_text:
        length = int(last_text)
        if length <= 0:
            return None
        return max(0, size - length), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size or last < first:
        return None
    return first, min(last, size - 1)


async def _read(path: Path, first: int, last: int) -> AsyncIterator[bytes]:
    async with await anyio.open_file(path, "rb") as handle:
        await handle.seek(first)
        remaining = last - first + 1
        while remaining > 0:
            chunk = await handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def file_response(
    request: Request[Any, Any, Any], path: Path, *, content_type: str, filename: str, sha256: str, public: bool
) -> Response[Any]:
    try:
        size = path.stat().st_size
    except OSError as problem:
        # the store's disk not mounted, or the file gone: the administrator is told where, the reader why
        logger.error(
            "a stored file cannot be read at %s: %s (%s)", path, problem.strerror, errno.errorcode.get(problem.errno or 0, "unknown")
        )
        raise StoreUnreadable() from problem
    etag = f'"{sha256}"'
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Content-Disposition": _disposition(filename, content_type),
        # a public copy may be stored but is checked again on every use (its ETag makes that a 304), so a
        # document taken down is gone at once from every cache that honours the header
        "Cache-Control": "public, no-cache" if public else "private, no-store",
    }
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(b"", status_code=304, headers=headers)
    first, last, status = 0, size - 1, 200
    range_header = request.headers.get("range")
    if range_header and size and request.headers.get("if-range", etag) == etag:
        try:
            wanted = _parse_range(range_header, size)
        except ValueError:
            wanted = (0, size - 1)
        if wanted is None:
            return Response(b"", status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
        first, last = wanted
        if (first, last) != (0, size - 1):
            status = 206
            headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    headers["Content-Length"] = str(last - first + 1)
    media_type, charset = _split_charset(content_type)
    return Stream(_read(path, first, last), status_code=status, media_type=media_type, encoding=charset, headers=headers)


def _split_charset(content_type: str) -> tuple[str, str]:
    """A stored type ("text/csv; charset=utf-8") as its media type and charset: Litestar adds
    "; charset=..." to a text/ type itself, so given the whole type it would say the charset twice."""
    media_type, _, parameters = content_type.partition(";")
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"'):
            return media_type.strip(), value.strip().strip('"')
    return media_type.strip(), "utf-8"
