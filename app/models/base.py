"""Declarative bases shared by every table (one metadata, so one migration history)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from advanced_alchemy.base import DefaultBase, orm_registry
from advanced_alchemy.base import IdentityBase as BigIntBase  # BIGINT GENERATED AS IDENTITY; INTEGER PRIMARY KEY on SQLite
from sqlalchemy import CursorResult, Result, Table

metadata = orm_registry.metadata


def table(model: type[Any]) -> Table:
    """A model's table, typed as one, for Core statements (bulk inserts, rollups) on the tuned paths."""
    return cast(Table, model.__table__)


def affected_rows(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (guarded state changes read it to detect races)."""
    return cast(CursorResult[Any], result).rowcount


def utcnow() -> datetime:
    return datetime.now(UTC)


# DefaultBase: same registry, no surrogate key (for tables keyed by natural columns)
__all__ = ["BigIntBase", "DefaultBase", "affected_rows", "metadata", "table", "utcnow"]
