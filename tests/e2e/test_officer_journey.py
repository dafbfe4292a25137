"""The acceptance test: an officer logs a request and works it through to a response, in the browser.

With JavaScript each step swaps the workspace in place (htmx) and the page never navigates; without
JavaScript the same forms post normally and the server redirects back to the request page.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF, LiveServer, Pages, log_in, recent_weekday, screenshot
from tests.e2e.dates import fill_date

pytestmark = pytest.mark.e2e

REFERENCE_URL = re.compile(r"/staff/requests/(?P<reference>[A-Z]+-\d{4}-\d+)")


def action_panel(page: Any, label: str) -> Any:
    """The <details> of one action under 'What happens next', found by its summary text."""
    return page.locator("details.action").filter(has=page.locator("summary", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")))


def open_action(page: Any, label: str) -> Any:
    panel = action_panel(page, label)
    expect(panel).to_have_count(1)
    panel.locator("summary").click()
    expect(panel).to_have_attribute("open", "")
    return panel


def timeline_titles(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#timeline .timeline-title").all_inner_texts()]


def _posts_to_actions(server: LiveServer) -> int:
    """How many step forms the server has been sent (its access log's lines)."""
    return sum(1 for line in server.log_path.read_text().splitlines() if "POST /staff/requests/" in line and "/actions" in line)


def mark_page(page: Any) -> None:
    """A marker that only survives while the page is not reloaded or navigated away from."""
    page.evaluate("window.__marker = 1")


def assert_not_navigated(page: Any, url: str) -> None:
    assert page.evaluate("window.__marker") == 1, "the page navigated: the step was not swapped in place"
    assert page.url == url


def test_officer_logs_and_answers_a_request_with_javascript(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new()
    log_in(page, live_server, "officer")
    expect(page.locator(".signed-in")).to_contain_text("Olivia Officer")

    # log a new request through the form
    page.get_by_role("link", name="Log a request").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a request")
    received = recent_weekday()
    page.get_by_label("Law it was made under").select_option("foia")
    page.get_by_label("Title", exact=True).fill("Pothole repairs on the High Street 2024")
    page.get_by_label("What was asked", exact=True).fill("How many potholes were repaired on the High Street in 2024, and at what cost?")
    fill_date(page, "Date the request was received", received)
    page.get_by_label("Department", exact=True).select_option(label="Corporate Services")
    page.get_by_label("Name", exact=True).fill("Priya Patel")
    page.get_by_label("Email", exact=True).fill("priya.patel@example.org")
    page.get_by_label("Postal address", exact=True).fill("12 Mill Lane\nTestbury\nTB1 2AB")
    page.get_by_role("button", name="Log request").click()

    page.wait_for_url(REFERENCE_URL)
    reference = REFERENCE_URL.search(page.url)["reference"]  # type: ignore[index]
    live_server.created.append(reference)
    expect(page.get_by_role("status")).to_have_text(f"Request {reference} logged.")
    expect(page.locator(".request-heading .caption")).to_contain_text(reference)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pothole repairs on the High Street 2024")
    expect(page.locator(".request-heading .tag").first).to_have_text("New")
    expect(page.locator(".due-date")).to_contain_text("Due ")
    details = page.locator("#details-heading ~ dl")
    expect(details).to_contain_text("Corporate Services")
    expect(details).to_contain_text("Nobody yet")
    expect(page.locator("#requester-heading + dl")).to_contain_text("priya.patel@example.org")

    # the explanation of the due date opens in place
    page.get_by_text("How was this date worked out?").click()
    explanation = page.locator("details.explain")
    expect(explanation).to_have_attribute("open", "")
    expect(explanation.locator(".explanation li").first).to_be_visible()
    expect(explanation.get_by_role("table")).to_contain_text("Working day")
    screenshot(page, "request-page-open-explained")

    # after a step the address is the request's own (a reload must not say "logged" again)
    url = page.url.split("?")[0]
    mark_page(page)

    # assign to the other officer
    panel = open_action(page, "Assign")
    panel.get_by_label("Officer").select_option(label=f"{STAFF['officer2'][1]} (officer)")
    panel.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_have_text("Assigned.")
    # focus moves to the confirmation, so keyboard and screen reader users are not left at the top of the page
    expect(page.get_by_role("status")).to_be_focused()
    expect(page.locator("#details-heading ~ dl")).to_contain_text(STAFF["officer2"][1])
    assert_not_navigated(page, url)

    # ask for clarification: the clock stops
    panel = open_action(page, "Ask for clarification")
    panel.get_by_label("What needs clarifying (the notice to the requester quotes it)").fill(
        "Which stretch of the High Street do you mean?"
    )
    panel.get_by_label("Do not send a notice with this step").check()
    panel.get_by_role("button", name="Ask for clarification").click()
    expect(page.get_by_role("status")).to_have_text("Clarification requested.")
    expect(page.locator(".request-heading")).to_contain_text("Awaiting clarification")
    expect(page.locator(".request-heading .tag-stopped")).to_contain_text("Clock stopped")
    expect(page.locator(".due-date")).to_have_text("No due date while the clock is stopped")
    assert_not_navigated(page, url)
    screenshot(page, "request-page-clock-stopped")

    # the clarification arrives: the clock runs again
    panel = open_action(page, "Record clarification received")
    panel.get_by_role("button", name="Record clarification received").click()
    expect(page.get_by_role("status")).to_have_text("Clarification received.")
    expect(page.locator(".request-heading .tag").first).to_have_text("In progress")
    expect(page.locator(".request-heading .tag-stopped")).to_have_count(0)
    expect(page.locator(".due-date")).to_contain_text("Due ")
    assert_not_navigated(page, url)

    # respond, granted in part, relying on s.40
    panel = open_action(page, "Send response")
    panel.get_by_role("radio", name="Granted in part", exact=True).check()
    panel.get_by_label(re.compile(r"s\.?\s?40 Personal information")).check()
    panel.get_by_label("Response sent").fill("We repaired 42 potholes at a cost of £12,345. Names of contractors' staff are withheld.")
    panel.get_by_label("Do not send a notice with this step").check()
    panel.get_by_role("button", name="Send response").click()
    expect(page.get_by_role("status")).to_have_text("Response sent.")
    assert_not_navigated(page, url)

    heading = page.locator(".request-heading")
    expect(heading.locator(".tag").first).to_have_text("Responded")
    side = page.locator("#details-heading ~ dl")
    expect(side).to_contain_text("Granted in part")
    expect(side).to_contain_text("Personal information")
    expect(page.locator("#response-heading + .request-body")).to_contain_text("We repaired 42 potholes")
    expect(page.locator(".deadline-box")).to_contain_text("Responded on")

    # the timeline, newest first
    assert timeline_titles(page) == [
        "Response sent",
        "Clarification received",
        "Clarification requested",
        "Assigned",
        "Request logged",
    ]
    newest = page.locator("#timeline .timeline-item").first
    expect(newest).to_contain_text("Outcome: Granted in part")
    expect(newest).to_contain_text("Personal information")
    expect(page.locator("#timeline .timeline-item").nth(3)).to_contain_text(f"Assigned to {STAFF['officer2'][1]}")
    expect(page.locator("#timeline .timeline-item").nth(2)).to_contain_text("Which stretch of the High Street do you mean?")

    # a responded request offers no more response steps; a reload shows the same saved state
    expect(action_panel(page, "Send response")).to_have_count(0)
    page.reload()
    expect(page.locator(".request-heading .tag").first).to_have_text("Responded")
    expect(page.locator(".notice")).to_have_count(0)
    assert timeline_titles(page)[0] == "Response sent"
    screenshot(page, "request-page-responded")

    # and the list shows it under "Any status" with the new status
    page.goto(live_server.url(f"/staff/requests?status=all&q={reference}"))
    row = page.locator("#results tbody tr").filter(has_text=reference)
    expect(row).to_contain_text("Responded")
    expect(row).to_contain_text(STAFF["officer2"][1])


def test_action_refused_in_place_with_javascript(pages: Pages, live_server: LiveServer) -> None:
    """A step the service refuses shows its message beside the form, without leaving the page."""
    reference = live_server.create_request("Street lighting energy use")["reference"]
    page = pages.new("officer")
    page.goto(live_server.url(f"/staff/requests/{reference}"))
    url = page.url
    mark_page(page)
    panel = open_action(page, "Add a note")
    panel.get_by_role("button", name="Add a note").click()  # an empty note is refused
    panel = action_panel(page, "Add a note")
    expect(panel).to_have_attribute("open", "")
    expect(panel.get_by_role("alert")).to_contain_text("Enter the note")
    expect(panel.get_by_role("alert")).to_be_focused()
    assert_not_navigated(page, url)
    assert timeline_titles(page) == ["Request logged"]

    panel.get_by_label("Note", exact=True).fill("Phoned the requester to acknowledge.")
    panel.get_by_role("button", name="Add a note").click()
    expect(page.get_by_role("status")).to_have_text("Note added.")
    assert timeline_titles(page) == ["Note added", "Request logged"]
    expect(page.locator("#timeline .note").first).to_have_text("Phoned the requester to acknowledge.")
    assert_not_navigated(page, url)


def test_actions_work_without_javascript(pages: Pages, live_server: LiveServer) -> None:
    reference = live_server.create_request("Council tax arrears collection")["reference"]
    page = pages.new("officer", javascript=False)
    request_url = live_server.url(f"/staff/requests/{reference}")
    page.goto(request_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Council tax arrears collection")

    def submit(panel: Any, button: str) -> Any:
        """Clicks the action's button; returns the POST's answer (the redirect) and the page it led to."""
        with page.expect_navigation() as navigation:
            panel.get_by_role("button", name=button).click()
        landed = navigation.value
        posted = landed.request.redirected_from
        return posted.response() if posted else None, landed

    # <details> opens without JavaScript; the form posts, the server answers 303 back to the page
    panel = open_action(page, "Assign")
    panel.get_by_label("Officer").select_option(label=f"{STAFF['officer2'][1]} (officer)")
    redirect, landed = submit(panel, "Assign")
    assert redirect is not None and redirect.status == 303, "the action form did not redirect after posting"
    assert redirect.request.method == "POST"
    assert landed.status == 200
    # the confirmation comes signed, so that a link with words of its own is never shown (app/web/confirmations.py)
    assert re.fullmatch(rf"{re.escape(request_url)}\?done=Assigned\.&sig=[0-9a-f]{{32}}#timeline", page.url), page.url
    expect(page.get_by_role("status")).to_have_text("Assigned.")  # feedback without JavaScript too
    expect(page.locator("#details-heading ~ dl")).to_contain_text(STAFF["officer2"][1])
    assert timeline_titles(page) == ["Assigned", "Request logged"]

    panel = open_action(page, "Ask for clarification")
    panel.get_by_label("Do not send a notice with this step").check()
    redirect, _ = submit(panel, "Ask for clarification")
    assert redirect is not None and redirect.status == 303
    expect(page.locator(".request-heading")).to_contain_text("Awaiting clarification")
    expect(page.locator(".due-date")).to_have_text("No due date while the clock is stopped")
    assert timeline_titles(page) == ["Clarification requested", "Assigned", "Request logged"]
    screenshot(page, "request-page-no-javascript")

    # a refused step (a date in the future) comes back as the page with the message beside the form, at an
    # address of its own (POST, redirect, GET) that a reload or a bookmark opens again without sending the step
    panel = open_action(page, "Record clarification received")
    fill_date(panel, "Date it happened", ("1", "1", "2999"))
    panel.get_by_label("Note (optional)").fill("Phoned: 2023/24 only")
    redirect, landed = submit(panel, "Record clarification received")
    assert redirect is not None and redirect.status == 303 and landed.status == 200
    step_address = re.compile(rf"{re.escape(request_url)}\?step=receive_clarification&attempt=[\w-]+#step-receive_clarification")
    assert step_address.fullmatch(page.url), page.url
    posts = _posts_to_actions(live_server)
    assert posts >= 3  # the assignment, the clarification and the refused step, each in the server's log
    for _ in range(2):  # as it came back, then reloaded: the same form, the same problem, nothing sent again
        panel = action_panel(page, "Record clarification received")
        expect(panel).to_have_attribute("open", "")
        expect(panel.get_by_role("alert")).to_contain_text("Date it happened must be today or in the past")
        expect(panel.get_by_label("Year", exact=True)).to_have_value("2999")
        expect(panel.get_by_label("Note (optional)")).to_have_value("Phoned: 2023/24 only")
        expect(page.locator(".request-heading")).to_contain_text("Awaiting clarification")
        assert timeline_titles(page) == ["Clarification requested", "Assigned", "Request logged"]
        reloaded = page.reload()
        assert reloaded is not None and reloaded.request.method == "GET" and reloaded.status == 200
        assert step_address.fullmatch(page.url), page.url
    time.sleep(0.3)  # the server writes its log as it answers; give it a moment to land
    assert _posts_to_actions(live_server) == posts
