"""The three access-to-information regimes a UK authority answers under."""

from __future__ import annotations

from enum import StrEnum


class Regime(StrEnum):
    FOIA = "foia"
    EIR = "eir"
    FOISA = "foisa"

    @property
    def reference_prefix(self) -> str:
        return self.value.upper()

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Regime.FOIA: "Freedom of Information Act 2000",
    Regime.EIR: "Environmental Information Regulations 2004",
    Regime.FOISA: "Freedom of Information (Scotland) Act 2002",
}
