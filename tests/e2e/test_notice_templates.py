"""An admin edits a notice's text in a real browser, on a desktop and a phone, with and without
JavaScript: a mistake is explained before and after saving, the preview follows the text, the save
shows as a version with what changed, and a reset (confirmed on its own page) brings back the
shipped text. Each run edits the acknowledgement under its own law, and puts it back at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages
from tests.e2e.test_accessibility import check_focus_is_visible, check_structure

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")
RUNS = {  # each run its own law, so that the runs share a server and never each other's versions
    (True, 1280): ("foia", "FOIA", "FOI"),
    (True, 390): ("eir", "EIR", "EIR"),
    (False, 1280): ("foisa", "FOISA", "FOISA"),
    (False, 390): ("eisr", "EISR", "EISR"),
}
PROMISE = "Our promise: we will answer {{ reference }} by {{ due_on | weekday_date }}."


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def show_preview(page: Any, javascript: bool) -> None:
    """With JavaScript the preview follows the typing; without, the "Preview" button sends the form."""
    if not javascript:
        with page.expect_navigation():
            page.get_by_role("button", name="Preview").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [1280, 390])
def test_an_admin_edits_the_acknowledgement_sees_the_preview_saves_and_resets(
    pages: Pages, live_server: LiveServer, javascript: bool, width: int
) -> None:
    regime, law, prefix = RUNS[(javascript, width)]
    name = f"notice-{width}-{'js' if javascript else 'nojs'}"
    sample = f"{prefix}-2026-00042"
    page = pages.new("admin", javascript=javascript, width=width)
    page.goto(live_server.url("/staff/requests"))
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Notice texts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notice texts")
    check_structure(page, "notice texts")
    shot(page, f"{name}-overview")
    page.get_by_role("link", name=f"{law} acknowledgement", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Acknowledgement ({law})")
    assert page.url == live_server.url(f"/staff/admin/notices/acknowledgement/{regime}")

    preview = page.locator("#notice-preview")
    subject = page.get_by_label("Subject line")
    body = page.get_by_label("Text", exact=True)
    expect(preview.locator(".preview-subject")).to_contain_text(f"{sample}: received")
    expect(preview).to_contain_text("Dear Zoë Ó Súilleabháin,")
    expect(page.get_by_text("In use: the text the product ships.")).to_be_visible()
    check_structure(page, "notice edit")
    check_focus_is_visible(page, "notice edit", stops=6)
    page.locator("summary", has_text="Fields you can use").click()
    expect(page.get_by_role("table", name="Fields and filters a notice's text can use")).to_contain_text("{{ requester_name }}")
    check_structure(page, "notice edit, fields open")
    shot(page, f"{name}-edit")

    shipped_body = body.input_value()
    # a slip: the preview says what is wrong before anything is saved
    body.fill("Dear {{ requester_name }},\n\nWe have {{ refrence }}.\n\n" + shipped_body)
    show_preview(page, javascript)
    expect(preview).to_contain_text("This text cannot be saved yet")
    expect(preview).to_contain_text("line 3: 'refrence' is not a field you can use (did you mean 'reference'?)")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Text: line 3: 'refrence' is not a field you can use")
    expect(page.get_by_label("Text", exact=True)).to_have_value(
        "Dear {{ requester_name }},\n\nWe have {{ refrence }}.\n\n" + shipped_body.strip()
    )
    check_structure(page, "notice edit with an error")
    shot(page, f"{name}-error")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Text", exact=True)).to_be_focused()

    # the words the authority wants: the preview drafts them for the sample case
    body = page.get_by_label("Text", exact=True)
    body.fill(PROMISE + "\n\n" + shipped_body)
    subject.fill("We have your request {{ reference }}")
    show_preview(page, javascript)
    expect(preview).to_contain_text(f"Our promise: we will answer {sample} by Tuesday 1 December 2026.")
    expect(preview.locator(".preview-subject")).to_have_text(f"We have your request {sample}")
    expect(preview).not_to_contain_text("cannot be saved")
    if not javascript:
        expect(page.get_by_text("Not saved yet")).to_be_visible()
        expect(page.get_by_label("Text", exact=True)).to_have_value(PROMISE + "\n\n" + shipped_body.strip())
    shot(page, f"{name}-preview")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text(f"Saved as version 1. The next acknowledgement under {law} is drafted from it.")
    expect(page.get_by_text("In use: your text, version 1")).to_be_visible()
    version = page.locator(".version").first
    expect(version.get_by_role("heading")).to_have_text("Version 1: your text (in use)")
    expect(version).to_contain_text("by Ada Admin")
    version.get_by_text("What changed from the shipped text").click()
    expect(version.locator("ins").first).to_have_text("+Subject: We have your request {{ reference }}")
    expect(version.locator("ins", has_text=PROMISE)).to_be_visible()
    expect(version.locator("del").first).to_contain_text("-Subject: Your request for")
    expect(page.get_by_label("Text", exact=True)).to_have_value(PROMISE + "\n\n" + shipped_body.strip())
    check_structure(page, "notice saved")
    shot(page, f"{name}-saved")

    # the overview says so
    page.get_by_role("link", name="All notice texts").click()
    row = page.locator("tr", has=page.get_by_role("link", name=f"{law} acknowledgement", exact=True))
    expect(row).to_contain_text("Your text version 1")
    expect(row).to_contain_text("by Ada Admin")

    # back to the shipped text, confirmed on a page of its own
    row.get_by_role("link").click()
    page.get_by_role("link", name="Reset to the shipped text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reset the acknowledgement ({law}) to the shipped text?")
    check_structure(page, "reset confirmation")
    shot(page, f"{name}-reset-confirm")
    page.get_by_role("button", name="Yes, reset to the shipped text").click()
    expect(page.get_by_role("status")).to_have_text("Reset to the shipped text (version 2). Your earlier versions are kept below.")
    expect(page.get_by_text("In use: the text the product ships.")).to_be_visible()
    expect(page.get_by_label("Text", exact=True)).to_have_value(shipped_body)
    expect(preview).not_to_contain_text("Our promise")
    expect(page.locator(".version").first.get_by_role("heading")).to_have_text("Version 2: the shipped text (in use)")
    shot(page, f"{name}-reset")
