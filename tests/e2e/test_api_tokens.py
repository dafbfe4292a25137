"""API tokens on 'Your account' in the browser: a long name without spaces wraps instead of pushing the
page sideways (at 1280 px and at 320 px), and 'Last used' says no more than is known."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot

pytestmark = pytest.mark.e2e

LONG_NAME = ("NightlyDisclosureLogExport" * 4)[:100]  # 100 characters, no spaces or hyphens to break at


def _overflow(page, selector: str) -> list[str]:
    """What sticks out sideways: the page itself, a table's scrolling region, or the element past the window."""
    return page.evaluate(
        """(selector) => {
            const problems = [];
            const root = document.documentElement;
            if (root.scrollWidth > root.clientWidth) problems.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
            for (const element of document.querySelectorAll(selector)) {
                const box = element.getBoundingClientRect();
                if (box.right > root.clientWidth) problems.push(`${selector} ends at ${box.right} > ${root.clientWidth}`);
            }
            return problems;
        }""",
        selector,
    )


def test_a_long_token_name_wraps_and_last_used_is_not_to_the_minute(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new("officer2", width=1280)
    page.goto(live_server.url("/staff/account"))
    page.get_by_label("Name", exact=True).fill(LONG_NAME)
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API token created")
    assert _overflow(page, ".confirmation-panel p") == []
    token = page.get_by_label("Your new token").input_value()
    with httpx.Client(base_url=live_server.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as api:
        assert api.get("/api/v1/departments").status_code == 200

    page.get_by_role("link", name="Back to your account").click()
    row = page.get_by_role("row").filter(has_text=LONG_NAME)
    expect(row).to_contain_text("In the last 5 minutes")
    region = page.get_by_role("region", name="Your API tokens")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth"), "the table needs scrolling at 1280 px"
    assert _overflow(page, "td") == []
    screenshot(page, "account-long-token-name-1280")

    small = pages.new("officer2", width=320)
    small.goto(live_server.url("/staff/account"))
    assert _overflow(small, "main") == []
    # the table stacks at this width (tests/e2e/test_narrow_tables.py): the name wraps within the screen
    name_cell = small.get_by_role("row").filter(has_text=LONG_NAME).get_by_role("cell").first
    box = name_cell.bounding_box()
    assert box["x"] + box["width"] <= 320 and box["height"] > 40, "the name runs off the screen instead of wrapping"
    screenshot(small, "account-long-token-name-320")
    small.get_by_role("button", name=f"Revoke the token ‘{LONG_NAME}’").click()
    expect(small.get_by_role("status")).to_contain_text("is revoked")
    assert _overflow(small, "[role=status]") == []


def test_a_token_name_too_long_is_said_and_kept_not_cut_short(pages: Pages, live_server: LiveServer) -> None:
    """The browser once cut a name at 100 characters without a word (maxlength): now the whole name goes,
    and the page says it is too long beside the box, with the name as typed to shorten."""
    name = "Nightly export of the disclosure log to the council's open data portal, run by the digital team's scheduler"
    page = pages.new("officer2", javascript=False)
    page.goto(live_server.url("/staff/account"))
    box = page.get_by_label("Name", exact=True)
    box.fill(name)
    expect(box).to_have_value(name)  # all 107 characters typed are in the box
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#token-label-error")).to_have_text("Error: Token name must be 100 characters or fewer")
    expect(page.locator(".error-summary")).to_contain_text("Token name must be 100 characters or fewer")
    expect(page.get_by_label("Name", exact=True)).to_have_value(name)
    expect(page.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    screenshot(page, "account-token-name-too-long")
