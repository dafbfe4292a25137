"""References are per regime and year, sequential, and unique under concurrent creation."""

from __future__ import annotations

import asyncio
from datetime import date
from zoneinfo import ZoneInfo

import time_machine

from app.services import requests as service
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")


def _new(regime: str = "foia", received_on: date | None = None) -> service.NewRequest:
    return service.NewRequest(
        regime=regime,
        title="Waste collection complaints",
        body="How many complaints in 2024?",
        requester=service.RequesterDetails(name="Sam", email="sam@example.org"),
        received_on=received_on,
    )


@time_machine.travel("2026-03-02 10:00 +00:00", tick=False)
async def test_fifty_concurrent_creations_get_fifty_distinct_references(sessions, staff: Staff) -> None:
    async def create() -> str:
        async with sessions.write.begin() as db:
            return (await service.create_request(db, _new(), staff.officer, LONDON)).reference

    references = await asyncio.gather(*(create() for _ in range(50)))

    assert len(set(references)) == 50
    assert sorted(references) == [f"FOI-2026-{n:05d}" for n in range(1, 51)]


@time_machine.travel("2026-03-02 10:00 +00:00", tick=False)
async def test_numbers_run_per_regime_and_year_of_receipt(sessions, staff: Staff) -> None:
    made = []
    for regime, received in [
        ("foia", date(2025, 12, 31)),
        ("foia", date(2026, 1, 2)),
        ("eir", date(2026, 1, 5)),
        ("foia", date(2025, 11, 1)),
        ("foisa", date(2026, 2, 2)),
    ]:
        async with sessions.write.begin() as db:
            made.append((await service.create_request(db, _new(regime, received), staff.officer, LONDON)).reference)
    assert made == ["FOI-2025-00001", "FOI-2026-00001", "EIR-2026-00001", "FOI-2025-00002", "FOISA-2026-00001"]
