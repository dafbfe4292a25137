"""Every regime's declaration, by name. Adding a regime: its `Regime` member, its module, and a
line here (ARCHITECTURE.md, "Add a regime")."""

from __future__ import annotations

from app.domain.regimes import eir, eisr, foia, foisa
from app.domain.regimes.regime import Regime
from app.domain.regimes.rules import RegimeRules

RULES: dict[Regime, RegimeRules] = {rules.regime: rules for rules in (foia.RULES, eir.RULES, foisa.RULES, eisr.RULES)}

_missing = set(Regime) - set(RULES)
if _missing:  # a member without a declaration would fail at the first request under it; fail at import
    raise RuntimeError(f"no rules declared for {', '.join(sorted(_missing))}")
_prefixes = [rules.reference_prefix for rules in RULES.values()]
if len(set(_prefixes)) != len(_prefixes):
    raise RuntimeError("two regimes share a reference prefix")
