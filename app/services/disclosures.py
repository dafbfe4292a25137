"""The public read side of the disclosure log: published requests and their released documents.

Queries here select public columns only and never touch the requesters table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.publication import PublicationState
from app.models import Department, Document, FoiRequest, RequestExemption
from app.services.errors import NotFound

PUBLIC_STATES = (PublicationState.PUBLISHED.value, PublicationState.WITHDRAWN.value)


# Only the public version of a document: its title and file name as fixed at publication, and the
# copy of the file without its metadata.
_PUBLIC_DOCUMENT_COLUMNS = (
    Document.id,
    func.coalesce(Document.public_title, "Document"),
    func.coalesce(Document.public_filename, "document"),
    Document.content_type,
    func.coalesce(Document.public_size, Document.size),
    func.coalesce(Document.public_sha256, Document.sha256),
)


@dataclass
class PublicDocument:
    id: int
    title: str
    filename: str
    content_type: str
    size: int
    sha256: str


@dataclass
class Disclosure:
    id: int
    reference: str
    regime: str
    state: str  # published | withdrawn
    title: str | None
    summary: str | None
    body: str | None
    response: str | None
    outcome: str | None
    department: str | None
    received_on: date | None
    responded_on: date | None
    published_at: datetime | None
    withdrawn_at: datetime | None
    exemptions: list[str]
    documents: list[PublicDocument]


async def get_disclosure(session: AsyncSession, reference: str) -> Disclosure:
    row = (
        await session.execute(
            select(
                FoiRequest.id,
                FoiRequest.reference,
                FoiRequest.regime,
                FoiRequest.publication_state,
                FoiRequest.public_title,
                FoiRequest.public_summary,
                FoiRequest.public_body,
                FoiRequest.public_response,
                FoiRequest.outcome,
                Department.name,
                FoiRequest.received_on,
                FoiRequest.responded_on,
                FoiRequest.published_at,
                FoiRequest.withdrawn_at,
            )
            .outerjoin(Department, Department.id == FoiRequest.department_id)
            .where(FoiRequest.reference == reference.strip().upper(), FoiRequest.publication_state.in_(PUBLIC_STATES))
        )
    ).first()
    if row is None:
        raise NotFound(f"no published request {reference}")
    (
        request_id,
        ref,
        regime,
        state,
        title,
        summary,
        body,
        response,
        outcome,
        department,
        received_on,
        responded_on,
        published_at,
        withdrawn_at,
    ) = row
    if state == PublicationState.WITHDRAWN:
        # a takedown leaves only the notice that it happened
        return Disclosure(request_id, ref, regime, state, None, None, None, None, None, None, None, None, None, withdrawn_at, [], [])
    exemptions = list(
        await session.scalars(
            select(RequestExemption.code).where(RequestExemption.request_id == request_id).order_by(RequestExemption.code)
        )
    )
    documents = [
        PublicDocument(*d)
        for d in await session.execute(
            select(*_PUBLIC_DOCUMENT_COLUMNS).where(Document.request_id == request_id, Document.for_release.is_(True)).order_by(Document.id)
        )
    ]
    return Disclosure(
        request_id,
        ref,
        regime,
        state,
        title,
        summary,
        body,
        response,
        outcome,
        department,
        received_on,
        responded_on,
        published_at,
        None,
        exemptions,
        documents,
    )


async def get_public_document(session: AsyncSession, reference: str, document_id: int) -> PublicDocument:
    """A released document of a published request, or NotFound (internal papers never leave)."""
    row = (
        await session.execute(
            select(*_PUBLIC_DOCUMENT_COLUMNS)
            .join(FoiRequest, FoiRequest.id == Document.request_id)
            .where(
                Document.id == document_id,
                Document.for_release.is_(True),
                FoiRequest.reference == reference.strip().upper(),
                FoiRequest.publication_state == PublicationState.PUBLISHED.value,
            )
        )
    ).first()
    if row is None:
        raise NotFound("no such document")
    return PublicDocument(*row)
