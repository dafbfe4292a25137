"""Lifecycle rules through the JSON API: each refusal is a 409 (or 403, 422) whose detail names the
rule, and leaves the request as it was (status, version, history)."""

from __future__ import annotations

from typing import Any

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, token_for

FROZEN = "2025-12-15 10:00:00 +00:00"
DRAFT = {
    "outcome": "granted_in_part",
    "exemptions": ["FOIA-s40"],
    "response": "Figures attached; names of junior staff withheld (s.40(2)).",
}


class Api:
    def __init__(self, client: AsyncTestClient, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers

    async def act(self, reference: str, headers: dict[str, str] | None = None, **body: Any) -> Any:
        return await self.client.post(f"/api/v1/requests/{reference}/actions", json=body, headers=headers or self.headers)

    async def unchanged(self, reference: str, headers: dict[str, str], expected_status: int, **body: Any) -> str:
        """Posts a step that must be refused; returns its detail after checking nothing changed."""
        before = (await self.client.get(f"/api/v1/requests/{reference}", headers=self.headers)).json()
        answer = await self.act(reference, headers, **body)
        assert answer.status_code == expected_status, answer.text
        after = (await self.client.get(f"/api/v1/requests/{reference}", headers=self.headers)).json()
        assert (after["status"], after["version"], len(after["history"])) == (before["status"], before["version"], len(before["history"]))
        return answer.json()["detail"]


async def setup(client: AsyncTestClient, staff: Staff, sessions: Any) -> tuple[Api, dict[str, str], dict[str, str]]:
    officer = bearer(await token_for(sessions, staff.officer))
    manager = bearer(await token_for(sessions, staff.manager))
    return Api(client, officer), officer, manager


async def submitted(api: Api, by: dict[str, str] | None = None) -> str:
    reference = (await api.client.post("/api/v1/requests", json=new_request_body(), headers=api.headers)).json()["reference"]
    assert (await api.act(reference, action="start", on="2025-09-10")).status_code == 200
    answer = await api.act(reference, by, action="submit_for_approval", on="2025-09-20", **DRAFT)
    assert answer.status_code == 200, answer.text
    return reference


@time_machine.travel(FROZEN, tick=False)
async def test_approval_needs_a_manager_who_did_not_submit(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    api, officer, manager = await setup(client, staff, sessions)
    reference = await submitted(api)
    detail = await api.unchanged(reference, officer, 403, action="approve", on="2025-09-22")
    assert "a manager or an admin approves a response" in detail
    own = await submitted(api, by=manager)
    detail = await api.unchanged(own, manager, 409, action="approve", on="2025-09-22")
    assert detail == "you submitted this response for approval: another manager must approve it"

    approved = await api.act(reference, manager, action="approve", on="2025-09-22")
    assert approved.status_code == 200 and approved.json()["status"] == "in_progress"
    assert approved.json()["history"][0]["details"] == DRAFT
    detail = await api.unchanged(reference, officer, 409, action="respond", on="2025-09-23", **{**DRAFT, "outcome": "refused_in_full"})
    assert detail == (
        "the response differs from the approved draft (outcome: approved 'Granted in part', sent 'Refused in full'): "
        "submit it for approval again"
    )
    sent = await api.act(reference, action="respond", on="2025-09-23", **DRAFT)
    assert sent.status_code == 200 and sent.json()["status"] == "responded"


@time_machine.travel(FROZEN, tick=False)
async def test_return_for_changes_needs_a_manager_and_a_reason(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    api, officer, manager = await setup(client, staff, sessions)
    reference = await submitted(api)
    await api.unchanged(reference, officer, 403, action="return_for_changes", on="2025-09-22", note="Redo")
    await api.unchanged(reference, officer, 403, action="return_for_changes", on="2025-09-22")  # the role first
    answer = await api.act(reference, manager, action="return_for_changes", on="2025-09-22")
    assert answer.status_code == 422 and answer.json()["field"] == "note"
    returned = await api.act(reference, manager, action="return_for_changes", on="2025-09-22", note="Explain why s.40(2) applies.")
    assert returned.status_code == 200 and returned.json()["status"] == "in_progress"
    assert returned.json()["history"][0]["note"] == "Explain why s.40(2) applies."
    detail = await api.unchanged(reference, officer, 409, action="respond", on="2025-09-23", **DRAFT)
    assert "returned for changes" in detail


@time_machine.travel(FROZEN, tick=False)
async def test_a_refusal_without_its_grounds_is_422_naming_the_field(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    api, officer, _ = await setup(client, staff, sessions)
    reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=officer)).json()["reference"]
    before = (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()
    answer = await api.act(reference, action="respond", on="2025-09-20", outcome="refused_in_full", response="No.")
    assert answer.status_code == 422
    assert (answer.json()["field"], answer.json()["detail"]) == (
        "exemptions",
        "Exemptions relied on: a refusal must name the exemption it relies on (FOIA s.17(1))",
    )
    answer = await api.act(reference, action="respond", on="2025-09-20", outcome="refused_cost")
    assert answer.status_code == 422 and answer.json()["field"] == "response"
    after = (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()
    assert (after["status"], after["version"], len(after["history"])) == (before["status"], before["version"], len(before["history"]))


@time_machine.travel(FROZEN, tick=False)
async def test_lapse_before_the_date_shown_is_409_and_bulk_says_why(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    api, officer, _ = await setup(client, staff, sessions)
    reference = (await client.post("/api/v1/requests", json=new_request_body(received_on="2025-11-03"), headers=officer)).json()[
        "reference"
    ]
    assert (await api.act(reference, action="request_clarification", on="2025-11-04")).status_code == 200
    detail = await api.unchanged(reference, officer, 409, action="lapse")
    assert detail == "can only lapse from Wednesday 4 February 2026 (three months after the clarification was asked for)"

    dry = await client.post("/api/v1/requests/bulk", json={"action": "lapse", "references": [reference], "dry_run": True}, headers=officer)
    assert dry.status_code == 200
    assert dry.json()["changes"] == []
    assert dry.json()["refused"] == [
        {
            "reference": reference,
            "reason": "Can only lapse from Wednesday 4 February 2026 (three months after the clarification was asked for).",
        }
    ]
    done = await client.post("/api/v1/requests/bulk", json={"action": "lapse", "references": [reference]}, headers=officer)
    assert done.status_code == 409 and "Can only lapse from Wednesday 4 February 2026" in done.json()["detail"]
    assert (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()["status"] == "awaiting_clarification"
