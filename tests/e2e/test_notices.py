"""An officer sends notices from the request page in a real browser, with and without JavaScript, on a
desktop and a phone: the draft is read and edited before anything is recorded, the step and its
notice go together, the requester's mail server (aiosmtpd, started with the live server) receives
the text as edited, and a letter for post prints as a PDF."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot
from tests.e2e.test_officer_journey import open_action

pytestmark = pytest.mark.e2e


def received_by(live_server: LiveServer, address: str, count: int = 1) -> list[Any]:
    for _ in range(100):
        found = [message for _, to, message in live_server.mailbox.received if to == [address]]
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{address} received fewer than {count} messages")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [1280, 390])
def test_an_officer_drafts_edits_and_sends_a_clarification_request(
    pages: Pages, live_server: LiveServer, javascript: bool, width: int
) -> None:
    address = f"ottilie.{secrets.token_hex(3)}@example.net"
    made = live_server.create_request("School transport contracts", requester="Ottilie Marchbanks", email=address)
    reference = made["reference"]
    page = pages.new("officer", javascript=javascript, width=width)
    page.goto(live_server.url(f"/staff/requests/{reference}"))

    panel = open_action(page, "Ask for clarification")
    panel.get_by_label("What needs clarifying (the notice to the requester quotes it)").fill(
        "Do you mean home-to-school transport, or school trips too?"
    )
    panel.get_by_role("button", name="Draft the notice").click()
    panel = page.locator("details.action[open]")  # the page comes back with the step's form open, the draft in it
    text = panel.get_by_label("Text of the notice (optional)")
    expect(text).to_contain_text(reference)
    expect(text).to_contain_text("school trips too?")
    expect(panel).to_contain_text("Nothing has been recorded yet")
    screenshot(page, f"notice-drafted-{width}-{'js' if javascript else 'nojs'}")
    with live_server.api() as client:
        assert client.get(f"/api/v1/requests/{reference}").json()["status"] == "new"  # a draft takes no step

    text.fill(text.input_value() + "\nA reply by the end of the month would help us.")
    panel.get_by_label("By e-mail to the requester").check()
    panel.get_by_role("button", name="Ask for clarification").click()
    expect(page.get_by_role("status")).to_have_text(
        "Clarification requested. The notice to the requester is being sent by e-mail: Correspondence shows when it has gone."
    )
    expect(page.locator(".request-heading")).to_contain_text("Awaiting clarification")

    [message] = received_by(live_server, address)
    assert reference in message["Subject"]
    assert "A reply by the end of the month would help us." in message.get_content()
    page.reload()
    item = page.locator("#correspondence .correspondence-item").first
    expect(item).to_contain_text("Request for clarification")
    expect(item).to_contain_text("Sent")
    screenshot(page, f"notice-sent-{width}-{'js' if javascript else 'nojs'}")
    item.get_by_role("link", name="Request for clarification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request for clarification")
    expect(page.locator("pre.message-body")).to_contain_text("A reply by the end of the month would help us.")


def test_a_step_that_sends_a_notice_asks_how_and_a_letter_prints(pages: Pages, live_server: LiveServer) -> None:
    made = live_server.create_request(
        "Library opening hours", requester="Bartholomew Ng", address="12 Mill Lane\nTestbury\nTB2 4QQ", email=None
    )
    reference = made["reference"]
    page = pages.new("officer", width=1280)
    page.goto(live_server.url(f"/staff/requests/{reference}"))
    panel = open_action(page, "Send acknowledgement")
    panel.get_by_role("button", name="Send acknowledgement").click()
    expect(page.locator(".field-error").first).to_contain_text("Select whether to send the notice")
    panel = page.locator("details.action[open]")
    panel.get_by_label(re.compile("By post")).check()
    panel.get_by_role("button", name="Send acknowledgement").click()
    expect(page.get_by_role("status")).to_have_text(
        "Acknowledgement sent. The letter to the requester is ready to print, under Correspondence."
    )
    letter = page.get_by_role("link", name="Print the letter (PDF)")
    expect(letter).to_have_count(1)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    pdf = httpx.get(live_server.url(letter.get_attribute("href") or ""), cookies=cookies)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
