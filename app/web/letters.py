"""A notice sent by post, as the PDF letter that was printed (staff only)."""

from __future__ import annotations

import asyncio

from litestar import Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.domain.errors import NotFound
from app.domain.notices import Notice, NoticeKind
from app.models import Correspondence, FoiRequest, Requester
from app.services.clock import local_date
from app.services.correspondence import letterhead_of
from app.services.letters import letter_pdf


async def letter_response(session: AsyncSession, settings: Settings, reference: str, row: Correspondence) -> Response[bytes]:
    if row.direction != "out" or row.by != "post":
        raise NotFound(f"correspondence {row.id} on request {reference[:40]} is not a letter")
    request = await session.get_one(FoiRequest, row.request_id)
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
