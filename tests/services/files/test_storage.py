from __future__ import annotations

import hashlib
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.services.files.storage import ContentStore, InvalidDigest, StoreFull, StoreUnwritable, TooLarge
from tests.web.test_storage_failures import tmpfs


async def chunks_of(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


async def test_stores_under_its_digest_with_head_and_size(tmp_path: Path) -> None:
    store = ContentStore(tmp_path)
    data = b"%PDF-1.7 " + bytes(range(256)) * 100

    stored = await store.save(chunks_of(data))

    digest = hashlib.sha256(data).hexdigest()
    assert stored.sha256 == digest
    assert stored.size == len(data)
    assert stored.path == tmp_path / digest[:2] / digest[2:4] / digest
    assert stored.path.read_bytes() == data
    assert stored.head == data[: 8 * 1024]
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o640
    assert store.exists(digest)
    assert files_under(tmp_path) == [stored.path]


async def test_the_same_bytes_are_stored_once(tmp_path: Path) -> None:
    store = ContentStore(tmp_path)

    first = await store.save(chunks_of(b"the same letter", size=4))
    second = await store.save(chunks_of(b"the same letter", size=7))

    assert first == second
    assert files_under(tmp_path) == [first.path]


async def test_different_bytes_are_stored_apart(tmp_path: Path) -> None:
    store = ContentStore(tmp_path)

    first = await store.save(chunks_of(b"one letter"))
    second = await store.save(chunks_of(b"another letter"))

    assert first.sha256 != second.sha256
    assert sorted(files_under(tmp_path)) == sorted([first.path, second.path])


async def test_a_file_at_the_limit_is_accepted(tmp_path: Path) -> None:
    stored = await ContentStore(tmp_path, max_bytes=100).save(chunks_of(b"x" * 100, size=30))

    assert stored.size == 100


async def test_too_large_stops_early_and_leaves_nothing(tmp_path: Path) -> None:
    store = ContentStore(tmp_path, max_bytes=2 * 1024 * 1024)
    chunks_read = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal chunks_read
        while True:
            chunks_read += 1
            yield b"x" * 64 * 1024

    with pytest.raises(TooLarge) as refusal:
        await store.save(endless())

    assert refusal.value.limit == 2 * 1024 * 1024
    assert str(refusal.value) == "the file is larger than the 2 MB limit"
    assert chunks_read == 33  # the first chunk past the limit, and no more
    assert files_under(tmp_path) == []


def test_limit_message_in_megabytes() -> None:
    assert str(TooLarge(50 * 1024 * 1024)) == "the file is larger than the 50 MB limit"


async def test_a_failed_upload_leaves_nothing(tmp_path: Path) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"partial"
        raise ConnectionResetError

    with pytest.raises(ConnectionResetError):
        await ContentStore(tmp_path).save(broken())

    assert files_under(tmp_path) == []


@pytest.mark.parametrize(
    "digest",
    [
        "../etc/passwd",
        "../../" + "a" * 58,
        "A" * 64,
        "g" * 64,
        "a" * 63,
        "a" * 65,
        "",
        "a" * 64 + "\n",
    ],
)
def test_path_for_accepts_only_a_lowercase_hex_digest(tmp_path: Path, digest: str) -> None:
    store = ContentStore(tmp_path)

    with pytest.raises(InvalidDigest):
        store.path_for(digest)
    with pytest.raises(InvalidDigest):
        store.exists(digest)


def test_path_for_a_digest(tmp_path: Path) -> None:
    digest = hashlib.sha256(b"").hexdigest()

    assert ContentStore(tmp_path).path_for(digest) == tmp_path / "e3" / "b0" / digest
    assert not ContentStore(tmp_path).exists(digest)


async def test_a_full_store_raises_store_full_and_keeps_no_part_of_the_file(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "store", free=16 * 1024) as root:
        store = ContentStore(root)
        with pytest.raises(StoreFull) as full:
            await store.save(chunks_of(b"x" * 100_000, size=8192))
        assert full.value.status_code == 507 and "the document store is full" in str(full.value)
        assert [p.name for p in files_under(root)] == ["filler"]  # the temporary file went too
        assert (await store.save(chunks_of(b"small enough"))).size == 12  # what fits is still kept


async def test_a_store_that_cannot_be_created_raises_store_unwritable(tmp_path: Path) -> None:
    (tmp_path / "not-a-directory").write_text("a file where the store should be")
    store = ContentStore(tmp_path / "not-a-directory" / "files")
    with pytest.raises(StoreUnwritable) as unwritable:
        await store.save(chunks_of(b"data"))
    assert unwritable.value.status_code == 503 and "cannot be written to" in str(unwritable.value)
