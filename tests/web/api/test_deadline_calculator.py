"""The public deadline calculator, through the API and the page: worked examples and clear errors."""

from __future__ import annotations

import re

import pytest
from litestar.testing import AsyncTestClient

WORKED_EXAMPLES = [
    # docs/uk-foi-rules.md
    ("foia", "2025-09-09", "2025-10-07"),
    ("foia", "2025-10-04", "2025-10-31"),
    ("foia", "2025-07-04", "2025-08-05"),
    ("foisa", "2026-03-25", "2026-04-23"),
    ("eisr", "2026-03-25", "2026-04-23"),  # the EISR count on Scotland's calendar too
]


@pytest.mark.parametrize(("regime", "received_on", "due_on"), WORKED_EXAMPLES)
async def test_worked_examples_through_the_api(client: AsyncTestClient, regime: str, received_on: str, due_on: str) -> None:
    response = await client.post("/api/v1/deadlines/calculate", json={"regime": regime, "received_on": received_on})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["due_on"] == due_on
    assert body["working_days"] == 20
    assert body["explanation"] and all(isinstance(line, str) for line in body["explanation"])


@pytest.mark.parametrize(("regime", "received_on", "due_on"), WORKED_EXAMPLES)
async def test_worked_examples_through_the_page(client: AsyncTestClient, regime: str, received_on: str, due_on: str) -> None:
    from datetime import date

    due = date.fromisoformat(due_on)
    page = await client.get("/deadline-calculator", params={"regime": regime, "received_on": received_on})
    assert page.status_code == 200
    assert f"Due {due:%a} {due.day} {due:%b %Y}" in page.text
    partial = await client.get(
        "/deadline-calculator",
        params={"regime": regime, "received_on": received_on},
        headers={"HX-Request": "true", "HX-Target": "result"},
    )
    assert partial.text.lstrip().startswith('<section id="result"')
    assert f"Due {due:%a} {due.day} {due:%b %Y}" in partial.text


async def test_fee_pause_from_the_contract_example(client: AsyncTestClient) -> None:
    body = {
        "regime": "foia",
        "stage": "initial",
        "received_on": "2026-12-18",
        "events": [{"type": "fee_notice_issued", "on": "2027-01-05"}, {"type": "fee_paid", "on": "2027-01-12"}],
    }
    response = await client.post("/api/v1/deadlines/calculate", json=body)
    assert response.status_code == 200
    # Fri 18 Dec 2026: days 1-7 are 21-24 and 29-31 Dec (25 Dec, the 28 Dec Boxing Day substitute and
    # 1 Jan are holidays; 2 Jan 2027 is a Saturday, so Scotland's substitute is Mon 4 Jan); 5-12 Jan are
    # paused for the fee; days 8-20 run Wed 13 to Fri 29 Jan
    assert response.json()["due_on"] == "2027-01-29"
    stopped = await client.post("/api/v1/deadlines/calculate", json={**body, "events": body["events"][:1]})
    assert stopped.json()["due_on"] is None
    assert stopped.json()["clock_stopped"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"regime": "gdpr", "received_on": "2026-01-05"}, "regime"),
        ({"regime": "foia", "received_on": "5th January"}, "received_on"),
        ({"regime": "foia"}, "received_on"),
        ({"regime": "foia", "stage": "appeal", "received_on": "2026-01-05"}, "stage"),
        ({"regime": "foia", "received_on": "2026-01-05", "events": [{"type": "bribe", "on": "2026-01-06"}]}, "events[0].type"),
        ({"regime": "foia", "received_on": "2026-01-05", "events": [{"type": "fee_notice_issued", "on": "2026-13-01"}]}, "events[0].on"),
        (
            {
                "regime": "foia",
                "received_on": "2026-01-05",
                "events": [{"type": "fee_notice_issued", "on": "2026-01-12"}, {"type": "fee_paid", "on": "2026-01-08"}],
            },
            "events[1]",
        ),
        ({"regime": "foia", "received_on": "2026-01-05", "events": [{"type": "fee_paid", "on": "2026-01-08"}]}, "events[0]"),
        (
            {"regime": "foisa", "received_on": "2026-01-05", "events": [{"type": "pit_extension", "on": "2026-01-08", "working_days": 20}]},
            "events[0].type",
        ),
        ({"regime": "foia", "received_on": "2026-01-05", "events": "lots"}, "events"),
    ],
)
async def test_bad_input_names_the_field(client: AsyncTestClient, body: dict, field: str) -> None:
    response = await client.post("/api/v1/deadlines/calculate", json=body)
    assert response.status_code in (400, 422), response.text
    # the field by its name in `field`; the detail says it in words, never by that name
    assert response.json()["field"].startswith(field), response.json()
    assert not response.json()["detail"].startswith(field.split("[")[0]), response.json()


async def test_not_json_is_a_clear_400(client: AsyncTestClient) -> None:
    response = await client.post("/api/v1/deadlines/calculate", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["status_code"] == 400


async def test_page_shows_errors_instead_of_crashing(client: AsyncTestClient) -> None:
    page = await client.get(
        "/deadline-calculator",
        params={
            "regime": "foisa",
            "received_on": "2026-01-05",
            "event_type": "pit_extension",
            "event_on": "2026-01-08",
            "event_days": "20",
        },
    )
    assert page.status_code == 200
    assert "There is a problem" in page.text and "FOISA" in page.text


async def test_a_posted_foisa_request_from_its_posting_date(client: AsyncTestClient) -> None:
    # FOISA s.74(2)(a): posted Thu 5 Mar 2026, presumed received Sun 8 Mar; due Mon 6 Apr 2026
    only_posted = await client.post("/api/v1/deadlines/calculate", json={"regime": "foisa", "posted_on": "2026-03-05"})
    assert only_posted.status_code == 200, only_posted.text
    assert only_posted.json()["received_on"] == "2026-03-08"
    assert only_posted.json()["due_on"] == "2026-04-06"
    assert "presumed received on Sunday 8 March 2026, the 3rd day after posting (FOISA s.74(2)(a))" in only_posted.json()["explanation"][0]
    arrived_early = await client.post(
        "/api/v1/deadlines/calculate", json={"regime": "foisa", "posted_on": "2026-03-05", "received_on": "2026-03-06"}
    )
    assert arrived_early.json()["received_on"] == "2026-03-06"
    foia = await client.post("/api/v1/deadlines/calculate", json={"regime": "foia", "posted_on": "2026-03-05"})
    assert foia.status_code in (400, 422) and "received_on" in foia.text
    page = await client.get("/deadline-calculator", params={"regime": "foisa", "posted_on": "2026-03-05"})
    assert "Monday 6 April 2026" in page.text


@pytest.mark.parametrize("working_days", [10**30, 50_000, 61, "9" * 40, "20\u0000", "\u0000"])
async def test_a_huge_or_broken_number_of_working_days_is_named_as_the_working_days(client: AsyncTestClient, working_days: object) -> None:
    """Not as the date received (a due date past the end of the calendar) nor as another field."""
    event = {"type": "pit_extension", "on": "2026-01-08", "working_days": working_days}
    response = await client.post("/api/v1/deadlines/calculate", json={"regime": "foia", "received_on": "2026-01-05", "events": [event]})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "events[0].working_days", response.json()
    assert response.json()["detail"].startswith("Event 1 working days "), response.json()
    # the page names it too, and its summary links to the box
    page = await client.get(
        "/deadline-calculator",
        params={
            "regime": "foia",
            "received_on": "2026-01-05",
            "event_type": "pit_extension",
            "event_on": "2026-01-08",
            "event_days": "50000",
        },
    )
    assert '<a href="#event-days-1">Event 1 working days must be a whole number from 1 to 60</a>' in page.text


@pytest.mark.parametrize("regime", [None, "", "gdpr"])
async def test_a_missing_or_unknown_law_is_asked_for_in_words(client: AsyncTestClient, regime: object) -> None:
    body = {"received_on": "2026-01-05"} if regime is None else {"regime": regime, "received_on": "2026-01-05"}
    response = await client.post("/api/v1/deadlines/calculate", json=body)
    assert (response.status_code, response.json()["field"]) == (422, "regime")
    assert response.json()["detail"] == "Select the law the request was made under"


async def test_dates_in_the_calculator_s_refusals_are_written_in_words(client: AsyncTestClient) -> None:
    early = await client.post(
        "/api/v1/deadlines/calculate",
        json={"regime": "foia", "received_on": "2026-12-01", "events": [{"type": "clarification_requested", "on": "2026-11-30"}]},
    )
    assert early.json()["detail"] == "Event 1 date must be the same as or after the date the request was received (1 December 2026)"
    ancient = await client.post("/api/v1/deadlines/calculate", json={"regime": "foia", "received_on": "0001-01-01"})
    assert (ancient.status_code, ancient.json()["field"]) == (422, "received_on")
    assert ancient.json()["detail"] == "Date the request was received must be between 1 January 1990 and 31 December 2060"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", early.text + ancient.text)


async def test_the_calculator_page_says_the_same_beside_the_date_as_in_its_summary(client: AsyncTestClient) -> None:
    page = await client.get("/deadline-calculator", params={"regime": "foia", "received_on": "0001-01-01"})
    message = "Date received must be between 1 January 1990 and 31 December 2060"
    assert f'<a href="#received_on">{message}</a>' in page.text
    assert f'<p class="field-error" id="received_on-error"><span class="visually-hidden">Error:</span> {message}</p>' in page.text


async def test_an_answer_swapped_in_marks_the_date_boxes_it_refuses(client: AsyncTestClient) -> None:
    """With htmx only the result is swapped: the date boxes go with it (out of band), marked as without JavaScript."""
    params = {"regime": "foia", "received_on-day": "2", "received_on-month": "3", "received_on-year": "26"}
    live = await client.get("/deadline-calculator", params=params, headers={"HX-Request": "true", "HX-Target": "result"})
    message = "Date received must include a year with 4 numbers"
    assert f'<a href="#received_on-year">{message}</a>' in live.text
    boxes = re.search(r'<div id="received_on-date" hx-swap-oob="true">(.*?)</fieldset>', live.text, re.S)
    assert boxes, "the date's boxes are not sent with the answer"
    marked = re.findall(r'<input [^>]*id="received_on(?:-(month|year))?"[^>]*aria-invalid="true"', boxes.group(1))
    assert marked == ["year"]
    assert f'id="received_on-error"><span class="visually-hidden">Error:</span> {message}</p>' in boxes.group(1)
    # put right, the marks go
    fixed = await client.get(
        "/deadline-calculator", params={**params, "received_on-year": "2026"}, headers={"HX-Request": "true", "HX-Target": "result"}
    )
    boxes = re.search(r'<div id="received_on-date" hx-swap-oob="true">(.*?)</fieldset>', fixed.text, re.S)
    assert boxes and "aria-invalid" not in boxes.group(1) and "31 March 2026" in fixed.text
    # the page itself sends no out-of-band copies
    page = await client.get("/deadline-calculator", params=params)
    assert "hx-swap-oob" not in page.text and page.text.count('id="received_on-date"') == 1
