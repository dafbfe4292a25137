"""A legal hold on the staff request page and by the API: managers place and lift it with a reason,
the history says who and why, officers cannot; the request page shows it."""

from __future__ import annotations

import html

from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, sign_in, token_for


async def _logged(client: AsyncTestClient, staff: Staff, sessions) -> str:
    headers = bearer(await token_for(sessions, staff.officer))
    return (await client.post("/api/v1/requests", json=new_request_body(), headers=headers)).json()["reference"]


def _form(client: AsyncTestClient, **fields: str) -> dict[str, str]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


async def test_a_manager_places_and_lifts_a_hold_on_the_request_page(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference = await _logged(client, staff, sessions)
    await sign_in(client, staff.manager)
    page = await client.get(f"/staff/requests/{reference}")
    assert "No legal hold" in page.text and f'href="/staff/requests/{reference}/legal-hold"' in page.text

    empty = await client.post(f"/staff/requests/{reference}/legal-hold", data=_form(client, reason="  "))
    assert empty.status_code == 422 and "There is a problem" in empty.text and "Reason" in empty.text

    placed = await client.post(
        f"/staff/requests/{reference}/legal-hold",
        data=_form(client, reason="Complaint to the ICO open (IC-40213)"),
        follow_redirects=False,
    )
    assert placed.status_code == 303
    page = await client.get(placed.headers["location"])
    text = html.unescape(page.text)
    assert "Legal hold placed" in text and "Complaint to the ICO open (IC-40213)" in text and "Lift the legal hold" in text

    again = await client.post(f"/staff/requests/{reference}/legal-hold", data=_form(client, reason="Appeal"))
    assert again.status_code == 409 and "already under a legal hold" in again.text
    lifted = await client.post(
        f"/staff/requests/{reference}/legal-hold", data=_form(client, lift="1", reason="ICO closed the complaint"), follow_redirects=False
    )
    assert lifted.status_code == 303
    again = await client.post(f"/staff/requests/{reference}/legal-hold", data=_form(client, lift="1", reason="Twice"))
    assert again.status_code == 409 and "not under a legal hold" in again.text

    history = (await client.get(f"/api/v1/requests/{reference}")).json()["history"]
    assert [(e["action"], e["note"]) for e in history[:2]] == [
        ("lift_legal_hold", "ICO closed the complaint"),
        ("place_legal_hold", "Complaint to the ICO open (IC-40213)"),
    ]


async def test_officers_cannot_hold_and_the_api_says_why(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference = await _logged(client, staff, sessions)
    officer = bearer(await token_for(sessions, staff.officer))
    manager = bearer(await token_for(sessions, staff.manager))
    assert (await client.post(f"/api/v1/requests/{reference}/legal-hold", json={"reason": "x"})).status_code == 401
    assert (await client.post(f"/api/v1/requests/{reference}/legal-hold", json={"reason": "x"}, headers=officer)).status_code == 403
    assert (
        await client.post(
            f"/api/v1/requests/{reference}/legal-hold", json={"reason": 5}, headers=bearer(await token_for(sessions, staff.admin))
        )
    ).status_code == 400
    missing = await client.post(f"/api/v1/requests/{reference}/legal-hold", json={}, headers=manager)
    assert missing.status_code == 422 and missing.json()["field"] == "reason"
    unknown = await client.post("/api/v1/requests/FOI-2020-99999/legal-hold", json={"reason": "x"}, headers=manager)
    assert unknown.status_code == 404
    placed = await client.post(f"/api/v1/requests/{reference}/legal-hold", json={"reason": "Tribunal appeal EA/2026/0001"}, headers=manager)
    assert placed.status_code == 200
    assert placed.json() | {"since": None} == {
        "reference": reference,
        "held": True,
        "reason": "Tribunal appeal EA/2026/0001",
        "since": None,
        "anonymised_at": None,
    }
    assert (await client.post(f"/api/v1/requests/{reference}/legal-hold", json={"reason": "y"}, headers=manager)).status_code == 409
    shown = (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()
    assert shown["legal_hold"]["reason"] == "Tribunal appeal EA/2026/0001" and shown["anonymised_at"] is None
    lifted = await client.post(f"/api/v1/requests/{reference}/legal-hold/lift", json={"reason": "Decided"}, headers=manager)
    assert lifted.status_code == 200 and lifted.json()["held"] is False
    assert (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()["legal_hold"] is None
    await sign_in(client, staff.officer)
    page = await client.get(f"/staff/requests/{reference}/legal-hold")
    assert page.status_code == 403
