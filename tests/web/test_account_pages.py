"""API tokens on the pages: made (shown once), listed with their expiry and revoked on 'Your account';
every member of staff's listed and revoked by an admin; another officer's never revoked."""

from __future__ import annotations

import re
from datetime import timedelta

from litestar.testing import AsyncTestClient
from markupsafe import escape

from app.services import users as user_service
from app.services.clock import now_utc
from tests.factories import Staff, bearer, csrf_headers, sign_in, token_for


async def test_tokens_on_the_account_page(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await sign_in(client, staff.officer)
    nameless = await client.post("/staff/account/tokens", data={"label": " ", "days": ""}, headers=csrf_headers(client))
    assert nameless.status_code == 422 and "Give the token a name" in nameless.text
    too_long = await client.post("/staff/account/tokens", data={"label": "Reports", "days": "400"}, headers=csrf_headers(client))
    assert too_long.status_code == 422 and "A token can last from 1 to 90 days" in too_long.text


async def test_a_token_name_too_long_is_said_and_kept_never_cut_short(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await sign_in(client, staff.officer)
    page = await client.get("/staff/account")
    box = re.search(r'<input id="token-label"[^>]*>', page.text)
    assert box is not None and "maxlength" not in box.group(0)  # the browser would cut it short without a word
    assert "You can enter up to 100 characters." in page.text
    name = "Nightly export of the disclosure log to the council's open data portal, run by the digital team's scheduler"
    assert len(name) == 107
    long = await client.post("/staff/account/tokens", data={"label": name, "days": ""}, headers=csrf_headers(client))
    assert long.status_code == 422
    assert 'id="token-label-error"><span class="visually-hidden">Error:</span> Token name must be 100 characters or fewer</p>' in long.text
    assert f'value="{escape(name)}"' in long.text  # the name typed is kept, to shorten
    async with sessions.read() as db:
        assert await user_service.list_tokens(db, user_id=staff.officer.id) == []
    exactly = await client.post("/staff/account/tokens", data={"label": name[:100], "days": ""}, headers=csrf_headers(client))
    assert exactly.status_code == 200 and str(escape(name[:100])) in exactly.text

    created = await client.post(
        "/staff/account/tokens", data={"label": "Monthly report script", "days": "30"}, headers=csrf_headers(client)
    )
    assert created.status_code == 200
    token = re.search(r'value="(foi_[A-Za-z0-9_-]+)"', created.text)
    assert token, "the new token is shown once"
    assert (await client.get("/api/v1/departments", headers=bearer(token.group(1)))).status_code == 200

    page = await client.get("/staff/account")
    assert "Monthly report script" in page.text
    assert token.group(1) not in page.text  # never shown again
    expires = (now_utc() + timedelta(days=30)).astimezone()
    assert f"{expires.day} {expires:%b %Y}" in page.text
    token_id = re.search(r'action="/staff/account/tokens/(\d+)/revoke"', page.text)
    assert token_id
    revoked = await client.post(f"/staff/account/tokens/{token_id.group(1)}/revoke", headers=csrf_headers(client))
    assert revoked.status_code == 200 and "is revoked: it no longer works" in revoked.text
    assert (await client.get("/api/v1/departments", headers=bearer(token.group(1)))).status_code == 401


async def test_an_officer_cannot_revoke_anothers_token_on_the_page(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await token_for(sessions, staff.other_officer)
    async with sessions.read() as db:
        [theirs] = await user_service.list_tokens(db)
    await sign_in(client, staff.officer)
    answer = await client.post(f"/staff/account/tokens/{theirs.id}/revoke", headers=csrf_headers(client))
    assert answer.status_code == 404
    async with sessions.read() as db:
        [still] = await user_service.list_tokens(db)
    assert still.state == "active"


async def test_the_admin_tokens_page(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await token_for(sessions, staff.officer)
    await sign_in(client, staff.admin)
    page = await client.get("/staff/admin/tokens")
    assert page.status_code == 200 and staff.officer.name in page.text and "Never" in page.text
    token_id = re.search(r'action="/staff/admin/tokens/(\d+)/revoke"', page.text)
    assert token_id
    revoked = await client.post(f"/staff/admin/tokens/{token_id.group(1)}/revoke", headers=csrf_headers(client))
    assert revoked.status_code == 200 and f"by {staff.admin.name}" in revoked.text


async def test_last_used_says_no_more_than_is_known(client: AsyncTestClient, staff: Staff, sessions) -> None:
    """A token's use is recorded at most every 5 minutes: the page says 'in the last 5 minutes', or the
    5 minutes it was last used in, never a minute it cannot know."""
    import time_machine

    token = await token_for(sessions, staff.officer)
    with time_machine.travel("2025-11-20 10:02:30 +00:00", tick=False) as clock:
        await sign_in(client, staff.officer)
        before = await client.get("/staff/account")
        assert re.search(r"<td[^>]*>Never</td>", before.text)
        assert (await client.get("/api/v1/departments", headers=bearer(token))).status_code == 200
        clock.move_to("2025-11-20 10:06:00 +00:00")
        assert (await client.get("/api/v1/departments", headers=bearer(token))).status_code == 200  # not recorded
        assert "In the last 5 minutes" in (await client.get("/staff/account")).text
        clock.move_to("2025-11-20 14:00:00 +00:00")
        later = (await client.get("/staff/account")).text
        assert "Today, between 10:02 and 10:07" in later and "10:06" not in later
        clock.move_to("2025-11-23 09:00:00 +00:00")
        await sign_in(client, staff.officer)
        days_later = (await client.get("/staff/account")).text
        assert "20 Nov 2025, between 10:02 and 10:07" in days_later
    await sign_in(client, staff.admin)
    assert "20 Nov 2025, between 10:02 and 10:07" in (await client.get("/staff/admin/tokens")).text
