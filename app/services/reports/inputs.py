"""The reports' filters as typed in a query string, checked once (the API and the pages call these;
the overdue report checks the filters it is given with the same functions)."""

from __future__ import annotations

from app.domain.errors import InvalidInput
from app.domain.regimes import Regime

MAX_LIMIT = 1000
DEFAULT_LIMIT = 50


def parse_limit(value: str | int | None, default: int = DEFAULT_LIMIT) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput("limit", f"must be a whole number from 1 to {MAX_LIMIT}") from None
    if not 1 <= number <= MAX_LIMIT:
        raise InvalidInput("limit", f"must be a whole number from 1 to {MAX_LIMIT}")
    return number


def parse_regime_filter(value: str | None) -> Regime | None:
    if not value:
        return None
    try:
        return Regime(value.strip().lower())
    except ValueError:
        raise InvalidInput("regime", "Select a law from the list") from None
