"""Looking up the exemptions and exceptions an authority may rely on.

The lists are declared with each regime (`app/domain/regimes/<regime>.py`): FOIA Part II (s.21 to
s.44), EIR regulations 12 and 13, FOISA Part 2 (s.25 to s.41), EISR regulations 10 and 11. Codes
are stable identifiers used in the API, imports and reports.
"""

from __future__ import annotations

from app.domain.errors import InvalidInput
from app.domain.regimes import Exemption, Regime

EXEMPTIONS: tuple[Exemption, ...] = tuple(exemption for regime in Regime for exemption in regime.rules.exemptions)

BY_CODE: dict[str, Exemption] = {exemption.code: exemption for exemption in EXEMPTIONS}
_BY_UPPER_CODE = {code.upper(): exemption for code, exemption in BY_CODE.items()}
_EXAMPLES = ", ".join(regime.rules.exemption_code_example for regime in Regime)


def get_exemption(code: str) -> Exemption:
    exemption = _BY_UPPER_CODE.get(code.strip().upper())
    if exemption is None:
        raise InvalidInput("exemptions", f"unknown exemption code '{code}' (use codes such as {_EXAMPLES})")
    return exemption


def exemptions_for(regime: Regime) -> list[Exemption]:
    return list(regime.rules.exemptions)


def normalise_exemption_codes(codes: list[str], regime: Regime) -> list[str]:
    """Validates codes against the request's regime; returns canonical codes, de-duplicated, in order."""
    seen: dict[str, None] = {}
    for code in codes:
        exemption = get_exemption(code)
        if exemption.regime is not regime:
            raise InvalidInput("exemptions", f"{exemption.code} belongs to {exemption.regime.label}, not {regime.label}")
        seen[exemption.code] = None
    return list(seen)


__all__ = ["BY_CODE", "EXEMPTIONS", "Exemption", "exemptions_for", "get_exemption", "normalise_exemption_codes"]
