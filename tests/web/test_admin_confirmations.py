"""An admin's steps that lock someone out ask first: resetting someone's two-factor authentication
and deactivating an account each have a confirmation page saying what will happen, and only that
page's form carries them out (a bare POST, from an old page or another site, is shown the question)."""

from __future__ import annotations

import html
import re

from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import Settings
from app.domain import two_factor as rules
from app.models import User
from app.services import two_factor
from app.services.clock import now_utc
from tests.factories import Staff, csrf_headers, sign_in


async def _switch_on(sessions, user: User) -> None:
    secret = rules.new_secret()
    async with sessions.write.begin() as db:
        await two_factor.enable(db, user, secret, rules.code_at(secret, now_utc()), now_utc())


async def _account(sessions, user: User) -> User:
    async with sessions.read() as db:
        found = await db.get(User, user.id)
        assert found is not None
        return found


def _form_of(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to `action`, as the browser would send them."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.S)
    assert form is not None, f"no form posting to {action}"
    return {name: html.unescape(value) for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0))}


async def test_resetting_someones_two_factor_asks_first_and_cancel_changes_nothing(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await _switch_on(sessions, staff.officer)
    await sign_in(client, staff.admin)
    users = await client.get("/staff/admin/users")
    link = f'<a href="/staff/admin/users/{staff.officer.id}/two-factor/reset">Reset two-factor authentication'
    assert link in users.text  # a link to the question, no button acting at once

    page = await client.get(f"/staff/admin/users/{staff.officer.id}/two-factor/reset")
    assert page.status_code == 200
    question = f"Are you sure you want to reset two-factor authentication for {staff.officer.name}?"
    assert f"<h1>{question}</h1>" in html.unescape(page.text)
    assert f"{staff.officer.name} is signed out everywhere at once" in page.text
    assert 'class="button warning">Yes, reset two-factor authentication</button>' in page.text
    assert '<a href="/staff/admin/users">Cancel</a>' in page.text
    # only looking at the question (and cancelling: a link back) changes nothing
    assert (await _account(sessions, staff.officer)).two_factor_on

    fields = _form_of(page.text, f"/staff/admin/users/{staff.officer.id}/two-factor/reset")
    assert fields.keys() >= {"_csrf_token", "confirmed"}
    done = await client.post(f"/staff/admin/users/{staff.officer.id}/two-factor/reset", data=fields, follow_redirects=False)
    assert done.status_code == 303
    after = await client.get(done.headers["location"])
    assert f"Two-factor authentication reset for {staff.officer.name}" in html.unescape(after.text)
    assert not (await _account(sessions, staff.officer)).two_factor_on


async def test_a_post_without_the_confirmation_only_shows_the_question(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await _switch_on(sessions, staff.officer)
    await sign_in(client, staff.admin)
    reset = await client.post(
        f"/staff/admin/users/{staff.officer.id}/two-factor/reset", headers=csrf_headers(client), follow_redirects=False
    )
    assert reset.status_code == 303 and reset.headers["location"] == f"/staff/admin/users/{staff.officer.id}/two-factor/reset"
    off = await client.post(
        f"/staff/admin/users/{staff.officer.id}/active", data={"active": "0"}, headers=csrf_headers(client), follow_redirects=False
    )
    assert off.status_code == 303 and off.headers["location"] == f"/staff/admin/users/{staff.officer.id}/deactivate"
    officer = await _account(sessions, staff.officer)
    assert officer.two_factor_on and officer.is_active


async def test_the_confirmation_forms_need_their_csrf_token(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await _switch_on(sessions, staff.officer)
    await sign_in(client, staff.admin)
    reset = await client.post(f"/staff/admin/users/{staff.officer.id}/two-factor/reset", data={"confirmed": "yes"})
    off = await client.post(f"/staff/admin/users/{staff.officer.id}/active", data={"active": "0", "confirmed": "yes"})
    assert reset.status_code == 403 and off.status_code == 403
    officer = await _account(sessions, staff.officer)
    assert officer.two_factor_on and officer.is_active


async def test_deactivating_someone_asks_first(client: AsyncTestClient, settings: Settings, staff: Staff, sessions) -> None:
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as theirs:
        await sign_in(theirs, staff.officer)
        await sign_in(client, staff.admin)
        users = await client.get("/staff/admin/users")
        assert f'<a href="/staff/admin/users/{staff.officer.id}/deactivate">Deactivate' in users.text

        page = await client.get(f"/staff/admin/users/{staff.officer.id}/deactivate")
        assert page.status_code == 200
        assert f"<h1>Are you sure you want to deactivate {staff.officer.name}?</h1>" in html.unescape(page.text)
        assert "their API tokens stop working" in page.text
        assert f'class="button warning">Yes, deactivate {staff.officer.name}</button>' in html.unescape(page.text)
        assert '<a href="/staff/admin/users">Cancel</a>' in page.text
        assert (await theirs.get("/staff/requests", follow_redirects=False)).status_code == 200  # still signed in

        fields = _form_of(page.text, f"/staff/admin/users/{staff.officer.id}/active")
        done = await client.post(f"/staff/admin/users/{staff.officer.id}/active", data=fields, follow_redirects=False)
        assert done.status_code == 303
        after = await client.get(done.headers["location"])
        assert f"{staff.officer.name} deactivated and signed out everywhere" in html.unescape(after.text)
        assert not (await _account(sessions, staff.officer)).is_active
        signed_out = await theirs.get("/staff/requests", follow_redirects=False)
        assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login?next=")

        # a deactivated account is not asked about again, and is reactivated at one click
        again = await client.get(f"/staff/admin/users/{staff.officer.id}/deactivate")
        assert again.status_code == 409 and f"{staff.officer.name} is already deactivated" in html.unescape(again.text)
        back = await client.post(f"/staff/admin/users/{staff.officer.id}/active", data={"active": "1"}, headers=csrf_headers(client))
        assert back.status_code == 200 and (await _account(sessions, staff.officer)).is_active


async def test_an_admin_is_not_asked_to_deactivate_themselves(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await sign_in(client, staff.admin)
    users = await client.get("/staff/admin/users")
    assert f"/staff/admin/users/{staff.admin.id}/deactivate" not in users.text
    page = await client.get(f"/staff/admin/users/{staff.admin.id}/deactivate")
    assert page.status_code == 409 and "You cannot deactivate your own account" in page.text
    own = await client.post(
        f"/staff/admin/users/{staff.admin.id}/active", data={"active": "0", "confirmed": "yes"}, headers=csrf_headers(client)
    )
    assert own.status_code == 409 and "You cannot deactivate your own account" in own.text
    assert (await _account(sessions, staff.admin)).is_active
    assert (await client.get("/staff/admin/users")).status_code == 200  # still signed in


async def test_only_admins_see_the_questions(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await _switch_on(sessions, staff.other_officer)
    await sign_in(client, staff.manager)
    for path in (
        f"/staff/admin/users/{staff.other_officer.id}/two-factor/reset",
        f"/staff/admin/users/{staff.other_officer.id}/deactivate",
    ):
        assert (await client.get(path)).status_code == 403, path
