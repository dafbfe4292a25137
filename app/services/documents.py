"""Documents on a request: upload (typed by content, stored once by hash), release flag, listing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import anyio
from sqlalchemy import event, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import SessionTransaction

from app.domain.errors import InvalidInput
from app.domain.history import EventKind
from app.domain.publication import PublicationState
from app.models import Document, DocumentText, FoiRequest, RequestEvent, User
from app.services import publication
from app.services.clock import today_in
from app.services.errors import Conflict, NotFound
from app.services.files.metadata import without_metadata
from app.services.files.names import safe_filename
from app.services.files.storage import ContentStore, StorageFailure, StoredFile
from app.services.files.text import extract_text
from app.services.files.types import RefusedType, sniff
from app.services.requests import void_batch_approval
from app.services.search import index_request

MAX_TITLE = 300
# a request whose public version is fixed (published, or waiting for its time): a document released
# now must have its own public version made at once
_PUBLIC_STATES = (PublicationState.PUBLISHED, PublicationState.SCHEDULED)


async def add_document(
    session: AsyncSession,
    store: ContentStore,
    reference: str,
    *,
    chunks: AsyncIterator[bytes],
    filename: str | None,
    title: str | None,
    for_release: bool,
    actor: User | None,
    zone: ZoneInfo,
) -> Document:
    """Stores the upload, checks its type from its content, extracts its text and records it.
    No actor: the file came in by itself (an e-mail's attachment).

    A refused file leaves nothing behind (unless identical bytes were already stored for another
    document); TooLarge, RefusedType and StorageFailure (the store full or unwritable) reach the caller.
    """
    request = await session.scalar(select(FoiRequest).where(FoiRequest.reference == reference.strip().upper()))
    if request is None:
        raise NotFound(f"no request {reference}")
    title = (title or "").strip() or (filename or "").strip() or "Document"
    if len(title) > MAX_TITLE:
        raise InvalidInput("title", f"at most {MAX_TITLE} characters")
    # pinned until the transaction ends: the retention policy may be deleting the same bytes (files/storage.py)
    stored = await store.save(chunks, pin=True)
    pinned = [stored]
    try:
        document = await _record(session, store, request, stored, pinned, filename, title, for_release, actor, zone)
    except BaseException:
        for held in pinned:
            store.release(held, committed=False)
        raise
    _release_when_done(session, store, pinned)
    return document


async def _record(
    session: AsyncSession,
    store: ContentStore,
    request: FoiRequest,
    stored: StoredFile,
    pinned: list[StoredFile],
    filename: str | None,
    title: str,
    for_release: bool,
    actor: User | None,
    zone: ZoneInfo,
) -> Document:
    already_stored = None
    try:
        already_stored = await session.scalar(select(func.count(Document.id)).where(Document.sha256 == stored.sha256))
        file_type = await anyio.to_thread.run_sync(sniff, stored.source, filename)
    except RefusedType:
        if not already_stored:
            stored.path.unlink(missing_ok=True)
        raise
    text = await anyio.to_thread.run_sync(extract_text, stored.source, file_type)
    public_copy = stored
    stripped = await anyio.to_thread.run_sync(without_metadata, stored.source, file_type.extension)
    if stripped is not None:
        try:
            public_copy = await store.save(_one_chunk(stripped), pin=True)
        except StorageFailure:
            # the original was kept but its public copy could not be: no file stays without its document
            if not already_stored:
                stored.path.unlink(missing_ok=True)
            raise
        pinned.append(public_copy)
    document = Document(
        request_id=request.id,
        title=title,
        filename=safe_filename(filename, file_type.extension),
        content_type=file_type.content_type,
        size=stored.size,
        sha256=stored.sha256,
        for_release=for_release,
        uploaded_by_id=actor.id if actor else None,
        public_sha256=public_copy.sha256,
        public_size=public_copy.size,
    )
    session.add(document)
    await session.flush()
    session.add(DocumentText(document_id=document.id, text=text))
    session.add(
        RequestEvent(
            request_id=request.id,
            action=EventKind.UPLOAD_DOCUMENT.value,
            from_status=request.status,
            to_status=request.status,
            occurred_on=today_in(zone),
            actor_id=actor.id if actor else None,
            details={"document_id": document.id, "title": title, "for_release": for_release, "size": stored.size, "type": file_type.label},
        )
    )
    if for_release:
        await void_batch_approval(session, request)
    if for_release and request.publication_state in _PUBLIC_STATES:
        await session.flush()
        try:
            await publication.release_late_document(session, request, document)
        except Conflict:
            # refused: the unit of work rolls the document back; its files go unless another holds them
            await _forget_unless_used(session, store, {stored.sha256, public_copy.sha256}, refused=document.id)
            raise
    await session.flush()
    return document


def _release_when_done(session: AsyncSession, store: ContentStore, pinned: list[StoredFile]) -> None:
    """The upload's pins end with its transaction: after the commit (its file put back under its
    digest if retention deleted it meanwhile), or after a rollback."""

    def committed(_: Any) -> None:
        for held in pinned:
            store.release(held, committed=True)

    def ended(_: Any, transaction: SessionTransaction) -> None:
        if transaction.parent is None:  # the outermost transaction, not a savepoint
            for held in pinned:
                store.release(held, committed=False)

    event.listen(session.sync_session, "after_commit", committed)
    event.listen(session.sync_session, "after_transaction_end", ended)


async def _forget_unless_used(session: AsyncSession, store: ContentStore, digests: set[str], *, refused: int) -> None:
    """Files of a refused upload, removed unless a document other than the refused one holds the same bytes."""
    for digest in digests:
        used = await session.scalar(
            select(func.count(Document.id)).where(Document.id != refused, or_(Document.sha256 == digest, Document.public_sha256 == digest))
        )
        if not used:
            store.path_for(digest).unlink(missing_ok=True)


async def _one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def set_for_release(
    session: AsyncSession, reference: str, document_id: int, for_release: bool, *, actor: User, zone: ZoneInfo
) -> Document:
    document, request = await _document_of(session, reference, document_id)
    if document.for_release != for_release:
        document.for_release = for_release
        session.add(
            RequestEvent(
                request_id=request.id,
                action=EventKind.MARK_DOCUMENT.value,
                from_status=request.status,
                to_status=request.status,
                occurred_on=today_in(zone),
                actor_id=actor.id,
                details={"document_id": document.id, "title": document.title, "for_release": for_release},
            )
        )
        await void_batch_approval(session, request)
        if request.publication_state in _PUBLIC_STATES:
            await session.flush()
            if for_release:
                await publication.release_late_document(session, request, document)
            else:
                await index_request(session, request.id)
        await session.flush()
    return document


async def list_documents(session: AsyncSession, request_id: int) -> list[Document]:
    return list(await session.scalars(select(Document).where(Document.request_id == request_id).order_by(Document.id)))


async def get_document(session: AsyncSession, reference: str, document_id: int) -> Document:
    document, _ = await _document_of(session, reference, document_id)
    return document


async def _document_of(session: AsyncSession, reference: str, document_id: int) -> tuple[Document, FoiRequest]:
    row = (
        await session.execute(
            select(Document, FoiRequest)
            .join(FoiRequest, FoiRequest.id == Document.request_id)
            .where(Document.id == document_id, FoiRequest.reference == reference.strip().upper())
        )
    ).first()
    if row is None:
        raise NotFound("no such document on this request")
    return row[0], row[1]
