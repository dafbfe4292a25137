"""An officer puts an answered request on the public disclosure log through the pages, then takes it down.

Documents are uploaded through the request page's upload form (htmx with a progress bar: the server answers
with HX-Redirect and the page loads afresh), the public version is previewed with the requester's personal
data replaced by [redacted], published now, and withdrawn with a reason that is never shown publicly.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    LiveServer,
    Pages,
    make_pdf,
    recent_weekday,
    screenshot,
    screenshot_of,
)

pytestmark = pytest.mark.e2e

NAME = "Philippa Quenby-Marchetti"
EMAIL = "philippa.qm@example.net"
ADDRESS = "Flat 7, Larkspur Court\nWhitmoor Lane\nTestbury TB9 4QZ"
# how each piece of her data could show through, in any case
PERSONAL = ["quenby", "marchetti", "philippa", "larkspur", "whitmoor", "tb9 4qz", "example.net"]
TITLE = "Gritting lorry fleet costs 2023/24"
RELEASED_TITLE = "Gritting fleet costs 2023/24 (redacted)"
NOTE_TITLE = "Working note on kestrelwick names"
SUMMARY = f"What the council spent on its gritting lorries in 2023/24. Asked by {NAME}, {EMAIL}."
TAKEDOWN_REASON = "Published before the contractor was consulted"


# the review page's text but for what is struck through (it becomes [redacted]) and the editing boxes
UNSTRUCK_TEXT = """() => {
  const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('del.redacted, textarea').forEach((element) => element.remove());
  return main.textContent;
}"""


def personal_data_in(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in PERSONAL if word in lowered]


def open_upload_form(page: Any) -> Any:
    panel = page.locator("#documents details.action")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    expect(panel.get_by_label("File")).to_be_visible()
    return panel


def upload(page: Any, name: str, content: bytes, mime: str, *, title: str = "", for_release: bool = False) -> Any:
    """Fills the upload form and submits it; returns the upload's response (the htmx POST)."""
    panel = open_upload_form(page)
    panel.get_by_label("File").set_input_files(files=[{"name": name, "mimeType": mime, "buffer": content}])
    if title:
        panel.get_by_label("Title (optional)").fill(title)
    panel.get_by_label("For release" if for_release else "Internal only").check()
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/documents")) as answer:
        panel.get_by_role("button", name="Upload").click()
    return answer.value


def document_rows(page: Any) -> Any:
    return page.locator("#documents table tbody tr")


def test_officer_uploads_previews_publishes_and_takes_down(pages: Pages, live_server: LiveServer) -> None:
    body = (
        f"My name is {NAME} and you can write to me at {EMAIL} or at Flat 7, Larkspur Court, Whitmoor Lane, "
        "Testbury TB9 4QZ.\nHow much did the council spend on its gritting lorries (the kestrelwick fleet) in 2023/24?"
    )
    reference = live_server.create_request(
        TITLE,
        body=body,
        requester=NAME,
        email=EMAIL,
        address=ADDRESS,
        received_on=recent_weekday(10),
    )["reference"]
    live_server.respond(
        reference,
        outcome="granted_in_part",
        exemptions=("FOIA-s40",),
        response="Dear Ms Quenby-Marchetti,\nThe costs are attached. Drivers' names are withheld under section 40.",
    )
    request_url = live_server.url(f"/staff/requests/{reference}")

    page = pages.new("officer")
    page.goto(request_url)
    # the check below can see her: the private requester panel shows her name, email and address
    assert len(personal_data_in(page.locator("#requester-heading + dl").inner_text())) >= 5
    documents = page.locator("#documents")
    expect(documents).to_contain_text("No documents yet.")

    # the released version: htmx posts it with a progress bar, the server answers HX-Redirect, the page reloads
    page.evaluate("window.__marker = 1")
    answer = upload(
        page,
        "gritting-costs.pdf",
        make_pdf("Gritting fleet costs 2023/24", "Fuel 41,200; repairs 9,870."),
        "application/pdf",
        title=RELEASED_TITLE,
        for_release=True,
    )
    assert answer.request.headers.get("hx-request") == "true", "the upload did not go through htmx"
    redirect = answer.headers.get("hx-redirect") or ""
    assert answer.status == 200 and redirect.startswith(f"/staff/requests/{reference}?done="), answer.headers
    page.wait_for_url(re.compile(r"done=Document\+added"))
    assert page.evaluate("window.__marker") is None, "the page was not loaded afresh after the upload"
    expect(page.get_by_role("status")).to_have_text(f"Document added: {RELEASED_TITLE}")
    expect(document_rows(page)).to_have_count(1)
    released_row = document_rows(page).filter(has_text=RELEASED_TITLE)
    expect(released_row).to_contain_text("For release")
    expect(released_row).to_contain_text("PDF")

    # an internal working note, left "Internal only"
    upload(
        page, "working-note.txt", b"Working note: check the kestrelwick drivers' names before release.\n", "text/plain", title=NOTE_TITLE
    )
    page.wait_for_url(re.compile(r"done=Document\+added.*Working"))
    expect(document_rows(page)).to_have_count(2)
    expect(document_rows(page).filter(has_text=NOTE_TITLE)).to_contain_text("Internal")

    # a program renamed .pdf is refused in place: no reload, nothing added
    page.evaluate("window.__marker = 1")
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240
    upload(page, "minutes.pdf", program, "application/pdf", for_release=True)
    status = page.locator("#upload-status")
    expect(status).to_contain_text("The document was not added")
    expect(status).to_contain_text("Windows executable")
    assert page.evaluate("window.__marker") == 1, "a refused upload should not reload the page"
    page.reload()
    expect(document_rows(page)).to_have_count(2)
    expect(page.locator("#documents")).not_to_contain_text("minutes")
    page.locator("#documents details.action summary").click()
    screenshot_of(page.locator("#documents"), "staff-request-documents")

    # the review: what the public will see, with her name, email and address struck through for [redacted]
    page.locator("#publication").get_by_role("link", name="Review and publish").click()
    page.wait_for_url(re.compile(rf"/staff/requests/{reference}/publish$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and publish")
    main = page.locator("main")
    expect(main).to_contain_text("kestrelwick fleet")
    expect(main).to_contain_text(RELEASED_TITLE)
    expect(main).not_to_contain_text(NOTE_TITLE)
    struck = page.locator(".review-text del.redacted")
    for shown in (NAME, EMAIL, "Flat 7, Larkspur Court, Whitmoor Lane, Testbury TB9 4QZ", f"Ms {NAME.split()[1]}"):
        expect(struck.filter(has_text=re.compile(rf"^{re.escape(shown)}$"))).to_have_count(1)
    outside_struck = page.evaluate(UNSTRUCK_TEXT)
    assert not personal_data_in(outside_struck), outside_struck
    expect(page.locator("#review-count")).to_contain_text("Nothing left to review")
    warnings = page.locator(".warning-box")
    expect(warnings).to_contain_text("There is no public summary.")
    expect(warnings).to_contain_text("will be replaced by [redacted]")
    screenshot(page, "staff-preview-and-publish")

    # "Schedule publication" with no date is refused with a message next to the field
    page.get_by_role("button", name="Schedule publication").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter the date and time to publish")
    expect(page.locator("#publish-at-error")).to_be_visible()

    # a public summary in which she is named again: her data is taken out of it too
    page.get_by_text("Change the public wording of public summary").click()
    page.get_by_label("Public summary, as the public will read it").fill(SUMMARY)
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".notice")).to_contain_text("Review saved.")
    summary = page.locator(".review-field", has_text="your wording")
    expect(summary).to_contain_text("What the council spent on its gritting lorries")
    expect(summary.locator("del.redacted")).to_have_text([NAME, EMAIL])
    expect(page.locator(".warning-box")).not_to_contain_text("There is no public summary.")

    # publish now
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_url(re.compile(rf"/staff/requests/{reference}\?done=Published"))
    expect(page.get_by_role("status")).to_have_text("Published to the disclosure log.")
    publication = page.locator("#publication")
    public_link = publication.get_by_role("link", name="see the public page")
    expect(public_link).to_have_attribute("href", f"/disclosures/{reference}")
    screenshot_of(publication, "staff-request-disclosure-log")

    # what the public sees: the summary redacted, only the released document
    public = pages.new()
    public.goto(live_server.url(f"/disclosures/{reference}"))
    expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
    main = public.locator("main")
    expect(main).to_contain_text("What the council spent on its gritting lorries")
    expect(main).to_contain_text("[redacted]")
    expect(main.get_by_role("link", name=RELEASED_TITLE)).to_be_visible()
    expect(main).not_to_contain_text(NOTE_TITLE)
    assert not personal_data_in(public.content()), personal_data_in(public.content())
    released_href = main.get_by_role("link", name=RELEASED_TITLE).get_attribute("href")
    assert public.context.request.get(live_server.url(released_href)).status == 200

    # take it down, with a reason kept in the history
    page.locator("#publication details.action summary").click()
    page.get_by_label("Reason (kept in the history, not shown publicly)").fill(TAKEDOWN_REASON)
    page.get_by_role("button", name="Take down").click()
    page.wait_for_url(re.compile(rf"/staff/requests/{reference}\?done=Withdrawn"))
    expect(page.get_by_role("status")).to_have_text("Withdrawn from the disclosure log.")
    expect(publication).to_contain_text("Withdrawn from publication on")
    expect(publication).to_contain_text(TAKEDOWN_REASON)
    expect(publication.get_by_role("link", name="Review and publish again")).to_be_visible()

    # the public page keeps only the notice; the document and the search hit are gone
    public.goto(live_server.url(f"/disclosures/{reference}"))
    expect(public.get_by_role("heading", level=1)).to_have_text("Withdrawn from publication")
    text = public.locator("main").inner_text()
    for gone in (TITLE, "gritting", "kestrelwick", RELEASED_TITLE, TAKEDOWN_REASON, "[redacted]"):
        assert gone.lower() not in text.lower(), f"{gone!r} is still on the withdrawn page"
    assert not personal_data_in(public.content())
    screenshot(public, "public-withdrawn-notice")
    assert public.context.request.get(live_server.url(released_href)).status == 404
    public.goto(live_server.url("/disclosures?q=kestrelwick"))
    expect(public.locator(".result-count")).to_contain_text("0 releases")
