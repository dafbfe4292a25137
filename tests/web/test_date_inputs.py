"""Dates typed as day, month and year (the GOV.UK date input, templates/_date_input.html), read by
app/web/pages/forms.py `read_dates`: each form that asks for a date, what it says of a date mistyped,
that nothing is saved then, and that a single YYYY-MM-DD value (old links, scripts) still works."""

from __future__ import annotations

import re

import pytest
import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, sign_in

FROZEN = "2026-03-27 10:00:00 +00:00"


def _form(client: AsyncTestClient, **fields: str) -> dict[str, str]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


def _new_request(client: AsyncTestClient, **dates: str) -> dict[str, str]:
    return _form(
        client,
        regime="foia",
        title="Gritting routes",
        body="Please send the gritting routes.",
        channel="email",
        requester_name="Rosa Requester",
        requester_email="rosa@example.org",
        **dates,
    )


def _received(day: str, month: str, year: str) -> dict[str, str]:
    return {"received_on-day": day, "received_on-month": month, "received_on-year": year}


def _summary(page_text: str) -> list[tuple[str, str]]:
    """The error summary's links: (href, text)."""
    box = page_text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return [(href, re.sub(r"\s+", " ", text).strip()) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', box, re.S)]


@time_machine.travel(FROZEN, tick=False)
async def test_the_new_request_form_asks_for_the_date_as_day_month_and_year(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    page = await client.get("/staff/requests/new")
    assert 'type="date"' not in page.text
    assert "<legend>Date the request was received</legend>" in page.text
    assert "For example, 27 3 2026" in page.text
    for box in ("received_on-day", "received_on-month", "received_on-year"):
        assert re.search(rf'name="{box}" type="text" inputmode="numeric"', page.text), box
    # today's date is filled in, as it was before
    assert 'name="received_on-day" type="text" inputmode="numeric" autocomplete="off" value="27"' in page.text

    created = await client.post("/staff/requests/new", data=_new_request(client, **_received("2", "3", "2026")), follow_redirects=False)
    assert created.status_code == 303, created.text
    detail = await client.get(created.headers["location"])
    assert "Due Tue 31 Mar 2026" in detail.text


@time_machine.travel(FROZEN, tick=False)
async def test_a_single_iso_date_is_still_read(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    created = await client.post("/staff/requests/new", data=_new_request(client, received_on="2026-03-02"), follow_redirects=False)
    assert created.status_code == 303
    assert "Due Tue 31 Mar 2026" in (await client.get(created.headers["location"])).text


@pytest.mark.parametrize(
    ("typed", "message", "invalid"),
    [
        (("2", "", "2026"), "Date the request was received must include a month", ["month"]),
        (("", "", "2026"), "Date the request was received must include a day and month", ["day", "month"]),
        (("31", "2", "2026"), "Date the request was received must be a real date", ["day", "month", "year"]),
        (("2", "13", "2026"), "Date the request was received must be a real date", ["day", "month", "year"]),
        (("2", "March", "2026"), "Date the request was received must be a real date", ["day", "month", "year"]),
        (("2", "3", "26"), "Year must include 4 numbers", ["year"]),
        (("28", "3", "2026"), "Date the request was received must be today or in the past", ["day", "month", "year"]),
    ],
)
@time_machine.travel(FROZEN, tick=False)
async def test_a_mistyped_date_is_named_and_nothing_is_saved(
    client: AsyncTestClient, staff: Staff, typed: tuple[str, str, str], message: str, invalid: list[str]
) -> None:
    await sign_in(client, staff.officer)
    page = await client.post("/staff/requests/new", data=_new_request(client, **_received(*typed)))
    assert page.status_code == 422
    assert _summary(page.text) == [("#received_on", message)]
    assert f'<p class="field-error" id="received_on-error"><span class="visually-hidden">Error:</span> {message}</p>' in page.text
    marked = re.findall(r'id="received_on(?:-(month|year))?"[^>]*aria-invalid="true"', page.text)
    assert sorted(part or "day" for part in marked) == sorted(invalid)
    # what was typed is shown again, to correct
    assert f'name="received_on-year" type="text" inputmode="numeric" autocomplete="off" value="{typed[2]}"' in page.text
    assert "0 requests" in (await client.get("/staff/requests?status=all")).text
