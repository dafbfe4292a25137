"""Errors of the use cases, beyond the domain's own (mapped to HTTP answers by the web layer)."""

from __future__ import annotations

# Conflict and Forbidden are the domain's: lifecycle rules (who approves, when a request may lapse) raise them too
from app.domain.errors import Conflict, DomainError, Forbidden

__all__ = ["Conflict", "Forbidden", "NotFound"]


class NotFound(DomainError):
    """The thing named does not exist (or is not visible to this caller)."""
