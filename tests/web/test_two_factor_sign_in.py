"""Signing in with two-factor authentication: the password, then a code from the app (or a recovery
code), with the pending step reaching no staff page; setting it up on 'Your account'; admins required
to have it where FOI_REQUIRE_2FA_FOR_ADMINS is on; an admin's reset."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import timedelta

import time_machine
from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import Settings
from app.domain import two_factor as rules
from app.models import User
from app.services import two_factor
from app.services.clock import now_utc
from tests.factories import PASSWORD, Staff, csrf_headers, sign_in

STEP = timedelta(seconds=rules.STEP_SECONDS)


async def switch_on(sessions, user: User) -> tuple[str, list[str]]:
    """Two-factor on for `user` (the code of the current step is taken): the secret and the recovery codes."""
    secret = rules.new_secret()
    async with sessions.write.begin() as db:
        codes = await two_factor.enable(db, user, secret, rules.code_at(secret, now_utc()), now_utc())
    return secret, codes


def next_code(secret: str) -> str:
    """A code not yet taken: the next step's (the app's clock may be up to a step ahead)."""
    return rules.code_at(secret, now_utc() + STEP)


async def password_step(client: AsyncTestClient, user: User, next: str = "/staff/requests") -> None:
    await client.get("/login")
    answer = await client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "next": next},
        headers=csrf_headers(client),
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/login/code"


async def code_step(client: AsyncTestClient, **fields: str):
    return await client.post("/login/code", data=fields, headers=csrf_headers(client), follow_redirects=False)


async def test_the_right_code_signs_in_and_the_password_alone_does_not(client: AsyncTestClient, staff: Staff, sessions) -> None:
    secret, _ = await switch_on(sessions, staff.officer)
    await password_step(client, staff.officer, next="/staff/requests?status=all")

    # the pending step alone reaches no staff page, nor the API with the session cookie
    for path in ("/staff/requests", "/staff/account", "/staff/account/two-factor"):
        answer = await client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next="), path
    assert (await client.get("/api/v1/requests")).status_code == 401

    page = await client.get("/login/code")
    assert page.status_code == 200 and "Enter the code from your authenticator app" in page.text

    wrong = await code_step(client, code="000000" if next_code(secret) != "000000" else "111111")
    assert wrong.status_code == 400
    assert "The code is not right" in wrong.text
    assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 303

    right = await code_step(client, code=next_code(secret))
    assert right.status_code == 303 and right.headers["location"] == "/staff/requests?status=all"
    assert (await client.get("/staff/requests")).status_code == 200


async def test_a_code_is_taken_once(settings: Settings, staff: Staff, sessions) -> None:
    secret, _ = await switch_on(sessions, staff.officer)
    code = next_code(secret)
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as first:
        await password_step(first, staff.officer)
        assert (await code_step(first, code=code)).status_code == 303
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as second:
        await password_step(second, staff.officer)
        replayed = await code_step(second, code=code)
        assert replayed.status_code == 400
        # said for what it is: the right code, typed a second time, not a mistyped one
        assert "That code has been used already. Wait for your app to show a new code, then enter it." in html.unescape(replayed.text)
        assert "The code is not right" not in replayed.text
        assert (await second.get("/staff/requests", follow_redirects=False)).status_code == 303
        wrong = await code_step(second, code="000000" if code != "000000" else "111111")
        assert "The code is not right" in wrong.text and "used already" not in wrong.text


async def test_a_recovery_code_signs_in_once(settings: Settings, staff: Staff, sessions) -> None:
    _, codes = await switch_on(sessions, staff.officer)
    assert len(codes) == 10 and len(set(codes)) == 10
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await password_step(client, staff.officer)
        used = await code_step(client, recovery_code=codes[3].upper().replace("-", " "))  # as typed from paper
        assert used.status_code == 303
        assert (await client.get("/staff/requests")).status_code == 200
        account = await client.get("/staff/account")
        assert "9 recovery codes left" in account.text
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as again:
        await password_step(again, staff.officer)
        refused = await code_step(again, recovery_code=codes[3])
        assert refused.status_code == 400
        assert "That recovery code is not right, or has been used." in refused.text


async def test_a_recovery_code_typed_in_the_code_box_is_taken_as_one_and_only_once(settings: Settings, staff: Staff, sessions) -> None:
    _, codes = await switch_on(sessions, staff.officer)
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await password_step(client, staff.officer)
        used = await code_step(client, code=codes[5])
        assert used.status_code == 303 and used.headers["location"] == "/staff/requests"
        assert "9 recovery codes left" in (await client.get("/staff/account")).text
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as again:
        await password_step(again, staff.officer)
        for way in ({"code": codes[5]}, {"recovery_code": codes[5]}):
            refused = await code_step(again, **way)
            assert refused.status_code == 400
            assert "That recovery code is not right, or has been used." in refused.text
            assert "The code must be 6 numbers" not in refused.text
        # the message sits beside the box it was typed in
        refused = await code_step(again, code=codes[5])
        assert 'id="code-error"' in refused.text and 'id="recovery_code-error"' not in refused.text
        assert (await again.get("/staff/requests", follow_redirects=False)).status_code == 303


async def test_too_many_wrong_codes_start_again_from_the_password(client: AsyncTestClient, staff: Staff, sessions) -> None:
    secret, _ = await switch_on(sessions, staff.officer)
    await password_step(client, staff.officer)
    wrong = "123456" if next_code(secret) != "123456" else "654321"
    for _ in range(4):
        assert (await code_step(client, code=wrong)).status_code == 400
    fifth = await code_step(client, code=wrong)
    assert "Too many wrong codes" in fifth.text
    # the pending step is gone: even the right code now needs the password first
    assert (await code_step(client, code=next_code(secret))).status_code == 400
    assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 303


async def test_the_code_page_without_a_password_first_goes_to_sign_in(client: AsyncTestClient, staff: Staff) -> None:
    answer = await client.get("/login/code", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def _secret_on(page: str) -> str:
    found = re.search(r'<code id="secret-key">([A-Z2-7 ]+)</code>', page)
    assert found, "the secret is shown for typing"
    return found.group(1).replace(" ", "")


async def test_setting_up_on_the_account_page(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    account = await client.get("/staff/account")
    assert account.status_code == 200 and "Set up two-factor authentication" in account.text

    setup = await client.get("/staff/account/two-factor")
    assert setup.status_code == 200
    assert '<svg role="img" aria-label="QR code for your authenticator app"' in setup.text
    secret = _secret_on(setup.text)
    assert secret == _secret_on((await client.get("/staff/account/two-factor")).text)  # the same until it is confirmed

    wrong = await client.post("/staff/account/two-factor", data={"code": "12345"}, headers=csrf_headers(client))
    assert wrong.status_code == 422 and "Enter the 6-digit code your authenticator app shows" in html.unescape(wrong.text)
    done = await client.post("/staff/account/two-factor", data={"code": rules.code_at(secret, now_utc())}, headers=csrf_headers(client))
    assert done.status_code == 200
    assert "Two-factor authentication is on" in done.text
    codes = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", done.text)
    assert len(codes) == 10
    page = await client.get("/staff/account")
    assert '<strong class="tag">On</strong>' in page.text and "10 recovery codes left" in page.text
    assert not any(code in page.text for code in codes)  # shown once

    # new recovery codes need a current code or the password; the old ones stop working
    refused = await client.post("/staff/account/two-factor/recovery-codes", data={"proof": "not my password"}, headers=csrf_headers(client))
    assert refused.status_code == 422 and "The password is not right" in refused.text
    fresh = await client.post("/staff/account/two-factor/recovery-codes", data={"proof": PASSWORD}, headers=csrf_headers(client))
    new_codes = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", fresh.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)

    # turning it off needs a code or the password
    off = await client.post(
        "/staff/account/two-factor/off", data={"proof": next_code(secret)}, headers=csrf_headers(client), follow_redirects=False
    )
    assert off.status_code == 303
    assert "Set up two-factor authentication" in (await client.get("/staff/account")).text


async def test_admins_must_set_it_up_where_the_setting_says(settings: Settings, staff: Staff, sessions) -> None:
    app = create_app(replace(settings, require_2fa_for_admins=True))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await sign_in(client, staff.admin)
        for path in ("/staff/requests", "/staff/admin/users", "/staff/account"):
            answer = await client.get(path, follow_redirects=False)
            assert answer.status_code == 303 and answer.headers["location"] == "/staff/account/two-factor", path
        api = await client.get("/api/v1/requests")
        assert api.status_code == 403 and "set up two-factor authentication first" in api.json()["detail"]
        setup = await client.get("/staff/account/two-factor")
        assert "Admins must use two-factor authentication here" in setup.text
        secret = _secret_on(setup.text)
        await client.post("/staff/account/two-factor", data={"code": rules.code_at(secret, now_utc())}, headers=csrf_headers(client))
        assert (await client.get("/staff/admin/users")).status_code == 200
        # and cannot turn it off again
        page = await client.get("/staff/account/two-factor")
        assert "Admins must keep two-factor authentication on here" in page.text
        off = await client.post("/staff/account/two-factor/off", data={"proof": PASSWORD}, headers=csrf_headers(client))
        assert off.status_code == 409
    # officers are not made to
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as officer:
        await sign_in(officer, staff.officer)
        assert (await officer.get("/staff/requests")).status_code == 200


async def test_an_admin_resets_someones_two_factor(client: AsyncTestClient, settings: Settings, staff: Staff, sessions) -> None:
    await switch_on(sessions, staff.officer)
    await sign_in(client, staff.admin)
    users = await client.get("/staff/admin/users")
    assert f'Reset two-factor authentication<span class="visually-hidden"> for {staff.officer.name}' in users.text
    reset = await client.post(
        f"/staff/admin/users/{staff.officer.id}/two-factor/reset",
        data={"confirmed": "yes"},  # from its confirmation page (tests/web/test_admin_confirmations.py)
        headers=csrf_headers(client),
        follow_redirects=False,
    )
    assert reset.status_code == 303
    page = await client.get(reset.headers["location"])
    assert f"Two-factor authentication reset for {staff.officer.name}" in page.text
    assert f"Reset by {staff.admin.name}" in page.text
    async with sessions.read() as db:
        officer = await db.get(User, staff.officer.id)
        assert officer is not None and not officer.two_factor_on
    # the officer signs in with the password alone, and may set it up again
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as officer_client:
        await sign_in(officer_client, staff.officer)


async def test_an_admin_cannot_reset_their_own_two_factor_from_the_users_page(client: AsyncTestClient, staff: Staff, sessions) -> None:
    secret, _ = await switch_on(sessions, staff.admin)
    await password_step(client, staff.admin)
    assert (await code_step(client, code=next_code(secret))).status_code == 303
    users = await client.get("/staff/admin/users")
    assert f'/staff/admin/users/{staff.admin.id}/two-factor/reset"' not in users.text
    own = await client.post(
        f"/staff/admin/users/{staff.admin.id}/two-factor/reset", data={"confirmed": "yes"}, headers=csrf_headers(client)
    )
    assert own.status_code == 403 and "You cannot reset your own two-factor authentication" in own.text
    async with sessions.read() as db:
        admin = await db.get(User, staff.admin.id)
        assert admin is not None and admin.two_factor_on


async def test_only_admins_reset_two_factor(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await switch_on(sessions, staff.other_officer)
    await sign_in(client, staff.manager)
    answer = await client.post(
        f"/staff/admin/users/{staff.other_officer.id}/two-factor/reset", data={"confirmed": "yes"}, headers=csrf_headers(client)
    )
    assert answer.status_code == 403


async def test_wrong_codes_count_towards_the_accounts_sign_in_limit(settings: Settings, staff: Staff, sessions) -> None:
    secret, _ = await switch_on(sessions, staff.officer)
    app = create_app(replace(settings, login_attempts_per_account=3))
    wrong = "000000" if next_code(secret) != "000000" else "111111"
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await password_step(client, staff.officer)  # the first attempt
        assert (await code_step(client, code=wrong)).status_code == 400
        assert (await code_step(client, code=wrong)).status_code == 400
        limited = await code_step(client, code=next_code(secret))  # the fourth: not even checked
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) > 0
        assert "too many attempts to sign in to this account" in limited.text
        assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 303


async def test_the_code_page_never_signs_anyone_out(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    assert (await client.get("/login/code", follow_redirects=False)).status_code == 303
    assert (await client.get("/staff/requests")).status_code == 200


async def test_the_pending_step_ends_after_five_minutes(client: AsyncTestClient, staff: Staff, sessions) -> None:
    secret, _ = await switch_on(sessions, staff.officer)
    await password_step(client, staff.officer)
    with time_machine.travel(now_utc() + timedelta(minutes=5, seconds=5), tick=False):
        late = await code_step(client, code=next_code(secret))
        assert late.status_code == 400 and "That took too long: sign in again." in late.text
        assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 303


async def test_guessing_the_code_or_password_to_turn_two_factor_off_is_limited_like_signing_in(
    settings: Settings, staff: Staff, sessions
) -> None:
    secret, _ = await switch_on(sessions, staff.officer)
    app = create_app(replace(settings, login_attempts_per_account=3))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await password_step(client, staff.officer)
        assert (await code_step(client, code=next_code(secret))).status_code == 303
        for _ in range(3):
            wrong = await client.post("/staff/account/two-factor/off", data={"proof": "not-the-password"}, headers=csrf_headers(client))
            assert wrong.status_code == 422
        limited = await client.post("/staff/account/two-factor/off", data={"proof": PASSWORD}, headers=csrf_headers(client))
        assert limited.status_code == 429 and "too many attempts to sign in to this account" in limited.text
        also = await client.post("/staff/account/two-factor/recovery-codes", data={"proof": PASSWORD}, headers=csrf_headers(client))
        assert also.status_code == 429
    async with sessions.read() as db:
        officer = await db.get(User, staff.officer.id)
        assert officer is not None and officer.two_factor_on


async def _signed_in_with_code(client: AsyncTestClient, user: User, secret: str) -> None:
    await password_step(client, user)
    assert (await code_step(client, code=next_code(secret))).status_code == 303
    assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 200


async def _is_signed_out(client: AsyncTestClient) -> bool:
    answer = await client.get("/staff/requests", follow_redirects=False)
    return answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


async def test_an_admins_reset_signs_the_person_out_everywhere(client: AsyncTestClient, settings: Settings, staff: Staff, sessions) -> None:
    """Whoever holds the lost phone, or a browser left signed in, is signed out by the reset, on every
    host (two apps on one database stand for two hosts); a sign-in waiting for its code ends too."""
    secret, recovery = await switch_on(sessions, staff.officer)
    async with (
        AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as here,
        AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as elsewhere,
        AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as waiting,
        AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as colleague,
    ):
        await _signed_in_with_code(here, staff.officer, secret)
        await password_step(elsewhere, staff.officer)
        assert (await code_step(elsewhere, recovery_code=recovery[0])).status_code == 303
        await password_step(waiting, staff.officer)  # the password typed, the code not yet
        await sign_in(colleague, staff.other_officer)
        assert not await _is_signed_out(elsewhere)

        await sign_in(client, staff.admin)
        reset = await client.post(
            f"/staff/admin/users/{staff.officer.id}/two-factor/reset",
            data={"confirmed": "yes"},
            headers=csrf_headers(client),
            follow_redirects=False,
        )
        assert reset.status_code == 303

        assert await _is_signed_out(here) and await _is_signed_out(elsewhere)
        assert (await waiting.get("/login/code", follow_redirects=False)).headers["location"] == "/login"
        assert not await _is_signed_out(colleague)  # someone else's session is left alone
        assert not await _is_signed_out(client)  # and the admin's
        # they sign in again with the password alone
        await sign_in(here, staff.officer)
        assert not await _is_signed_out(here)


async def test_the_foi_commands_reset_signs_the_person_out(client: AsyncTestClient, staff: Staff, sessions) -> None:
    """`foi users reset-2fa` (the service it calls, by=None) ends the person's sessions too."""
    secret, _ = await switch_on(sessions, staff.officer)
    await _signed_in_with_code(client, staff.officer, secret)
    async with sessions.write.begin() as db:
        await two_factor.reset_by_email(db, staff.officer.email, by=None, now=now_utc())
    assert await _is_signed_out(client)


async def test_a_code_in_the_wrong_form_is_told_what_form_it_takes_with_the_problem_above_the_heading(
    client: AsyncTestClient, staff: Staff, sessions
) -> None:
    secret, _ = await switch_on(sessions, staff.officer)
    await password_step(client, staff.officer)
    cases = {
        ("code", "12ab"): "The code must be 6 numbers, like 123456",
        ("code", "1234567"): "The code must be 6 numbers, like 123456",
        ("code", " "): "Enter the 6-digit code from your authenticator app",
        ("recovery_code", "abcd-efgh"): "A recovery code is 12 letters and numbers in 3 groups of 4, like k7m2-q9xa-b3td",
        ("recovery_code", "0000-0000-0000"): "A recovery code is 12 letters and numbers in 3 groups of 4, like k7m2-q9xa-b3td",
    }
    for (field, typed), message in cases.items():
        answer = await code_step(client, **{field: typed})
        assert answer.status_code == 400, typed
        page = answer.text
        summary, heading = page.find('class="error-summary"'), page.find("<h1>")
        assert -1 < summary < heading, "the error summary comes first in the main column, before the heading"
        assert message in html.unescape(page), (typed, page[summary : summary + 400])
        assert f'<a href="#{field}">' in page and f'id="{field}-error"' in page
    # none of these counted as a wrong code (they could not have been right): five more tries remain
    assert (await code_step(client, code=next_code(secret))).status_code == 303
