"""A notice sent by post, as the PDF letter that was printed (staff only)."""

from __future__ import annotations

import asyncio
from datetime import date

from litestar import Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.domain.errors import Gone, NotFound
from app.domain.notices import Notice, NoticeKind
from app.models import Correspondence, FoiRequest, Requester
from app.services.clock import local_date
from app.services.correspondence import letterhead_of
from app.services.letters import letter_pdf


async def letter_response(session: AsyncSession, settings: Settings, reference: str, row: Correspondence) -> Response[bytes]:
    if row.direction != "out" or row.by != "post":
        raise NotFound(f"correspondence {row.id} on request {reference[:40]} is not a letter")
    request = await session.get_one(FoiRequest, row.request_id)
    if request.anonymised_at is not None:
        # its address and text went with the requester's data: a letter printed now would be a new
        # document passed off as the one sent, not the record of it
        raise Gone(letter_gone(request.reference, local_date(request.anonymised_at, settings.zone)))
    requester = await session.get_one(Requester, request.requester_id)
    notice = Notice(kind=NoticeKind(row.kind), subject=row.subject, body=row.body)
    pdf = await asyncio.to_thread(
        letter_pdf, notice, letterhead_of(settings), requester.name, row.address, local_date(row.at, settings.zone)
    )
    return Response(
        pdf,
        media_type="application/pdf",
        # the reference and the kind of notice only: never the requester's name in a header
        headers={
            "Content-Disposition": f'inline; filename="{request.reference}-{row.kind}-{row.id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


def letter_gone(reference: str, on: date) -> str:
    return (
        f"The letter is no longer kept: the requester's details on {reference} were removed under the retention policy on "
        f"{on.day} {on:%B %Y}, and the letter's address and text with them. What was sent, how and when is still recorded on the request."
    )
