"""The staff list's search: a reference, or text anywhere in a title, in any case, on both engines,
whether the trigram index is read (rare text) or the table is (common text)."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.domain.lifecycle import OPEN_STATUSES
from app.services import requests as service
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
TITLES = [
    "Pothole repairs on Elm Road",
    "Spending on 100% renewable energy",
    "Road_works permits in 2025",
    "Roadxworks permits in 2024",
    "Library opening hours",
]


async def log_all(sessions: Any, staff: Staff) -> dict[str, str]:
    made = {}
    for title in TITLES:
        async with sessions.write.begin() as db:
            created = await service.create_request(
                db,
                service.NewRequest(
                    regime="foia",
                    title=title,
                    body="Please send the figures.",
                    received_on=date(2025, 10, 1),
                    requester=service.RequesterDetails(name="Rosa Requester", email="rosa@example.org"),
                ),
                staff.officer,
                LONDON,
            )
            made[title] = created.reference
    return made


async def found(sessions: Any, q: str) -> set[str]:
    async with sessions.read() as db:
        page = await service.list_requests(db, service.RequestFilters(q=q), today=date(2025, 10, 2), per_page=50)
    assert page.total == len(page.rows)
    return {row.title for row in page.rows}


@pytest.mark.parametrize("index_limit", [service.TITLE_MATCHES_LIMIT, 0], ids=["index", "scan"])
async def test_text_anywhere_in_the_title_in_any_case(
    sessions: Any, staff: Staff, index_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "TITLE_MATCHES_LIMIT", index_limit)
    made = await log_all(sessions, staff)
    assert await found(sessions, "ELM road") == {"Pothole repairs on Elm Road"}
    assert await found(sessions, "pair") == {"Pothole repairs on Elm Road"}  # inside a word
    assert await found(sessions, "100%") == {"Spending on 100% renewable energy"}  # % is a character, not a wildcard
    assert await found(sessions, "d_w") == {"Road_works permits in 2025"}  # so is _
    assert await found(sessions, "permits") == {"Road_works permits in 2025", "Roadxworks permits in 2024"}
    assert await found(sessions, "ho") == {"Pothole repairs on Elm Road", "Library opening hours"}  # shorter than a trigram
    assert await found(sessions, made["Library opening hours"].lower()) == {"Library opening hours"}  # a reference
    assert await found(sessions, "swimming") == set()

    # an edited title is found by its new words only
    async with sessions.write.begin() as db:
        await service.update_details(
            db, made["Library opening hours"], service.DetailsChanges(title="Swimming pool opening hours"), 1, staff.officer, LONDON
        )
    assert await found(sessions, "swimming") == {"Swimming pool opening hours"}
    assert await found(sessions, "library") == set()


async def test_a_requester_s_requests_by_any_part_of_their_name_or_e_mail(sessions: Any, staff: Staff) -> None:
    people = {
        "rosa": ("Rosa Requester", "rosa@example.org"),
        "tomasz": ("Tomasz Nowak", "t.nowak@post.example"),
    }
    made: dict[str, list[str]] = {"rosa": [], "tomasz": []}
    for who, count in (("rosa", 2), ("tomasz", 1)):
        for i in range(count):
            async with sessions.write.begin() as db:
                created = await service.create_request(
                    db,
                    service.NewRequest(
                        regime="foia",
                        title=f"Request {who} {i}",
                        body="Please send the figures.",
                        received_on=date(2025, 10, 1),
                        requester=service.RequesterDetails(name=people[who][0], email=people[who][1]),
                    ),
                    staff.officer,
                    LONDON,
                )
                made[who].append(created.reference)

    async def of(text: str) -> set[str]:
        async with sessions.read() as db:
            page = await service.list_requests(db, service.RequestFilters(requester=text), today=date(2025, 10, 2), per_page=50)
        return {row.reference for row in page.rows}

    assert await of("nowak") == set(made["tomasz"])
    assert await of("ROSA@EXAMPLE") == set(made["rosa"])
    assert await of("sz No") == set(made["tomasz"])  # across the space in the name
    assert await of("ro") == set(made["rosa"])  # shorter than a trigram: still found
    assert await of('o" OR "a') == set()  # quotes and operators are text
    assert await of("100%") == set()

    async with sessions.write.begin() as db:
        await service.update_details(
            db,
            made["tomasz"][0],
            service.DetailsChanges(requester=service.RequesterChanges(name="Tomasz Kowalski")),
            1,
            staff.officer,
            LONDON,
        )
    assert await of("kowalski") == set(made["tomasz"])
    assert await of("Tomasz Nowak") == set()


async def test_open_work_soonest_due_first_and_stopped_clocks_last(sessions: Any, staff: Staff) -> None:
    made = {}
    for title, received in (("Later", date(2025, 10, 1)), ("Waiting", date(2025, 9, 1)), ("Sooner", date(2025, 9, 15))):
        async with sessions.write.begin() as db:
            created = await service.create_request(
                db,
                service.NewRequest(
                    regime="foia",
                    title=title,
                    body="Please send the figures.",
                    received_on=received,
                    requester=service.RequesterDetails(name="Rosa Requester", email="rosa@example.org"),
                ),
                staff.officer,
                LONDON,
            )
            made[title] = created.reference
    async with sessions.write.begin() as db:
        await service.apply_action(
            db, made["Waiting"], action="request_clarification", params={}, actor=staff.officer, zone=LONDON, on=date(2025, 9, 2)
        )
    async with sessions.read() as db:
        page = await service.list_requests(
            db, service.RequestFilters(status=sorted(s.value for s in OPEN_STATUSES)), today=date(2025, 10, 2)
        )
    assert [row.title for row in page.rows] == ["Sooner", "Later", "Waiting"]
    assert page.rows[-1].due_on is None
