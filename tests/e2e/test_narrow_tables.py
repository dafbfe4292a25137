"""The tables of a few rows with many columns and buttons (API tokens on 'Your account', the staff accounts on
'Users') stack on a narrow screen, each cell beside its column's heading, instead of hiding columns and
buttons off to the side of a box that scrolls with nothing to say so; and no blank gap is left under the
rows at 320 px. At every width either the whole table shows or it is stacked (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot

pytestmark = pytest.mark.e2e

WIDTHS = (320, 480, 700, 900, 1280)


def _hidden_to_the_side(page: Any, region_name: str) -> list[str]:
    """What the table's region hides sideways: its width to scroll, and each control or cell text ending past it."""
    return page.evaluate(
        """(name) => {
            const region = [...document.querySelectorAll('[role=region]')].find(r => r.getAttribute('aria-label') === name);
            const problems = [];
            if (region.scrollWidth > region.clientWidth) problems.push(`scrolls ${region.scrollWidth} > ${region.clientWidth}`);
            const edge = region.getBoundingClientRect().right;
            for (const element of region.querySelectorAll('td, a, button, select')) {
                const box = element.getBoundingClientRect();
                if (box.width && box.right > edge + 1) problems.push(`${element.tagName} '${element.textContent.trim().slice(0, 30)}' ends at ${box.right} > ${edge}`);
            }
            return problems;
        }""",
        region_name,
    )


def _labels(page: Any, region_name: str) -> list[str]:
    """The heading drawn beside each cell of the first row (empty where none is drawn)."""
    return page.evaluate(
        """(name) => {
            const region = [...document.querySelectorAll('[role=region]')].find(r => r.getAttribute('aria-label') === name);
            return [...region.querySelector('tbody tr').children].map(cell => {
                const drawn = getComputedStyle(cell, '::before').content;
                return drawn === 'none' || drawn === 'normal' ? '' : cell.dataset.label || '';
            });
        }""",
        region_name,
    )


def test_the_staff_accounts_show_every_column_at_every_width(pages: Pages, live_server: LiveServer) -> None:
    for width in WIDTHS:
        page = pages.new("admin", width=width)
        page.goto(live_server.url("/staff/admin/users"))
        assert _hidden_to_the_side(page, "Staff accounts") == [], width
        # still a table to a screen reader, its headings read from the header row
        expect(page.get_by_role("columnheader", name="Two-factor")).to_have_count(1)
        expect(page.get_by_role("row").filter(has_text="officer2@test.example").get_by_role("cell")).to_have_count(7)
        if width <= 700:
            assert _labels(page, "Staff accounts") == ["Name", "Email", "Role", "Department", "Status", "Two-factor", ""], width
        if width == 1280:
            assert _labels(page, "Staff accounts") == [""] * 7
            expect(page.locator("thead")).to_be_visible()
        if width == 320:
            # the form after the table starts just after its last row: no blank gap left by columns off to the side
            gap = page.evaluate(
                """() => document.querySelector('h2').getBoundingClientRect().top
                        - [...document.querySelectorAll('tbody tr')].pop().getBoundingClientRect().bottom"""
            )
            assert gap < 60, f"{gap}px of blank under the rows"
            row = page.get_by_role("row").filter(has_text="officer2@test.example")
            for control in (
                row.get_by_role("combobox"),
                row.get_by_role("button", name="Change"),
                row.get_by_role("cell").last.locator("a, button").first,
            ):
                box = control.bounding_box()
                assert box is not None and box["x"] + box["width"] <= 320, box
            screenshot(page, "users-320-stacked")
        page.close()


def test_api_tokens_show_every_column_and_the_revoke_button_at_320px(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new("officer2", width=1280)
    page.goto(live_server.url("/staff/account"))
    page.get_by_label("Name", exact=True).fill("Weekly export for the finance team's monthly reconciliation")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API token created")
    for width in WIDTHS:
        small = pages.new("officer2", width=width)
        small.goto(live_server.url("/staff/account"))
        assert _hidden_to_the_side(small, "Your API tokens") == [], width
        if width <= 480:
            assert _labels(small, "Your API tokens") == ["Name", "Created", "Last used", "Expires", "Status", ""]
            revoke = small.get_by_role("button", name="Revoke the token ‘Weekly export for the finance team's monthly reconciliation’")
            box = revoke.bounding_box()
            assert box is not None and box["x"] + box["width"] <= width
        if width == 320:
            screenshot(small, "account-tokens-320-stacked")
        small.close()
