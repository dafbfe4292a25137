"""The disclosure log's search (app/services/search.py) on both engines: what a member of the public
gets back, page after page, whatever the engine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from app.models import Department, FoiRequest, Requester
from app.services import search
from app.services.search import DisclosureFilters, index_request, search_disclosures

LONDON = ZoneInfo("Europe/London")
START = datetime(2025, 1, 1, 12, tzinfo=UTC)


async def publish_all(sessions, releases: list[tuple[str, str, str]]) -> None:
    """(title, body, department slug) for each, published one day apart in this order."""
    async with sessions.write() as db:
        connection = await db.connection()
        await connection.execute(insert(Department.__table__), [{"slug": slug, "name": slug.title()} for slug in ("roads", "housing")])
        await connection.execute(insert(Requester.__table__), [{"name": "A Requester", "email": "a@example.org", "created_at": START}])
        for number, (title, body, department) in enumerate(releases, start=1):
            published = START + timedelta(days=number)
            await connection.execute(
                insert(FoiRequest.__table__),
                {
                    "id": number,
                    "reference": f"FOI-T-{number:04d}",
                    "regime": "foia",
                    "title": title,
                    "body": body,
                    "received_at": published - timedelta(days=20),
                    "received_on": (published - timedelta(days=20)).date(),
                    "channel": "email",
                    "department_id": 1 if department == "roads" else 2,
                    "requester_id": 1,
                    "status": "responded",
                    "outcome": "granted_in_full",
                    "responded_on": (published - timedelta(days=2)).date(),
                    "deadline_stage": "initial",
                    "working_days_limit": 20,
                    "clock_stopped": False,
                    "clock_state": "closed",
                    "deadline_flags": "",
                    "calendar_version": "",
                    "version": 1,
                    "created_at": published,
                    "updated_at": published,
                    "publication_state": "published",
                    "published_at": published,
                    "public_title": title,
                    "public_body": body,
                    "public_response": "Attached.",
                    "extension_late": False,
                },
            )
            await index_request(db, number)
        await db.commit()


async def every_page(sessions, filters: DisclosureFilters, per_page: int) -> tuple[list[list[str]], int]:
    pages, total, number = [], 0, 1
    while True:
        filters.page = number
        async with sessions.read() as db:
            found = await search_disclosures(db, filters, LONDON, per_page=per_page)
        total = found.total
        if number > found.pages:
            assert found.hits == [] or filters.sort == "newest"
            return pages, total
        pages.append([hit.title for hit in found.hits])
        number += 1


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
async def test_every_counted_match_is_on_exactly_one_page_in_any_order(sessions, monkeypatch, sort: str) -> None:
    # small caps stand in for the real ones (500 ranked, 1,000 counted)
    monkeypatch.setattr(search, "RELEVANCE_CANDIDATES", 3)
    monkeypatch.setattr(search, "COUNT_CAP", 8)
    await publish_all(sessions, [(f"Parking permits {n}", "Parking permits issued." if n % 2 else "Permits.", "roads") for n in range(7)])

    pages, total = await every_page(sessions, DisclosureFilters(q="permits", sort=sort), per_page=2)

    assert total == 7
    shown = [title for page in pages for title in page]
    assert sorted(shown) == sorted(f"Parking permits {n}" for n in range(7))  # none missing, none twice
    assert all(len(page) == 2 for page in pages[:-1])
    if sort == "newest":
        assert shown == [f"Parking permits {n}" for n in reversed(range(7))]
    if sort == "oldest":
        assert shown == [f"Parking permits {n}" for n in range(7)]


async def test_beyond_the_count_cap_pages_still_list_the_newest_first(sessions, monkeypatch) -> None:
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    await publish_all(sessions, [(f"Bins {n}", "Bin collections.", "roads") for n in range(6)])

    async with sessions.read() as db:
        first = await search_disclosures(db, DisclosureFilters(q="bins", sort="newest"), LONDON, per_page=2)
        third = await search_disclosures(db, DisclosureFilters(q="bins", sort="newest", page=3), LONDON, per_page=2)
        oldest = await search_disclosures(db, DisclosureFilters(q="bins", sort="oldest"), LONDON, per_page=2)

    assert (first.total, first.total_is_capped) == (3, True)
    assert [hit.title for hit in first.hits] == ["Bins 5", "Bins 4"]
    assert [hit.title for hit in third.hits] == ["Bins 1", "Bins 0"]
    assert [hit.title for hit in oldest.hits] == ["Bins 0", "Bins 1"]


async def test_a_phrase_in_the_title_comes_first_in_best_match_order(sessions) -> None:
    await publish_all(
        sessions,
        [
            ("Street lighting faults", "Which road works were delayed?", "roads"),
            ("Road works on the high street", "Which were delayed?", "roads"),
            ("Pothole repairs", "Are road works planned?", "roads"),
        ],
    )
    async with sessions.read() as db:
        found = await search_disclosures(db, DisclosureFilters(q='"road works"'), LONDON)

    assert found.hits[0].title == "Road works on the high street"
    assert sorted(hit.title for hit in found.hits) == ["Pothole repairs", "Road works on the high street", "Street lighting faults"]


async def test_a_word_in_nearly_every_release_is_found_in_titles_first(sessions, monkeypatch) -> None:
    monkeypatch.setattr(search, "CROWDED_SAMPLE", 2)  # 2 of the newest 3 have it: "most releases"
    await publish_all(
        sessions,
        [
            ("Council tax bands", "Council tax.", "roads"),
            ("Bin rounds", "The council's bins.", "roads"),
            ("Gritting", "Council gritters.", "roads"),
        ],
    )
    async with sessions.read() as db:
        found = await search_disclosures(db, DisclosureFilters(q="council"), LONDON)

    assert [hit.title for hit in found.hits] == ["Council tax bands", "Gritting", "Bin rounds"]


async def test_similar_requests_share_the_most_title_words_first(sessions) -> None:
    """What an officer logging a request is shown: releases sharing its words, those whose titles share
    the most first, a match in the body alone after them, and never the request itself."""
    await publish_all(
        sessions,
        [
            ("Pothole repairs on Mill Lane", "How many were reported?", "roads"),
            ("Gritting routes", "Does the gritter go down Mill Lane past the pothole?", "roads"),
            ("Street lighting on Mill Lane", "When were the lamps replaced?", "roads"),
            ("Parking permits", "How many were issued?", "housing"),
            ("Mill Lane pothole repairs and street lighting", "Costs of both.", "roads"),
        ],
    )
    logged = "Pothole repairs and street lighting in Mill Lane"
    async with sessions.read() as db:
        found = [hit.title for hit in await search.similar_disclosures(db, logged)]
        without_itself = [hit.title for hit in await search.similar_disclosures(db, logged, exclude_id=5)]
        two = [hit.title for hit in await search.similar_disclosures(db, logged, limit=2)]

    assert found[0] == "Mill Lane pothole repairs and street lighting"
    assert set(found[1:3]) == {"Pothole repairs on Mill Lane", "Street lighting on Mill Lane"}
    assert found[3:] == ["Gritting routes"]  # the words in its body only
    assert without_itself == found[1:]
    assert two == found[:2]


async def test_exclusions_alone_with_a_date_range_and_a_department(sessions) -> None:
    releases = [
        ("Parking fines", "Parking.", "roads"),  # day 1
        ("Gritting routes", "Roads gritted.", "roads"),  # day 2
        ("Parking bays", "Bays.", "roads"),  # day 3
        ("Street lights", "Lights.", "roads"),  # day 4
        ("Council homes", "Homes.", "housing"),  # day 5
        ("Potholes", "Holes.", "roads"),  # day 6
    ]
    await publish_all(sessions, releases)
    day = (START + timedelta(days=2)).date()
    filters = DisclosureFilters(q="-parking", date_from=day, date_to=day + timedelta(days=3), department="roads")
    async with sessions.read() as db:
        found = await search_disclosures(db, filters, LONDON)
        everything_else = await search_disclosures(db, DisclosureFilters(q='-parking -"council homes"'), LONDON)

    assert [hit.title for hit in found.hits] == ["Street lights", "Gritting routes"]
    assert found.total == 2
    assert [hit.title for hit in everything_else.hits] == ["Potholes", "Street lights", "Gritting routes"]


async def test_a_date_range_with_no_release_finds_nothing(sessions) -> None:
    await publish_all(sessions, [("Parking fines", "Parking.", "roads")])
    async with sessions.read() as db:
        found = await search_disclosures(db, DisclosureFilters(q="parking", date_from=date(2030, 1, 1)), LONDON)
        excluded = await search_disclosures(db, DisclosureFilters(q="-bins", date_from=date(2030, 1, 1)), LONDON)

    assert (found.total, found.hits) == (0, [])
    assert (excluded.total, excluded.hits) == (0, [])
