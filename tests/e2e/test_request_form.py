"""The public request form in a real browser, with and without JavaScript, on a desktop and a phone:
a request made shows its reference and due date; a form sent too quickly is refused with a reason,
nothing is made, and sending it again a moment later works; the pages are well formed."""

from __future__ import annotations

import re
import secrets
import time
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot
from tests.e2e.test_accessibility import check_focus_is_visible, check_structure

pytestmark = pytest.mark.e2e

MIN_FILL_SECONDS = 3.2  # the form refuses one sent sooner after it opened (app/services/public_requests.py)


def new_visitor(pages: Pages, *, javascript: bool, width: int) -> Any:
    """A member of the public on an address of their own (the server trusts X-Forwarded-For from
    127.0.0.1, as behind a local proxy), so that the per-address limit counts each test apart."""
    page = pages.new(javascript=javascript, width=width)
    page.context.set_extra_http_headers({"X-Forwarded-For": f"198.51.100.{secrets.randbelow(250) + 1}"})
    return page


def fill_in(page: Any, topic: str) -> str:
    """Fills the form in as a person would; the e-mail address given."""
    address = f"tamsin.{secrets.token_hex(3)}@example.org"
    page.get_by_label("What information do you want?").fill(f"Dear FOI team,\nHow much was spent on {topic} in 2025?\nThank you")
    page.get_by_label("Your name").fill("Tamsin Penhallow")
    page.get_by_label("E-mail address").fill(address)
    return address


def acknowledgement_to(live_server: LiveServer, address: str) -> Any:
    """The acknowledgement the server's SMTP server received for this address (sent after the answer)."""
    for _ in range(100):
        found = [message for _, to, message in live_server.mailbox.received if to == [address]]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no acknowledgement reached {address}")


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [1280, 390])
def test_a_member_of_the_public_makes_a_request_and_sees_its_reference_and_due_date(
    pages: Pages, live_server: LiveServer, javascript: bool, width: int
) -> None:
    topic = f"bus shelters {secrets.token_hex(3)}"
    page = new_visitor(pages, javascript=javascript, width=width)
    page.goto(live_server.url("/"))
    page.get_by_role("link", name="Make a Freedom of Information request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a Freedom of Information request")
    check_structure(page, f"request form {width}")
    check_focus_is_visible(page, f"request form {width}", stops=8)
    screenshot(page, f"request-form-{width}-{'js' if javascript else 'nojs'}")

    address = fill_in(page, topic)
    page.get_by_label("A paper copy by post").check()
    time.sleep(MIN_FILL_SECONDS)  # as long as a person takes, at least
    with page.expect_navigation() as sent:
        page.get_by_role("button", name="Send request").click()
    assert sent.value.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    reference = page.locator(".confirmation-reference strong").inner_text()
    assert re.fullmatch(r"FOI-\d{4}-\d{5}", reference), reference
    check_structure(page, f"request sent {width}")
    screenshot(page, f"request-sent-{width}-{'js' if javascript else 'nojs'}")

    # the request is there for staff, as made: from the web, new, due on the date the page gave
    with live_server.api() as client:
        made = client.get(f"/api/v1/requests/{reference}").json()
    assert (made["channel"], made["status"], made["regime"]) == ("web", "new", "foia")
    assert made["title"] == f"How much was spent on {topic} in 2025?"
    expect(page.locator(".due-date")).to_have_text(f"By {long_date(date.fromisoformat(made['due_on']))}")
    # nothing of who asked is shown back: the answer is about the request
    expect(page.locator("main")).not_to_contain_text("Tamsin")
    expect(page.locator("main")).not_to_contain_text("example.org")

    # and the acknowledgement went to the address given, with the reference and the same due date
    acknowledgement = acknowledgement_to(live_server, address)
    text = acknowledgement.get_content()
    assert reference in acknowledgement["Subject"] and reference in text
    due = date.fromisoformat(made["due_on"])
    assert f"{due.day} {due:%B %Y}" in text, text
    assert "Information Commissioner" in text
    assert made["correspondence"][0]["kind"] == "acknowledgement"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_form_sent_too_quickly_is_refused_with_a_reason_and_nothing_is_made(
    pages: Pages, live_server: LiveServer, javascript: bool
) -> None:
    topic = f"parking permits {secrets.token_hex(3)}"
    page = new_visitor(pages, javascript=javascript, width=1280)
    page.goto(live_server.url("/request"))
    fill_in(page, topic)
    with pages.unchecked(), page.expect_navigation() as sent:  # axe checks the form elsewhere: here it would take time
        page.get_by_role("button", name="Send request").click()  # at once, as a robot would
    assert sent.value.status == 422
    expect(page).to_have_title(re.compile(r"^Error: Make a Freedom of Information request"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # read first by a screen reader, with or without JavaScript
    expect(summary).to_contain_text("Your request has not been sent yet")
    expect(summary).to_contain_text("sent very quickly after it was opened")
    expect(summary).to_contain_text("Please check your request and send it again")
    assert live_server.count_requests(status=[], q=topic) == 0
    screenshot(page, f"request-too-fast-{'js' if javascript else 'nojs'}")

    # what was typed is kept: reading the message took long enough, so sending again works
    expect(page.get_by_label("What information do you want?")).to_have_value(re.compile(topic))
    time.sleep(MIN_FILL_SECONDS)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    assert live_server.count_requests(status=[], q=topic) == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_an_empty_form_names_what_is_missing_and_leads_to_each_field(pages: Pages, live_server: LiveServer, width: int) -> None:
    page = new_visitor(pages, javascript=True, width=width)
    page.goto(live_server.url("/request"))
    page.get_by_role("button", name="Send request").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [  # down the page, as the form asks
            "Enter the information you are asking for",
            "Enter your name",
            "Enter an e-mail address or a postal address, so that we can reply",
        ]
    )
    for field in ("name", "email", "request"):
        expect(page.locator(f"#{field}-error")).to_be_visible()
        expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
    check_structure(page, f"request form with errors {width}")
    summary.get_by_role("link", name="Enter the information you are asking for").click()
    expect(page.get_by_label("What information do you want?")).to_be_focused()
    if width == 390:
        screenshot(page, "request-form-errors-390")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("wait", [5.0, 0.5], ids=["after-a-while", "at-once"])
def test_a_request_sent_again_after_going_back_is_recognised_and_not_made_twice(
    pages: Pages, live_server: LiveServer, javascript: bool, wait: float
) -> None:
    # the browser shows the form again on Back, with what was typed but a fresh page: sending it again
    # (after a while, or at once, which is no robot's pace here: the form had been sent) makes nothing new
    topic = f"grit bins {secrets.token_hex(3)}"
    page = new_visitor(pages, javascript=javascript, width=1280)
    page.goto(live_server.url("/request"))
    address = fill_in(page, topic)
    time.sleep(MIN_FILL_SECONDS)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    reference = page.locator(".confirmation-reference strong").inner_text()
    acknowledgement_to(live_server, address)

    page.go_back()
    expect(page.get_by_label("What information do you want?")).to_have_value(re.compile(topic))
    time.sleep(wait)
    with page.expect_navigation() as sent:
        page.get_by_role("button", name="Send request").click()
    assert sent.value.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("You have already sent this request")
    expect(page.locator(".confirmation-reference strong")).to_have_text(reference)
    expect(page.locator("main")).to_contain_text("We received this request from you before, so we have not made a second one")
    expect(page.locator("main")).not_to_contain_text("has not been sent")
    assert live_server.count_requests(status=[], q=topic) == 1
    time.sleep(0.5)  # an acknowledgement of a second request would have come by now
    assert len([1 for _, to, _ in live_server.mailbox.received if to == [address]]) == 1
