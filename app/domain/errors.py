"""Errors the domain raises; the web layer maps them to HTTP answers."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the product was broken by the input."""


class InvalidInput(DomainError):
    """Input that is malformed or out of range; names the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Conflict(DomainError):
    """The change clashes with the current state or a rule of the lifecycle: a stale version, a
    duplicate, a step taken too early, an approval by the person who asked for it (409)."""


class Forbidden(DomainError):
    """The caller's role does not allow this (403)."""


class IllegalTransition(DomainError):
    """An action that the current state of a request does not allow."""

    def __init__(self, action: str, status: str, allowed: list[str], reason: str | None = None) -> None:
        allowed_text = ", ".join(allowed) if allowed else "none"
        why = f" ({reason})" if reason else ""
        super().__init__(f"action '{action}' is not allowed while the request is '{status}'{why}; allowed now: {allowed_text}")
        self.reason = reason
        self.action = action
        self.status = status
        self.allowed = allowed
