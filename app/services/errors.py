"""The errors use cases raise, from the one hierarchy in `app/domain/errors.py` (each names its HTTP status)."""

from __future__ import annotations

from app.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

__all__ = ["Conflict", "DomainError", "Forbidden", "InvalidInput", "NotFound"]
