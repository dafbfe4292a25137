"""Logging a request with bad input: the form says what is wrong, where, and nothing is created."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, recent_weekday, screenshot
from tests.e2e.dates import date_group, fill_date

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
    expect(page.locator("#title-error")).to_contain_text("Enter a title")
    expect(page.locator("#requester-email-error")).to_contain_text("email address or a postal address")
    # the summary names the fields as their labels do
    expect(summary.locator("li")).to_have_text(
        [
            "Enter a title",
            "Enter what was asked",
            "Enter the requester's name",
            "Enter an email address or a postal address to reply to",
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
    fill_date(page, "Date the request was received", ("1", "1", "2999"))
    page.get_by_label("Name", exact=True).fill("Fred Future")
    page.get_by_label("Email", exact=True).fill("fred@example.org")
    page.get_by_role("button", name="Log request").click()
    expect(page.locator("#received_on-error")).to_contain_text("Date the request was received must be today or in the past")
    expect(page.locator(".error-summary li")).to_have_count(1)
    expect(page.get_by_label("Email", exact=True)).to_have_value("fred@example.org")
    assert live_server.count_requests(status=[]) == before


@pytest.mark.parametrize("width", [1280, 320])
def test_the_date_received_is_typed_as_day_month_and_year(pages: Pages, live_server: LiveServer, width: int) -> None:
    """The GOV.UK date input: three boxes of numbers in one group named by its legend, never a browser
    picker showing the date the American way round; the request is due 20 working days on."""
    received = recent_weekday(10)
    page = pages.new("officer", width=width)
    page.goto(live_server.url("/staff/requests/new"))
    expect(page.locator('input[type="date"]')).to_have_count(0)
    group = date_group(page, "Date the request was received")
    expect(group).to_contain_text("For example, 27 3 2026")
    for box in ("Day", "Month", "Year"):
        expect(group.get_by_label(box, exact=True)).to_have_attribute("inputmode", "numeric")
    page.get_by_label("Title", exact=True).fill(f"Date typed in boxes at {width}px")
    page.get_by_label("What was asked", exact=True).fill("How many benches are in the parks?")
    fill_date(page, "Date the request was received", received)
    page.get_by_label("Name", exact=True).fill("Dora Datebox")
    page.get_by_label("Email", exact=True).fill("dora@example.org")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    screenshot(page, f"new-request-date-typed-{width}")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Log request").click()
    assert navigation.value.status == 200
    reference = re.search(r"/staff/requests/([A-Z]+-\d{4}-\d{5})", page.url)[1]  # type: ignore[index]
    live_server.created.append(reference)
    with live_server.api() as client:
        logged = client.get(f"/api/v1/requests/{reference}").json()
    assert logged["received_on"] == received.isoformat()
    due = date.fromisoformat(logged["due_on"])
    expect(page.locator(".due-date")).to_have_text(f"Due {due:%a} {due.day} {due:%b %Y}")
    screenshot(page, f"new-request-date-due-{width}")


@pytest.mark.parametrize("width", [1280, 320])
def test_a_two_digit_year_is_refused_and_the_summary_takes_the_focus(pages: Pages, live_server: LiveServer, width: int) -> None:
    before = live_server.count_requests(status=[])
    page = pages.new("officer", width=width)
    page.goto(live_server.url("/staff/requests/new"))
    page.get_by_label("Title", exact=True).fill("A year typed short")
    page.get_by_label("What was asked", exact=True).fill("Anything")
    fill_date(page, "Date the request was received", ("2", "3", "26"))
    page.get_by_label("Name", exact=True).fill("Yannick Year")
    page.get_by_label("Email", exact=True).fill("yannick@example.org")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Log request").click()
    assert navigation.value.status == 422
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    message = "Date the request was received must include a year with 4 numbers"
    expect(summary.locator("li")).to_have_text([message])
    group = date_group(page, "Date the request was received")
    expect(group.locator(".field-error")).to_have_text(f"Error: {message}")
    expect(group.get_by_label("Year", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(group.get_by_label("Year", exact=True)).to_have_value("26")
    expect(group.get_by_label("Day", exact=True)).not_to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    screenshot(page, f"new-request-date-year-typo-{width}")
    # the link goes to the box at fault, the year (GOV.UK)
    summary.get_by_role("link", name=message).click()
    expect(group.get_by_label("Year", exact=True)).to_be_focused()
    assert live_server.count_requests(status=[]) == before
