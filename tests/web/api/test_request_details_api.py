"""PATCH /api/v1/requests/{reference}: a new date of receipt recomputes the due date; refusals name
the field and change nothing."""

from __future__ import annotations

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, token_for

FROZEN = "2025-10-01 10:00:00 +01:00"


@time_machine.travel(FROZEN, tick=False)
async def test_patch_received_on_recomputes_the_due_date(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    created = (await client.post("/api/v1/requests", json=new_request_body(), headers=headers)).json()
    reference, url = created["reference"], f"/api/v1/requests/{created['reference']}"
    assert (created["received_on"], created["due_on"]) == ("2025-09-09", "2025-10-07")

    moved = await client.patch(
        url, json={"version": 1, "received_on": "2025-09-10", "requester": {"address": "2 Low Road"}}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert (body["reference"], body["received_on"], body["due_on"], body["version"]) == (reference, "2025-09-10", "2025-10-08", 2)
    assert body["requester"]["address"] == "2 Low Road"
    event = body["history"][0]
    assert event["action"] == "edit_details"
    assert event["details"] == {
        "changed": ["date received", "requester details"],
        "values": {"received_on": ["2025-09-09", "2025-09-10"]},
        "due_on": ["2025-10-07", "2025-10-08"],
    }

    await client.post(f"{url}/actions", json={"action": "start", "on": "2025-09-15"}, headers=headers)
    for value, words in (
        ("2025-10-02", "cannot be in the future"),
        ("2025-09-16", "cannot be after 15 September 2025"),
        ("tomorrow", "is not a date"),
    ):
        refused = await client.patch(url, json={"version": 3, "received_on": value, "title": "Also changed?"}, headers=headers)
        assert refused.status_code == 422 and refused.json()["field"] == "received_on", refused.text
        assert words in refused.json()["detail"]
    unchanged = (await client.get(url, headers=headers)).json()
    assert (unchanged["received_on"], unchanged["title"], unchanged["version"]) == ("2025-09-10", created["title"], 3)
    stale = await client.patch(url, json={"version": 2, "received_on": "2025-09-11"}, headers=headers)
    assert stale.status_code == 409 and (await client.get(url, headers=headers)).json()["received_on"] == "2025-09-10"


@time_machine.travel(FROZEN, tick=False)
async def test_patch_values_that_are_not_text_are_refused_by_name(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    url = f"/api/v1/requests/{(await client.post('/api/v1/requests', json=new_request_body(), headers=headers)).json()['reference']}"
    for body, field in (
        ({"title": 42}, "title"),
        ({"channel": ["post"]}, "channel"),
        ({"department": 7}, "department"),
        ({"received_on": 20250910}, "received_on"),
        ({"requester": {"email": {"a": 1}}}, "requester.email"),
    ):
        refused = await client.patch(url, json={"version": 1, **body}, headers=headers)
        assert refused.status_code == 422 and refused.json()["field"] == field, refused.text
        said = {
            "title": "Title",
            "channel": "Received by",
            "department": "Department",
            "received_on": "Date the request was received",
            "requester.email": "Requester's email",
        }[field]  # the field in words; `field` keeps its name
        assert refused.json()["detail"] == f"{said} {'must be a date (YYYY-MM-DD)' if field == 'received_on' else 'must be text'}"
    # what is not a detail cannot be edited here: refused by name as the body is read (the edit's type has no such field)
    not_editable = await client.patch(url, json={"version": 1, "status": "responded"}, headers=headers)
    assert not_editable.status_code == 400 and "unknown field `status`" in not_editable.json()["detail"], not_editable.text
    assert (await client.get(url, headers=headers)).json()["version"] == 1
