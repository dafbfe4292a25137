"""Logging a request with bad input: the form says what is wrong, where, and nothing is created."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot

pytestmark = pytest.mark.e2e


def test_empty_new_request_form_shows_errors_and_creates_nothing(pages: Pages, live_server: LiveServer) -> None:
    before = live_server.count_requests(status=[])
    page = pages.new("officer")
    page.goto(live_server.url("/staff/requests/new"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a request")
    expect(page.locator(".error-summary")).to_have_count(0)
    screenshot(page, "new-request-form-empty")

    # the date is filled in with today; an empty form is everything else left blank
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Log request").click()
    assert navigation.value.status == 422
    assert page.url == live_server.url("/staff/requests/new")
    expect(page).to_have_title("Error: Log a request – Test Borough Council")

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    for field_id in ("title", "body", "requester-name", "requester-email"):
        # each message sits beside its field, is tied to it for screen readers, and the summary links to it
        error = page.locator(f"#{field_id}-error")
        expect(error).to_be_visible()
        expect(error).not_to_be_empty()
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(rf"(^|\s){field_id}-error$"))
        field_box, error_box = field.bounding_box(), error.bounding_box()
        assert field_box and error_box
        assert 0 <= field_box["y"] - (error_box["y"] + error_box["height"]) < 40, f"the message for {field_id} is not beside it"
        expect(summary.locator(f'a[href="#{field_id}"]')).to_have_count(1)
    expect(page.locator("#title-error")).to_contain_text("must not be empty")
    expect(page.locator("#requester-email-error")).to_contain_text("email or a postal address")
    # the summary names the fields as their labels do
    expect(summary.locator("li")).to_have_text(
        [
            "Title: must not be empty",
            "What was asked: must not be empty",
            "Requester's name: must not be empty",
            "Requester's email: give an email or a postal address to reply to",
        ]
    )
    screenshot(page, "new-request-form-errors")

    # the summary's links take the person to the field
    summary.locator('a[href="#body"]').click()
    expect(page.locator("#body")).to_be_focused()

    # what was typed is kept; nothing was created
    page.get_by_label("Title", exact=True).fill("Kept title")
    page.get_by_role("button", name="Log request").click()
    expect(page.get_by_label("Title", exact=True)).to_have_value("Kept title")
    expect(page.locator("#title-error")).to_have_count(0)
    expect(page.locator("#body-error")).to_be_visible()
    assert live_server.count_requests(status=[]) == before

    page.goto(live_server.url("/staff/requests?status=all&q=Kept+title"))
    expect(page.locator(".result-count")).to_have_text("0 requests")


def test_future_received_date_is_refused_beside_the_field(pages: Pages, live_server: LiveServer) -> None:
    before = live_server.count_requests(status=[])
    page = pages.new("officer")
    page.goto(live_server.url("/staff/requests/new"))
    page.get_by_label("Title", exact=True).fill("Future request")
    page.get_by_label("What was asked", exact=True).fill("Anything")
    page.get_by_label("Date received", exact=True).fill("2999-01-01")
    page.get_by_label("Name", exact=True).fill("Fred Future")
    page.get_by_label("Email", exact=True).fill("fred@example.org")
    page.get_by_role("button", name="Log request").click()
    expect(page.locator("#received_on-error")).to_contain_text("cannot be in the future")
    expect(page.locator(".error-summary li")).to_have_count(1)
    expect(page.get_by_label("Email", exact=True)).to_have_value("fred@example.org")
    assert live_server.count_requests(status=[]) == before
