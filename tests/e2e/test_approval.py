"""A refusal through a manager's approval, in the browser: the refusal must name its exemption, the
officer cannot approve their own draft, the manager returns it with a reason, approves the changed
draft, and the officer sends exactly what was approved from a form filled in with it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, recent_weekday, screenshot
from tests.e2e.test_officer_journey import action_panel, open_action

pytestmark = pytest.mark.e2e

FIRST_DRAFT = "We hold the prices but they are commercially sensitive."
SECOND_DRAFT = (
    "We hold the prices but withhold them under section 43(2): disclosure would harm the supplier's position "
    "in the tender now running, and the public interest favours withholding them until it closes."
)


def test_a_refusal_is_approved_by_a_manager_then_sent_as_approved(pages: Pages, live_server: LiveServer) -> None:
    reference = live_server.create_request("Waste contract prices 2025", received_on=recent_weekday(3))["reference"]
    with live_server.api() as client:
        assert client.post(f"/api/v1/requests/{reference}/actions", json={"action": "start"}).status_code == 200
    url = live_server.url(f"/staff/requests/{reference}")

    officer = pages.new("officer")
    officer.goto(url)
    panel = open_action(officer, "Submit for approval")
    panel.get_by_role("radio", name="Refused in full", exact=True).check()
    panel.get_by_label("Draft response").fill(FIRST_DRAFT)
    panel.get_by_role("button", name="Submit for approval").click()
    # a refusal names the exemption it relies on: refused in place, beside the form
    expect(action_panel(officer, "Submit for approval").locator(".field-error")).to_contain_text(
        "a refusal must name the exemption it relies on (FOIA s.17(1))"
    )
    panel = action_panel(officer, "Submit for approval")
    panel.get_by_label(re.compile(r"s\.43 Commercial interests")).check()
    panel.get_by_role("button", name="Submit for approval").click()
    expect(officer.get_by_role("status")).to_have_text("Submitted for approval.")
    approval = officer.locator(".approval-panel")
    expect(approval).to_contain_text("Awaiting approval: submitted by Olivia Officer")
    expect(approval).to_contain_text("approval is a second person's check")
    expect(action_panel(officer, "Approve response")).to_have_count(0)
    screenshot(officer, "approval-awaiting-officer")

    manager = pages.new("manager")
    manager.goto(url)
    expect(manager.locator(".approval-panel")).to_contain_text("s.43 Commercial interests")
    expect(manager.locator(".approval-panel")).to_contain_text(FIRST_DRAFT)
    panel = open_action(manager, "Return for changes")
    panel.get_by_role("button", name="Return for changes").click()
    expect(action_panel(manager, "Return for changes").locator(".field-error")).to_contain_text("Enter what must change")
    action_panel(manager, "Return for changes").get_by_label("What must change").fill("Explain the public interest test.")
    action_panel(manager, "Return for changes").get_by_role("button", name="Return for changes").click()
    expect(manager.get_by_role("status")).to_have_text("Returned for changes.")

    officer.reload()
    expect(officer.locator(".approval-panel")).to_contain_text("Returned for changes: Explain the public interest test.")
    panel = open_action(officer, "Submit for approval")
    expect(panel.get_by_role("radio", name="Refused in full", exact=True)).to_be_checked()  # the returned draft, to change
    expect(panel.get_by_label(re.compile(r"s\.43 Commercial interests"))).to_be_checked()
    panel.get_by_label("Draft response").fill(SECOND_DRAFT)
    panel.get_by_role("button", name="Submit for approval").click()
    expect(officer.get_by_role("status")).to_have_text("Submitted for approval.")

    manager.reload()
    panel = open_action(manager, "Approve response")
    panel.get_by_role("button", name="Approve response").click()
    expect(manager.get_by_role("status")).to_have_text("Response approved.")

    officer.reload()
    panel = open_action(officer, "Send response")
    expect(panel.get_by_role("radio", name="Refused in full", exact=True)).to_be_checked()
    expect(panel.get_by_label("Response sent")).to_have_value(SECOND_DRAFT)
    screenshot(officer, "approval-approved-respond-form")
    panel.get_by_label("Do not send a notice with this step").check()
    panel.get_by_role("button", name="Send response").click()
    expect(officer.get_by_role("status")).to_have_text("Response sent.")
    expect(officer.locator(".request-heading .tag").first).to_have_text("Responded")
    expect(officer.locator(".deadline-box")).to_contain_text("within 20 working days")
