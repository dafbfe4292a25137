"""Sending a response with nothing chosen, in the browser, with JavaScript and without: nothing is
recorded, the error summary takes the focus and lists every field at fault, each link goes to its
field, and each field says its problem beside it (issue 13)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, recent_weekday, screenshot
from tests.e2e.test_officer_journey import action_panel, open_action

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_an_empty_response_is_refused_field_by_field(pages: Pages, live_server: LiveServer, javascript: bool) -> None:
    reference = live_server.create_request("Road gritting routes", received_on=recent_weekday(3))["reference"]
    with live_server.api() as client:
        assert client.post(f"/api/v1/requests/{reference}/actions", json={"action": "start"}).status_code == 200
    page = pages.new("officer", javascript=javascript)
    page.goto(live_server.url(f"/staff/requests/{reference}"))
    panel = open_action(page, "Send response") if javascript else action_panel(page, "Send response")
    if not javascript:
        panel.locator("summary").click()
    # nothing chosen for the officer
    for radio in panel.get_by_role("radio").all():
        expect(radio).not_to_be_checked()
    panel.get_by_role("button", name="Send response").click()

    panel = action_panel(page, "Send response")
    summary = panel.locator(".error-summary")
    if javascript:  # (without, the page opens at the step's own address, #step-respond, which the browser goes to)
        expect(summary).to_be_focused()
    else:
        expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "Select the outcome",
            "Enter the response",
            "Select whether to send the notice to the requester by e-mail, by post, or not now",
        ]
    )
    outcome = panel.get_by_role("group", name="Outcome")
    expect(outcome).to_have_class("field has-error")
    expect(outcome.locator(".field-error")).to_have_text("Error: Select the outcome")
    expect(panel.get_by_role("radio", name="Granted in full", exact=True)).to_have_attribute("aria-invalid", "true")
    response = panel.get_by_label("Response sent")
    expect(response).to_have_attribute("aria-invalid", "true")
    expect(response).to_have_accessible_description(
        "The answer to the request in your words: the notice to the requester quotes it, and a refusal says here why. Error: Enter the response"
    )
    summary.get_by_role("link", name="Enter the response").click()
    expect(response).to_be_focused()
    screenshot(page, f"respond-empty-{'js' if javascript else 'nojs'}")

    with live_server.api() as client:
        found = client.get(f"/api/v1/requests/{reference}").json()
    assert (found["status"], found["outcome"]) == ("in_progress", None)
