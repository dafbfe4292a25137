"""The request list's filters: in place with JavaScript (htmx, URL kept in step), by the button without."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, recent_weekday, screenshot

pytestmark = pytest.mark.e2e

WORD = "Quokka"  # a word no other test's titles use, so counts here are exact


@pytest.fixture(scope="module")
def quokka_requests(live_server: LiveServer) -> list[str]:
    made = [
        live_server.create_request(f"{WORD} habitat survey costs", received_on=recent_weekday(3)),
        live_server.create_request(f"{WORD} sightings in the country park", department="adult-social-care"),
        live_server.create_request(f"{WORD} enclosure air quality readings", regime="eir", received_on=recent_weekday(10)),
        live_server.create_request("Library opening hours consultation", requester="Lena Library"),
    ]
    return [m["reference"] for m in made]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_filters_update_the_results_in_place(pages: Pages, live_server: LiveServer, quokka_requests: list[str]) -> None:
    page = pages.new("officer")
    page.goto(live_server.url("/staff/requests"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests")
    count = page.locator(".result-count")
    total = int(count.inner_text().split()[0])
    assert total >= len(quokka_requests)
    expect(page.locator("#results tbody tr")).to_have_count(min(total, 25))
    screenshot(page, "request-list")
    page.evaluate("window.__marker = 1")

    # typing in the search box narrows the list after a pause, without a page load
    page.get_by_label("Reference or words in the title").press_sequentially(WORD.lower(), delay=30)
    expect(count).to_have_text("3 requests")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3)
    for row in rows.all():
        expect(row).to_contain_text(WORD)
    expect(page).to_have_url(re.compile(r"[?&]q=quokka(&|$)"))
    assert page.evaluate("window.__marker") == 1, "the filter reloaded the page instead of updating it in place"

    # choosing a law narrows it again
    page.get_by_label("Law").select_option("eir")
    expect(count).to_have_text("1 request")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(f"{WORD} enclosure air quality readings")
    expect(rows.first.get_by_role("link")).to_have_text(re.compile(r"^EIR-\d{4}-\d{5}$"))
    expect(page).to_have_url(re.compile(r"regime=eir"))
    query = query_of(page.url)
    assert query["q"] == ["quokka"] and query["regime"] == ["eir"]
    assert page.evaluate("window.__marker") == 1

    # and a department, back on any law
    page.get_by_label("Law").select_option("")
    expect(count).to_have_text("3 requests")
    page.get_by_label("Department").select_option(label="Adult Social Care")
    expect(count).to_have_text("1 request")
    expect(rows.first).to_contain_text("sightings in the country park")
    assert page.evaluate("window.__marker") == 1
    screenshot(page, "request-list-filtered")

    # the pushed URL is a real address: opening it afresh shows the same filtered list and filled-in form
    filtered_url = page.url
    page.goto(filtered_url)
    expect(count).to_have_text("1 request")
    expect(page.get_by_label("Reference or words in the title")).to_have_value("quokka")
    expect(page.get_by_label("Department")).to_have_value("adult-social-care")

    # Back returns to the previous filter state
    page.go_back()
    expect(page).to_have_url(re.compile(r"q=quokka"))
    expect(count).to_have_text(re.compile(r"^[13] requests?$"))


def test_filters_work_without_javascript(pages: Pages, live_server: LiveServer, quokka_requests: list[str]) -> None:
    page = pages.new("officer", javascript=False)
    page.goto(live_server.url("/staff/requests"))
    count = page.locator(".result-count")
    expect(count).not_to_have_text("3 requests")

    page.get_by_label("Reference or words in the title").fill(WORD)
    page.get_by_label("Law").select_option("foia")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Apply filters").click()
    assert navigation.value.status == 200
    query = query_of(page.url)
    assert query["q"] == [WORD] and query["regime"] == ["foia"]
    expect(count).to_have_text("2 requests")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#results")).not_to_contain_text("enclosure air quality")
    expect(page.get_by_label("Law")).to_have_value("foia")

    # a reference typed whole finds that one request
    page.get_by_label("Reference or words in the title").fill(quokka_requests[2])
    page.get_by_label("Law").select_option("")
    page.get_by_role("button", name="Apply filters").click()
    expect(count).to_have_text("1 request")
    expect(rows.first).to_contain_text(quokka_requests[2])


def test_list_shows_due_dates_and_stopped_clocks(pages: Pages, live_server: LiveServer, quokka_requests: list[str]) -> None:
    reference = quokka_requests[0]
    with live_server.api() as client:
        answer = client.post(f"/api/v1/requests/{reference}/actions", json={"action": "request_clarification"})
    assert answer.status_code in (200, 201), answer.text
    page = pages.new("officer")
    page.goto(live_server.url(f"/staff/requests?q={WORD}"))
    stopped = page.locator("#results tbody tr").filter(has_text=reference)
    expect(stopped).to_contain_text("Awaiting clarification")
    expect(stopped.locator(".tag-stopped")).to_have_text("Clock stopped")
    running = page.locator("#results tbody tr").filter(has_text=quokka_requests[1])
    expect(running.locator("td").nth(4)).to_contain_text(re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}"))  # after the select box


def test_overdue_requests_stand_out_and_can_be_filtered(pages: Pages, live_server: LiveServer) -> None:
    late = live_server.create_request("Wombat crossing signage budget", received_on=recent_weekday(60))["reference"]
    on_time = live_server.create_request("Wombat crossing consultation replies")["reference"]
    page = pages.new("officer")
    page.goto(live_server.url("/staff/requests?q=wombat"))
    count = page.locator(".result-count")
    expect(count).to_have_text("2 requests")
    late_row = page.locator("#results tbody tr").filter(has_text=late)
    expect(late_row.locator(".tag-overdue")).to_have_text(re.compile(r"^\d+ days? overdue$"))
    expect(page.locator("#results tbody tr").filter(has_text=on_time).locator(".tag-overdue")).to_have_count(0)
    # open work is listed soonest due first: the late one at the top
    expect(page.locator("#results tbody tr").first).to_contain_text(late)

    page.evaluate("window.__marker = 1")
    page.get_by_label("Overdue only").check()
    expect(count).to_have_text("1 request")
    expect(page.locator("#results tbody tr").first).to_contain_text(late)
    expect(page).to_have_url(re.compile(r"overdue=1"))
    assert page.evaluate("window.__marker") == 1

    late_row = page.locator("#results tbody tr").filter(has_text=late)
    late_row.get_by_role("link", name=late).click()
    expect(page.locator(".deadline-box")).to_have_class(re.compile(r"\bis-overdue\b"))
    expect(page.locator(".days-left")).to_have_text(re.compile(r"^\s*\d+ working days? overdue\s*$"))
