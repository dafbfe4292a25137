"""Dates typed as day, month and year (the GOV.UK date input, templates/_date_input.html), read by
app/web/pages/forms.py `read_dates`: each form that asks for a date, what it says of a date mistyped,
that nothing is saved then, and that a single YYYY-MM-DD value (old links, scripts) still works."""

from __future__ import annotations

import html
import re

import pytest
import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

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
    return [
        (href, html.unescape(re.sub(r"\s+", " ", text).strip())) for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', box, re.S)
    ]


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
        (("2", "3", "26"), "Date the request was received must include a year with 4 numbers", ["year"]),
        (("28", "3", "2026"), "Date the request was received must be today or in the past", ["day", "month", "year"]),
        # left empty: never taken as today, the date of receipt starts the legal clock
        (("", "", ""), "Enter the date the request was received", ["day", "month", "year"]),
    ],
)
@time_machine.travel(FROZEN, tick=False)
async def test_a_mistyped_date_is_named_and_nothing_is_saved(
    client: AsyncTestClient, staff: Staff, typed: tuple[str, str, str], message: str, invalid: list[str]
) -> None:
    await sign_in(client, staff.officer)
    page = await client.post("/staff/requests/new", data=_new_request(client, **_received(*typed)))
    assert page.status_code == 422
    # the summary links to the first box at fault (GOV.UK): the day box has the field's own id
    first = "" if invalid[0] == "day" else f"-{invalid[0]}"
    assert _summary(page.text) == [(f"#received_on{first}", message)]
    assert f'<p class="field-error" id="received_on-error"><span class="visually-hidden">Error:</span> {message}</p>' in page.text
    marked = re.findall(r'id="received_on(?:-(month|year))?"[^>]*aria-invalid="true"', page.text)
    assert sorted(part or "day" for part in marked) == sorted(invalid)
    # what was typed is shown again, to correct
    assert f'name="received_on-year" type="text" inputmode="numeric" autocomplete="off" value="{typed[2]}"' in page.text
    assert "0 requests" in (await client.get("/staff/requests?status=all")).text


async def _logged(client: AsyncTestClient, staff: Staff, sessions) -> tuple[str, dict[str, str]]:
    headers = bearer(await token_for(sessions, staff.officer))
    body = new_request_body(received_on="2026-03-02")
    reference = (await client.post("/api/v1/requests", json=body, headers=headers)).json()["reference"]
    await sign_in(client, staff.officer)
    return reference, headers


@time_machine.travel(FROZEN, tick=False)
async def test_editing_details_reads_the_three_boxes_and_refuses_a_two_digit_year(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference, headers = await _logged(client, staff, sessions)
    fields = {
        "title": "Spending",
        "body": "Please provide the spend.",
        "channel": "email",
        "requester_name": "Rosa Requester",
        "requester_email": "rosa@example.org",
        "version": "1",
    }
    typo = await client.post(f"/staff/requests/{reference}/edit", data=_form(client, **fields, **_received("3", "3", "26")))
    assert typo.status_code == 422
    assert _summary(typo.text) == [("#received_on-year", "Date the request was received must include a year with 4 numbers")]
    assert (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()["version"] == 1  # nothing saved

    saved = await client.post(f"/staff/requests/{reference}/edit", data=_form(client, **fields, **_received("3", "3", "2026")))
    assert saved.status_code == 200 or saved.status_code == 303
    assert (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()["received_on"] == "2026-03-03"


@time_machine.travel(FROZEN, tick=False)
async def test_a_step_s_date_mistyped_is_said_in_words_and_the_step_is_not_taken(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference, headers = await _logged(client, staff, sessions)
    step = {"action": "request_clarification", "note": "Which year?", "notice_send": "none"}
    for typed, message in (
        (("10", "", "2026"), "Date it happened must include a month"),
        (("10", "3", "26"), "Date it happened must include a year with 4 numbers"),
        (("30", "2", "2026"), "Date it happened must be a real date"),
        (("30", "3", "2026"), "Date it happened must be today or in the past"),
    ):
        boxes = {"on-day": typed[0], "on-month": typed[1], "on-year": typed[2]}
        refused = await client.post(f"/staff/requests/{reference}/actions", data=_form(client, **step, **boxes), follow_redirects=True)
        assert [r.status_code for r in refused.history] == [303] and refused.status_code == 200
        # in the error summary, linking to the box at fault, and once beside the boxes
        summary = refused.text.split('id="request_clarification-error" tabindex="-1" autofocus>', 1)[1].split("</div>", 1)[0]
        assert re.findall(r'<a href="#request_clarification-on[a-z-]*">([^<]+)</a>', summary) == [message]
        said = f'<p class="field-error" id="request_clarification-on-error"><span class="visually-hidden">Error:</span> {message}</p>'
        assert refused.text.count(said) == 1 and refused.text.count(message) == 2
        assert "on:" not in summary
        assert (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()["status"] == "new"

    taken = await client.post(
        f"/staff/requests/{reference}/actions",
        data=_form(client, **step, **{"on-day": "10", "on-month": "3", "on-year": "2026"}),
        follow_redirects=False,
    )
    assert taken.status_code == 303
    history = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()["history"]
    assert (history[0]["action"], history[0]["on"]) == ("request_clarification", "2026-03-10")


@time_machine.travel(FROZEN, tick=False)
async def test_scheduling_publication_takes_a_date_and_a_time(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference, headers = await _logged(client, staff, sessions)
    for action in ({"action": "respond", "outcome": "granted_in_full", "response": "Here it is."},):
        answered = await client.post(f"/api/v1/requests/{reference}/actions", json={**action, "on": "2026-03-20"}, headers=headers)
        assert answered.status_code == 200, answered.text
    await client.get(f"/staff/requests/{reference}/publish")
    when = {"when": "later", "at-day": "1", "at-month": "4", "at-year": "2026"}
    no_time = await client.post(f"/staff/requests/{reference}/publish", data=_form(client, **when))
    assert no_time.status_code == 422 and "Date to publish must include a time" in no_time.text
    bad_time = await client.post(f"/staff/requests/{reference}/publish", data=_form(client, **when, **{"at-time": "25:00"}))
    assert bad_time.status_code == 422 and "Time to publish must be a real time, like 09:30 or 14:30" in bad_time.text
    assert (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()["publication"]["state"] != "scheduled"
    scheduled = await client.post(
        f"/staff/requests/{reference}/publish", data=_form(client, **when, **{"at-time": "9:30"}), follow_redirects=False
    )
    assert scheduled.status_code == 303, scheduled.text
    assert "Publication scheduled for 1 April 2026 at 09:30." in html_unquote(scheduled.headers["location"])


def html_unquote(location: str) -> str:
    from urllib.parse import unquote_plus

    return unquote_plus(location)


@time_machine.travel(FROZEN, tick=False)
async def test_the_timeliness_report_reads_its_period_from_boxes_and_from_old_links(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.manager)
    boxes = {"from-day": "1", "from-month": "1", "from-year": "2026", "to-day": "31", "to-month": "3", "to-year": "2026"}
    page = await client.get("/staff/reports/timeliness", params=boxes)
    assert page.status_code == 200
    # the links it builds (CSV, JSON) carry the period as YYYY-MM-DD, which is still read
    assert "from=2026-01-01&amp;to=2026-03-31" in page.text
    old = await client.get("/staff/reports/timeliness?from=2026-01-01&to=2026-03-31")
    assert old.status_code == 200
    assert 'name="from-day" type="text" inputmode="numeric" autocomplete="off" value="1"' in old.text
    typo = await client.get("/staff/reports/timeliness", params={**boxes, "to-year": "26"})
    assert typo.status_code == 422
    assert _summary(typo.text) == [("#filter-to-year", "Received to must include a year with 4 numbers")]
    assert 'value="26"' in typo.text  # what was typed, to correct


async def test_the_disclosure_log_filters_by_dates_typed_in_boxes_and_keeps_them_in_its_links(client: AsyncTestClient) -> None:
    boxes = {"from-day": "1", "from-month": "1", "from-year": "2026", "to-day": "", "to-month": "", "to-year": ""}
    page = await client.get("/disclosures", params=boxes)
    assert page.status_code == 200
    assert 'name="from-year" type="text" inputmode="numeric" autocomplete="off" value="2026"' in page.text
    old = await client.get("/disclosures?from=2026-01-01")
    assert old.status_code == 200 and 'name="from-day" type="text" inputmode="numeric" autocomplete="off" value="1"' in old.text
    for typed, message, box in (
        ({"from-month": ""}, "Released from must include a month", "from-month"),
        ({"from-day": "32"}, "Released from must be a real date", "from"),
        ({"from-year": "26"}, "Released from must include a year with 4 numbers", "from-year"),
    ):
        refused = await client.get("/disclosures", params={**boxes, **typed})
        assert refused.status_code == 422  # as the API answers (docs/contract.md)
        assert f'<a href="#{box}">{message}</a>' in refused.text
        assert "from:" not in _summary(refused.text)[0][1]


async def test_the_calculator_reads_dates_typed_in_boxes(client: AsyncTestClient) -> None:
    page = await client.get(
        "/deadline-calculator", params={"regime": "foia", "received_on-day": "2", "received_on-month": "3", "received_on-year": "2026"}
    )
    assert page.status_code == 200 and "31 March 2026" in page.text
    typo = await client.get(
        "/deadline-calculator", params={"regime": "foia", "received_on-day": "2", "received_on-month": "3", "received_on-year": "26"}
    )
    assert '<a href="#received_on-year">Date received must include a year with 4 numbers</a>' in typo.text
    event = await client.get(
        "/deadline-calculator",
        params={
            "regime": "foia",
            "received_on": "2026-03-02",
            "event_type": "clarification_requested",
            "event_on-day": "31",
            "event_on-month": "2",
            "event_on-year": "2026",
        },
    )
    assert '<a href="#event-on-1">Date of event 1 must be a real date</a>' in event.text


@time_machine.travel(FROZEN, tick=False)
async def test_a_mistyped_date_on_the_edit_form_is_said_with_every_other_problem(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference, headers = await _logged(client, staff, sessions)
    fields = {
        "title": "",
        "body": "Changed",
        "channel": "email",
        "requester_name": "Rosa Requester",
        "requester_email": "rosa",
        "version": "1",
    }
    refused = await client.post(f"/staff/requests/{reference}/edit", data=_form(client, **fields, **_received("3", "", "2026")))
    assert refused.status_code == 422
    assert _summary(refused.text) == [
        ("#title", "Enter a title"),
        ("#received_on-month", "Date the request was received must include a month"),
        ("#requester-email", "Requester's email is not a valid email address"),
    ]
    after = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    assert (after["version"], after["body"], [e["action"] for e in after["history"]]) == (1, new_request_body()["body"], ["log"])


async def test_the_api_says_a_bad_value_in_words_and_keeps_the_field_s_name(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=headers)).json()["reference"]
    bad_days = await client.post(
        f"/api/v1/requests/{reference}/actions", json={"action": "extend_for_public_interest", "working_days": "many"}, headers=headers
    )
    assert bad_days.status_code in (400, 422)
    assert bad_days.json()["field"] == "working_days"
    assert bad_days.json()["detail"].startswith("Extra working days must be a whole number"), bad_days.json()
    future = await client.post(f"/api/v1/requests/{reference}/actions", json={"action": "withdraw", "on": "2999-01-01"}, headers=headers)
    assert (future.status_code, future.json()["field"], future.json()["detail"]) == (422, "on", "Date it happened cannot be in the future")


async def test_a_page_answering_as_one_types_waits_for_the_whole_date(client: AsyncTestClient) -> None:
    """With htmx, a date typed in part (a day, its month and year not yet) leaves the page as it is (204);
    without it, the form's submission says what is missing."""
    half = {"regime": "foia", "received_on-day": "2", "received_on-month": "", "received_on-year": ""}
    live = await client.get("/deadline-calculator", params=half, headers={"HX-Request": "true", "HX-Target": "result"})
    assert live.status_code == 204 and live.text == ""
    posted = await client.get("/deadline-calculator", params=half)
    assert '<a href="#received_on-month">Date received must include a month and year</a>' in posted.text
    log = await client.get("/disclosures", params={"from-day": "1"}, headers={"HX-Request": "true", "HX-Target": "disclosure-results"})
    assert log.status_code == 204
    assert (await client.get("/disclosures", params={"from-day": "1"})).status_code == 422


@time_machine.travel(FROZEN, tick=False)
async def test_a_wrong_time_is_said_with_the_date_s_problems_not_after_them(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await sign_in(client, staff.officer)
    both = await client.post("/staff/requests/new", data=_new_request(client, **_received("31", "2", "2026"), received_time="25:99"))
    assert both.status_code == 422
    assert _summary(both.text) == [
        ("#received_on", "Date the request was received must be a real date"),
        ("#received_time", "Time received must be a real time, like 09:30 or 14:30"),
    ]
    assert re.search(r'<input id="received_time"[^>]*aria-invalid="true"', both.text)


@time_machine.travel(FROZEN, tick=False)
async def test_a_publication_s_date_and_time_are_refused_together(client: AsyncTestClient, staff: Staff, sessions) -> None:
    """A scheduled publication's date and time, in one group of boxes: both problems at once."""
    reference, headers = await _logged(client, staff, sessions)
    answered = await client.post(
        f"/api/v1/requests/{reference}/actions",
        json={"action": "respond", "outcome": "granted_in_full", "response": "Here it is.", "on": "2026-03-20"},
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    await client.get(f"/staff/requests/{reference}/publish")
    boxes = {"when": "later", "at-day": "1", "at-month": "4", "at-year": "26", "at-time": "9"}
    refused = await client.post(f"/staff/requests/{reference}/publish", data=_form(client, **boxes))
    assert refused.status_code == 422
    message = "Date to publish must include a year with 4 numbers. Time to publish must be a real time, like 09:30 or 14:30"
    assert ("#publish-at-year", message) in _summary(refused.text)
    marked = re.findall(r'id="publish-at-(year|time)"[^>]*aria-invalid="true"', refused.text)
    assert marked == ["year", "time"]


@time_machine.travel(FROZEN, tick=False)
async def test_a_step_dated_before_the_request_arrived_says_which_date_in_words(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference, headers = await _logged(client, staff, sessions)  # received 2 March 2026
    message = "Date it happened must be the same as or after the date the request was received (2 March 2026)"
    api = await client.post(f"/api/v1/requests/{reference}/actions", json={"action": "withdraw", "on": "2026-03-01"}, headers=headers)
    assert (api.status_code, api.json()["field"], api.json()["detail"]) == (422, "on", message)
    step = {"action": "request_clarification", "note": "Which year?", "notice_send": "none"}
    page = await client.post(
        f"/staff/requests/{reference}/actions", data=_form(client, **step, **{"on-day": "1", "on-month": "3", "on-year": "2026"})
    )
    # (the refused form comes back at an address of its own: followed here)
    assert message in html.unescape(page.text)
    assert "2026-03-01" not in page.text


async def test_a_new_request_without_its_law_is_asked_for_it(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    for regime in ("", "gdpr"):
        api = await client.post("/api/v1/requests", json=new_request_body(regime=regime), headers=headers)
        assert (api.status_code, api.json()["field"], api.json()["detail"]) == (422, "regime", "Select the law the request was made under")
    await sign_in(client, staff.officer)
    page = await client.post("/staff/requests/new", data={**_new_request(client, **_received("2", "3", "2026")), "regime": ""})
    assert page.status_code == 422
    assert ("#regime", "Select the law the request was made under") in _summary(page.text)
    assert "(got" not in page.text


@time_machine.travel(FROZEN, tick=False)
async def test_the_timeliness_report_answered_in_place_marks_the_boxes_it_refuses(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.manager)
    boxes = {"from-day": "1", "from-month": "1", "from-year": "2026", "to-day": "31", "to-month": "3", "to-year": "26"}
    live = await client.get("/staff/reports/timeliness", params=boxes, headers={"HX-Request": "true", "HX-Target": "report"})
    sent = re.search(r'<div id="filter-to-date" hx-swap-oob="true">(.*?)</fieldset>', live.text, re.S)
    assert sent, "the period's boxes are not sent with the answer"
    assert re.findall(r'id="filter-to(?:-(month|year))?"[^>]*aria-invalid="true"', sent.group(1)) == ["year"]
    assert "Received to must include a year with 4 numbers" in sent.group(1)
    page = await client.get("/staff/reports/timeliness", params=boxes)
    assert "hx-swap-oob" not in page.text and page.text.count('id="filter-to-date"') == 1


@time_machine.travel(FROZEN, tick=False)
async def test_a_batch_s_live_count_marks_the_filter_dates_it_refuses(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    await client.get("/staff/batches")
    created = await client.post("/staff/batches", data=_form(client, title="Spring release", slug=""), follow_redirects=False)
    assert created.status_code == 303, created.text
    batch = created.headers["location"].split("?")[0]
    boxes = {
        "received_from-day": "1", "received_from-month": "3", "received_from-year": "2026",
        "received_to-day": "1", "received_to-month": "2", "received_to-year": "2026",
    }  # fmt: skip
    count = await client.get(f"{batch}/matching", params=boxes, headers={"HX-Request": "true", "HX-Target": "matching"})
    reversed_range = "The \u2018Received until\u2019 date must be the same as or after the \u2018Received from\u2019 date"
    assert reversed_range in count.text.split("</p>", 1)[0]
    sent = re.search(r'<div id="filter-received-to-date" hx-swap-oob="true">(.*?)</fieldset>', count.text, re.S)
    assert sent, "the filter's dates are not sent with the count"
    assert len(re.findall(r'aria-invalid="true"', sent.group(1))) == 3
    other = re.search(r'<div id="filter-received-from-date" hx-swap-oob="true">(.*?)</fieldset>', count.text, re.S)
    assert other and "aria-invalid" not in other.group(1)
    # the page itself has each date once, outside any out-of-band copy
    page = await client.get(batch)
    assert page.text.count('id="filter-received-to-date"') == 1 and "hx-swap-oob" not in page.text
