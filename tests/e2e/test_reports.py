"""A manager's reports in a real browser: the dashboard on signing in, overdue work, timeliness with
charts, filters in place (and without JavaScript), CSV downloads, and officers kept out."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, recent_weekday, screenshot
from tests.e2e.dates import fill_date
from tests.e2e.test_accessibility import check_focus_is_visible, check_reflow, check_structure

pytestmark = pytest.mark.e2e

WORD = "Platypus"  # in every title here, so these requests are easy to pick out


@pytest.fixture(scope="module")
def work(live_server: LiveServer) -> dict[str, str]:
    """Overdue, due soon, waiting for a fee (long ago), answered in time, answered late."""

    def make(title: str, days_back: int, **extra: Any) -> str:
        return live_server.create_request(f"{WORD} {title}", received_on=recent_weekday(days_back), **extra)["reference"]

    refs = {
        "overdue": make("sightings near the reservoir", 60),
        "soon": make("crossing signs budget", 25, department="adult-social-care"),
        "waiting": make("survey maps from 1990", 70),
        "in_time": make("rescue centre grants", 45),
        "late": make("road deaths 2024", 90),
    }
    with live_server.api() as client:
        answer = client.post(
            f"/api/v1/requests/{refs['waiting']}/actions", json={"action": "issue_fee_notice", "on": recent_weekday(68).isoformat()}
        )
        assert answer.status_code == 200, answer.text
    live_server.respond(refs["in_time"], on=recent_weekday(40))
    live_server.respond(refs["late"], outcome="refused_cost", exemptions=(), on=recent_weekday(5))
    return refs


def test_a_manager_lands_on_the_dashboard_and_finds_what_is_late(pages: Pages, live_server: LiveServer, work: dict[str, str]) -> None:
    page = pages.new("manager")
    page.goto(live_server.url("/staff"))
    expect(page).to_have_url(live_server.url("/staff/dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    nav = page.get_by_role("navigation", name="Staff")
    expect(nav.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    overdue_card = page.locator(".card").filter(has_text="overdue").first
    assert int(overdue_card.locator(".card-number").inner_text()) >= 1
    oldest = page.get_by_role("region", name="Oldest overdue requests")
    expect(oldest).to_contain_text(work["overdue"])
    expect(page.locator("main")).not_to_contain_text(work["waiting"])  # waiting for a fee: never overdue
    check_structure(page, "dashboard")
    check_focus_is_visible(page, "dashboard", stops=8)
    screenshot(page, "reports-dashboard")

    nav.get_by_role("link", name="Overdue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue and due soon")
    overdue_list = page.get_by_role("region", name=re.compile(r"^Overdue"))
    expect(overdue_list).to_contain_text(work["overdue"])
    stopped = page.get_by_role("region", name=re.compile(r"^Clock stopped"))
    expect(stopped).to_contain_text(work["waiting"])
    expect(stopped).to_contain_text("Fee")
    expect(page.get_by_role("region", name=re.compile(r"^Due in the next"))).to_contain_text(work["soon"])
    expect(page.get_by_role("heading", name="How these figures are counted")).to_be_visible()
    check_structure(page, "overdue report")
    screenshot(page, "reports-overdue")

    # a filter updates the report in place, and the address follows
    page.evaluate("window.__marker = 1")
    page.get_by_label("Department", exact=True).select_option("adult-social-care")
    expect(page).to_have_url(re.compile(r"department=adult-social-care"))
    expect(page.locator("#report")).not_to_contain_text(work["overdue"])
    expect(page.locator("#report")).to_contain_text(work["soon"])
    assert page.evaluate("window.__marker") == 1, "the filter reloaded the page instead of updating it in place"

    # the CSV holds exactly the lists shown
    with page.expect_download() as download:
        page.get_by_role("link", name="the lists (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    shown = page.locator("#report tbody tr a").all_inner_texts()
    assert [row["Reference"] for row in rows] == shown
    assert all(row["Department"] == "Adult Social Care" for row in rows)


def test_filters_work_without_javascript(pages: Pages, live_server: LiveServer, work: dict[str, str]) -> None:
    page = pages.new("manager", javascript=False)
    page.goto(live_server.url("/staff/reports/overdue"))
    page.get_by_label("Officer", exact=True).select_option(label="Nobody yet")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"assignee=none"))
    expect(page.locator("#report")).to_contain_text(work["overdue"])  # logged through the API with nobody assigned
    page.goto(live_server.url("/staff/reports/timeliness"))
    page.get_by_label("Group by").select_option("month")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"group_by=month"))
    expect(page.get_by_role("region", name="Timeliness")).to_contain_text(re.compile(r"[A-Z][a-z]{2} \d{4}"))


def test_timeliness_with_charts(pages: Pages, live_server: LiveServer, work: dict[str, str]) -> None:
    page = pages.new("manager")
    page.goto(live_server.url("/staff/reports/timeliness"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeliness and outcomes")
    in_time = page.get_by_role("img", name=re.compile(r"^Answered in time, by quarter"))
    expect(in_time).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Initial outcomes"))).to_be_visible()
    timeliness = page.get_by_role("region", name="Timeliness")
    total = timeliness.locator("tfoot tr")
    expect(total).to_contain_text("Total")
    withheld = page.get_by_role("region", name="Withheld, by reason")
    expect(withheld.get_by_role("row", name=re.compile(r"^Cost limit \(s\.12\)"))).to_be_visible()
    expect(withheld.get_by_role("row", name=re.compile(r"FOIA s\.40 Personal information"))).to_be_visible()
    check_structure(page, "timeliness report")
    screenshot(page, "reports-timeliness")

    page.evaluate("window.__marker = 1")
    page.get_by_label("Group by").select_option("department")
    expect(page).to_have_url(re.compile(r"group_by=department"))
    expect(page.get_by_role("img", name=re.compile(r"^Answered in time, by department"))).to_be_visible()
    expect(timeliness.get_by_role("rowheader", name="Adult Social Care")).to_be_visible()
    assert page.evaluate("window.__marker") == 1

    # a period that ends before it starts: the error names the field, the figures stay away
    fill_date(page, "Received to", date(2020, 1, 1))
    expect(page.locator(".error-summary")).to_contain_text(
        "The \u2018Received to\u2019 date must be the same as or after the \u2018Received from\u2019 date"
    )
    screenshot(page, "reports-timeliness-error")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_narrow_screens(pages: Pages, live_server: LiveServer, work: dict[str, str], javascript: bool) -> None:
    """At 320 px, WCAG's reflow width, with the requests of `work` listed: nothing scrolls sideways but a table in its own region."""
    page = pages.new("manager", width=320, javascript=javascript)
    for path, name in (
        ("/staff/dashboard", "dashboard"),
        ("/staff/reports/overdue", "overdue"),
        ("/staff/reports/overdue?department=adult-social-care", "overdue for a department"),
        ("/staff/reports/timeliness", "timeliness"),
        ("/staff/reports/timeliness?group_by=department", "timeliness by department"),
        ("/staff/reports/timeliness?group_by=month", "timeliness by month"),
        ("/staff/reports/timeliness?from=2020-02-01&to=2020-01-01", "timeliness with an error"),
    ):
        page.goto(live_server.url(path))
        page.wait_for_load_state("networkidle")  # the charts drawn
        check_structure(page, f"{name} at 320px")
        check_reflow(page, f"{name} at 320px")
        if name == "overdue":
            expect(page.locator("main")).to_contain_text(work["overdue"])
    screenshot(page, f"reports-timeliness-320-{'js' if javascript else 'nojs'}")


def test_officers_have_no_reports_and_admins_see_the_outbox(pages: Pages, live_server: LiveServer) -> None:
    officer = pages.new("officer")
    officer.goto(live_server.url("/staff"))
    expect(officer).to_have_url(live_server.url("/staff/requests"))
    expect(officer.get_by_role("navigation", name="Staff").get_by_role("link", name="Timeliness")).to_have_count(0)
    answer = officer.goto(live_server.url("/staff/reports/overdue"))
    assert answer is not None and answer.status == 403

    admin = pages.new("admin")
    admin.goto(live_server.url("/staff/admin/outbox"))
    expect(admin.get_by_role("heading", level=1)).to_have_text("Outbox")
    check_structure(admin, "outbox")
