"""Errors of the use cases, beyond the domain's own (mapped to HTTP answers by the web layer)."""

from __future__ import annotations

from app.domain.errors import DomainError


class NotFound(DomainError):
    """The thing named does not exist (or is not visible to this caller)."""


class Conflict(DomainError):
    """The change clashes with the current state: a stale version, a duplicate."""


class Forbidden(DomainError):
    """The caller's role does not allow this."""
