"""Public pages come from memory once rendered, and never outlive a change to what is public."""

from __future__ import annotations

import asyncio
import dataclasses

import time_machine
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from app.asgi import create_app
from app.config import Settings
from tests.factories import Staff, bearer, token_for
from tests.web.test_disclosure_log import responded_request

FROZEN = "2025-10-22 10:00 +01:00"


def surfaces(reference: str) -> list[str]:
    """Every public place a release shows."""
    return [
        "/",
        "/disclosures",
        "/disclosures?q=gritting",
        "/disclosures?q=gritting&sort=newest",
        f"/disclosures/{reference}",
        "/disclosures.atom",
        "/api/v1/disclosures",
        "/api/v1/disclosures?q=gritting",
        f"/api/v1/disclosures/{reference}",
    ]


async def publish(client: AsyncTestClient, headers: dict[str, str], title: str) -> str:
    reference = await responded_request(client, headers, title=title, body="Which roads are gritted first?")
    published = await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)
    assert published.status_code == 200, published.text
    return reference


@time_machine.travel(FROZEN, tick=False)
async def test_pages_are_kept_and_a_takedown_leaves_none_of_them_behind(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    kept = await publish(client, headers, "Road gritting routes")
    taken = await publish(client, headers, "Gritting salt stocks")
    cache = client.app.state.public_cache

    first = {path: (await client.get(path)).text for path in surfaces(taken)}
    assert all("Gritting salt stocks" in body for path, body in first.items() if path != f"/disclosures/{kept}")
    hits = cache.hits
    again = {path: (await client.get(path)).text for path in surfaces(taken)}
    assert again == first
    assert cache.hits == hits + len(first), "the second time, every public page came from memory"

    withdrawn = await client.post(f"/api/v1/requests/{taken}/unpublish", json={"reason": "Released in error"}, headers=headers)
    assert withdrawn.status_code == 200
    for path in surfaces(taken):
        answer = await client.get(path)
        assert "Gritting salt stocks" not in answer.text, f"{path} still shows the withdrawn release"
    assert "Road gritting routes" in (await client.get("/disclosures")).text

    # and a new release is there at once too
    await publish(client, headers, "Gritting on cycle paths")
    for path in ("/", "/disclosures", "/disclosures?q=gritting", "/disclosures.atom", "/api/v1/disclosures"):
        assert "Gritting on cycle paths" in (await client.get(path)).text, path


@time_machine.travel(FROZEN, tick=False)
async def test_a_change_written_by_another_process_is_seen_at_once(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await publish(client, headers, "Road gritting routes")
    assert "Road gritting routes" in (await client.get(f"/disclosures/{reference}")).text
    assert "Road gritting routes" in (await client.get(f"/disclosures/{reference}")).text  # now kept

    changes = client.app.state.public_changes
    before = changes.generation()
    # as another host, a script or the CLI would: straight into the database
    async with sessions.write.begin() as db:
        await db.execute(text("UPDATE requests SET public_title = 'Winter road maintenance' WHERE reference = :r"), {"r": reference})
    # SQLite: seen in the files at once; PostgreSQL: the notification arrives (well within a second)
    for _ in range(200):
        await changes.settle()
        if changes.generation() != before:
            break
        await asyncio.sleep(0.01)
    assert changes.generation() != before, "the database's signal of the change never reached the process"
    page = await client.get(f"/disclosures/{reference}")
    assert "Winter road maintenance" in page.text and "Road gritting routes" not in page.text


@time_machine.travel(FROZEN, tick=False)
async def test_changes_nobody_sees_in_public_keep_the_pages(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    await publish(client, headers, "Road gritting routes")
    await client.get("/disclosures")
    hits = client.app.state.public_cache.hits
    # an officer logs and works on other requests: nothing public moves
    other = (
        await client.post(
            "/api/v1/requests",
            json={
                "title": "Bin collections",
                "body": "When?",
                "regime": "foia",
                "channel": "email",
                "requester": {"name": "Ann Other", "email": "ann@example.org"},
                "received_on": "2025-10-20",
            },
            headers=headers,
        )
    ).json()["reference"]
    noted = await client.post(f"/api/v1/requests/{other}/actions", json={"action": "note", "note": "Asked waste services"}, headers=headers)
    assert noted.status_code == 200, noted.text
    await client.get("/disclosures")
    assert client.app.state.public_cache.hits == hits + 1


@time_machine.travel(FROZEN, tick=False)
async def test_revalidation_head_and_who_is_never_answered_from_memory(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    await publish(client, headers, "Road gritting routes")
    page = await client.get("/disclosures")
    tag = page.headers["etag"]
    assert (await client.get("/disclosures")).headers["etag"] == tag
    unchanged = await client.get("/disclosures", headers={"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["cache-control"] == "no-cache" and "content-type" not in unchanged.headers
    head = await client.head("/disclosures")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == tag
    # the search results alone (htmx) are a different answer from the whole page
    partial = await client.get("/disclosures", headers={"HX-Request": "true", "HX-Target": "disclosure-results"})
    assert "<html" not in partial.text and "<html" in (await client.get("/disclosures")).text
    # a token or a cookie may mean someone who can see more: rendered for them, never from memory
    cache = client.app.state.public_cache
    hits = cache.hits
    await client.get("/disclosures", headers=headers)
    await client.get("/disclosures", headers={"Cookie": "session=anything"})
    assert cache.hits == hits


@time_machine.travel(FROZEN, tick=False)
async def test_memory_is_bounded(settings: Settings, staff: Staff, sessions) -> None:
    small = dataclasses.replace(settings, public_cache_bytes=200_000)
    async with AsyncTestClient(app=create_app(small), base_url="http://testserver.local") as client:
        headers = bearer(await token_for(sessions, staff.officer))
        await publish(client, headers, "Road gritting routes")
        for page in range(1, 60):
            await client.get(f"/disclosures?q=gritting&page={page}")
        cache = client.app.state.public_cache
        assert 0 < cache.size <= 200_000
        assert len(cache.entries) < 59
