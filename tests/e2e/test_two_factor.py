"""Two-factor authentication in the browser: set up on 'Your account' with the secret shown (as a person
would type it into an app), recovery codes shown once, then signing out and in with a code; at 1280 px
and, without JavaScript, at 390 px."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot

pytestmark = pytest.mark.e2e

EMAIL, NAME, PASSWORD = "tariq.twofactor@test.example", "Tariq Twofactor", "a-long-enough-password"


def _sign_in_with_password(page, live_server: LiveServer) -> None:
    page.goto(live_server.url("/login"))
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_setting_up_two_factor_and_signing_in_with_a_code(pages: Pages, live_server: LiveServer) -> None:
    # an account of its own: the other browser tests sign in with a password alone
    admin = pages.new("admin")
    admin.goto(live_server.url("/staff/admin/users"))
    form = admin.locator("form.form")
    form.get_by_label("Full name").fill(NAME)
    form.get_by_label("Email address").fill(EMAIL)
    form.get_by_label("Role").select_option("officer")
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Add user").click()
    expect(admin.get_by_role("status")).to_have_text(f"Account created for {NAME}")

    page = pages.new(width=1280)
    _sign_in_with_password(page, live_server)
    page.wait_for_url(re.compile(r"/staff/"))
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    page.get_by_role("link", name="Set up two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    screenshot(page, "two-factor-setup-1280")

    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    app = pyotp.TOTP(secret)

    # a wrong code is explained beside the field, and nothing is switched on
    page.get_by_label("Enter the 6-digit code the app shows").fill("12345")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#code-error")).to_contain_text("Enter the 6-digit code")
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    assert page.locator("#secret-key").inner_text().replace(" ", "") == secret  # the same secret still

    page.get_by_label("Enter the 6-digit code the app shows").fill(app.now())
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication is on")
    codes = page.get_by_role("list", name="Recovery codes").locator("li")
    expect(codes).to_have_count(10)
    screenshot(page, "two-factor-recovery-codes-1280")
    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page.locator("#two-factor ~ p").first).to_contain_text("On")

    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    expect(page).to_have_url(re.compile(r"/login"))

    # a phone-sized screen, without JavaScript: the password, then the code
    small = pages.new(width=390, javascript=False)
    _sign_in_with_password(small, live_server)
    expect(small).to_have_url(live_server.url("/login/code"))
    expect(small.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    # the password alone reaches no staff page
    small.goto(live_server.url("/staff/requests"))
    expect(small).to_have_url(re.compile(r"/login\?next="))
    small.goto(live_server.url("/login/code"))
    screenshot(small, "two-factor-code-390")
    # a code with letters in it: told the form a code takes, in an error summary at the top of the main column
    small.get_by_label("Code", exact=True).fill("12ab")
    small.get_by_role("button", name="Sign in", exact=True).click()
    summary = small.locator(".error-summary")
    expect(summary).to_contain_text("The code must be 6 numbers, like 123456")
    expect(small.locator("#code-error")).to_contain_text("The code must be 6 numbers")
    expect(small.locator("#code")).to_have_attribute("aria-invalid", "true")
    assert small.evaluate(
        "() => { const s = document.querySelector('.error-summary'), h = document.querySelector('main h1');"
        " return s.parentElement === h.parentElement && !!(s.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING)"
        " && !s.previousElementSibling; }"
    ), "the error summary is the first thing in the main column, before the heading"
    screenshot(small, "two-factor-code-error-390")
    summary.get_by_role("link").click()
    expect(small.locator("#code")).to_be_focused()
    # the next step's code: the one used to switch it on cannot be used again
    small.get_by_label("Code", exact=True).fill(app.at(time.time() + 30))
    small.get_by_role("button", name="Sign in", exact=True).click()
    expect(small).to_have_url(re.compile(r"/staff/"))
    expect(small.locator(".signed-in")).to_have_text(f"Signed in as {NAME} (officer)")
    small.goto(live_server.url("/staff/account"))
    expect(small.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    screenshot(small, "two-factor-account-390")
