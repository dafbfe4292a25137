"""Many members of staff writing at once: every request logged and every step recorded, none
refused because the database was busy (no "database is locked" error on SQLite), each request with
its own reference."""

from __future__ import annotations

import asyncio

from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, token_for


async def test_twenty_requests_logged_at_once_all_succeed_with_distinct_references(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    responses = await asyncio.gather(
        *(
            client.post("/api/v1/requests", json=new_request_body(title=f"Parking permits issued in 2024 ({n})"), headers=headers)
            for n in range(20)
        )
    )
    assert [r.status_code for r in responses] == [201] * 20, [r.text[:200] for r in responses if r.status_code != 201]
    references = {r.json()["reference"] for r in responses}
    assert len(references) == 20
    listed = (await client.get("/api/v1/requests?per_page=50", headers=headers)).json()
    assert references <= {item["reference"] for item in listed["items"]}


async def test_requests_logged_and_notes_recorded_at_once_all_succeed(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    first = await client.post("/api/v1/requests", json=new_request_body(), headers=headers)
    reference = first.json()["reference"]
    creates = [
        client.post("/api/v1/requests", json=new_request_body(title=f"Library opening hours ({n})"), headers=headers) for n in range(10)
    ]
    notes = [
        client.post(
            f"/api/v1/requests/{reference}/actions", json={"action": "note", "note": f"Called the requester ({n})"}, headers=headers
        )
        for n in range(10)
    ]
    responses = await asyncio.gather(*creates, *notes)
    assert [r.status_code for r in responses] == [201] * 10 + [200] * 10, [r.text[:200] for r in responses]
    # each note's answer shows the request as committed, its own note included
    for n, response in enumerate(responses[10:]):
        assert any(f"Called the requester ({n})" in (event.get("note") or "") for event in response.json()["history"])
