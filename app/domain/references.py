"""Request references such as FOI-2026-00042: per regime and year, never reused."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.errors import InvalidInput
from app.domain.regimes import Regime

_PREFIX_TO_REGIME = {"FOI": Regime.FOIA, "EIR": Regime.EIR, "FOISA": Regime.FOISA}
_REGIME_TO_PREFIX = {regime: prefix for prefix, regime in _PREFIX_TO_REGIME.items()}
_PATTERN = re.compile(r"^(FOI|EIR|FOISA)-(\d{4})-(\d{5,})$")


@dataclass(frozen=True, slots=True)
class Reference:
    regime: Regime
    year: int
    number: int

    def __str__(self) -> str:
        return f"{_REGIME_TO_PREFIX[self.regime]}-{self.year:04d}-{self.number:05d}"


def format_reference(regime: Regime, year: int, number: int) -> str:
    return str(Reference(regime, year, number))


def parse_reference(text: str) -> Reference:
    match = _PATTERN.match(text.strip().upper())
    if not match:
        raise InvalidInput("reference", f"'{text}' is not a reference like FOI-2026-00042")
    prefix, year, number = match.groups()
    return Reference(_PREFIX_TO_REGIME[prefix], int(year), int(number))
