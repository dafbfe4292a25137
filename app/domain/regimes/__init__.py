"""The access-to-information regimes: their names (`Regime`) and each one's declared rules
(`Regime.X.rules`, one module per regime in this package)."""

from app.domain.regimes.regime import Regime
from app.domain.regimes.rules import (
    CalendarName,
    Exemption,
    Extension,
    ExtensionKind,
    FeeLapse,
    PostalReceipt,
    RegimeRules,
)


def all_rules() -> tuple[RegimeRules, ...]:
    return tuple(regime.rules for regime in Regime)


__all__ = [
    "CalendarName",
    "Exemption",
    "Extension",
    "ExtensionKind",
    "FeeLapse",
    "PostalReceipt",
    "Regime",
    "RegimeRules",
    "all_rules",
]
