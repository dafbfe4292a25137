"""Signing in and out as an IT security team expects: throttled per account and per address (429 with
Retry-After and a page saying when), Secure cookies and HSTS over HTTPS, sign-out by POST only, a
CSRF token and a session ID renewed at sign-in, JSON writes with the session cookie kept to JSON from
this site, and the client's address read from trusted proxies only."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest
from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import Settings
from tests.factories import PASSWORD, Staff, bearer, new_request_body, sign_in, token_for


def _form(client: httpx.AsyncClient, **fields: str) -> dict[str, str]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


async def _attempt(client: httpx.AsyncClient, email: str, password: str = "not-the-password", **headers: str) -> httpx.Response:
    return await client.post("/login", data=_form(client, email=email, password=password), headers=headers, follow_redirects=False)


@pytest.fixture
async def strict(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    """9 wrong passwords per address a minute, 3 attempts per account."""
    async with AsyncTestClient(app=create_app(replace(settings, login_attempts_per_minute=9))) as client:
        await client.get("/login")
        yield client


async def test_too_many_attempts_get_a_429_page_saying_when_to_try_again(strict: AsyncTestClient, staff: Staff) -> None:
    codes = [(await _attempt(strict, staff.officer.email)).status_code for _ in range(3)]
    refused = await _attempt(strict, staff.officer.email, PASSWORD)  # even the right password, for now
    assert codes == [400, 400, 400]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["content-type"].startswith("text/html")
    assert "too many attempts to sign in to this account" in refused.text
    assert re.search(r"You can try again from \d\d:\d\d:\d\d \(in \d+ seconds?\)", refused.text)
    assert 'class="site-header"' in refused.text  # the site's own page, with the form to try again
    assert 'name="password"' in refused.text
    asked_for_json = await strict.post(
        "/login", data=_form(strict, email=staff.officer.email, password=PASSWORD), headers={"Accept": "application/json"}
    )
    assert asked_for_json.status_code == 429 and asked_for_json.headers["retry-after"].isdigit()
    assert asked_for_json.json()["status_code"] == 429
    assert asked_for_json.json()["retry_after"] == int(asked_for_json.headers["retry-after"])


async def test_guesses_at_one_account_never_lock_another_out_from_the_same_address(strict: AsyncTestClient, staff: Staff) -> None:
    codes = [(await _attempt(strict, staff.officer.email)).status_code for _ in range(20)]
    assert codes == [400] * 3 + [429] * 17
    signed_in = await _attempt(strict, staff.manager.email, PASSWORD)
    assert signed_in.status_code == 303


async def test_many_accounts_from_one_address_meet_the_address_limit(strict: AsyncTestClient, staff: Staff) -> None:
    codes = [(await _attempt(strict, f"guess{i}@council.example")).status_code for i in range(10)]
    assert codes == [400] * 9 + [429]
    refused = await _attempt(strict, staff.manager.email, PASSWORD)
    assert refused.status_code == 429
    assert "from your internet connection" in refused.text


async def test_signing_in_clears_the_accounts_count(strict: AsyncTestClient, staff: Staff) -> None:
    assert [(await _attempt(strict, staff.officer.email)).status_code for _ in range(2)] == [400, 400]
    assert (await _attempt(strict, staff.officer.email, PASSWORD)).status_code == 303
    await strict.post("/logout", data=_form(strict), follow_redirects=False)
    assert [(await _attempt(strict, staff.officer.email)).status_code for _ in range(4)] == [400, 400, 400, 429]


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


async def test_cookies_are_secure_and_hsts_is_sent_with_an_https_base_url(settings: Settings, staff: Staff) -> None:
    https = replace(settings, mail=replace(settings.mail, base_url="https://foi.council.example"))
    async with AsyncTestClient(app=create_app(https), base_url="https://testserver.local") as client:
        page = await client.get("/login")
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        assert "; Secure" in _set_cookies(page)["csrftoken"]
        signed_in = await _attempt(client, staff.officer.email, PASSWORD)
        assert signed_in.status_code == 303
        assert "; Secure" in _set_cookies(signed_in)["session"]
        assert "; Secure" in _set_cookies(signed_in)["csrftoken"]
        assert signed_in.headers["strict-transport-security"] == "max-age=31536000"
    forced_off = replace(https, secure_cookies=False)
    async with AsyncTestClient(app=create_app(forced_off)) as client:
        page = await client.get("/login")
        assert "strict-transport-security" not in page.headers
        assert "Secure" not in _set_cookies(page)["csrftoken"]
    forced_on = replace(settings, secure_cookies=True)  # plain http base URL, TLS at a proxy
    async with AsyncTestClient(app=create_app(forced_on), base_url="https://testserver.local") as client:
        page = await client.get("/login")
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        assert "; Secure" in _set_cookies(page)["csrftoken"]


async def test_plain_http_sets_no_secure_cookie_and_no_hsts(client: AsyncTestClient, staff: Staff) -> None:
    page = await client.get("/login")
    assert "strict-transport-security" not in page.headers
    assert "Secure" not in _set_cookies(page)["csrftoken"]


async def test_get_logout_does_not_sign_out_but_offers_the_button(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    page = await client.get("/logout", follow_redirects=False)
    assert page.status_code == 200
    assert re.search(r'<form method="post" action="/logout">\s*<input type="hidden" name="_csrf_token" value="[^"]+"', page.text)
    assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 200
    out = await client.post("/logout", data=_form(client), follow_redirects=False)
    assert out.status_code == 303
    assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 303
    assert (await client.get("/logout", follow_redirects=False)).headers["location"] == "/login"


async def test_a_csrf_token_from_before_sign_in_is_refused_after_it(client: AsyncTestClient, staff: Staff) -> None:
    await client.get("/login")
    before = client.cookies.get("csrftoken", "")
    await sign_in(client, staff.officer)
    after = client.cookies.get("csrftoken", "")
    assert after and after != before
    # the old token, sent as a form field and its cookie (as a neighbouring site could set it): refused
    client.cookies.set("csrftoken", before, domain="testserver.local")
    forged = await client.post("/logout", data={"_csrf_token": before}, follow_redirects=False)  # sign-out is let through
    assert forged.status_code == 303
    await sign_in(client, staff.officer)
    current = client.cookies.get("csrftoken", "")
    client.cookies.set("csrftoken", before, domain="testserver.local")
    refused = await client.post("/staff/requests/new", data={"_csrf_token": before, "title": "x"}, follow_redirects=False)
    assert refused.status_code == 403
    assert "opened before you signed in" in refused.text
    client.cookies.set("csrftoken", current, domain="testserver.local")
    accepted = await client.post("/staff/requests/new", data={"_csrf_token": current, "title": "x"}, follow_redirects=False)
    assert accepted.status_code == 422  # through the CSRF checks, to the form's own


async def test_a_csrf_token_from_another_session_is_refused(client: AsyncTestClient, settings: Settings, staff: Staff) -> None:
    async with AsyncTestClient(app=create_app(settings)) as other:
        await sign_in(other, staff.other_officer)
        theirs = other.cookies.get("csrftoken", "")
    await sign_in(client, staff.officer)
    client.cookies.set("csrftoken", theirs, domain="testserver.local")
    refused = await client.post("/staff/requests/new", data={"_csrf_token": theirs, "title": "x"}, follow_redirects=False)
    assert refused.status_code == 403


async def test_a_session_id_planted_before_sign_in_never_becomes_the_signed_in_session(
    client: AsyncTestClient, settings: Settings, staff: Staff
) -> None:
    await sign_in(client, staff.other_officer)  # an attacker's own session, whose ID they plant in a victim's browser
    planted = client.cookies.get("session", "")
    await sign_in(client, staff.officer)  # the victim signs in with the planted ID in their browser
    assert client.cookies.get("session", "") not in {"", planted}
    async with AsyncTestClient(app=create_app(settings)) as attacker:
        attacker.cookies.set("session", planted, domain="testserver.local")
        assert (await attacker.get("/staff/requests", follow_redirects=False)).status_code == 303


async def test_json_writes_with_the_session_cookie_must_be_json_from_this_site(
    client: AsyncTestClient, settings: Settings, staff: Staff, sessions
) -> None:
    await sign_in(client, staff.officer)
    body = json.dumps(new_request_body())
    as_text = await client.post("/api/v1/requests", content=body, headers={"Content-Type": "text/plain"})
    assert as_text.status_code == 415
    assert "application/json" in as_text.json()["detail"]
    as_form = await client.post("/api/v1/requests", data={"title": "x"})
    assert as_form.status_code == 415
    elsewhere = await client.post(
        "/api/v1/requests", content=body, headers={"Content-Type": "application/json", "Origin": "https://evil.example"}
    )
    assert elsewhere.status_code == 403
    assert "another site" in elsewhere.json()["detail"]
    null_origin = await client.post("/api/v1/requests", content=body, headers={"Content-Type": "application/json", "Origin": "null"})
    assert null_origin.status_code == 403
    own = await client.post(
        "/api/v1/requests", content=body, headers={"Content-Type": "application/json; charset=utf-8", "Origin": "http://testserver.local"}
    )
    assert own.status_code == 201, own.text
    base_url = await client.post(
        "/api/v1/requests", content=body, headers={"Content-Type": "application/json", "Origin": "http://127.0.0.1:8000"}
    )
    assert base_url.status_code == 201  # FOI_BASE_URL's origin (the default, here)
    # a Bearer token is not sent by a browser by itself: no such rules
    token = await token_for(sessions, staff.officer)
    async with AsyncTestClient(app=create_app(settings)) as script:
        scripted = await script.post(
            "/api/v1/requests",
            content=body,
            headers={**bearer(token), "Content-Type": "application/json", "Origin": "https://tool.example"},
        )
        assert scripted.status_code == 201


@asynccontextmanager
async def _through_proxy(settings: Settings, peer: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose connection comes from `peer` (a proxy, or not)."""
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            await client.get("/login")
            yield client
    finally:
        await app.state.engine.dispose()  # no lifespan here to do it


async def test_the_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(settings: Settings, staff: Staff) -> None:
    limited = replace(settings, login_attempts_per_minute=3)  # 3 wrong passwords per address
    trusted = replace(limited, trusted_proxies=("10.0.0.0/8",))
    async with _through_proxy(trusted, "10.1.2.3") as client:
        codes = [(await _attempt(client, f"guess{i}@council.example", **{"X-Forwarded-For": "203.0.113.7"})).status_code for i in range(4)]
        assert codes == [400, 400, 400, 429]
        # another client behind the same proxy is another address
        assert (await _attempt(client, "guess9@council.example", **{"X-Forwarded-For": "203.0.113.8"})).status_code == 400
        # what a client writes into the header itself is not believed: the right-most untrusted hop counts
        spoofed = await _attempt(client, "guess10@council.example", **{"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
        assert spoofed.status_code == 429
    # the same header from a peer that is not a trusted proxy is ignored: the peer is the address
    async with _through_proxy(trusted, "192.0.2.50") as client:
        codes = [
            (await _attempt(client, f"direct{i}@council.example", **{"X-Forwarded-For": f"203.0.113.{i}"})).status_code for i in range(4)
        ]
        assert codes == [400, 400, 400, 429]
    # and with no trusted proxies at all
    async with _through_proxy(limited, "10.1.2.4") as client:
        codes = [
            (await _attempt(client, f"untrusted{i}@council.example", **{"X-Forwarded-For": f"203.0.113.{i}"})).status_code for i in range(4)
        ]
        assert codes == [400, 400, 400, 429]


def test_the_settings_are_read_and_checked() -> None:
    env = {"FOI_SECRET_KEY": "k" * 40}
    settings = Settings.from_env({**env, "FOI_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1", "FOI_BASE_URL": "https://foi.example"})
    assert settings.trusted_proxies == ("10.0.0.0/8", "192.0.2.1/32")
    assert settings.cookies_secure is True
    assert Settings.from_env({**env, "FOI_BASE_URL": "https://foi.example", "FOI_SECURE_COOKIES": "off"}).cookies_secure is False
    assert Settings.from_env({**env, "FOI_SECURE_COOKIES": "on"}).cookies_secure is True
    assert Settings.from_env(env).cookies_secure is False
    assert Settings.from_env({**env, "FOI_LOGIN_ATTEMPTS_PER_ACCOUNT": "5"}).login_attempts_per_account == 5
    for name, value, message in (
        ("FOI_TRUSTED_PROXIES", "proxy.internal", "FOI_TRUSTED_PROXIES must list IP addresses or networks"),
        ("FOI_SECURE_COOKIES", "maybe", "FOI_SECURE_COOKIES must be on or off"),
        ("FOI_LOGIN_ATTEMPTS_PER_MINUTE", "2", "FOI_LOGIN_ATTEMPTS_PER_MINUTE must be at least 3"),
        ("FOI_LOGIN_ATTEMPTS_PER_MINUTE", "lots", "FOI_LOGIN_ATTEMPTS_PER_MINUTE must be a whole number"),
        ("FOI_LOGIN_ATTEMPTS_PER_ACCOUNT", "15", "FOI_LOGIN_ATTEMPTS_PER_ACCOUNT must be less than half of FOI_LOGIN_ATTEMPTS_PER_MINUTE"),
    ):
        with pytest.raises(ValueError, match=message):
            Settings.from_env({**env, name: value})
