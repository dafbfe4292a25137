"""Checks a keyboard or screen reader user relies on, on every staff page: headings, labels, focus, no overflow."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot

pytestmark = pytest.mark.e2e

# what the page's structure looks like to assistive technology, gathered in the page
PAGE_FACTS = """() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
    && getComputedStyle(el).visibility !== 'hidden';
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible)
    .map((h) => ({level: Number(h.tagName[1]), text: h.textContent.trim()}));
  const unlabelled = [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => !['hidden', 'submit', 'button', 'reset'].includes(el.type))
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 120));
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
  const duplicateIds = ids.filter((id, i) => ids.indexOf(id) !== i);
  const brokenReferences = [...document.querySelectorAll('[aria-describedby], [aria-labelledby], label[for]')]
    .flatMap((el) => (el.getAttribute('aria-describedby') || el.getAttribute('aria-labelledby') || el.htmlFor || '').split(/\\s+/))
    .filter((id) => id && !document.getElementById(id));
  const nameless = [...document.querySelectorAll('a, button')].filter(visible)
    .filter((el) => !el.textContent.trim() && !el.getAttribute('aria-label')).map((el) => el.outerHTML.slice(0, 120));
  return {
    lang: document.documentElement.lang, title: document.title, headings, unlabelled, duplicateIds,
    brokenReferences, nameless,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), text: (el.textContent || el.name || '').trim().slice(0, 40),
          outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor};
}"""


def check_structure(page: Any, name: str) -> None:
    facts = page.evaluate(PAGE_FACTS)
    assert facts["lang"] == "en-GB"
    assert facts["title"].endswith("Test Borough Council"), facts["title"]
    levels = [h["level"] for h in facts["headings"]]
    assert levels.count(1) == 1, f"{name}: one h1 expected, got {facts['headings']}"
    assert levels[0] == 1, f"{name}: the first heading should be the h1: {facts['headings']}"
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{name}: heading levels skip from h{before} to h{after}: {facts['headings']}"
    assert not facts["unlabelled"], f"{name}: inputs without a label: {facts['unlabelled']}"
    assert not facts["duplicateIds"], f"{name}: duplicate ids: {facts['duplicateIds']}"
    assert not facts["brokenReferences"], f"{name}: label/aria references to missing ids: {facts['brokenReferences']}"
    assert not facts["nameless"], f"{name}: links or buttons without a name: {facts['nameless']}"
    assert facts["overflow"] <= 0, f"{name}: the page scrolls sideways by {facts['overflow']}px"


def check_focus_is_visible(page: Any, name: str, stops: int = 12) -> None:
    """Tabs through the first few stops: each focused element shows the yellow focus outline."""
    page.locator("body").focus()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    assert skip.bounding_box() and skip.bounding_box()["width"] > 50, "the skip link does not appear when focused"
    for _ in range(stops):
        focused = page.evaluate(FOCUS_STYLE)
        assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, f"{name}: no visible focus on {focused}"
        assert focused["outlineColor"] == "rgb(255, 221, 0)", f"{name}: focus colour on {focused}"
        page.keyboard.press("Tab")


@pytest.mark.parametrize("width", [1280, 375])
def test_staff_pages_are_well_formed(pages: Pages, live_server: LiveServer, width: int) -> None:
    reference = live_server.create_request("A rather long request title about the maintenance of municipal flower beds and fountains")[
        "reference"
    ]
    anonymous = pages.new(width=width)
    anonymous.goto(live_server.url("/login"))
    check_structure(anonymous, "login")
    check_focus_is_visible(anonymous, "login", stops=5)

    officer = pages.new("officer", width=width)
    for path, name in [
        ("/staff/requests", "request list"),
        ("/staff/requests/new", "new request"),
        (f"/staff/requests/{reference}", "request page"),
        (f"/staff/requests/{reference}/publish", "publication review"),  # with suspicions: test_publication_review
    ]:
        officer.goto(live_server.url(path))
        check_structure(officer, name)
        check_focus_is_visible(officer, name)

    # the request page with every panel open: forms inside still have labels and fit the screen
    officer.goto(live_server.url(f"/staff/requests/{reference}"))
    officer.evaluate("document.querySelectorAll('details').forEach((d) => d.open = true)")
    check_structure(officer, "request page, panels open")
    if width == 375:
        screenshot(officer, "request-page-narrow-panels-open")

    officer.goto(live_server.url("/staff/requests/new"))
    officer.get_by_role("button", name="Log request").click()
    expect(officer.locator(".error-summary")).to_be_visible()
    check_structure(officer, "new request with errors")

    admin = pages.new("admin", width=width)
    for path, name in [("/staff/admin/users", "users"), ("/staff/admin/departments", "departments")]:
        admin.goto(live_server.url(path))
        check_structure(admin, name)
        check_focus_is_visible(admin, name, stops=8)
    if width == 375:
        officer.goto(live_server.url("/staff/requests"))
        screenshot(officer, "request-list-narrow")
