"""Hands out the next reference number per regime and year, atomically, on both engines."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.references import format_reference
from app.domain.regimes import Regime
from app.models import ReferenceCounter


async def allocate_reference(session: AsyncSession, regime: Regime, year: int) -> str:
    # One upsert: the row lock (PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE) makes two
    # concurrent callers get different numbers, and a rolled-back number is simply never reused.
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(ReferenceCounter)
        .values(regime=regime.value, year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=[ReferenceCounter.regime, ReferenceCounter.year],
            set_={"last_number": ReferenceCounter.last_number + 1},
        )
        .returning(ReferenceCounter.last_number)
    )
    number = (await session.execute(statement)).scalar_one()
    return format_reference(regime, year, number)
