"""Department scope on the pages and the API: with FOI_DEPARTMENT_SCOPE on, an officer of one
department sees and works on its requests only (list, page, API, bulk), another department's request
is a 404 (as one that does not exist); managers see every request; with it off, officers do too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import Settings
from app.services import users as user_service
from tests.factories import Staff, bearer, csrf_headers, new_request_body, sign_in, token_for

A, B = "corporate-services", "environment-and-highways"


@pytest.fixture
async def scoped(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(replace(settings, department_scope=True)), base_url="http://testserver.local") as client:
        yield client


async def _two_requests(client: AsyncTestClient, sessions: Any, staff: Staff) -> dict[str, str]:
    """One request in each department, logged by the manager; the officer works in the first."""
    async with sessions.write.begin() as db:
        await user_service.set_department(db, staff.officer.id, A)
    headers = bearer(await token_for(sessions, staff.manager))
    made = {}
    for department, title in ((A, "Consultancy spend"), (B, "Pothole repairs on Elm Road")):
        answer = await client.post("/api/v1/requests", json=new_request_body(department=department, title=title), headers=headers)
        assert answer.status_code == 201, answer.text
        made[department] = answer.json()["reference"]
    return made


async def test_an_officer_sees_and_works_on_their_own_department_s_requests_only(
    scoped: AsyncTestClient, sessions: Any, staff: Staff
) -> None:
    made = await _two_requests(scoped, sessions, staff)
    officer = bearer(await token_for(sessions, staff.officer))

    listed = (await scoped.get("/api/v1/requests", headers=officer)).json()
    assert [item["reference"] for item in listed["items"]] == [made[A]] and listed["total"] == 1
    assert (await scoped.get(f"/api/v1/requests?q={made[B]}", headers=officer)).json()["total"] == 0

    assert (await scoped.get(f"/api/v1/requests/{made[A]}", headers=officer)).status_code == 200
    other = await scoped.get(f"/api/v1/requests/{made[B]}", headers=officer)
    missing = await scoped.get("/api/v1/requests/FOI-2025-99999", headers=officer)
    assert other.status_code == missing.status_code == 404  # never 403: that would say it exists
    assert other.json()["detail"] == f"no request {made[B]}"
    assert missing.json()["detail"] == "no request FOI-2025-99999"

    # acting on it, its documents, its correspondence, editing it: 404 too, and nothing done
    step = await scoped.post(f"/api/v1/requests/{made[B]}/actions", json={"action": "start"}, headers=officer)
    assert step.status_code == 404
    assert (await scoped.get(f"/api/v1/requests/{made[B]}/documents", headers=officer)).status_code == 404
    assert (await scoped.get(f"/api/v1/requests/{made[B]}/correspondence/1", headers=officer)).status_code == 404
    edit = await scoped.patch(f"/api/v1/requests/{made[B]}", json={"version": 1, "title": "Mine now"}, headers=officer)
    assert edit.status_code == 404
    manager = bearer(await token_for(sessions, staff.manager))
    untouched = (await scoped.get(f"/api/v1/requests/{made[B]}", headers=manager)).json()
    assert untouched["status"] == "new" and untouched["title"] == "Pothole repairs on Elm Road"
    # its own department's request: the step is taken
    assert (await scoped.post(f"/api/v1/requests/{made[A]}/actions", json={"action": "start"}, headers=officer)).status_code == 200

    # a bulk action naming another department's request is refused whole, saying how many
    both = {"action": "withdraw", "references": [made[A], made[B]]}
    refused = await scoped.post("/api/v1/requests/bulk", json=both, headers=officer)
    assert refused.status_code == 404
    assert "1 of the 2 chosen are not among your department's requests" in refused.json()["detail"]
    assert (await scoped.get(f"/api/v1/requests/{made[A]}", headers=officer)).json()["status"] == "in_progress"

    # the manager sees both
    assert (await scoped.get("/api/v1/requests", headers=manager)).json()["total"] == 2


async def test_the_pages_keep_an_officer_to_their_department(scoped: AsyncTestClient, sessions: Any, staff: Staff) -> None:
    made = await _two_requests(scoped, sessions, staff)
    await sign_in(scoped, staff.officer)
    page = await scoped.get("/staff/requests?status=all")
    assert page.status_code == 200
    assert made[A] in page.text and made[B] not in page.text
    assert (await scoped.get(f"/staff/requests/{made[A]}")).status_code == 200
    other = await scoped.get(f"/staff/requests/{made[B]}")
    assert other.status_code == 404 and "Pothole" not in other.text
    assert (await scoped.get(f"/staff/requests/{made[B]}/edit")).status_code == 404
    step = await scoped.post(f"/staff/requests/{made[B]}/actions", data={"action": "start"}, headers=csrf_headers(scoped))
    assert step.status_code == 404
    preview = await scoped.post(
        "/staff/requests/bulk/", data={"bulk_action": "withdraw", "reference": [made[A], made[B]]}, headers=csrf_headers(scoped)
    )
    assert "1 of the 2 chosen are not among your department&#39;s requests" in preview.text


async def test_an_officer_in_no_department_sees_nothing_and_is_told_to_ask_an_admin(
    scoped: AsyncTestClient, sessions: Any, staff: Staff
) -> None:
    made = await _two_requests(scoped, sessions, staff)
    await sign_in(scoped, staff.other_officer)
    page = await scoped.get("/staff/requests?status=all")
    assert made[A] not in page.text and made[B] not in page.text
    assert "ask an admin to put you in one" in page.text
    assert (await scoped.get(f"/staff/requests/{made[A]}")).status_code == 404


async def test_an_admin_puts_an_officer_in_a_department_on_the_users_page(scoped: AsyncTestClient, sessions: Any, staff: Staff) -> None:
    made = await _two_requests(scoped, sessions, staff)
    await sign_in(scoped, staff.admin)
    users = await scoped.get("/staff/admin/users")
    assert f'action="/staff/admin/users/{staff.other_officer.id}/department"' in users.text
    moved = await scoped.post(
        f"/staff/admin/users/{staff.other_officer.id}/department", data={"department": B}, headers=csrf_headers(scoped)
    )
    assert moved.status_code == 200 and "Omar Officer is now in department environment-and-highways" in moved.text
    unknown = await scoped.post(
        f"/staff/admin/users/{staff.other_officer.id}/department", data={"department": "nowhere"}, headers=csrf_headers(scoped)
    )
    assert unknown.status_code == 422 and "no department &#39;nowhere&#39;" in unknown.text
    officer = bearer(await token_for(sessions, staff.other_officer))
    assert [item["reference"] for item in (await scoped.get("/api/v1/requests", headers=officer)).json()["items"]] == [made[B]]


async def test_with_the_setting_off_officers_see_every_request(client: AsyncTestClient, sessions: Any, staff: Staff) -> None:
    made = await _two_requests(client, sessions, staff)
    officer = bearer(await token_for(sessions, staff.officer))
    assert (await client.get("/api/v1/requests", headers=officer)).json()["total"] == 2
    assert (await client.get(f"/api/v1/requests/{made[B]}", headers=officer)).status_code == 200


async def test_a_reference_no_request_could_have_is_refused_never_a_server_error(
    scoped: AsyncTestClient, sessions: Any, staff: Staff
) -> None:
    await _two_requests(scoped, sessions, staff)
    officer = bearer(await token_for(sessions, staff.officer))
    for reference in ("FOI%00-2025-00001", "X" * 200, "%E2%80%AEFOI"):
        answer = await scoped.get(f"/api/v1/requests/{reference}", headers=officer)
        assert answer.status_code in (404, 422), (reference, answer.text)  # 422: the hostile input checks come first


async def test_an_officer_who_moves_a_request_to_another_department_is_told_where_it_went(
    scoped: AsyncTestClient, sessions: Any, staff: Staff
) -> None:
    made = await _two_requests(scoped, sessions, staff)
    await sign_in(scoped, staff.officer)
    fields = {
        "title": "Consultancy spend",
        "body": "Please provide the total spent on management consultants in 2024/25, by supplier.",
        "received_on": new_request_body()["received_on"],
        "channel": "email",
        "department": B,
        "requester_name": "Rosa Requester",
        "requester_email": "rosa@example.org",
        "version": "1",
        "_csrf_token": scoped.cookies.get("csrftoken", ""),
    }
    saved = await scoped.post(f"/staff/requests/{made[A]}/edit", data=fields, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"].startswith("/staff/requests?done=")  # not its page, which is now a 404 for them
    listed = await scoped.get(saved.headers["location"])
    assert listed.status_code == 200
    assert f"{made[A]} is now another department&#39;s request and has left your list" in listed.text
