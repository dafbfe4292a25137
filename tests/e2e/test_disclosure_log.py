"""The public disclosure log as a member of the public uses it: no sign-in, no cookies, no requester data.

A few requests are answered and published through the API first (one with a released PDF whose text holds
a rare word, and an internal working note that must never leave), and one is published then withdrawn.
Every title here holds SERIES, so searches see only this module's releases whatever else is published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote_plus
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, make_pdf, recent_weekday, screenshot
from tests.e2e.dates import expect_date, fill_date
from tests.e2e.test_accessibility import check_focus_is_visible, check_structure

pytestmark = pytest.mark.e2e

SERIES = "Heronsgate"
RARE = "zebrafinch"  # only inside the released PDF of the agency release
INTERNAL_WORD = "quillwort"  # only inside the internal working note
NAME = "Bartholomew Quixley-Fenwick"
EMAIL = "b.quixley.fenwick@example.org"
ADDRESS = "3 Tamarisk Row\nTestbury TB3 7XY"
PERSONAL = ["bartholomew", "quixley", "fenwick", "tamarisk", "tb3 7xy", "example.org"]

AGENCY = f"{SERIES} depot agency staff spend 2024"
LIBRARY = f"{SERIES} library opening hours"
PARKING = f"{SERIES} parking fines income"
BRIDGE = f"{SERIES} bridge inspection reports"
RELEASED_DOC = "Agency staff spend by month"
INTERNAL_DOC = "Working note with agency workers' names"


@dataclass
class Releases:
    agency: str
    library: str
    parking: str
    bridge: str  # published, then withdrawn
    released_doc: int
    internal_doc: int
    bridge_doc: int


def _answered(server: LiveServer, title: str, *, department: str, outcome: str, exemptions: tuple[str, ...], extra_body: str = "") -> str:
    body = (f"I am {NAME} of 3 Tamarisk Row, Testbury TB3 7XY ({EMAIL}).\nPlease tell me about {title.lower()}. {extra_body}").strip()
    reference = server.create_request(
        title, body=body, department=department, requester=NAME, email=EMAIL, address=ADDRESS, received_on=recent_weekday(12)
    )["reference"]
    server.respond(
        reference,
        outcome=outcome,
        exemptions=exemptions,
        response=f"Dear Mr Quixley-Fenwick,\nThank you for your request about {title.lower()}.",
    )
    return reference


@pytest.fixture(scope="module")
def releases(live_server: LiveServer) -> Releases:
    """Four answered requests published through the API, oldest first; the bridge one is then withdrawn."""
    agency = _answered(
        live_server,
        AGENCY,
        department="corporate-services",
        outcome="granted_in_part",
        exemptions=("FOIA-s40",),
        extra_body="How much was spent on agency staff each month?",
    )
    released = live_server.upload(
        agency,
        make_pdf(
            "Agency staff spend at the Heronsgate depot, 2024.",
            f"Staff were supplied under the {RARE} framework agreement. January 12,400; February 11,950.",
        ),
        "agency-spend-2024.pdf",
        for_release=True,
        title=RELEASED_DOC,
    )
    internal = live_server.upload(
        agency,
        f"Unredacted: {INTERNAL_WORD} names of the agency workers.\n".encode(),
        "working-note.txt",
        for_release=False,
        title=INTERNAL_DOC,
    )
    live_server.publish(agency, summary=f"Monthly spend on agency staff at the {SERIES} depot in 2024, asked by {NAME}.")

    library = _answered(live_server, LIBRARY, department="adult-social-care", outcome="granted_in_full", exemptions=())
    live_server.publish(library, summary="Opening hours of the library, by day of the week.")

    parking = _answered(
        live_server,
        PARKING,
        department="corporate-services",
        outcome="refused_in_full",
        exemptions=("FOIA-s43",),
        extra_body="What income came from parking fines at each car park?",
    )
    live_server.publish(parking)

    bridge = _answered(live_server, BRIDGE, department="corporate-services", outcome="granted_in_full", exemptions=())
    bridge_doc = live_server.upload(
        bridge, make_pdf("Bridge inspection 2024: no defects found."), "bridge.pdf", for_release=True, title="Bridge inspection 2024"
    )
    live_server.publish(bridge)
    live_server.unpublish(bridge, "Published by mistake")
    return Releases(agency, library, parking, bridge, released["id"], internal["id"], bridge_doc["id"])


def uk_today() -> Any:
    """The date filters are UK dates (the server's zone), whatever the zone of the machine running the tests."""
    return datetime.now(ZoneInfo("Europe/London")).date()


def assert_private(page: Any) -> None:
    """None of the requester's personal data anywhere in the page (its HTML, not only the visible text)."""
    html = page.content().lower()
    leaked = [word for word in PERSONAL if word in html]
    assert not leaked, f"{page.url} shows the requester's data: {leaked}"


def assert_no_cookies(page: Any) -> None:
    assert page.context.cookies() == [], f"a public page set cookies: {page.context.cookies()}"


def result_titles(page: Any) -> Any:
    return page.locator("#disclosure-results .release-title")


def search_in_place(page: Any, words: str) -> None:
    search = page.get_by_label("Words to look for")
    search.fill(words)
    search.press("Enter")


def test_home_search_and_highlights(pages: Pages, live_server: LiveServer, releases: Releases) -> None:
    page = pages.new()
    page.goto(live_server.url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Freedom of Information disclosure log")
    latest = page.locator(".release-list")
    for title in (AGENCY, LIBRARY, PARKING):
        expect(latest.get_by_role("link", name=title)).to_be_visible()
    expect(latest).not_to_contain_text(BRIDGE)
    expect(page.get_by_role("search")).to_be_visible()
    assert_private(page)
    screenshot(page, "public-home")

    # a search from the home page: words of a title, highlighted in the extracts
    page.get_by_label("Search released information").fill("agency spend")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/disclosures\?q=agency\+spend"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the disclosure log")
    expect(page.get_by_label("Words to look for")).to_have_value("agency spend")
    expect(result_titles(page)).to_have_text([AGENCY])
    marks = page.locator("#disclosure-results .snippet mark")
    expect(marks.first).to_be_visible()
    assert {m.lower() for m in marks.all_inner_texts()} <= {"agency", "spend"}, marks.all_inner_texts()
    assert_private(page)
    screenshot(page, "public-search-highlights")

    # a word found only inside the released PDF finds its request, highlighted
    page.evaluate("window.__marker = 1")
    search_in_place(page, RARE)
    expect(page).to_have_url(re.compile(rf"q={RARE}"))
    expect(result_titles(page)).to_have_text([AGENCY])
    expect(page.locator("#disclosure-results .snippet mark").first).to_have_text(re.compile(RARE, re.IGNORECASE))
    assert page.evaluate("window.__marker") == 1, "the search reloaded the page instead of swapping the results"

    # the internal note's words, and the requester's name, find nothing
    for words in (INTERNAL_WORD, "Quixley", "Tamarisk"):
        search_in_place(page, words)
        expect(page.locator(".result-count")).to_have_text(f"0 releases matching {words}")
        expect(page.locator("#disclosure-results")).to_contain_text("Nothing released matches")

    # "quoted phrases" and -exclusions
    search_in_place(page, '"parking fines"')
    expect(result_titles(page)).to_have_text([PARKING])
    page.get_by_label("Order", exact=True).select_option("newest")
    search_in_place(page, f"{SERIES} -parking")
    expect(result_titles(page)).to_have_text([LIBRARY, AGENCY])
    search_in_place(page, f'{SERIES} -"opening hours" -agency')
    expect(result_titles(page)).to_have_text([PARKING])
    assert_no_cookies(page)


def test_filters_update_results_in_place(pages: Pages, live_server: LiveServer, releases: Releases) -> None:
    page = pages.new()
    page.goto(live_server.url(f"/disclosures?q={SERIES}&sort=newest"))
    expect(result_titles(page)).to_have_text([PARKING, LIBRARY, AGENCY])
    page.evaluate("window.__marker = 1")

    page.get_by_label("Outcome", exact=True).select_option("granted_in_part")
    expect(page).to_have_url(re.compile(r"outcome=granted_in_part"))
    expect(result_titles(page)).to_have_text([AGENCY])
    page.get_by_label("Outcome", exact=True).select_option("")

    page.get_by_label("Department", exact=True).select_option(label="Adult Social Care")
    expect(page).to_have_url(re.compile(r"department=adult-social-care"))
    expect(result_titles(page)).to_have_text([LIBRARY])
    expect(page.locator("#disclosure-results .meta")).to_contain_text(["Adult Social Care"])
    screenshot(page, "public-search-filtered")
    page.get_by_label("Department", exact=True).select_option("")

    page.get_by_label("Exemption applied").select_option("FOIA-s43")
    expect(page).to_have_url(re.compile(r"exemption=FOIA-s43"))
    expect(result_titles(page)).to_have_text([PARKING])
    page.get_by_label("Exemption applied").select_option("")
    expect(result_titles(page)).to_have_count(3)

    page.get_by_label("Order", exact=True).select_option("oldest")
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    expect(result_titles(page)).to_have_text([AGENCY, LIBRARY, PARKING])

    # a date that cannot be, sent with the button: the summary says so and takes the focus
    fill_date(page, "Released from", ("31", "2", "2026"))
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#disclosure-results .error-summary")).to_contain_text("Released from must be a real date")
    expect(page.locator("#disclosure-results .error-summary")).to_be_focused()

    today = uk_today()
    fill_date(page, "Released from", today + timedelta(days=1))
    expect(page).to_have_url(re.compile(r"from-day="))
    expect(result_titles(page)).to_have_count(0)
    expect(page.locator("#disclosure-results")).to_contain_text("Nothing released matches")
    fill_date(page, "Released from", today - timedelta(days=1))
    fill_date(page, "Released to", today)
    expect(page).to_have_url(re.compile(rf"to-day={today.day}&to-month={today.month}&to-year={today.year}"))
    expect(result_titles(page)).to_have_text([AGENCY, LIBRARY, PARKING])
    assert page.evaluate("window.__marker") == 1, "a filter reloaded the page instead of swapping the results"

    # the pushed URL is a real page: loading it afresh gives the same results and the same form
    page.reload()
    expect(result_titles(page)).to_have_text([AGENCY, LIBRARY, PARKING])
    expect(page.get_by_label("Order", exact=True)).to_have_value("oldest")
    expect_date(page, "Released to", today)
    assert_private(page)
    assert_no_cookies(page)


def test_filters_work_without_javascript(pages: Pages, live_server: LiveServer, releases: Releases) -> None:
    page = pages.new(javascript=False)
    page.goto(live_server.url("/disclosures"))
    page.get_by_label("Words to look for").fill(SERIES)
    page.get_by_label("Outcome", exact=True).select_option("granted_in_part")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"outcome=granted_in_part"))
    assert f"q={SERIES}" in page.url
    expect(result_titles(page)).to_have_text([AGENCY])

    page.get_by_label("Outcome", exact=True).select_option("")
    page.get_by_label("Department", exact=True).select_option("corporate-services")
    page.get_by_label("Order", exact=True).select_option("oldest")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"department=corporate-services"))
    assert "sort=oldest" in page.url and "outcome=granted" not in page.url, page.url
    expect(result_titles(page)).to_have_text([AGENCY, PARKING])

    fill_date(page, "Released from", uk_today() + timedelta(days=1))
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"from-day="))
    expect(page.locator("#disclosure-results")).to_contain_text("Nothing released matches")

    # a bad date in the address is named, not a crash
    answer = page.goto(live_server.url(f"/disclosures?q={SERIES}&from=yesterday"))
    assert answer is not None and answer.status == 422
    expect(page.locator(".error-summary")).to_contain_text("'yesterday' is not a date")
    expect(page.locator(".error-summary")).to_be_focused()
    assert_no_cookies(page)


HOSTILE = [
    '"',
    "'; DROP TABLE foi_requests; --",
    "NEAR(",
    f"{SERIES} NEAR(agency",
    '"unclosed phrase',
    "* OR ^ AND :",
    "\\",
    "%_ -",
    "title:parking",
    "<script>alert(1)</script>",
    "-",
    "x" * 600,
]


def test_hostile_searches_show_a_normal_page(pages: Pages, live_server: LiveServer, releases: Releases) -> None:
    page = pages.new()
    for words in HOSTILE:
        answer = page.goto(live_server.url(f"/disclosures?q={quote_plus(words)}"))
        assert answer is not None and answer.status == 200, f"{words!r}: {answer and answer.status}"
        expect(page.get_by_role("heading", level=1)).to_have_text("Search the disclosure log")
        expect(page.locator(".result-count")).to_be_visible()
        expect(page.get_by_label("Words to look for")).to_have_value(words.strip()[:500])
        assert "<script>alert" not in page.content(), words
    # typed into the box, in place; the log still answers normally afterwards
    search_in_place(page, "'; DROP TABLE foi_requests; --")
    expect(page.locator(".result-count")).to_contain_text("DROP TABLE")
    search_in_place(page, SERIES)
    expect(result_titles(page)).to_have_count(3)


def test_release_page_download_and_feed(pages: Pages, live_server: LiveServer, releases: Releases) -> None:
    page = pages.new()
    page.goto(live_server.url(f"/disclosures?q={RARE}"))
    result_titles(page).get_by_role("link", name=AGENCY).click()
    page.wait_for_url(re.compile(rf"/disclosures/{releases.agency}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(AGENCY)
    main = page.locator("main")
    expect(main.locator(".caption")).to_contain_text(releases.agency)
    details = main.locator("dl.summary-list")
    expect(details).to_contain_text("Granted in part")
    expect(details).to_contain_text("Corporate Services")
    expect(main).to_contain_text("Monthly spend on agency staff")
    expect(main).to_contain_text("How much was spent on agency staff each month?")
    expect(main.get_by_role("heading", name="Exemptions applied")).to_be_visible()
    expect(main.locator("h2:has-text('Exemptions applied') + ul li")).to_have_text(["s.40 Personal information"])
    documents = main.locator(".document-list li")
    expect(documents).to_have_count(1)
    expect(documents.first).to_contain_text(RELEASED_DOC)
    expect(documents.first).to_contain_text("PDF")
    expect(main).not_to_contain_text(INTERNAL_DOC)
    expect(main).not_to_contain_text("working-note")
    assert_private(page)
    screenshot(page, "public-release")

    # the released document downloads as the PDF it is
    link = documents.get_by_role("link", name=RELEASED_DOC)
    assert link.get_attribute("href") == f"/disclosures/{releases.agency}/documents/{releases.released_doc}"
    with page.expect_download() as download_info:
        link.click(modifiers=["Alt"])  # Chromium's "download the link" click: the PDF is served inline
    download = download_info.value
    assert download.suggested_filename == "agency-spend-2024.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # the internal note and a withdrawn release's document are not there for the public
    for path in (
        f"/disclosures/{releases.agency}/documents/{releases.internal_doc}",
        f"/disclosures/{releases.bridge}/documents/{releases.bridge_doc}",
        f"/disclosures/{releases.library}/documents/{releases.released_doc}",
    ):
        answer = page.goto(live_server.url(path))
        assert answer is not None and answer.status == 404, f"{path}: {answer and answer.status}"
        assert INTERNAL_WORD not in page.content()

    # a withdrawn release keeps only the notice
    page.goto(live_server.url(f"/disclosures/{releases.bridge}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdrawn from publication")
    expect(page.locator("main")).not_to_contain_text("inspection")
    assert "mistake" not in page.content()

    # the Atom feed lists the releases, not the withdrawn one, and names nobody
    feed = page.context.request.get(live_server.url("/disclosures.atom"))
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(feed.body())
    entries = {entry.findtext(f"{atom}title"): entry for entry in root.findall(f"{atom}entry")}
    for reference, title in ((releases.agency, AGENCY), (releases.library, LIBRARY), (releases.parking, PARKING)):
        entry = entries.get(f"{reference}: {title}")
        assert entry is not None, list(entries)
        assert entry.find(f"{atom}link").get("href").endswith(f"/disclosures/{reference}")
    assert not any(releases.bridge in title for title in entries)
    leaked = [word for word in PERSONAL if word in feed.text().lower()]
    assert not leaked, f"the feed shows the requester's data: {leaked}"
    assert_no_cookies(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_public_pages_are_well_formed(pages: Pages, live_server: LiveServer, releases: Releases, width: int) -> None:
    page = pages.new(width=width)
    for path, name in [
        ("/", "home"),
        ("/disclosures", "disclosure log"),
        (f"/disclosures?q={RARE}", "search results"),
        (f"/disclosures?q={SERIES}&outcome=granted_in_part&from=nonsense", "search with an error"),
        (f"/disclosures/{releases.agency}", "release"),
        (f"/disclosures/{releases.bridge}", "withdrawn release"),
    ]:
        page.goto(live_server.url(path))
        check_structure(page, f"{name} at {width}px")
        if name == "search with an error":
            # the problem is where the page starts (GOV.UK's error summary takes the focus)
            expect(page.locator(".error-summary")).to_be_focused()
        else:
            check_focus_is_visible(page, f"{name} at {width}px", stops=4)
        assert_private(page)
        if width == 320 and name in ("home", "search results", "release"):
            page.evaluate("document.activeElement && document.activeElement.blur()")
            screenshot(page, f"public-{name.replace(' ', '-')}-narrow")
    assert_no_cookies(page)
