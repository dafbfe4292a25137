"""The Atom feed honours the disclosure log's search and filters: subscribing to a search gets the new
releases matching it, not every release; a filter it cannot read is refused as on the page (issue 13)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, token_for
from tests.web.test_public_cache import publish

FROZEN = "2025-10-22 10:00 +01:00"
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(text: str) -> list[str]:
    return [entry.findtext(f"{ATOM}title") or "" for entry in ElementTree.fromstring(text).iter(f"{ATOM}entry")]


def _feed(text: str) -> tuple[str, str]:
    root = ElementTree.fromstring(text)
    self_link = next(link.get("href") or "" for link in root.iter(f"{ATOM}link") if link.get("rel") == "self")
    return root.findtext(f"{ATOM}title") or "", self_link


@time_machine.travel(FROZEN, tick=False)
async def test_a_feed_of_a_search_lists_only_the_releases_it_finds(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    parking = await publish(client, headers, "Parking permits issued in 2025")
    await publish(client, headers, "Road gritting routes")

    everything = await client.get("/disclosures.atom")
    assert everything.status_code == 200
    assert len(_entries(everything.text)) == 2

    searched = await client.get("/disclosures.atom", params={"q": "parking"})
    assert searched.status_code == 200 and searched.headers["content-type"].startswith("application/atom+xml")
    assert _entries(searched.text) == [f"{parking}: Parking permits issued in 2025"]
    title, self_link = _feed(searched.text)
    assert title.endswith("disclosure log: releases matching \u2018parking\u2019")
    assert self_link.endswith("/disclosures.atom?q=parking")

    # the dates as the page's boxes send them, and as a link gives them
    later = {"from-day": "23", "from-month": "10", "from-year": "2025"}
    assert _entries((await client.get("/disclosures.atom", params=later)).text) == []
    assert len(_entries((await client.get("/disclosures.atom", params={"from": "2025-10-22"})).text)) == 2
    assert _entries((await client.get("/disclosures.atom", params={"q": "gritting", "outcome": "not_held"})).text) == []

    # a filter it cannot read is said, not read as no filter
    refused = await client.get("/disclosures.atom", params={"outcome": "bogus"})
    assert refused.status_code == 422 and "Select an outcome from the list" in refused.text
    reversed_range = await client.get("/disclosures.atom", params={"from": "2025-10-22", "to": "2025-01-01"})
    assert reversed_range.status_code == 422

    # the search page offers the feed of the same search
    page = await client.get("/disclosures", params={"q": "parking"})
    assert re.search(r'<a href="/disclosures\.atom\?q=parking">Subscribe to new releases matching this search \(Atom feed\)</a>', page.text)
    assert "Subscribe to new releases matching this search" not in (await client.get("/disclosures")).text


@time_machine.travel(FROZEN, tick=False)
async def test_a_feed_of_a_search_comes_from_memory_and_is_renewed_by_a_release(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    await publish(client, headers, "Parking permits issued in 2025")
    await publish(client, headers, "Road gritting routes")
    cache = client.app.state.public_cache

    assert len(_entries((await client.get("/disclosures.atom")).text)) == 2
    first = (await client.get("/disclosures.atom?q=parking")).text
    assert len(_entries(first)) == 1, "the search's feed is not the whole feed kept under another address"
    hits = cache.hits
    assert (await client.get("/disclosures.atom?q=parking")).text == first
    assert cache.hits == hits + 1

    fines = await publish(client, headers, "Parking fines collected")
    renewed = _entries((await client.get("/disclosures.atom?q=parking")).text)
    assert f"{fines}: Parking fines collected" in renewed and len(renewed) == 2
