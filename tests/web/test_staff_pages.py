"""Officer pages: sign-in, CSRF, the list with filters, logging a request, actions as forms."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import time_machine
from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import Settings
from tests.factories import PASSWORD, Staff, bearer, new_request_body, sign_in, token_for

FROZEN = "2025-10-01 10:00:00 +01:00"


def _form(client: AsyncTestClient, **fields: str) -> dict[str, str]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


async def test_anonymous_visitor_is_sent_to_login_and_back(client: AsyncTestClient, staff: Staff) -> None:
    response = await client.get("/staff/requests?status=all", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/staff/requests%3Fstatus%3Dall"

    page = await client.get("/login?next=/staff/requests%3Fstatus%3Dall")
    assert 'name="next" value="/staff/requests?status=all"' in page.text
    signed_in = await client.post(
        "/login",
        data=_form(client, email=staff.officer.email, password=PASSWORD, next="/staff/requests?status=all"),
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/staff/requests?status=all"
    assert (await client.get("/staff/requests")).status_code == 200


async def test_login_refuses_a_wrong_password_and_offsite_next(client: AsyncTestClient, staff: Staff) -> None:
    await client.get("/login")
    wrong = await client.post("/login", data=_form(client, email=staff.officer.email, password="nope"), follow_redirects=False)
    assert wrong.status_code == 400
    assert "The email or password is not right." in wrong.text
    offsite = await client.post(
        "/login", data=_form(client, email=staff.officer.email, password=PASSWORD, next="https://evil.example/"), follow_redirects=False
    )
    assert offsite.headers["location"] == "/staff"


async def test_forms_without_a_csrf_token_are_refused(client: AsyncTestClient, staff: Staff) -> None:
    await client.get("/login")
    response = await client.post("/login", data={"email": staff.officer.email, "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403


async def test_login_attempts_are_rate_limited(settings: Settings, staff: Staff) -> None:
    app = create_app(replace(settings, login_attempts_per_minute=3))
    async with AsyncTestClient(app=app) as client:
        await client.get("/login")
        codes = [
            (await client.post("/login", data=_form(client, email=staff.officer.email, password="guess"))).status_code for _ in range(4)
        ]
    assert codes == [400, 429, 429, 429]  # 3 wrong passwords per address, 1 attempt per account (a third)


async def test_signing_out_ends_the_session(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    await client.post("/logout", data=_form(client), follow_redirects=False)
    assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 303


@time_machine.travel(FROZEN, tick=False)
async def test_new_request_form_shows_every_problem_beside_its_field(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    page = await client.post(
        "/staff/requests/new",
        data=_form(
            client,
            regime="foia",
            title="",
            body="",
            channel="email",
            received_on="2025-10-01",
            requester_name="",
            requester_email="not-an-email",
        ),
    )
    assert page.status_code == 422
    for field_id in ("title-error", "body-error", "requester-name-error", "requester-email-error"):
        assert f'id="{field_id}"' in page.text
    assert "There is a problem" in page.text
    listing = await client.get("/staff/requests?status=all")
    assert "0 requests" in listing.text


@time_machine.travel(FROZEN, tick=False)
async def test_log_a_request_and_work_it_with_forms(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    created = await client.post(
        "/staff/requests/new",
        data=_form(
            client,
            regime="foia",
            title="Consultancy spend",
            body="Please tell me the spend.",
            channel="post",
            received_on="2025-09-09",
            department="corporate-services",
            requester_name="Rosa Requester",
            requester_email="",
            requester_address="1 High Street\nAnytown",
        ),
        follow_redirects=False,
    )
    assert created.status_code == 303
    location = created.headers["location"]
    assert location.startswith("/staff/requests/FOI-2025-00001")
    page = await client.get(location)
    assert "Request FOI-2025-00001 logged." in page.text
    assert "Rosa Requester" in page.text
    assert "Due Tue 7 Oct 2025" in page.text

    # without JavaScript: post, then be sent back to the page
    plain = await client.post(
        "/staff/requests/FOI-2025-00001/actions",
        data=_form(client, action="request_clarification", on="2025-09-10", note="Which year?", notice_send="none"),
        follow_redirects=False,
    )
    assert plain.status_code == 303
    page = await client.get("/staff/requests/FOI-2025-00001")
    assert "No due date while the clock is stopped" in page.text
    assert "Which year?" in page.text

    # with htmx: the workspace comes back in place
    swapped = await client.post(
        "/staff/requests/FOI-2025-00001/actions",
        data=_form(client, action="receive_clarification", on="2025-09-15"),
        headers={"HX-Request": "true", "HX-Target": "workspace"},
    )
    assert swapped.status_code == 200
    assert swapped.text.lstrip().startswith('<div id="workspace"')
    assert "<html" not in swapped.text
    assert "Clarification received." in swapped.text
    assert "Due Mon 13 Oct 2025" in swapped.text

    refused = await client.post(
        "/staff/requests/FOI-2025-00001/actions",
        data=_form(client, action="receive_fee"),
        headers={"HX-Request": "true", "HX-Target": "workspace"},
    )
    assert refused.status_code == 200
    assert "“Record fee received” cannot be taken while the request is in progress; what can be done now:" in refused.text
    timeline = re.findall(r'<h3 class="timeline-title">([^<]+)</h3>', refused.text)
    assert timeline == ["Clarification received", "Clarification requested", "Request logged"]


@time_machine.travel(FROZEN, tick=False)
async def test_list_filters_and_htmx_partial(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    await client.post("/api/v1/requests", json=new_request_body(title="Pothole repairs on the ring road"), headers=headers)
    await client.post("/api/v1/requests", json=new_request_body(regime="eir", title="Air quality monitoring"), headers=headers)
    await sign_in(client, staff.officer)

    full = await client.get("/staff/requests")
    assert "2 requests" in full.text and "<html" in full.text
    partial = await client.get("/staff/requests?q=pothole", headers={"HX-Request": "true", "HX-Target": "results"})
    assert partial.text.lstrip().startswith('<section id="results"')
    assert "1 request" in partial.text
    assert "Pothole repairs" in partial.text and "Air quality" not in partial.text
    by_regime = await client.get("/staff/requests?regime=eir")
    assert "Air quality monitoring" in by_regime.text and "Pothole" not in by_regime.text


async def test_roles_guard_admin_pages(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    assert (await client.get("/staff/admin/users")).status_code == 403
    await client.post("/logout", data=_form(client))
    await sign_in(client, staff.admin)
    page = await client.get("/staff/admin/users")
    assert page.status_code == 200 and staff.officer.email in page.text
    bad = await client.post(
        "/staff/admin/users", data=_form(client, name="New Person", email="bad", role="officer", password="long-enough-pw")
    )
    assert bad.status_code == 422 and 'id="user-email-error"' in bad.text
    made = await client.post(
        "/staff/admin/users",
        data=_form(client, name="New Person", email="new.person@council.example", role="manager", password="long-enough-pw"),
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert "new.person@council.example" in (await client.get("/staff/admin/users")).text


@pytest.mark.parametrize("path", ["/", "/login", "/healthz"])
async def test_public_pages_need_no_login(client: AsyncTestClient, path: str) -> None:
    assert (await client.get(path)).status_code == 200


async def test_deactivating_someone_signs_them_out_everywhere_and_reactivating_does_not_sign_them_back_in(
    client: AsyncTestClient, settings: Settings, staff: Staff
) -> None:
    async with (
        AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as here,
        AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as elsewhere,
    ):
        await sign_in(here, staff.officer)
        await sign_in(elsewhere, staff.officer)
        await sign_in(client, staff.admin)
        off = await client.post(
            f"/staff/admin/users/{staff.officer.id}/active", data=_form(client, active="0", confirmed="yes"), follow_redirects=False
        )
        assert off.status_code == 303
        on = await client.post(f"/staff/admin/users/{staff.officer.id}/active", data=_form(client, active="1"), follow_redirects=False)
        assert on.status_code == 303
        for browser in (here, elsewhere):
            answer = await browser.get("/staff/requests", follow_redirects=False)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next="), "still signed in"
        assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 200
