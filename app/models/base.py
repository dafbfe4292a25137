"""Declarative bases shared by every table (one metadata, so one migration history)."""

from __future__ import annotations

from datetime import UTC, datetime

from advanced_alchemy.base import DefaultBase, orm_registry
from advanced_alchemy.base import IdentityBase as BigIntBase  # BIGINT GENERATED AS IDENTITY; INTEGER PRIMARY KEY on SQLite

metadata = orm_registry.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


# DefaultBase: same registry, no surrogate key (for tables keyed by natural columns)
__all__ = ["BigIntBase", "DefaultBase", "metadata", "utcnow"]
