"""The authority's notice texts: the newest saved version of each notice under each regime, or the
shipped text (app/domain/notices) where none was saved or the last save was a reset."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.notices import NoticeKind, NoticeText, shipped_text
from app.domain.regimes import Regime
from app.models import NoticeTemplate


async def current_text(session: AsyncSession, kind: NoticeKind, regime: Regime) -> tuple[NoticeText, int | None]:
    """The text a notice is drafted from now, and the saved version's id (None: the shipped text)."""
    row = await session.scalar(
        select(NoticeTemplate)
        .where(NoticeTemplate.kind == kind.value, NoticeTemplate.regime == regime.value)
        .order_by(NoticeTemplate.version.desc())
        .limit(1)
    )
    if row is None or row.is_shipped:
        return shipped_text(kind, regime), row.id if row else None
    return NoticeText(subject=row.subject, body=row.body), row.id
