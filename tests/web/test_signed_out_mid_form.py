"""A member of staff whose session ended (it expired, or an admin signed them out everywhere) sends a
form: they are asked to sign in, told what they sent was not saved, and come back to a page that works
(never to an address that takes POST only, which would answer 405); a `next` elsewhere is ignored."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from app.services import users as user_service
from tests.factories import PASSWORD, Staff, bearer, new_request_body, sign_in, token_for

BASE = "http://testserver.local"
SIGNED_OUT = "You were signed out, so what you sent was not saved."


async def _request_signed_out(client: AsyncTestClient, sessions: Any, staff: Staff) -> str:
    """A request, and the officer signed in to it, then signed out everywhere (as an admin's reset does)."""
    made = await client.post("/api/v1/requests", json=new_request_body(), headers=bearer(await token_for(sessions, staff.officer)))
    reference = made.json()["reference"]
    await sign_in(client, staff.officer)
    assert (await client.get(f"/staff/requests/{reference}")).status_code == 200
    async with sessions.write.begin() as db:
        assert await user_service.end_sessions(db, staff.officer.id) == 1
    return str(reference)


def _note(client: AsyncTestClient) -> dict[str, str]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), "action": "note", "note": "Called the requester."}


async def _sign_in_from(client: AsyncTestClient, login: str) -> str:
    """Opens the sign-in page at `login`, signs in with its form's `next`; where it leads."""
    page = await client.get(login)
    assert page.status_code == 200
    next_value = page.text.split('name="next" value="', 1)[1].split('"', 1)[0]
    answer = await client.post(
        "/login",
        data={
            "_csrf_token": client.cookies.get("csrftoken", ""),
            "email": "olivia.officer@council.example",
            "password": PASSWORD,
            "next": next_value,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return str(answer.headers["location"])


async def test_a_step_sent_after_the_session_ended_comes_back_to_the_request_page(
    client: AsyncTestClient, sessions: Any, staff: Staff
) -> None:
    reference = await _request_signed_out(client, sessions, staff)
    page = f"/staff/requests/{reference}"
    sent = await client.post(f"{page}/actions", data=_note(client), headers={"Referer": f"{BASE}{page}"}, follow_redirects=False)
    assert sent.status_code == 303
    login = sent.headers["location"]
    assert login == f"/login?next=/staff/requests/{reference}&signed_out=1"
    shown = await client.get(login)
    assert SIGNED_OUT in shown.text
    back = await _sign_in_from(client, login)
    assert back == page
    landed = await client.get(back)
    assert landed.status_code == 200 and reference in landed.text
    assert "Called the requester." not in landed.text  # not saved, as the sign-in page said


async def test_without_a_page_to_go_back_to_the_address_sent_to_is_followed_up_to_a_page(
    client: AsyncTestClient, sessions: Any, staff: Staff
) -> None:
    reference = await _request_signed_out(client, sessions, staff)
    for referer in ({}, {"Referer": "https://evil.example/staff/requests"}, {"Referer": f"{BASE}/staff/requests/{reference}/actions"}):
        sent = await client.post(f"/staff/requests/{reference}/actions", data=_note(client), headers=referer, follow_redirects=False)
        assert sent.headers["location"] == f"/login?next=/staff/requests/{reference}&signed_out=1", referer
    htmx = await client.post(
        f"/staff/requests/{reference}/actions", data=_note(client), headers={"HX-Request": "true"}, follow_redirects=False
    )
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == f"/login?next=/staff/requests/{reference}&signed_out=1"
    back = await _sign_in_from(client, htmx.headers["HX-Redirect"])
    assert (await client.get(back)).status_code == 200


async def test_a_page_asked_for_is_itself_and_says_nothing_was_lost(client: AsyncTestClient, staff: Staff) -> None:
    asked = await client.get("/staff/requests?status=all", follow_redirects=False)
    assert asked.headers["location"] == "/login?next=/staff/requests%3Fstatus%3Dall"
    assert SIGNED_OUT not in (await client.get(asked.headers["location"])).text


async def test_a_next_elsewhere_or_carrying_a_confirmation_is_not_followed(client: AsyncTestClient, staff: Staff) -> None:
    for given, expected in [
        ("https://evil.example/", "/staff"),
        ("//evil.example/", "/staff"),
        ("/\\evil.example/", "/staff"),
        # a confirmation's words in a link must not become this app's signed banner after sign-in
        ("/staff/account?done=Your+password+has+expired%3A+call+0800+000+000", "/staff/account"),
        ("/staff/requests?status=all&problem=Call+us&sig=0", "/staff/requests?status=all"),
    ]:
        await client.post("/logout", headers={"x-csrftoken": client.cookies.get("csrftoken", "")})
        await client.get("/login")
        answer = await client.post(
            "/login",
            data={"_csrf_token": client.cookies.get("csrftoken", ""), "email": staff.officer.email, "password": PASSWORD, "next": given},
            follow_redirects=False,
        )
        assert answer.headers["location"] == expected, given
