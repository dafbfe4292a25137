from __future__ import annotations

import pytest

from app.domain.errors import InvalidInput
from app.domain.references import Reference, format_reference, parse_reference
from app.domain.regimes import Regime


def test_format_and_parse_round_trip() -> None:
    assert format_reference(Regime.FOIA, 2026, 42) == "FOI-2026-00042"
    assert format_reference(Regime.EIR, 2025, 7) == "EIR-2025-00007"
    assert format_reference(Regime.FOISA, 2026, 123456) == "FOISA-2026-123456"
    assert parse_reference(" foi-2026-00042 ") == Reference(Regime.FOIA, 2026, 42)
    assert parse_reference("FOISA-2026-00001").regime is Regime.FOISA


@pytest.mark.parametrize("text", ["FOI-26-1", "GDPR-2026-00001", "FOI202600001", ""])
def test_bad_references_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_reference(text)
