"""The access-to-information regimes a UK authority answers under, by name.

Each member's rules (time limits, extensions, fees, calendar, exemptions, wording) are declared
once, in its own module of this package (`foia.py`, `eir.py`, `foisa.py`, `eisr.py`); the
enum only names them, so that requests, the API and imports can store and compare a regime.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain.regimes.rules import RegimeRules


# what a form, the API or the calculator says when the law is missing or not one of these (the field "Law")
SELECT_REGIME = "Select the law the request was made under"


class Regime(StrEnum):
    FOIA = "foia"
    EIR = "eir"
    FOISA = "foisa"
    EISR = "eisr"

    @property
    def rules(self) -> RegimeRules:
        # read on every due date worked out: a dict look-up once the declarations are loaded
        try:
            return _RULES[self]
        except KeyError:
            from app.domain.regimes.registry import RULES  # the declarations import this module

            _RULES.update(RULES)
            return _RULES[self]

    @property
    def label(self) -> str:
        """The law's title: "Freedom of Information Act 2000"."""
        return self.rules.title

    @property
    def short_name(self) -> str:
        """How the law is cited: "FOIA", "EISR"."""
        return self.rules.short_name

    @property
    def reference_prefix(self) -> str:
        """The first part of a request reference: FOI-2026-00042, EISR-2026-00007."""
        return self.rules.reference_prefix


_RULES: dict[Regime, RegimeRules] = {}
