"""The bulk step through the JSON API: a dry run that writes nothing, then all or nothing."""

from __future__ import annotations

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, token_for

FROZEN = "2025-10-01 10:00:00 +01:00"


async def logged(client: AsyncTestClient, headers: dict[str, str], count: int) -> list[str]:
    references = []
    for _ in range(count):
        created = await client.post("/api/v1/requests", json=new_request_body(), headers=headers)
        assert created.status_code == 201, created.text
        references.append(created.json()["reference"])
    return references


async def assignee_of(client: AsyncTestClient, headers: dict[str, str], reference: str) -> str | None:
    return (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()["assignee"]


@time_machine.travel(FROZEN, tick=False)
async def test_a_dry_run_says_what_would_change_and_writes_nothing(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    first, second = await logged(client, headers, 2)
    answer = await client.post(
        "/api/v1/requests/bulk",
        json={"action": "assign", "assignee": staff.other_officer.email, "references": [first, second, "FOI-2020-00099"], "dry_run": True},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["dry_run"] is True
    assert [c["reference"] for c in plan["changes"]] == [first, second]
    assert plan["refused"] == [{"reference": "FOI-2020-00099", "reason": "no such request"}]
    assert await assignee_of(client, headers, first) is None


@time_machine.travel(FROZEN, tick=False)
async def test_all_or_nothing(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    first, second, answered = await logged(client, headers, 3)
    responded = await client.post(
        f"/api/v1/requests/{answered}/actions",
        json={"action": "respond", "outcome": "not_held", "response": "Not held."},
        headers=headers,
    )
    assert responded.status_code == 200, responded.text

    refused = await client.post(
        "/api/v1/requests/bulk", json={"action": "withdraw", "references": [first, second, answered]}, headers=headers
    )
    assert refused.status_code == 409
    assert answered in refused.json()["detail"] and "nothing was changed" in refused.json()["detail"]
    statuses = [(await client.get(f"/api/v1/requests/{r}", headers=headers)).json()["status"] for r in (first, second)]
    assert statuses == ["new", "new"]

    done = await client.post(
        "/api/v1/requests/bulk",
        json={"action": "withdraw", "references": [first, second], "note": "Requester withdrew by phone"},
        headers=headers,
    )
    assert done.status_code == 200, done.text
    assert done.json()["request_count"] == 2
    for reference in (first, second):
        detail = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
        assert detail["status"] == "withdrawn"
        assert detail["history"][0]["action"] == "withdraw"


async def test_bad_input_names_the_field_and_staff_only(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    unknown = await client.post("/api/v1/requests/bulk", json={"action": "delete", "references": ["FOI-2025-00001"]}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["field"] == "action"
    assert unknown.json()["detail"] == "Step: choose one of assign, withdraw, lapse, add_to_batch"
    empty = await client.post("/api/v1/requests/bulk", json={"action": "withdraw", "references": []}, headers=headers)
    assert empty.status_code == 422 and empty.json()["field"] == "references"
    nobody = await client.post("/api/v1/requests/bulk", json={"action": "assign", "references": ["FOI-2025-00001"]}, headers=headers)
    assert nobody.status_code == 422 and nobody.json()["field"] == "assignee"
    anonymous = await client.post("/api/v1/requests/bulk", json={"action": "withdraw", "references": ["FOI-2025-00001"]})
    assert anonymous.status_code == 401
