"""Editing a request's details from its page, with and without JavaScript: the form, its errors,
a stale edit refused, and the confirmation that names the new due date."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, recent_weekday, screenshot
from tests.e2e.dates import expect_date, fill_date

pytestmark = pytest.mark.e2e


def _weekday_date(value: str) -> str:
    day = date.fromisoformat(value)
    return f"{day:%a} {day.day} {day:%b %Y}"


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def test_edit_details_without_javascript(pages: Pages, live_server: LiveServer) -> None:
    received = recent_weekday(14)
    created = live_server.create_request("Grass cutting schedules", received_on=received, requester="Hattie Applegarth")
    reference = created["reference"]
    page = pages.new("officer", javascript=False)
    page.goto(live_server.url(f"/staff/requests/{reference}"))
    page.get_by_role("link", name=re.compile("^Edit details")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit details")
    expect(page.get_by_label("Title")).to_have_value("Grass cutting schedules")
    expect_date(page, "Date the request was received", received)
    expect(page.get_by_label("Name")).to_have_value("Hattie Applegarth")
    screenshot(page, "edit-details-form-1280")

    moved = received + timedelta(days=1)
    page.get_by_label("Title").fill("Grass cutting schedules for parks")
    fill_date(page, "Date the request was received", moved)
    page.get_by_label("Name").fill("Harriet Applegarth")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save changes").click()
    assert navigation.value.status == 200
    expect(page).to_have_url(re.compile(rf"/staff/requests/{reference}\?done="))

    with live_server.api() as client:
        now = client.get(f"/api/v1/requests/{reference}").json()
    assert (now["reference"], now["received_on"], now["title"]) == (reference, moved.isoformat(), "Grass cutting schedules for parks")
    notice = page.locator(".notice")
    expect(notice).to_contain_text("Details saved: title, requester details changed.")
    expect(notice).to_contain_text(
        re.compile(
            rf"Date received changed from {_short(received)} to {_short(moved)}; the response is (now|still) due on {_weekday_date(now['due_on'])}\."
        )
    )
    expect(page.locator(".request-heading h1")).to_have_text("Grass cutting schedules for parks")
    edit_entry = page.locator(".timeline-item").first
    expect(edit_entry.locator(".timeline-title")).to_have_text("Details edited")
    expect(edit_entry).to_contain_text("Title: “Grass cutting schedules” → “Grass cutting schedules for parks”")
    expect(edit_entry).to_contain_text(f"Date received: {_short(received)} → {_short(moved)}")
    expect(edit_entry).to_contain_text("Requester details changed")
    expect(edit_entry).not_to_contain_text("Applegarth")
    screenshot(page, "edit-details-saved-1280")


def test_edit_details_with_javascript_errors_then_saved(pages: Pages, live_server: LiveServer) -> None:
    received = recent_weekday(7)
    created = live_server.create_request("Street lighting faults", received_on=received)
    reference = created["reference"]
    page = pages.new("officer", width=390)
    page.goto(live_server.url(f"/staff/requests/{reference}/edit"))
    screenshot(page, "edit-details-form-390")

    page.get_by_label("Title").fill("")
    page.get_by_label("Email").fill("not an email")
    page.get_by_label("Postal address").fill("")
    fill_date(page, "Date the request was received", date.today() + timedelta(days=3))
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save changes").click()
    assert navigation.value.status == 422
    expect(page).to_have_title(re.compile("^Error: Edit details"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("li")).to_have_text(
        [
            "Enter a title",
            "Date the request was received must be today or in the past",
            "Requester's email is not a valid email address",
        ]
    )
    for field_id in ("title", "received_on", "requester-email"):
        expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#{field_id}-error")).to_be_visible()
    screenshot(page, "edit-details-errors-390")
    summary.locator('a[href="#received_on"]').click()
    expect(page.locator("#received_on")).to_be_focused()
    with live_server.api() as client:
        assert client.get(f"/api/v1/requests/{reference}").json()["version"] == created["version"]  # nothing saved

    page.get_by_label("Title").fill("Street lighting faults 2025")
    page.get_by_label("Email").fill("lamp.watcher@example.org")
    fill_date(page, "Date the request was received", received)
    page.get_by_label("Received by").select_option("post")
    with page.expect_navigation():
        page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".notice")).to_have_text("Details saved: title, channel, requester details changed.")
    expect(page.locator(".notice")).to_be_focused()
    screenshot(page, "edit-details-saved-390")


def test_a_stale_edit_is_refused_in_the_browser(pages: Pages, live_server: LiveServer) -> None:
    created = live_server.create_request("Allotment waiting list", received_on=recent_weekday(3))
    reference = created["reference"]
    page = pages.new("officer")
    page.goto(live_server.url(f"/staff/requests/{reference}/edit"))
    with live_server.api() as client:
        answer = client.patch(f"/api/v1/requests/{reference}", json={"version": created["version"], "title": "Allotments: who waits"})
        assert answer.status_code == 200, answer.text
    page.get_by_label("Title").fill("Allotment waiting list by site")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save changes").click()
    assert navigation.value.status == 409
    expect(page.locator(".error-summary h2")).to_have_text("Nothing was saved")
    expect(page.locator(".error-summary")).to_contain_text("changed by someone else")
    page.get_by_role("link", name="Open the current details").click()
    expect(page.get_by_label("Title")).to_have_value("Allotments: who waits")
