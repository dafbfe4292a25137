"""The content store under real concurrency: the retention policy deleting a file that no document holds
any more while an officer uploads the very same bytes, each in a thread of its own with its own event
loop and its own connections to a real database, started together. Whatever the interleaving, a
document that is committed has its file."""

from __future__ import annotations

import asyncio
import random
import secrets
import threading
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

import pytest
from sqlalchemy import delete, select

from app.config import Settings
from app.db import create_engine, create_sessionmakers
from app.models import Document, FoiRequest
from app.services import documents as document_service
from app.services import requests as requests_service
from app.services.files.storage import ContentStore
from app.services.files.types import RefusedType
from app.services.retention import _forget_files
from app.services.unit_of_work import unit_of_work
from tests.services.test_retention import LONDON, _bytes

ROUNDS = 40


def _in_thread(work: Callable[[], Coroutine[Any, Any, None]]) -> tuple[threading.Thread, list[BaseException]]:
    """`work` run in a thread of its own, on an event loop of its own; what it raised is kept."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(work())
        except BaseException as problem:
            failures.append(problem)

    return threading.Thread(target=run), failures


async def _forget(settings: Settings, store: ContentStore, digest: str, start: threading.Barrier, wait: float) -> None:
    """What the retention policy does with a file no document holds any more, with its own connections."""
    engine = create_engine(settings.database_url)
    try:
        _, write = create_sessionmakers(engine)
        start.wait()
        await asyncio.sleep(wait)
        await _forget_files(write, store, {digest})
    finally:
        await engine.dispose()


async def _upload(settings: Settings, store: ContentStore, reference: str, data: bytes, officer: Any, start: threading.Barrier) -> None:
    """An officer's upload of `data` on `reference`, committed, with its own connections."""
    engine = create_engine(settings.database_url)
    try:
        _, write = create_sessionmakers(engine)
        start.wait()
        async with unit_of_work(write, zone=LONDON, actor=officer) as uow:
            await document_service.add_document(
                uow.session, store, reference, chunks=_bytes(data), filename="paper.txt", title="Paper again",
                for_release=False, actor=officer, zone=LONDON,
            )  # fmt: skip
    finally:
        await engine.dispose()


async def test_an_upload_of_the_bytes_retention_is_deleting_keeps_its_file(settings: Settings, sessions: Any, staff: Any) -> None:
    store = ContentStore(settings.storage_dir, settings.max_upload_bytes)
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        created = await requests_service.create_request(
            uow.session,
            requests_service.NewRequest(
                regime="foia",
                title="Gritting routes",
                body="Please send the gritting routes.",
                requester=requests_service.RequesterDetails(name="Rhys Requester", email="rhys@example.net"),
            ),
            staff.officer,
            LONDON,
        )
        reference = created.reference

    lost: list[int] = []
    failed: list[str] = []
    for round_ in range(ROUNDS):
        data = f"Working paper {round_} {secrets.token_hex(16)}\n".encode()
        # a document that held these bytes is gone (retention deleted its row, committed): its file is due to go
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            old = await document_service.add_document(
                uow.session, store, reference, chunks=_bytes(data), filename="paper.txt", title="Paper", for_release=False,
                actor=staff.officer, zone=LONDON,
            )  # fmt: skip
            digest = old.sha256
        async with sessions.write.begin() as db:
            await db.execute(delete(Document).where(Document.sha256 == digest))
        assert store.exists(digest)

        start = threading.Barrier(2)
        wait = random.uniform(0, 0.02)
        runs = [
            _in_thread(partial(_forget, settings, store, digest, start, wait)),
            _in_thread(partial(_upload, settings, store, reference, data, staff.officer, start)),
        ]
        for thread, _ in runs:
            thread.start()
        for thread, _ in runs:
            thread.join(timeout=60)
            assert not thread.is_alive()
        if any(failures for _, failures in runs):
            failed.append(f"{round_}: {[repr(f) for _, failures in runs for f in failures]}")
            continue
        async with sessions.read() as db:
            held = await db.scalar(select(Document.id).join(FoiRequest).where(FoiRequest.reference == reference, Document.sha256 == digest))
        assert held is not None  # the upload committed
        if not store.exists(digest):
            lost.append(round_)
    assert failed == [], f"{len(failed)} of {ROUNDS} uploads failed: {failed[:3]}"
    assert lost == [], f"{len(lost)} of {ROUNDS} uploads committed without their file (rounds {lost})"
    # and nothing was left behind in the store's temporary directory
    assert sorted(p.name for p in (store.root / "tmp").iterdir()) == []


async def test_an_upload_refused_or_rolled_back_leaves_no_pin_and_no_file(settings: Settings, sessions: Any, staff: Any) -> None:
    store = ContentStore(settings.storage_dir, settings.max_upload_bytes)
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        reference = (
            await requests_service.create_request(
                uow.session,
                requests_service.NewRequest(
                    regime="foia",
                    title="Gritting routes",
                    body="Please send the gritting routes.",
                    requester=requests_service.RequesterDetails(name="Rhys Requester", email="rhys@example.net"),
                ),
                staff.officer,
                LONDON,
            )
        ).reference

    def kept() -> list[str]:
        return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())

    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        with pytest.raises(RefusedType):  # an executable is refused, and the rest of the unit goes on
            await document_service.add_document(
                uow.session, store, reference, chunks=_bytes(b"MZ\x90\x00" + b"\0" * 64), filename="tool.exe", title="Tool",
                for_release=False, actor=staff.officer, zone=LONDON,
            )  # fmt: skip
        assert kept() == []
    with pytest.raises(RuntimeError):
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            await document_service.add_document(
                uow.session, store, reference, chunks=_bytes(b"A working paper\n"), filename="paper.txt", title="Paper",
                for_release=False, actor=staff.officer, zone=LONDON,
            )  # fmt: skip
            assert [name.split("/")[0] for name in kept()].count("tmp") == 1  # pinned while the unit runs
            raise RuntimeError("the use case fails after the upload")
    assert not [name for name in kept() if name.startswith("tmp/")]  # the pin went with the rollback
