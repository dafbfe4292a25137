"""A new officer reviews what the public will read before publishing, with and without JavaScript.

The request names its requester in a greeting and a sign-off, names a neighbour with a title, quotes a
council tax account number; the response greets the requester and names their surname alone and a permit
number. What surely identifies the requester is struck through; the rest is highlighted and waits for the
officer: publishing is refused, naming what is left, until each one is redacted or accepted.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, recent_weekday, screenshot
from tests.e2e.test_accessibility import check_focus_is_visible, check_structure

pytestmark = pytest.mark.e2e

NEIGHBOUR = "Mr Pemberton Haldane"
ACCOUNT = "40117733"
PERMIT = "EPR/HP3291LC"  # the incinerator's environmental permit: public, safe to publish
PUBLIC_TITLE = "Complaints about the incinerator in 2024"


def requester(tag: str) -> dict[str, str]:
    """A requester whose every piece of data is distinctive enough to search the public page for."""
    given, surname = f"Tobias{tag}", f"Wrenfield-Ashby{tag}"
    return {
        "given": given,
        "surname": surname,
        "name": f"{given} {surname}",
        "email": f"toby.wa.{tag.lower()}@example.org",
        "address": "12 Cobble Row\nAshcombe Vale\nHM3 7QP",
    }


def answered_request(live_server: LiveServer, tag: str) -> tuple[str, dict[str, str]]:
    person = requester(tag)
    body = (
        f"Dear Sir or Madam,\nMy neighbour {NEIGHBOUR} and I would like to know how many complaints about the "
        f"Hartmoor {tag} incinerator the council received in 2024.\nPlease quote my council tax account "
        f"{ACCOUNT} in your reply.\nThanks, {person['given']}"
    )
    response = (
        f"Dear Mr {person['surname']},\nWe received 41 complaints about the incinerator run under permit {PERMIT}. "
        f"{person['surname']} is recorded as the first complainant."
    )
    reference = live_server.create_request(
        f"Complaints about the Hartmoor {tag} incinerator",
        body=body,
        requester=person["name"],
        email=person["email"],
        address=person["address"],
        received_on=recent_weekday(8),
    )["reference"]
    live_server.respond(reference, outcome="granted_in_full", exemptions=(), response=response)
    return reference, person


def personal_data_in(text: str, person: dict[str, str]) -> list[str]:
    lowered = text.lower()
    pieces = [person["given"], person["surname"], person["email"], "cobble row", "ashcombe", "hm3 7qp", "pemberton", "haldane", ACCOUNT]
    return [piece for piece in pieces if piece.lower() in lowered]


def choice(page: Any, text: str) -> Any:
    """The fieldset in which the officer decides one highlighted item."""
    return page.locator("fieldset.suspicion-choice").filter(has=page.locator("legend", has_text=text))


def open_review_from_request_page(page: Any, live_server: LiveServer, reference: str) -> None:
    page.goto(live_server.url(f"/staff/requests/{reference}"))
    page.locator("#publication").get_by_role("link", name="Review and publish").click()
    page.wait_for_url(re.compile(rf"/staff/requests/{reference}/publish$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and publish")


def check_first_look(page: Any, person: dict[str, str]) -> None:
    """The officer's first look: the requester's data struck through, the rest highlighted with a reason."""
    struck = page.locator(".review-text del.redacted")
    for shown in (person["given"], f"Mr {person['surname']}"):
        expect(struck.filter(has_text=re.compile(rf"^{re.escape(shown)}$"))).to_have_count(1)
    highlighted = page.locator(".review-text mark.suspicion")
    expect(highlighted).to_have_text([NEIGHBOUR, ACCOUNT, PERMIT, person["surname"]])
    # not colour alone: each highlight links to its question, whose legend repeats it with the reason
    for text, reason in ((NEIGHBOUR, "name"), (ACCOUNT, "account"), (PERMIT, "number"), (person["surname"], "surname")):
        expect(choice(page, text)).to_have_count(1)
        expect(choice(page, text).locator("legend")).to_contain_text(reason)
        expect(choice(page, text).get_by_label("Redact it")).not_to_be_checked()
        expect(choice(page, text).get_by_label("It is safe to publish")).not_to_be_checked()
    expect(page.locator("#review-count")).to_contain_text("4 items left to review")


def check_refused(page: Any) -> None:
    page.get_by_role("button", name="Publish now").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # without JavaScript too (autofocus): a screen reader starts there
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary).to_contain_text("cannot be published until each highlighted item is reviewed")
    # one line per item left, leading to its question
    expect(summary.get_by_role("link")).to_have_count(4)
    for text in (NEIGHBOUR, ACCOUNT, PERMIT):
        expect(summary.get_by_role("link", name=text)).to_have_count(1)
    expect(page.locator("#publish-publish")).to_have_text("Not published: 4 highlighted items are not reviewed yet.")
    summary.get_by_role("link", name=ACCOUNT).click()
    expect(choice(page, ACCOUNT)).to_be_in_viewport()


def check_public_page(live_server: LiveServer, pages: Pages, reference: str, person: dict[str, str]) -> Any:
    public = pages.new()
    public.goto(live_server.url(f"/disclosures/{reference}"))
    main = public.locator("main")
    expect(main).to_contain_text("[redacted]")
    expect(main).to_contain_text(PERMIT)  # accepted as safe
    expect(main).to_contain_text("Complaints to the incinerator, counted for 2024.")  # the officer's summary
    found = personal_data_in(public.content(), person)
    assert not found, f"the public page shows {found}"
    with httpx.Client(base_url=live_server.base_url) as client:
        api = client.get(f"/api/v1/disclosures/{reference}")
    assert api.status_code == 200
    assert not personal_data_in(api.text, person)
    # public search finds the release by its words, never by what was taken out
    search = pages.new()
    search.goto(live_server.url(f"/disclosures?q={PERMIT.split('/')[1]}"))
    expect(search.locator(".release-list")).to_contain_text(reference)
    for word in (person["given"], person["surname"], "Pemberton", ACCOUNT):
        search.goto(live_server.url(f"/disclosures?q={word}"))
        expect(search.locator(".result-count")).to_contain_text("0 releases")
    return public


def test_review_with_javascript_saves_each_choice(pages: Pages, live_server: LiveServer) -> None:
    reference, person = answered_request(live_server, "Qa")
    page = pages.new("officer")
    open_review_from_request_page(page, live_server, reference)
    check_first_look(page, person)
    check_structure(page, "review page")
    screenshot(page, "review-before-1280")

    check_refused(page)
    screenshot(page, "review-refused-1280")

    # an emptied public title is refused with the reason, the box kept open with what was typed
    page.get_by_text("Change the public wording of title").click()
    title_box = page.get_by_label("Title, as the public will read it")
    title_box.fill("")
    page.get_by_role("button", name="Save the review").click()
    errors = page.locator(".error-summary")
    expect(errors).to_contain_text("the public title must not be empty")
    expect(errors).to_be_focused()
    expect(title_box).to_be_visible()
    expect(title_box).to_have_value("")
    expect(errors.get_by_role("link")).to_have_attribute("href", f"#{title_box.get_attribute('id')}")
    # the officer words it afresh
    title_box.fill(PUBLIC_TITLE)

    count = page.locator("#review-count")
    # each choice saves by itself (htmx), with the new title, and the count follows
    choice(page, NEIGHBOUR).get_by_label("Redact it").check()
    expect(count).to_contain_text("3 items left to review")
    expect(page.locator(".notice")).to_contain_text("Review saved. 3 items left to review.")
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator(".review-field", has_text="your wording")).to_contain_text(PUBLIC_TITLE)
    expect(page.locator(".review-text mark.suspicion.decided-redact")).to_have_text([NEIGHBOUR])
    choice(page, PERMIT).get_by_label("It is safe to publish").check()
    expect(count).to_contain_text("2 items left to review")
    expect(page.locator(".review-text mark.suspicion.decided-accept")).to_have_text([PERMIT])
    expect(choice(page, PERMIT).get_by_label("It is safe to publish")).to_be_checked()
    expect(choice(page, NEIGHBOUR).get_by_label("Redact it")).to_be_checked()
    # a keyboard user keeps their place: the radio just chosen still has the focus after the save
    expect(choice(page, PERMIT).get_by_label("It is safe to publish")).to_be_focused()

    # two choices in a row, the second made while the first is still saving: neither is lost
    quick = [choice(page, text).get_by_label("Redact it").get_attribute("id") for text in (ACCOUNT, person["surname"])]
    page.evaluate("ids => ids.forEach((id) => document.getElementById(id).click())", quick)
    expect(count).to_contain_text("Nothing left to review")

    # the public summary, written where the wording of every field is changed
    page.get_by_text("Change the public wording of public summary").click()
    summary_box = page.get_by_label("Public summary, as the public will read it")
    summary_box.fill(f"Complaints to the incinerator, counted for 2024. Asked by {person['name']}.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".notice")).to_contain_text("Nothing is left to review.")
    summary_field = page.locator(".review-field", has_text="Public summary")
    expect(summary_field).to_contain_text("your wording")
    expect(summary_field).to_contain_text("Complaints to the incinerator")
    expect(summary_field.locator("del.redacted")).to_have_text(person["name"])
    expect(summary_box).to_be_visible()  # the panel the officer opened stays open after the save
    check_structure(page, "review page, reviewed")
    screenshot(page, "review-after-1280")

    page.get_by_role("button", name="Publish now").click()
    page.wait_for_url(re.compile(rf"/staff/requests/{reference}\?done=Published"))
    expect(page.get_by_role("status")).to_have_text("Published to the disclosure log.")
    public = check_public_page(live_server, pages, reference, person)
    expect(public.get_by_role("heading", level=1)).to_have_text(PUBLIC_TITLE)
    # the record itself keeps its own title for staff
    page.goto(live_server.url(f"/staff/requests/{reference}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Complaints about the Hartmoor Qa incinerator")


def test_review_without_javascript(pages: Pages, live_server: LiveServer) -> None:
    reference, person = answered_request(live_server, "Qb")
    page = pages.new("officer", javascript=False, width=390)
    open_review_from_request_page(page, live_server, reference)
    check_first_look(page, person)
    check_structure(page, "review page, narrow")
    screenshot(page, "review-before-390")

    check_refused(page)
    expect(page.locator("#review-count")).to_contain_text("4 items left to review")
    screenshot(page, "review-refused-390")

    # choices wait for the Save button; one left undecided is still counted
    choice(page, NEIGHBOUR).get_by_label("Redact it").check()
    choice(page, PERMIT).get_by_label("It is safe to publish").check()
    choice(page, ACCOUNT).get_by_label("Redact it").check()
    page.get_by_role("button", name="Save the review").click()
    page.wait_for_url(re.compile(rf"/staff/requests/{reference}/publish\?done=Review"))
    expect(page.locator(".notice")).to_have_text("Review saved. 1 item left to review.")
    expect(page.locator("#review-count")).to_contain_text("1 item left to review")
    expect(choice(page, PERMIT).get_by_label("It is safe to publish")).to_be_checked()

    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".error-summary").get_by_role("link")).to_have_text(
        [f"‘{person['surname']}’ in our response: the requester's surname on its own: is it them?"]
    )
    expect(page.locator(".error-summary")).not_to_contain_text(NEIGHBOUR)

    choice(page, person["surname"]).get_by_label("Redact it").check()
    # the request reworded without the neighbour and the account, both decided earlier: nothing to decide there now
    page.get_by_text("Change the public wording of the request").click()
    page.get_by_label("The request, as the public will read it").fill(
        "How many complaints about the Hartmoor Qb incinerator did the council receive in 2024?"
    )
    page.get_by_text("Change the public wording of public summary").click()
    page.get_by_label("Public summary, as the public will read it").fill(
        f"Complaints to the incinerator, counted for 2024. Asked by {person['name']}."
    )
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".notice")).to_have_text("Review saved. Nothing is left to review.")
    expect(page.locator("#review-count")).to_contain_text("Nothing left to review")
    expect(choice(page, NEIGHBOUR)).to_have_count(0)
    expect(choice(page, ACCOUNT)).to_have_count(0)
    check_structure(page, "review page, narrow, reviewed")
    screenshot(page, "review-after-390")

    page.get_by_role("button", name="Publish now").click()
    page.wait_for_url(re.compile(rf"/staff/requests/{reference}\?done=Published"))
    expect(page.get_by_role("status")).to_have_text("Published to the disclosure log.")
    check_public_page(live_server, pages, reference, person)


def test_review_page_keyboard_focus(pages: Pages, live_server: LiveServer) -> None:
    reference, _ = answered_request(live_server, "Qc")
    page = pages.new("officer", width=390)
    page.goto(live_server.url(f"/staff/requests/{reference}/publish"))
    check_focus_is_visible(page, "review page", stops=30)


def test_released_file_naming_the_requester(pages: Pages, live_server: LiveServer) -> None:
    """A released file is published as uploaded: the requester found in its text can only be accepted (or the
    file replaced). Its title and file name are public texts like the others."""
    reference, person = answered_request(live_server, "Qd")
    live_server.upload(
        reference,
        f"Complaint log 2024\nComplainant: {person['name']}\nOdour, 14 March.\n".encode(),
        f"{person['surname']} complaint log.txt",
        for_release=True,
        title=f"Complaint log from {person['name']}",
    )
    page = pages.new("officer")
    page.goto(live_server.url(f"/staff/requests/{reference}/publish"))
    title = page.locator(".review-field", has=page.get_by_role("heading", name="Title of document 1"))
    expect(title.locator("del.redacted")).to_have_text([person["name"]])
    file_name = page.locator(".review-field", has=page.get_by_role("heading", name="File name of document 1"))
    expect(file_name.locator(".review-text mark.suspicion")).to_have_text([person["surname"]])
    expect(file_name.locator("fieldset.suspicion-choice")).to_have_count(1)
    in_file = page.locator(".review-field", has=page.get_by_role("heading", name="Text of document 1"))
    question = in_file.locator("fieldset.suspicion-choice")
    expect(question).to_have_count(1)
    expect(question).to_contain_text("in the released file itself")
    expect(question.get_by_label("Redact it")).to_have_count(0)  # a file is not rewritten here
    expect(question.get_by_label("Publish the file as it is")).to_be_visible()
    check_structure(page, "review page with a released file")
    screenshot(page, "review-released-file-1280")

    # the file name's surname redacted, the file itself accepted as it is: the download is named without her
    file_name.get_by_label("Redact it").check()
    expect(page.locator("#review-count")).to_contain_text("5 items left to review")
    question.get_by_label("Publish the file as it is").check()
    expect(page.locator("#review-count")).to_contain_text("4 items left to review")
    expect(file_name.locator(".review-text mark.suspicion.decided-redact")).to_have_text([person["surname"]])
