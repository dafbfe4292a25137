"""The admin page for bank holiday corrections, as an admin would use it."""

from __future__ import annotations

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, sign_in, token_for


def _form(client: AsyncTestClient, **fields: str) -> dict[str, str]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


@time_machine.travel("2025-10-22 10:00 +01:00", tick=False)
async def test_adding_a_bank_holiday_on_the_admin_page_moves_due_dates(client: AsyncTestClient, staff: Staff, sessions) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    affected = (await client.post("/api/v1/requests", json=new_request_body(received_on="2025-10-01"), headers=officer)).json()
    unaffected = (await client.post("/api/v1/requests", json=new_request_body(received_on="2025-10-20"), headers=officer)).json()
    await sign_in(client, staff.admin)

    page = await client.get("/staff/admin/calendar")
    assert "Days off in the next 12 months" in page.text and "Christmas Day" in page.text
    saved = await client.post(
        "/staff/admin/calendar",
        data=_form(
            client, day="2025-10-10", nation="NIR", change="add", name="Proclaimed day", reason="Proclamation", source="Belfast Gazette"
        ),
    )
    assert saved.status_code == 200  # after the redirect
    assert "Correction saved: 2 open requests checked, 1 due date moved." in saved.text
    assert "Proclaimed day" in saved.text

    moved = (await client.get(f"/api/v1/requests/{affected['reference']}", headers=officer)).json()
    assert (affected["due_on"], moved["due_on"]) == ("2025-10-29", "2025-10-30")
    assert moved["history"][0]["action"] == "recalculate_deadline"
    assert moved["history"][0]["details"]["due_on_before"] == "2025-10-29"
    same = (await client.get(f"/api/v1/requests/{unaffected['reference']}", headers=officer)).json()
    assert same["due_on"] == unaffected["due_on"]
    assert [e["action"] for e in same["history"]] == ["log"]

    request_page = await client.get(f"/staff/requests/{affected['reference']}")
    assert "Due date recalculated" in request_page.text

    bad = await client.post("/staff/admin/calendar", data=_form(client, day="someday", nation="NIR", change="add", name="x", reason="y"))
    assert bad.status_code == 422 and 'id="correction-day-error"' in bad.text


async def test_calendar_api_is_for_admins(client: AsyncTestClient, staff: Staff, sessions) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    admin = bearer(await token_for(sessions, staff.admin))
    body = {"day": "2030-05-13", "nation": "WLS", "change": "add", "name": "Test day", "reason": "Testing"}
    assert (await client.post("/api/v1/calendar/corrections", json=body, headers=officer)).status_code == 403
    made = await client.post("/api/v1/calendar/corrections", json=body, headers=admin)
    assert made.status_code == 201
    assert made.json()["open_requests_checked"] == 0
    listed = (await client.get("/api/v1/calendar/corrections", headers=officer)).json()
    assert [c["name"] for c in listed] == ["Test day"]
    removed = await client.delete(f"/api/v1/calendar/corrections/{listed[0]['id']}", headers=admin)
    assert removed.status_code == 200
    assert (await client.delete(f"/api/v1/calendar/corrections/{listed[0]['id']}", headers=admin)).status_code == 404
