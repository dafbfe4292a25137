"""Report pages and API: who may see them, what they answer, exports, filters in place and without JavaScript."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from litestar.testing import AsyncTestClient

from app.services import requests as service
from tests.factories import Staff, bearer, sign_in, token_for

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
async def cases(sessions: Any, staff: Staff) -> dict[str, str]:
    """An overdue request, one due soon, one waiting for a fee, one answered in time (with s.40), one late."""

    async def log(received_on: date, title: str, department: str = "corporate-services") -> str:
        async with sessions.write.begin() as db:
            created = await service.create_request(
                db,
                service.NewRequest(
                    regime="foia",
                    title=title,
                    body="Body",
                    received_on=received_on,
                    department=department,
                    requester=service.RequesterDetails(name="Rosa Requester", email="rosa@example.org"),
                    assignee=staff.officer.email,
                ),
                staff.officer,
                LONDON,
            )
            return created.reference

    async def act(reference: str, action: str, on: date, **params: Any) -> None:
        async with sessions.write.begin() as db:
            await service.apply_action(db, reference, action=action, params=params, actor=staff.officer, zone=LONDON, on=on)

    refs = {
        "overdue": await log(date(2026, 1, 12), "Road gritting routes"),
        "soon": await log(date(2026, 2, 20), "Tree preservation orders", "environment-and-highways"),
        "waiting": await log(date(2026, 1, 5), "Copies of old plans"),
        "in_time": await log(date(2026, 1, 5), "Staff sickness absence"),
        "late": await log(date(2026, 1, 6), "Parking fines income"),
    }
    await act(refs["waiting"], "issue_fee_notice", date(2026, 1, 8))
    await act(refs["in_time"], "respond", date(2026, 1, 20), outcome="granted_in_part", exemptions=["FOIA-s40"], response="Here.")
    await act(refs["late"], "respond", date(2026, 2, 20), outcome="not_held", exemptions=[], response="Not held.")
    return refs


async def test_the_api_is_for_managers(client: AsyncTestClient, sessions: Any, staff: Staff) -> None:
    for path in ("/api/v1/reports/overdue", "/api/v1/reports/timeliness"):
        assert (await client.get(path)).status_code == 401
        officer = await client.get(path, headers=bearer(await token_for(sessions, staff.officer)))
        assert officer.status_code == 403
        assert officer.json() == {"status_code": 403, "detail": "this needs the manager role; you are signed in as officer"}
        for who in (staff.manager, staff.admin):
            assert (await client.get(path, headers=bearer(await token_for(sessions, who)))).status_code == 200


async def test_overdue_json(client: AsyncTestClient, sessions: Any, staff: Staff, cases: dict[str, str]) -> None:
    answer = await client.get("/api/v1/reports/overdue", headers=bearer(await token_for(sessions, staff.manager)))
    assert answer.status_code == 200
    data = answer.json()
    assert data["as_of"] == "2026-03-18"
    assert data["overdue"] == [
        {
            "reference": cases["overdue"],
            "title": "Road gritting routes",
            "regime": "foia",
            "status": "new",
            "stage": "initial",
            "due_on": "2026-02-09",
            "working_days_overdue": 26,
            "ageing": "21-40",
            "department": "Corporate Services",
            "assignee": "Olivia Officer",
            "assignee_email": "olivia.officer@council.example",
        }
    ]
    assert [row["reference"] for row in data["due_soon"]] == [cases["soon"]]
    assert data["due_soon"][0]["working_days_left"] == 3  # due Mon 23 Mar (St Patrick's Day was not a working day)
    assert data["clock_stopped"] == [
        {
            "reference": cases["waiting"],
            "title": "Copies of old plans",
            "regime": "foia",
            "status": "awaiting_fee",
            "stage": "initial",
            "due_on": None,
            "waiting_for": "fee",
            "since": "2026-01-08",
            "lapses_on": "2026-04-08",
            "department": "Corporate Services",
            "assignee": "Olivia Officer",
            "assignee_email": "olivia.officer@council.example",
        }
    ]
    assert data["totals"] == {
        "overdue": 1,
        "overdue_requests": 1,
        "overdue_reviews": 0,
        "due_soon": 1,
        "due_soon_requests": 1,
        "due_soon_reviews": 0,
        "clock_stopped": 1,
    }
    assert {d["department_slug"]: d["overdue"] for d in data["by_department"]} == {"corporate-services": 1, "environment-and-highways": 0}
    assert data["by_officer"][0]["assignee_email"] == "olivia.officer@council.example"
    assert data["truncated"] is False
    assert "Rosa" not in answer.text and "rosa@example.org" not in answer.text

    limited = await client.get("/api/v1/reports/overdue?limit=0", headers=bearer(await token_for(sessions, staff.manager)))
    assert limited.status_code == 422 and limited.json()["field"] == "limit"
    unknown = await client.get("/api/v1/reports/overdue?department=nowhere", headers=bearer(await token_for(sessions, staff.manager)))
    assert unknown.status_code == 422 and unknown.json()["field"] == "department"


async def test_timeliness_json(client: AsyncTestClient, sessions: Any, staff: Staff, cases: dict[str, str]) -> None:
    token = await token_for(sessions, staff.manager)
    answer = await client.get("/api/v1/reports/timeliness?from=2026-01-01&to=2026-03-18&group_by=month", headers=bearer(token))
    assert answer.status_code == 200
    data = answer.json()
    assert (data["from"], data["to"], data["group_by"]) == ("2026-01-01", "2026-03-18", "month")
    january, february, march = data["rows"]
    assert january["period"] == "2026-01" and january["label"] == "Jan 2026"
    assert {k: january[k] for k in ("received", "responded", "in_time", "in_time_extended", "late", "open", "open_overdue")} == {
        "received": 4,
        "responded": 2,
        "in_time": 1,
        "in_time_extended": 0,
        "late": 1,
        "open": 2,
        "open_overdue": 1,
    }
    assert january["in_time_rate"] == 50.0
    assert january["outcomes"]["withheld_in_part"] == 1 and january["outcomes"]["not_held"] == 1
    assert january["outcomes"]["not_yet_processed"] == 2
    assert january["withheld_by_reason"]["exemptions"] == {"FOIA-s40": 1}
    assert january["working_days_to_respond"] == {"answers": 2, "median": 22.0, "mean": 22.0, "longest": 33}  # 11 and 33
    assert february["received"] == 1 and march["received"] == 0
    assert data["total"]["received"] == 5

    by_department = (await client.get("/api/v1/reports/timeliness?from=2026-01-01&group_by=department", headers=bearer(token))).json()
    assert [(r["department"], r["department_slug"], r["received"]) for r in by_department["rows"]] == [
        ("Corporate Services", "corporate-services", 4),
        ("Environment and Highways", "environment-and-highways", 1),
    ]
    for query, field in (
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("group_by=week", "group_by"),
        ("from=2026-03-01&to=2026-02-01", "to"),
        ("department=nowhere", "department"),
    ):
        bad = await client.get(f"/api/v1/reports/timeliness?{query}", headers=bearer(token))
        assert bad.status_code == 422, query
        assert bad.json()["field"] == field


async def test_the_json_keeps_its_shape(client: AsyncTestClient, sessions: Any, staff: Staff, cases: dict[str, str]) -> None:
    """Every key, in order, of what app.web.report_views shapes from the reports' data (docs/contract.md:
    the API changes only by adding)."""
    token = await token_for(sessions, staff.manager)
    counts = ["overdue", "overdue_reviews", "due_soon", "due_soon_reviews", "clock_stopped", "ageing", "ageing_reviews"]
    overdue = (await client.get("/api/v1/reports/overdue", headers=bearer(token))).json()
    assert list(overdue) == [
        "as_of",
        "filters",
        "totals",
        "ageing",
        "by_department",
        "by_officer",
        "overdue",
        "due_soon",
        "clock_stopped",
        "truncated",
    ]
    assert list(overdue["by_department"][0]) == ["department", "department_slug", *counts]
    assert list(overdue["by_officer"][0]) == ["assignee", "assignee_email", *counts]
    assert list(overdue["by_officer"][0]["ageing"]) == ["1-5", "6-20", "21-40", "over-40"]

    figures = ["received", "responded", "in_time", "in_time_extended", "late", "timeliness_unknown", "open", "open_overdue", "in_time_rate"]
    figures += ["outcomes", "withheld_by_reason", "internal_reviews", "working_days_to_respond"]
    by_month = (await client.get("/api/v1/reports/timeliness?from=2026-01-01&to=2026-03-18&group_by=month", headers=bearer(token))).json()
    assert list(by_month) == ["from", "to", "group_by", "department", "as_of", "rows", "total"]
    for row in [*by_month["rows"], by_month["total"]]:
        assert list(row) == ["period", "label", "from", "to", *figures]
    row = by_month["rows"][0]
    assert list(row["withheld_by_reason"]) == ["procedural", "exemptions"]
    assert list(row["working_days_to_respond"]) == ["answers", "median", "mean", "longest"]
    assert list(row["internal_reviews"]) == [
        "received",
        "completed",
        "completed_in_time",
        "upheld",
        "overturned",
        "partly_overturned",
        "open",
    ]
    by_department = (await client.get("/api/v1/reports/timeliness?from=2025-01-01&group_by=department", headers=bearer(token))).json()
    assert list(by_department["rows"][0]) == ["department", "department_slug", *figures]
    assert list(by_department["total"]) == ["period", "label", "from", "to", *figures]


async def test_staff_lands_where_their_role_works(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    assert (await client.get("/staff", follow_redirects=False)).headers["location"] == "/staff/requests"
    page = await client.get("/staff/requests")
    assert 'href="/staff/reports/overdue"' not in page.text  # no report links for officers
    assert (await client.get("/staff/dashboard")).status_code == 403
    assert (await client.get("/staff/reports/timeliness")).status_code == 403
    await client.post("/logout", headers={"x-csrftoken": client.cookies.get("csrftoken", "")})
    await sign_in(client, staff.manager)
    assert (await client.get("/staff", follow_redirects=False)).headers["location"] == "/staff/dashboard"


async def test_the_dashboard(client: AsyncTestClient, staff: Staff, cases: dict[str, str]) -> None:
    await sign_in(client, staff.manager)
    page = await client.get("/staff/dashboard")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Dashboard</h1>" in text and 'aria-current="page">Dashboard</a>' in text
    assert cases["overdue"] in text and "Road gritting routes" in text
    assert 'href="/staff/reports/timeliness"' in text and 'href="/staff/reports/overdue"' in text
    assert "open request" in text and "in time this quarter" in text
    assert "Rosa" not in text


async def test_the_overdue_page_and_its_exports(client: AsyncTestClient, staff: Staff, cases: dict[str, str]) -> None:
    await sign_in(client, staff.manager)
    page = await client.get("/staff/reports/overdue")
    assert page.status_code == 200
    assert '<section id="report"' in page.text and "<h1>Overdue and due soon</h1>" in page.text
    assert "How these figures are counted" in page.text and "never overdue" in page.text
    for reference in (cases["overdue"], cases["soon"], cases["waiting"]):
        assert reference in page.text

    # htmx asks for the results alone, and the filters apply
    partial = await client.get(
        "/staff/reports/overdue?department=environment-and-highways", headers={"HX-Request": "true", "HX-Target": "report"}
    )
    assert partial.status_code == 200
    assert partial.text.lstrip().startswith('<section id="report"') and "<html" not in partial.text
    assert cases["soon"] in partial.text and cases["overdue"] not in partial.text

    lists = await client.get("/staff/reports/overdue?format=csv")
    assert lists.status_code == 200 and lists.headers["content-type"] == "text/csv; charset=utf-8"
    assert lists.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8 ("£")
    assert "attachment" in lists.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(lists.content.decode("utf-8-sig"))))
    assert [(r["List"], r["Reference"]) for r in rows] == [
        ("Overdue", cases["overdue"]),
        ("Due soon", cases["soon"]),
        ("Clock stopped", cases["waiting"]),
    ]
    assert rows[0]["Working days overdue"] == "26" and rows[0]["How late"] == "21 to 40 working days"
    assert rows[0]["Due date"]  # columns headed in words, as on the page, not by field names ("due_on")
    summary = list(
        csv.reader(io.StringIO((await client.get("/staff/reports/overdue?format=csv&part=summary")).content.decode("utf-8-sig")))
    )
    assert summary[0][:3] == ["Counted by", "Name", "Overdue"]
    assert ["All requests", "All", "1", "0", "0", "1", "0", "0", "1", "0", "1"] in summary

    bad = await client.get("/staff/reports/overdue?limit=5000")
    assert bad.status_code == 422 and "There is a problem" in bad.text and "must be a whole number from 1 to 1000" in bad.text


async def test_the_timeliness_page_shows_what_it_exports(client: AsyncTestClient, staff: Staff, cases: dict[str, str]) -> None:
    await sign_in(client, staff.manager)
    query = "from=2026-01-01&to=2026-03-18&group_by=month"
    page = await client.get(f"/staff/reports/timeliness?{query}")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Timeliness and outcomes</h1>" in text
    assert '<svg role="img" aria-labelledby="chart-in-time-title chart-in-time-desc"' in text
    assert '<title id="chart-outcomes-title">' in text
    assert "kozea.github.io" not in text and "<script" not in text.split("<main")[1]  # no chart scripts, no CDN
    assert "Within a permitted extension" in text and "Cabinet Office" in text
    assert "How these figures are counted" in text

    exported = list(
        csv.DictReader(io.StringIO((await client.get(f"/staff/reports/timeliness?{query}&format=csv")).content.decode("utf-8-sig")))
    )
    assert [r["Period"] for r in exported] == ["Jan 2026", "Feb 2026", "Mar 2026", "Total"]
    january = exported[0]
    assert (january["Received"], january["Within 20 working days"], january["Late"], january["In time (%)"]) == ("4", "1", "1", "50.0%")
    assert january["FOIA s.40 Personal information"] == "1" and january["Median"] == "22"
    assert "Timeliness: Still open" in january and "Internal reviews: Still open" in january  # a shared heading names its table
    # every figure in the CSV is on the page, in a table cell
    for row in exported:
        for key, value in row.items():
            if key not in ("Period", "From", "To") and value not in ("", "0"):
                assert f'<td class="numeric">{value}</td>' in text or f'<td class="numeric total">{value}</td>' in text, (key, value)

    partial = await client.get(
        "/staff/reports/timeliness?from=2026-01-01&to=2026-03-18&group_by=department", headers={"HX-Request": "true", "HX-Target": "report"}
    )
    assert partial.text.lstrip().startswith('<section id="report"') and "Environment and Highways" in partial.text

    bad = await client.get("/staff/reports/timeliness?from=2026-03-01&to=2026-02-01")
    assert bad.status_code == 422 and 'href="#filter-to"' in bad.text
    assert "The ‘Received to’ date must be the same as or after the ‘Received from’ date" in bad.text
