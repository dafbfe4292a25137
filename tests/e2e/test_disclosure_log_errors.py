"""Date problems in Chromium, answered in place as one types (htmx: the disclosure log, the calculator, the
timeliness report): the answer says what is wrong and the boxes at fault are marked, as the page without
JavaScript marks them (issue 13)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot
from tests.e2e.dates import date_group, fill_date

pytestmark = pytest.mark.e2e

REVERSED = "The \u2018Released to\u2019 date must be the same as or after the \u2018Released from\u2019 date"


def _leave_and_settle(page: object) -> None:
    """Leaves the box typed in (the browser's own change event then sends the search again) and waits for
    that answer, so a click that follows is not on a summary being replaced."""
    page.evaluate("document.activeElement && document.activeElement.blur()")  # type: ignore[attr-defined]
    page.wait_for_function("() => !document.querySelector('form.htmx-request')")  # type: ignore[attr-defined]


def _expect_marked(page: object, legend: str, marked: list[str]) -> None:
    group = date_group(page, legend)
    for box in ("Day", "Month", "Year"):
        field = group.get_by_label(box, exact=True)
        if box.lower() in marked:
            expect(field).to_have_attribute("aria-invalid", "true")
        else:
            expect(field).not_to_have_attribute("aria-invalid", "true")


@pytest.mark.parametrize("width", [1280, 320])
def test_a_date_refused_in_place_is_marked_in_its_boxes_and_its_link_goes_to_the_year(
    pages: Pages, live_server: LiveServer, width: int
) -> None:
    page = pages.new(width=width)
    page.goto(live_server.url("/disclosures"))
    page.evaluate("window.__marker = 1")
    summary = page.locator("#disclosure-results .error-summary")

    fill_date(page, "Released from", ("1", "3", "26"))
    message = "Released from must include a year with 4 numbers"
    expect(summary).to_have_text(re.compile(re.escape(message)))
    group = date_group(page, "Released from")
    _expect_marked(page, "Released from", ["year"])
    expect(group.locator(".field-error")).to_have_text(f"Error: {message}")
    expect(group).to_have_attribute("aria-describedby", "from-hint from-error")
    expect(group.get_by_label("Year", exact=True)).to_have_value("26")
    # answered as typed: the focus stays where the person is typing
    expect(group.get_by_label("Year", exact=True)).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    screenshot(page, f"public-search-year-typo-{width}")
    _leave_and_settle(page)
    summary.get_by_role("link", name=message).click()
    expect(group.get_by_label("Year", exact=True)).to_be_focused()

    fill_date(page, "Released from", ("1", "3", "2026"))
    expect(summary).to_have_count(0)
    _expect_marked(page, "Released from", [])
    expect(group.locator(".field-error")).to_have_count(0)

    # a range that ends before it starts
    fill_date(page, "Released from", ("1", "5", "2026"))
    fill_date(page, "Released to", ("1", "1", "2026"))
    expect(summary).to_have_text(re.compile(re.escape(REVERSED)))
    _expect_marked(page, "Released to", ["day", "month", "year"])
    _expect_marked(page, "Released from", [])
    expect(date_group(page, "Released to").locator(".field-error")).to_have_text(f"Error: {REVERSED}")
    screenshot(page, f"public-search-reversed-range-{width}")
    _leave_and_settle(page)
    summary.get_by_role("link", name=REVERSED).click()
    expect(date_group(page, "Released to").get_by_label("Day", exact=True)).to_be_focused()
    assert page.evaluate("window.__marker") == 1, "the results were not answered in place"


def test_without_javascript_the_same_boxes_are_marked(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new(javascript=False)
    page.goto(live_server.url("/disclosures"))
    fill_date(page, "Released from", ("1", "5", "2026"))
    fill_date(page, "Released to", ("1", "1", "2026"))
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Search").click()
    assert navigation.value is not None and navigation.value.status == 422
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_have_text(re.compile(re.escape(REVERSED)))
    _expect_marked(page, "Released to", ["day", "month", "year"])
    _expect_marked(page, "Released from", [])


def test_the_calculator_marks_a_date_it_refuses_in_place_too(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new()
    page.goto(live_server.url("/deadline-calculator"))
    page.evaluate("window.__marker = 1")
    fill_date(page, "Date received", ("2", "3", "26"))
    message = "Date received must include a year with 4 numbers"
    result = page.locator("#result .error-summary")
    expect(result).to_have_text(re.compile(re.escape(message)))
    _expect_marked(page, "Date received", ["year"])
    group = date_group(page, "Date received")
    expect(group.locator(".field-error")).to_have_text(f"Error: {message}")
    expect(group.get_by_label("Year", exact=True)).to_be_focused()
    fill_date(page, "Date received", ("2", "3", "2026"))
    expect(page.locator("#result")).to_contain_text("31 March 2026")
    _expect_marked(page, "Date received", [])
    expect(group.locator(".field-error")).to_have_count(0)
    assert page.evaluate("window.__marker") == 1, "the result was not answered in place"


def test_the_timeliness_report_marks_a_date_it_refuses_in_place_too(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new("manager")
    page.goto(live_server.url("/staff/reports/timeliness"))
    fill_date(page, "Received to", ("31", "3", "26"))
    message = "Received to must include a year with 4 numbers"
    expect(page.locator("#report .error-summary")).to_have_text(re.compile(re.escape(message)))
    _expect_marked(page, "Received to", ["year"])
    expect(date_group(page, "Received to").locator(".field-error")).to_have_text(f"Error: {message}")
    fill_date(page, "Received to", ("31", "3", "2026"))
    expect(page.locator("#report .error-summary")).to_have_count(0)
    _expect_marked(page, "Received to", [])


def test_a_batch_s_live_count_marks_the_filter_dates_it_refuses(pages: Pages, live_server: LiveServer) -> None:
    with live_server.api() as api:
        created = api.post("/api/v1/batches", json={"title": "Dates marked in place"})
    assert created.status_code == 201, created.text
    page = pages.new("officer")
    page.goto(live_server.url(f"/staff/batches/{created.json()['id']}"))
    fill_date(page, "Received from", ("1", "3", "2026"))
    fill_date(page, "Received until", ("1", "2", "2026"))
    message = "The \u2018Received until\u2019 date must be the same as or after the \u2018Received from\u2019 date"
    expect(page.locator("#matching")).to_have_text(message)
    _expect_marked(page, "Received until", ["day", "month", "year"])
    _expect_marked(page, "Received from", [])
    expect(date_group(page, "Received until").locator(".field-error")).to_have_text(f"Error: {message}")
    fill_date(page, "Received until", ("1", "4", "2026"))
    expect(page.locator("#matching")).to_contain_text("match")
    _expect_marked(page, "Received until", [])
