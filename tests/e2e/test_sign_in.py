"""Signing in: anonymous visitors are sent to the login page and, once signed in, to where they were going."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF, LiveServer, Pages, screenshot

pytestmark = pytest.mark.e2e


def test_anonymous_visitor_is_sent_to_login_then_back(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new()
    page.goto(live_server.url("/staff/requests?regime=eir&status=all"))
    expect(page).to_have_url(re.compile(r"/login\?next="))
    assert parse_qs(urlsplit(page.url).query)["next"] == ["/staff/requests?regime=eir&status=all"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("navigation", name="Staff")).to_have_count(0)
    screenshot(page, "login")

    # a wrong password keeps the person on the form, with the email kept and a message
    email, name, _, password = STAFF["officer"]
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("not-the-password")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Sign in").click()
    assert navigation.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("The email or password is not right.")
    expect(page.get_by_label("Email address")).to_have_value(email)
    expect(page.get_by_label("Password")).to_have_value("")
    screenshot(page, "login-error")

    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url("/staff/requests?regime=eir&status=all"))
    expect(page.get_by_label("Law")).to_have_value("eir")
    expect(page.get_by_label("Status")).to_have_value("all")
    expect(page.locator(".signed-in")).to_have_text(f"Signed in as {name} (officer)")

    # signing out ends the session: the staff pages send the person to the login page again
    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    expect(page).to_have_url(live_server.url("/login"))
    page.goto(live_server.url("/staff/requests/new"))
    expect(page).to_have_url(re.compile(r"/login\?next=/staff/requests/new$"))


def test_login_does_not_send_people_off_site(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new()
    page.goto(live_server.url("/login?next=//evil.example/phish"))
    email, _, _, password = STAFF["manager"]
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url("/staff/dashboard"))  # a manager's landing page


def test_officer_cannot_open_admin_pages(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new("officer")
    page.goto(live_server.url("/staff/requests"))
    expect(page.get_by_role("navigation", name="Staff").get_by_role("link", name="Users")).to_have_count(0)
    answer = page.goto(live_server.url("/staff/admin/users"))
    assert answer is not None and answer.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
