"""In Chromium: a member of staff whose session ended while a form was open sends it, is told on the sign-in
page that it was not saved, and after signing in is back on the request's page (with JavaScript, htmx
follows the redirect; without, the browser does); a page that does not exist keeps the staff header, and
its Sign out works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF, LiveServer, Pages, log_in
from tests.e2e.test_officer_journey import open_action

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False])
def test_a_note_sent_after_the_session_ended_leads_back_to_the_request_page(
    pages: Pages, live_server: LiveServer, javascript: bool
) -> None:
    reference = live_server.create_request("Grass cutting schedule for parks")["reference"]
    page = pages.new("officer", javascript=javascript)
    page.goto(live_server.url(f"/staff/requests/{reference}"))
    panel = open_action(page, "Add a note")
    panel.get_by_label("Note", exact=True).fill("Phoned the requester.")
    page.context.clear_cookies(name="session")  # the session ends (it expired) while the form is open
    panel.get_by_role("button", name="Add a note").click()

    page.wait_for_url(re.compile(r"/login\?"))
    expect(page.get_by_role("status")).to_contain_text("You were signed out, so what you sent was not saved.")
    email, _, _, password = STAFF["officer"]
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(live_server.url(f"/staff/requests/{reference}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Grass cutting schedule for parks")
    expect(page.locator("#timeline")).not_to_contain_text("Phoned the requester.")


def test_a_staff_page_not_found_keeps_the_staff_header(pages: Pages, live_server: LiveServer) -> None:
    # a session of its own, signed in here: its Sign out must not end the one the other tests share
    page = pages.new()
    log_in(page, live_server, "officer")
    for path in ("/staff/requests/FOI-2020-99999", "/staff/nothing"):
        answer = page.goto(live_server.url(path))
        assert answer is not None and answer.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        assert page.title().startswith("Page not found")
        expect(page.get_by_role("navigation", name="Staff")).to_contain_text("Requests")
    page.get_by_role("button", name=re.compile("^Sign out")).click()
    page.wait_for_url(re.compile(r"/login$"))
