from __future__ import annotations

from advanced_alchemy.extensions.litestar.store import StoreModelMixin


class StoreItem(StoreModelMixin):
    """Server-side sessions and rate-limit counters (Litestar stores kept in the database)."""

    __tablename__ = "store_items"
