"""The access-to-information regimes: their names (`Regime`) and each one's declared rules
(`Regime.X.rules`, one module per regime in this package)."""

from collections.abc import Iterable

from app.domain.regimes.regime import SELECT_REGIME, Regime
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


def names_in_words(regimes: Iterable[Regime]) -> str:
    """ "FOIA, EIR and FOISA"."""
    names = [regime.short_name for regime in regimes]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def calendars_in_words() -> str:
    """ "UK-wide bank holidays for FOIA and EIR, Scottish ones for FOISA and EISR"."""
    where = {CalendarName.UK: "UK-wide bank holidays", CalendarName.SCOTLAND: "Scottish ones"}
    parts = []
    for calendar, words in where.items():
        regimes = [regime for regime in Regime if regime.rules.calendar is calendar]
        if regimes:
            parts.append(f"{words} for {names_in_words(regimes)}")
    return ", ".join(parts)


__all__ = [
    "SELECT_REGIME",
    "CalendarName",
    "Exemption",
    "Extension",
    "ExtensionKind",
    "FeeLapse",
    "PostalReceipt",
    "Regime",
    "RegimeRules",
    "all_rules",
    "calendars_in_words",
    "names_in_words",
]
