"""The staff JSON API for requests: log, list, act, edit; errors that say what was wrong."""

from __future__ import annotations

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, token_for

FROZEN = "2025-10-01 10:00:00 +01:00"


@time_machine.travel(FROZEN, tick=False)
async def test_log_request_gives_reference_due_date_and_history(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    response = await client.post("/api/v1/requests", json=new_request_body(), headers=headers)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["reference"] == "FOI-2025-00001"
    assert data["status"] == "new"
    assert data["due_on"] == "2025-10-07"  # worked example: received Tue 9 Sep 2025
    assert data["requester"]["email"] == "rosa@example.org"
    assert [event["action"] for event in data["history"]] == ["log"]
    assert data["version"] == 1

    second = await client.post("/api/v1/requests", json=new_request_body(regime="eir"), headers=headers)
    assert second.json()["reference"] == "EIR-2025-00001"


@time_machine.travel(FROZEN, tick=False)
async def test_full_lifecycle_through_the_api(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=headers)).json()["reference"]
    url = f"/api/v1/requests/{reference}/actions"

    assigned = await client.post(url, json={"action": "assign", "assignee": staff.other_officer.email, "on": "2025-09-10"}, headers=headers)
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assignee"] == staff.other_officer.email

    asked = await client.post(url, json={"action": "request_clarification", "on": "2025-09-11", "note": "Which years?"}, headers=headers)
    assert asked.json()["status"] == "awaiting_clarification"
    assert asked.json()["clock_stopped"] is True
    assert asked.json()["due_on"] is None

    answered = await client.post(url, json={"action": "receive_clarification", "on": "2025-09-15"}, headers=headers)
    body = answered.json()
    assert body["status"] == "in_progress"
    assert body["clock_stopped"] is False
    # a fresh 20 working days from Mon 15 Sep 2025
    assert body["due_on"] == "2025-10-13"

    responded = await client.post(
        url,
        json={
            "action": "respond",
            "on": "2025-09-30",
            "outcome": "granted_in_part",
            "exemptions": ["FOIA-s43", "foia-s40"],
            "response": "Figures attached.",
        },
        headers=headers,
    )
    body = responded.json()
    assert body["status"] == "responded"
    assert body["outcome"] == "granted_in_part"
    assert body["exemptions"] == ["FOIA-s40", "FOIA-s43"]
    assert [event["action"] for event in body["history"]] == [
        "respond",
        "receive_clarification",
        "request_clarification",
        "assign",
        "log",
    ]
    assert body["history"][3]["note"] is None
    assert body["history"][2]["note"] == "Which years?"
    assert body["version"] == 5


@time_machine.travel(FROZEN, tick=False)
async def test_illegal_action_is_409_names_allowed_actions_and_changes_nothing(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=headers)).json()["reference"]
    before = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()

    response = await client.post(f"/api/v1/requests/{reference}/actions", json={"action": "receive_fee"}, headers=headers)

    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "receive_fee" in detail and "'new'" in detail
    assert "respond" in response.json()["allowed_actions"]
    assert "receive_fee" not in response.json()["allowed_actions"]
    after = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    assert after == before


@time_machine.travel(FROZEN, tick=False)
async def test_regime_only_actions_are_refused_with_the_reason(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = (await client.post("/api/v1/requests", json=new_request_body(regime="foisa"), headers=headers)).json()["reference"]
    response = await client.post(
        f"/api/v1/requests/{reference}/actions", json={"action": "extend_pit", "working_days": 20}, headers=headers
    )
    assert response.status_code == 409
    assert "public interest extension" in response.json()["detail"]


@time_machine.travel(FROZEN, tick=False)
async def test_stale_patch_is_409_and_overwrites_nothing(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=headers)).json()["reference"]

    first = await client.patch(f"/api/v1/requests/{reference}", json={"version": 1, "title": "First editor's title"}, headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 2
    assert first.json()["history"][0]["action"] == "edit_details"

    stale = await client.patch(f"/api/v1/requests/{reference}", json={"version": 1, "title": "Second editor's title"}, headers=headers)
    assert stale.status_code == 409
    assert "version" in stale.json()["detail"]
    current = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    assert current["title"] == "First editor's title"
    assert current["version"] == 2

    missing = await client.patch(f"/api/v1/requests/{reference}", json={"title": "No version"}, headers=headers)
    assert missing.status_code == 422
    assert "version" in missing.json()["detail"]


@time_machine.travel(FROZEN, tick=False)
async def test_bad_input_names_the_field(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    cases = [
        (new_request_body(regime="gdpr"), "regime"),
        (new_request_body(title="   "), "title"),
        (new_request_body(received_on="2025-13-45"), "received_on"),
        (new_request_body(received_on="2026-01-01"), "received_on"),
        (new_request_body(channel="pigeon"), "channel"),
        (new_request_body(department="no-such-department"), "department"),
        (new_request_body(requester={"name": "A Person"}), "requester.email"),
        (new_request_body(requester={"name": "A Person", "email": "not-an-email"}), "requester.email"),
    ]
    for body, field in cases:
        response = await client.post("/api/v1/requests", json=body, headers=headers)
        assert response.status_code in (400, 422), (field, response.text)
        assert response.json()["field"] == field, (field, response.json())
        assert not response.json()["detail"].startswith(field), (field, response.json())
    listing = await client.get("/api/v1/requests", params={"status": ["new"]}, headers=headers)
    assert listing.json()["total"] == 0


@time_machine.travel(FROZEN, tick=False)
async def test_error_messages_do_not_echo_personal_data(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    secret = "zz-unique-private-value-81723"
    response = await client.post(
        "/api/v1/requests", json=new_request_body(requester={"name": "A Person", "email": secret}), headers=headers
    )
    assert response.status_code == 422
    assert secret not in response.text


@time_machine.travel(FROZEN, tick=False)
async def test_list_filters(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    old = (
        await client.post("/api/v1/requests", json=new_request_body(received_on="2025-08-01", title="Potholes repaired"), headers=headers)
    ).json()
    await client.post(
        "/api/v1/requests",
        json=new_request_body(regime="eir", title="Air quality readings", department="environment-and-highways"),
        headers=headers,
    )
    await client.post(
        f"/api/v1/requests/{old['reference']}/actions", json={"action": "assign", "assignee": staff.officer.email}, headers=headers
    )

    async def references(**params) -> list[str]:
        response = await client.get("/api/v1/requests", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [item["reference"] for item in response.json()["items"]]

    assert await references(overdue="true") == ["FOI-2025-00001"]
    assert await references(regime="eir") == ["EIR-2025-00001"]
    assert await references(department="environment-and-highways") == ["EIR-2025-00001"]
    assert await references(assignee=staff.officer.email) == ["FOI-2025-00001"]
    assert await references(q="pothole") == ["FOI-2025-00001"]
    assert await references(q="FOI-2025-00001") == ["FOI-2025-00001"]
    # received Fri 1 Aug 2025: Scottish (4 Aug) and late summer (25 Aug) bank holidays skipped, due Tue 2 Sep
    assert await references(due_before="2025-09-01") == []
    assert await references(due_before="2025-09-02") == ["FOI-2025-00001"]
    assert sorted(await references(status="new")) == ["EIR-2025-00001", "FOI-2025-00001"]
    assert await references(q="nothing like this") == []
    assert sorted(await references(requester="ROSA@example", status="new")) == ["EIR-2025-00001", "FOI-2025-00001"]
    assert await references(requester="somebody else") == []


async def test_staff_api_needs_credentials_and_the_right_role(client: AsyncTestClient, staff: Staff, sessions) -> None:
    assert (await client.get("/api/v1/requests")).status_code == 401
    assert (await client.get("/api/v1/requests", headers=bearer("foi_not-a-real-token"))).status_code == 401
    officer = bearer(await token_for(sessions, staff.officer))
    admin = bearer(await token_for(sessions, staff.admin))
    refused = await client.post("/api/v1/departments", json={"name": "Finance"}, headers=officer)
    assert refused.status_code == 403
    assert "admin" in refused.json()["detail"]
    created = await client.post("/api/v1/departments", json={"name": "Finance"}, headers=admin)
    assert created.status_code == 201
    assert created.json() == {"slug": "finance", "name": "Finance"}
    listing = await client.get("/api/v1/departments", headers=officer)
    assert {"slug": "finance", "name": "Finance"} in listing.json()
    duplicate = await client.post("/api/v1/departments", json={"name": "Finance"}, headers=admin)
    assert duplicate.status_code == 409


async def test_unknown_request_is_404(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    response = await client.get("/api/v1/requests/FOI-2020-99999", headers=headers)
    assert response.status_code == 404
    assert response.json()["status_code"] == 404


async def test_healthz_and_openapi(client: AsyncTestClient) -> None:
    health = await client.get("/healthz")
    assert health.json() == {"status": "ok", "database": "ok"}
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/requests/{reference}/actions" in schema.json()["paths"]
