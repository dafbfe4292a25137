"""Checks a keyboard or screen reader user relies on, on every staff page: headings, labels, focus, no overflow."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, LiveServer, Pages, check_accessibility, make_pdf, recent_weekday, screenshot

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


@pytest.mark.parametrize("width", [1280, 320])
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
    if width == 320:
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
    if width == 320:
        officer.goto(live_server.url("/staff/requests"))
        screenshot(officer, "request-list-narrow")


# what sticks out sideways at this width, outside any region that scrolls on its own (a wide data table may)
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsItself = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.getClientRects().length && !scrollsItself(el))
    .slice(0, 5).map((el) => el.outerHTML.slice(0, 100));
}"""

# A region that scrolls sideways must be reachable by keyboard and say what it holds (WCAG 2.1.1, 4.1.2).
SCROLL_REGIONS = """() => [...document.querySelectorAll('main *')]
  .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth)
  .filter((el) => el.tabIndex < 0 || !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
  .map((el) => el.outerHTML.slice(0, 100))"""


# A table's caption is a sentence, not data: it is read without scrolling sideways, in the width its region shows.
HIDDEN_CAPTIONS = """() => [...document.querySelectorAll('.table-scroll caption')]
  .filter((caption) => caption.getClientRects().length && !caption.classList.contains('visually-hidden'))
  .filter((caption) => {
    const text = document.createRange();
    text.selectNodeContents(caption);
    const shown = caption.closest('.table-scroll').getBoundingClientRect();
    const words = text.getBoundingClientRect();
    return words.right > shown.right + 0.5 || words.left < shown.left - 0.5;
  })
  .map((caption) => caption.textContent.trim().slice(0, 100))"""


def check_reflow(page: Any, name: str) -> None:
    """No sideways scrolling at this width (WCAG 1.4.10): only a table may scroll, inside its own labelled, focusable region,
    and its caption is read without scrolling."""
    facts = page.evaluate(PAGE_FACTS)
    assert facts["overflow"] <= 0, f"{name}: the page scrolls sideways by {facts['overflow']}px: {page.evaluate(STICKING_OUT)}"
    assert not page.evaluate(STICKING_OUT), f"{name}: sticks out of the screen: {page.evaluate(STICKING_OUT)}"
    assert not page.evaluate(SCROLL_REGIONS), f"{name}: scrolls without a label or keyboard stop: {page.evaluate(SCROLL_REGIONS)}"
    assert not page.evaluate(HIDDEN_CAPTIONS), f"{name}: a table's caption runs out of its box: {page.evaluate(HIDDEN_CAPTIONS)}"


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_every_page_fits_a_320px_screen(pages: Pages, live_server: LiveServer, javascript: bool) -> None:
    """WCAG 1.4.10 reflow: at 320 CSS pixels (a small phone, or 1280 zoomed to 400%) nothing scrolls sideways."""
    long_word = "Supercalifragilisticexpialidociousnessofthemunicipalfountainmaintenancecontract"
    reference = live_server.create_request(
        f"Spending on {long_word} and the maintenance of municipal flower beds, fountains and benches in 2024",
        address="Flat 12, Longnamedbuildingwithoutanyspaces House, Testbury TB1 1AA",
    )["reference"]
    live_server.respond(reference)
    live_server.upload(reference, make_pdf("Fountain maintenance, 2024."), f"{long_word}-2024.pdf", for_release=True)
    live_server.publish(reference, summary=f"Spending on {long_word} in 2024.")
    received = recent_weekday(3)

    public = pages.new(javascript=javascript, width=320)
    for path, name in [
        ("/", "home"),
        ("/disclosures", "disclosure log"),
        (f"/disclosures?q={long_word[:12]}", "search results"),
        (f"/disclosures/{reference}", "release"),
        ("/deadline-calculator", "deadline calculator"),
        (f"/deadline-calculator?regime=foia&stage=initial&received_on={received.isoformat()}", "deadline calculator with its answer"),
        ("/request", "request form"),
        ("/accessibility", "accessibility statement"),
        ("/login", "sign in"),
    ]:
        public.goto(live_server.url(path))
        check_reflow(public, f"{name} at 320px")
    screenshot(public, f"reflow-320-sign-in-{'js' if javascript else 'nojs'}")
    public.goto(live_server.url("/deadline-calculator"))
    public.get_by_role("button", name=re.compile("Work out|Calculate")).click()
    public.wait_for_load_state("networkidle")  # the answer in place, and its stylesheet
    check_reflow(public, "deadline calculator sent empty at 320px")
    public.goto(live_server.url(f"/deadline-calculator?regime=foia&stage=initial&received_on={received.isoformat()}"))
    screenshot(public, f"reflow-320-calculator-{'js' if javascript else 'nojs'}")

    admin = pages.new("admin", javascript=javascript, width=320)
    for path, name in [
        ("/staff/dashboard", "dashboard"),
        ("/staff/requests", "request list"),
        ("/staff/requests/new", "new request"),
        (f"/staff/requests/{reference}", "request page"),
        (f"/staff/requests/{reference}/edit", "edit details"),
        (f"/staff/requests/{reference}/publish", "publication review"),
        ("/staff/correspondence", "letters to see to"),
        ("/staff/batches", "release batches"),
        ("/staff/import", "import"),
        ("/staff/reports/overdue", "overdue report"),
        ("/staff/reports/timeliness", "timeliness report"),
        ("/staff/admin/users", "users"),
        ("/staff/admin/departments", "departments"),
        ("/staff/admin/calendar", "calendar"),
        ("/staff/admin/notices", "notice texts"),
        ("/staff/admin/outbox", "outbox"),
    ]:
        admin.goto(live_server.url(path))
        if name == "request page":
            admin.evaluate("document.querySelectorAll('details').forEach((d) => d.open = true)")
            check_accessibility(admin, "request page with every panel open")
            screenshot(admin, f"reflow-320-request-page-{'js' if javascript else 'nojs'}")
        check_reflow(admin, f"{name} at 320px")
    admin.goto(live_server.url("/staff/requests/new"))
    admin.get_by_role("button", name="Log request").click()
    expect(admin.locator(".error-summary")).to_be_visible()
    admin.wait_for_load_state()
    check_reflow(admin, "new request with errors at 320px")


FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), id: el.id, classes: el.className, text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80)};
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_focus_moves_to_the_errors_or_the_result_after_each_form(pages: Pages, live_server: LiveServer, javascript: bool) -> None:
    """After sending a form, keyboard and screen reader users start at what it did: the error summary, or the result."""
    from tests.e2e.test_import import choose_file, older_requests, to_csv

    mode = "js" if javascript else "nojs"
    reference = live_server.create_request("Opening hours of the swimming baths in the winter months")["reference"]
    live_server.respond(reference, outcome="granted_in_full", exemptions=())
    officer = pages.new("officer", javascript=javascript)

    # the publish page: a schedule with no date is refused, and focus is on the error summary
    officer.goto(live_server.url(f"/staff/requests/{reference}/publish"))
    officer.get_by_role("button", name="Schedule publication").click()
    expect(officer.locator(".error-summary")).to_be_focused()
    focused = officer.evaluate(FOCUSED)
    assert "There is a problem" in focused["text"], focused
    screenshot(officer, f"focus-publish-error-{mode}")
    # published: focus is on the request page's disclosure log section, which says it is published
    officer.get_by_role("button", name="Publish now").click()
    expect(officer.locator("#publication")).to_be_focused()
    expect(officer.locator("#publication")).to_contain_text("Published")

    # the import: checking a file moves focus to what importing it would do; importing, to what was imported
    officer.goto(live_server.url("/staff/import"))
    officer.get_by_role("button", name="Check the file").click()
    expect(officer.locator(".error-summary")).to_be_focused()  # no file chosen
    choose_file(officer, to_csv(older_requests(2, word=f"Focuswick{mode}")))
    officer.get_by_role("button", name="Check the file").click()
    heading = officer.get_by_role("heading", name=re.compile("What importing .* would do"))
    expect(heading).to_be_focused()
    screenshot(officer, f"focus-import-preview-{mode}")
    officer.get_by_role("button", name="Import 2 requests").click()
    expect(officer.locator(".notice")).to_be_focused()
    expect(officer.locator(".notice")).to_contain_text("2 requests imported")

    # the deadline calculator, sent: focus on its result (typing updates it in place, announced, without moving focus)
    visitor = pages.new(javascript=javascript)
    visitor.goto(live_server.url("/deadline-calculator"))
    received = visitor.get_by_role("group", name="Date received")
    for part, value in (("Day", "2"), ("Month", "11"), ("Year", "2026")):
        received.get_by_label(part).fill(value)
    visitor.get_by_role("button", name="Work out the deadline").click()
    expect(visitor.get_by_role("heading", name="Result")).to_be_focused()
    expect(visitor.locator("#result")).to_contain_text("Due Tue 1 Dec 2026")


FOCUS_LOOK = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {label: el.getAttribute('aria-label'), outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          outlineColor: style.outlineColor, boxShadow: style.boxShadow};
}"""


def test_a_scrolling_box_reached_by_the_tab_key_shows_the_gov_uk_focus_style(pages: Pages, live_server: LiveServer) -> None:
    """The request's text scrolls in a box of its own, which the keyboard reaches: focused, it shows the
    GOV.UK focus (a yellow outline with a black edge), not the browser's own ring."""
    asked = "\n\n".join(f"Question {n}: the gritting routes, the salt used and its cost in ward {n}." for n in range(1, 40))
    reference = live_server.create_request("Winter gritting routes and salt stocks", body=asked)["reference"]
    officer = pages.new("officer")
    officer.goto(live_server.url(f"/staff/requests/{reference}"))
    box = officer.get_by_role("region", name="What was asked, in full")
    assert box.evaluate("el => el.scrollHeight > el.clientHeight"), "the box should scroll for this test to mean anything"
    officer.locator("body").focus()
    for _ in range(150):  # Tab, as a keyboard user does, until the box has the focus
        officer.keyboard.press("Tab")
        if officer.evaluate("document.activeElement.getAttribute('aria-label')") == "What was asked, in full":
            break
    expect(box).to_be_focused()
    focused = officer.evaluate(FOCUS_LOOK)
    assert (focused["outline"], focused["outlineWidth"], focused["outlineColor"]) == ("solid", 3, "rgb(255, 221, 0)"), focused
    assert "rgb(11, 12, 12)" in focused["boxShadow"], focused  # the black edge beside the yellow
    box.scroll_into_view_if_needed()
    edge = box.bounding_box()
    assert edge is not None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the box with its focus ring around it
    clip = {"x": edge["x"] - 16, "y": edge["y"] - 16, "width": edge["width"] + 32, "height": min(edge["height"], 300) + 32}
    officer.screenshot(path=str(SCREENSHOTS / "focus-what-was-asked.png"), clip=clip)
