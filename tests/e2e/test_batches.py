"""Older requests released together, as staff new to the tracker would do it in the browser: build a batch by
filter, preview exactly what will be public, a manager approves, publish, and see the batch on the public site.
Then bulk actions from the request list: preview the change, confirm once."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, recent_weekday, screenshot
from tests.e2e.dates import date_group, expect_date, fill_date
from tests.e2e.test_accessibility import check_structure
from tests.e2e.test_import import older_requests, to_csv

pytestmark = pytest.mark.e2e

WORD = "Quillborough"
PERSONAL = ["farrant", "whisby", "ottoline", "example.net", "ellery", "voss"]
NEIGHBOUR = "Mrs Ellery Voss"


def import_rows(live_server: LiveServer, rows: list[dict[str, str]]) -> list[str]:
    with live_server.api() as client:
        answer = client.post("/api/v1/imports", files={"file": ("older.csv", to_csv(rows), "text/csv")})
    assert answer.status_code == 200, answer.text
    return [row["reference"] for row in answer.json()["rows"] if row["status"] == "imported"]


def batch_id_of(page: Any) -> str:
    return re.search(r"/staff/batches/(\d+)", page.url).group(1)


def test_build_preview_approve_publish_and_see_the_batch(pages: Pages, live_server: LiveServer) -> None:
    rows = older_requests(8, word=WORD, year=2021)
    rows[0]["body"] = f"I am Ottoline Farrant-Whisby 1 (ottoline.fw1@example.net). Please send the {WORD} figures."
    rows[1]["body"] = f"My neighbour {NEIGHBOUR} and I would like the {WORD} figures."  # for an officer to decide
    references = import_rows(live_server, rows)
    assert len(references) == 8

    page = pages.new("officer")
    page.goto(live_server.url("/staff/requests"))
    page.get_by_role("link", name="Release batches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Release batches")
    page.get_by_role("button", name="Create batch").click()
    expect(page.locator(".error-summary")).to_contain_text("Title: give the batch a title")
    page.get_by_label("Title").fill(f"{WORD}: older responses from 2021")
    page.get_by_label("Description (optional)").fill("Requests answered in 2021, released together.")
    fill_date(page, "Planned publication (optional, UK time)", date(2030, 1, 6), time="09:30")
    check_structure(page, "batches list")
    page.get_by_role("button", name="Create batch").click()
    expect(page.locator(".notice")).to_contain_text("Batch created")
    batch_id = batch_id_of(page)
    slug = "quillborough-older-responses-from-2021"
    expect(page.locator(".caption")).to_contain_text(slug)

    add = page.locator("form.filter-form")
    add.get_by_label("Status").select_option("responded")
    fill_date(add, "Answered from", date(2021, 1, 1))
    fill_date(add, "Answered until", date(2021, 12, 31))
    add.get_by_label("Department").select_option("corporate-services")
    expect(page.locator("#matching")).to_contain_text("8 requests match")  # counted as the form changes (htmx)
    screenshot(page, "batch-add-by-filter")
    add.get_by_role("button", name="Add every matching request").click()
    expect(page.locator(".notice")).to_have_text("8 requests added.")
    expect(page.locator("#requests tbody tr")).to_have_count(8)
    page.locator("#requests tbody tr").filter(has_text=references[7]).get_by_role("button", name="Take out").click()
    expect(page.locator(".notice")).to_have_text(f"{references[7]} taken out of the batch.")
    expect(page.locator("#requests tbody tr")).to_have_count(7)
    expect(page.get_by_role("button", name="Approve this batch")).to_have_count(0)  # officers do not approve
    check_structure(page, "batch page (draft)")
    screenshot(page, "batch-draft")

    page.get_by_role("link", name="Preview the batch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{WORD}: older responses from 2021")
    warnings = page.locator(".warning-box")
    expect(warnings).to_contain_text("There is no public summary.")
    expect(warnings).to_contain_text(
        "2 pieces of personal data found in the text (an e-mail address, the requester's name) will be replaced by [redacted]"
    )
    expect(page.locator("article.preview")).to_have_count(7)
    first = page.locator("article.preview").first
    expect(first.locator(".request-text").first).to_contain_text("I am [redacted] ([redacted])")
    left = page.locator(".error-summary")
    expect(left).to_contain_text("1 possible personal data item to review before approval")
    expect(left.get_by_role("link")).to_have_text([f"{references[1]}: 1 to review"])
    check_structure(page, "batch preview")
    screenshot(page, "batch-preview")

    # approval waits for the review of every request
    manager = pages.new("manager")
    manager.goto(live_server.url(f"/staff/batches/{batch_id}"))
    manager.get_by_role("button", name="Approve this batch").click()
    expect(manager.locator(".error-summary")).to_contain_text(references[1])
    expect(manager.locator("#workflow")).not_to_contain_text("Approved by")
    left.get_by_role("link", name=f"{references[1]}: 1 to review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and publish")
    page.locator("fieldset.suspicion-choice", has_text=NEIGHBOUR).get_by_label("Redact it").check()
    expect(page.locator("#review-count")).to_contain_text("Nothing left to review")
    page.goto(live_server.url(f"/staff/batches/{batch_id}/preview"))
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator(f"article#{references[1]}")).to_contain_text("My neighbour [redacted] and I")

    manager.goto(live_server.url(f"/staff/batches/{batch_id}"))
    manager.get_by_role("button", name="Approve this batch").click()
    expect(manager.locator(".notice")).to_contain_text("Approved")
    expect(manager.locator("#workflow")).to_contain_text("Approved by Mina Manager")
    expect(manager.get_by_label("At a set time")).to_be_checked()  # the planned time is offered
    expect_date(manager, "Date and time (UK time)", date(2030, 1, 6))
    expect(date_group(manager, "Date and time (UK time)").get_by_label("Time, for example 14:30")).to_have_value("09:30")
    screenshot(manager, "batch-approved")
    manager.get_by_label("Publish now").check()
    manager.get_by_role("button", name="Publish the batch").click()
    expect(manager.locator(".notice")).to_contain_text("Published: every request of the batch is now on the disclosure log.")
    expect(manager.get_by_role("heading", level=1)).to_contain_text("Published")
    expect(manager.get_by_role("button", name=re.compile("Take out"))).to_have_count(0)  # fixed once published
    check_structure(manager, "batch page (published)")
    screenshot(manager, "batch-published")

    public = pages.new()
    public.goto(live_server.url("/"))
    latest = public.locator("h2", has_text="Latest batches").locator("xpath=following-sibling::ul[1]")
    expect(latest).to_contain_text(f"{WORD}: older responses from 2021")
    latest.get_by_role("link", name=f"{WORD}: older responses from 2021").click()
    expect(public).to_have_url(live_server.url(f"/batches/{slug}"))
    expect(public.get_by_role("heading", level=1)).to_have_text(f"{WORD}: older responses from 2021")
    expect(public.locator(".release-list li")).to_have_count(7)
    expect(public.locator(".meta").first).to_contain_text("7 releases")
    check_structure(public, "public batch page")
    screenshot(public, "public-batch")
    public.get_by_role("link", name=f"{WORD} bridge repairs (1)").click()
    expect(public.locator("dl")).to_contain_text(f"with {WORD}: older responses from 2021")
    everything = public.content().lower() + httpx.get(live_server.url(f"/batches/{slug}")).text.lower()
    assert not [word for word in PERSONAL if word in everything]
    feed = httpx.get(live_server.url("/disclosures.atom")).text
    assert f"Released together: {WORD}: older responses from 2021 (7 releases)" in feed
    with live_server.api() as client:
        listing = client.get("/api/v1/disclosures", params={"batch": slug}).json()
    assert listing["total"] == 7


def test_bulk_actions_preview_then_confirm(pages: Pages, live_server: LiveServer) -> None:
    titles = [f"Wexcombe allotment waiting list ({n})" for n in range(1, 4)]
    references = [live_server.create_request(title, received_on=recent_weekday(3))["reference"] for title in titles]
    answered = live_server.create_request("Wexcombe allotment rents", received_on=recent_weekday(6))["reference"]
    live_server.respond(answered, outcome="not_held", exemptions=())

    page = pages.new("officer")
    page.goto(live_server.url("/staff/requests?status=all&q=Wexcombe"))
    expect(page.locator("#results tbody tr")).to_have_count(4)
    for reference in [*references[:2], answered]:
        page.get_by_label(f"Select {reference}").check()
    page.get_by_label("Action").select_option("withdraw")
    check_structure(page, "request list with bulk actions")
    screenshot(page, "bulk-select")
    page.get_by_role("button", name="Preview the change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the change: Close as withdrawn")
    expect(page.locator("table tbody tr")).to_have_count(2)
    expect(page.locator(".warning-box")).to_contain_text(
        f"{answered} (Wexcombe allotment rents): Its status is “Responded”: only a request not yet answered can be withdrawn."
    )
    check_structure(page, "bulk preview")
    screenshot(page, "bulk-preview")
    assert live_server.count_requests(q="Wexcombe", status="withdrawn") == 0  # nothing changed yet
    page.get_by_label("Note for each request's history (optional)").fill("Withdrawn by the requester by phone")
    page.get_by_role("button", name="Confirm: Close as withdrawn (2 requests)").click()
    expect(page.locator(".notice")).to_contain_text(re.compile(r"Close as withdrawn: 2 requests \(operation \d+\)\."))
    screenshot(page, "bulk-done")
    assert live_server.count_requests(q="Wexcombe", status="withdrawn") == 2

    page.goto(live_server.url(f"/staff/requests/{references[0]}"))
    newest = page.locator("#timeline .timeline-item").first
    expect(newest).to_contain_text("Withdrawn by requester")
    expect(newest).to_contain_text("Withdrawn by the requester by phone")

    # add the answered one to a batch from the list, without JavaScript
    with live_server.api() as client:
        batch = client.post("/api/v1/batches", json={"title": "Wexcombe answers"}).json()
    plain = pages.new("officer", javascript=False)
    plain.goto(live_server.url("/staff/requests?status=all&q=Wexcombe"))
    plain.get_by_label(f"Select {answered}").check()
    plain.get_by_label("Action").select_option("add_to_batch")
    plain.get_by_label("Release batch").select_option(label="Wexcombe answers")
    plain.get_by_role("button", name="Preview the change").click()
    expect(plain.locator("table tbody tr")).to_contain_text("Joins batch wexcombe-answers")
    plain.get_by_role("button", name="Confirm: Add to release batch 'Wexcombe answers' (1 request)").click()
    expect(plain.locator(".notice")).to_contain_text("Add to release batch: 1 request")
    with live_server.api() as client:
        assert client.get(f"/api/v1/batches/{batch['id']}").json()["requests"] == [answered]
