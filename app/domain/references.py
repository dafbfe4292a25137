"""Request references such as FOI-2026-00042: per regime and year, never reused. The prefix is
declared with each regime (`RegimeRules.reference_prefix`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.errors import InvalidInput
from app.domain.regimes import Regime

_PREFIX_TO_REGIME = {regime.reference_prefix: regime for regime in Regime}
# longest first, so that no prefix can shadow a longer one that starts with it
_PATTERN = re.compile(r"^(" + "|".join(sorted(map(re.escape, _PREFIX_TO_REGIME), key=len, reverse=True)) + r")-(\d{4})-(\d{5,})$")


@dataclass(frozen=True, slots=True)
class Reference:
    regime: Regime
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.regime.reference_prefix}-{self.year:04d}-{self.number:05d}"


def format_reference(regime: Regime, year: int, number: int) -> str:
    return str(Reference(regime, year, number))


def parse_reference(text: str) -> Reference:
    match = _PATTERN.match(text.strip().upper())
    if not match:
        raise InvalidInput("reference", f"'{text}' is not a reference like FOI-2026-00042")
    prefix, year, number = match.groups()
    return Reference(_PREFIX_TO_REGIME[prefix], int(year), int(number))
