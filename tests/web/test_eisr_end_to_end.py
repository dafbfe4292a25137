"""The Environmental Information (Scotland) Regulations 2004 end to end: logged by the API, the page
and an import; its due dates on Scotland's calendar (initial, reg 7 to 40, review under reg 16(4));
its exceptions; the reports, the calculator and the public log. And FOISA s.74(2)(a) through the API
and the page."""

from __future__ import annotations

import time_machine
from litestar.testing import AsyncTestClient

from tests.csv_samples import historic_rows, to_csv
from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

FROZEN = "2026-06-10 10:00:00 +01:00"


def _form(client: AsyncTestClient, **fields: str) -> dict[str, str]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


@time_machine.travel(FROZEN, tick=False)
async def test_an_eisr_request_through_the_api_to_the_public_log(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    created = await client.post(
        "/api/v1/requests",
        json=new_request_body(regime="eisr", received_on="2026-03-25", title="Flood defence inspections at the river wall"),
        headers=headers,
    )
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    assert reference == "EISR-2026-00001"
    assert created.json()["due_on"] == "2026-04-23"  # Good Friday off, Easter Monday counted (Scotland)
    url = f"/api/v1/requests/{reference}/actions"

    no_pit = await client.post(url, json={"action": "extend_pit", "working_days": 20, "on": "2026-04-01"}, headers=headers)
    assert no_pit.status_code == 409, no_pit.text
    extended = await client.post(url, json={"action": "extend_eir", "on": "2026-04-20", "note": "Complex and voluminous."}, headers=headers)
    assert extended.status_code == 200, extended.text
    assert extended.json()["due_on"] == "2026-05-22" and extended.json()["working_days_limit"] == 40

    wrong_law = await client.post(
        url,
        json={
            "action": "respond",
            "on": "2026-05-20",
            "outcome": "granted_in_part",
            "exemptions": ["EIR-r12(5)(e)"],
            "response": "Attached.",
        },
        headers=headers,
    )
    assert wrong_law.status_code == 422, wrong_law.text
    assert "belongs to Environmental Information Regulations 2004" in wrong_law.text
    answered = await client.post(
        url,
        json={
            "action": "respond",
            "on": "2026-05-20",
            "outcome": "granted_in_part",
            "exemptions": ["eisr-r10(5)(e)"],
            "response": "The inspection reports are attached; the contractor's rates are withheld.",
        },
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["exemptions"] == ["EISR-r10(5)(e)"]

    published = await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)
    assert published.status_code == 200, published.text
    page = await client.get(f"/disclosures/{reference}")
    assert page.status_code == 200
    assert "Environmental Information (Scotland) Regulations 2004" in page.text
    assert "Exceptions applied" in page.text and "Exemptions applied" not in page.text
    found = await client.get("/api/v1/disclosures", params={"exemption": "EISR-r10(5)(e)"})
    assert [item["reference"] for item in found.json()["items"]] == [reference]
    await sign_in(client, staff.officer)
    similar = await client.get("/staff/requests/similar", params={"title": "Flood defence inspections", "regime": "eisr"})
    assert reference in similar.text and "EISR reg 6(1)(b)" in similar.text and "FOIA s.21" not in similar.text
    log = await client.get("/disclosures")
    assert 'value="EISR-r10(5)(e)"' in log.text  # the exception filter offers the EISR's list

    # the internal review: 20 working days (reg 16(4)), no extension
    review = await client.post(url, json={"action": "request_internal_review", "on": "2026-05-26"}, headers=headers)
    assert review.status_code == 200, review.text
    assert review.json()["due_on"] == "2026-06-24"  # 20 working days; Mon 15 Jun 2026 a Scottish holiday
    no_extension = await client.post(url, json={"action": "extend_eir", "on": "2026-05-27"}, headers=headers)
    assert no_extension.status_code in (400, 409), no_extension.text

    # the reports count it under its own law
    overdue = await client.get(
        "/api/v1/reports/overdue", params={"regime": "eisr"}, headers=bearer(await token_for(sessions, staff.manager))
    )
    assert overdue.status_code == 200, overdue.text
    timeliness = await client.get(
        "/api/v1/reports/timeliness",
        params={"from": "2026-03-01", "to": "2026-03-31", "group_by": "month"},
        headers=bearer(await token_for(sessions, staff.manager)),
    )
    assert timeliness.status_code == 200, timeliness.text
    assert "EISR-r10(5)(e)" in timeliness.text  # counted among the exceptions relied on


@time_machine.travel(FROZEN, tick=False)
async def test_the_calculator_answers_for_the_eisr(client: AsyncTestClient) -> None:
    answer = await client.post(
        "/api/v1/deadlines/calculate",
        json={"regime": "eisr", "received_on": "2026-03-25", "events": [{"type": "eir_extension", "on": "2026-04-20"}]},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["due_on"] == "2026-05-22"
    assert any("EISR reg 7" in sentence for sentence in answer.json()["explanation"])
    page = await client.get("/deadline-calculator", params={"regime": "eisr", "received_on": "2026-03-25"})
    assert "Environmental Information (Scotland) Regulations 2004" in page.text
    assert "Thursday 23 April 2026" in page.text


@time_machine.travel(FROZEN, tick=False)
async def test_an_eisr_request_logged_on_the_page_and_by_import(client: AsyncTestClient, staff: Staff, sessions) -> None:
    await sign_in(client, staff.officer)
    form = await client.get("/staff/requests/new")
    assert '<option value="eisr"' in form.text
    created = await client.post(
        "/staff/requests/new",
        data=_form(
            client,
            regime="eisr",
            title="Air quality monitoring data",
            body="Please send the monitoring data for 2025.",
            channel="email",
            received_on="2026-03-25",
            requester_name="Rosa Requester",
            requester_email="rosa@example.org",
        ),
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    assert created.headers["location"].startswith("/staff/requests/EISR-2026-00001")
    page = await client.get(created.headers["location"])
    assert "EISR reg 5(2)(a)" in page.text
    # the response form offers the EISR's outcomes: no s.12 or s.14 refusal
    assert 'value="refused_in_full"' in page.text and 'value="refused_cost"' not in page.text
    assert "Exceptions relied on (a refusal names at least one)</legend>" in page.text

    rows = historic_rows(2, year=2025)
    for row in rows:
        row.update(regime="eisr", outcome="granted_in_part", exemptions="EISR-r11", response="Names withheld under regulation 11.")
    imported = await client.post(
        "/api/v1/imports",
        files={"file": ("older.csv", to_csv(rows), "text/csv")},
        headers=bearer(await token_for(sessions, staff.officer)),
    )
    assert imported.status_code == 200, imported.text
    references = [row["reference"] for row in imported.json()["rows"]]
    assert references == ["EISR-2025-00001", "EISR-2025-00002"]


@time_machine.travel(FROZEN, tick=False)
async def test_a_posted_foisa_request_is_received_on_the_third_day_after_posting(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    # posted Thu 5 Mar 2026, the day it arrived not known: presumed received Sun 8 Mar (FOISA s.74(2)(a))
    body = new_request_body(regime="foisa", channel="post", posted_on="2026-03-05")
    del body["received_on"]
    posted = await client.post("/api/v1/requests", json=body, headers=headers)
    assert posted.status_code == 201, posted.text
    assert posted.json()["received_on"] == "2026-03-08"
    assert posted.json()["posted_on"] == "2026-03-05"
    assert posted.json()["due_on"] == "2026-04-06"
    # the day it arrived, when known, is the date of receipt
    stamped = await client.post(
        "/api/v1/requests",
        json=new_request_body(regime="foisa", channel="post", received_on="2026-03-10", posted_on="2026-03-05"),
        headers=headers,
    )
    assert stamped.json()["received_on"] == "2026-03-10"
    # FOIA presumes nothing from posting: the day it arrived is needed
    foia = await client.post("/api/v1/requests", json={**body, "regime": "foia"}, headers=headers)
    assert foia.status_code in (400, 422), foia.text
    assert "received_on" in foia.text
    # an e-mail has no posting date
    emailed = await client.post(
        "/api/v1/requests", json=new_request_body(regime="foisa", channel="email", posted_on="2026-03-05"), headers=headers
    )
    assert emailed.status_code in (400, 422), emailed.text
    assert "posted_on" in emailed.text

    await sign_in(client, staff.officer)
    created = await client.post(
        "/staff/requests/new",
        data=_form(
            client,
            regime="foisa",
            title="School meal contracts",
            body="Please send the contracts.",
            channel="post",
            received_on="",
            posted_on="2026-03-05",
            requester_name="Rosa Requester",
            requester_address="1 High Street\nAnytown",
        ),
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    page = await client.get(created.headers["location"])
    assert "Sun 8 Mar 2026 by post (posted Thu 5 Mar 2026)" in page.text
    assert "presumed received on Sunday 8 March 2026, the 3rd day after posting (FOISA s.74(2)(a))" in page.text


@time_machine.travel(FROZEN, tick=False)
async def test_a_complex_and_voluminous_extension_is_taken_once_per_period(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    created = await client.post("/api/v1/requests", json=new_request_body(regime="eisr", received_on="2026-03-25"), headers=headers)
    reference = created.json()["reference"]
    url = f"/api/v1/requests/{reference}/actions"
    assert "extend_eir" in created.json()["allowed_actions"]
    first = await client.post(url, json={"action": "extend_eir", "on": "2026-04-01"}, headers=headers)
    assert first.status_code == 200 and "extend_eir" not in first.json()["allowed_actions"]
    again = await client.post(url, json={"action": "extend_eir", "on": "2026-04-02"}, headers=headers)
    assert again.status_code == 409, again.text
    assert "already extended: EISR reg 7 allows one extension" in again.text
    assert "events[" not in again.text  # said in words, not as the engine's field
    await sign_in(client, staff.officer)
    page = await client.get(f"/staff/requests/{reference}")
    assert 'value="extend_eir"' not in page.text and "Extend to 40 working days" not in page.text.split("History")[0]
    # a clarification starts a new period: the extension may be taken again
    await client.post(url, json={"action": "request_clarification", "on": "2026-04-03", "note": "Which river?"}, headers=headers)
    answered = await client.post(url, json={"action": "receive_clarification", "on": "2026-04-07"}, headers=headers)
    assert "extend_eir" in answered.json()["allowed_actions"]


@time_machine.travel(FROZEN, tick=False)
async def test_a_request_no_longer_by_post_has_no_posting_date(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    body = new_request_body(regime="foisa", channel="post", posted_on="2026-03-05")
    del body["received_on"]
    created = (await client.post("/api/v1/requests", json=body, headers=headers)).json()
    edited = await client.patch(
        f"/api/v1/requests/{created['reference']}", json={"version": created["version"], "channel": "email"}, headers=headers
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["channel"] == "email" and edited.json()["posted_on"] is None
    assert edited.json()["received_on"] == "2026-03-08"  # the date of receipt found then stands


@time_machine.travel(FROZEN, tick=False)
async def test_a_refused_step_on_the_page_names_its_field_by_its_label(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = (
        await client.post("/api/v1/requests", json=new_request_body(regime="eisr", received_on="2026-03-25"), headers=headers)
    ).json()["reference"]
    await sign_in(client, staff.officer)
    refused = await client.post(
        f"/staff/requests/{reference}/actions",
        data=_form(client, action="respond", on="2026-04-01", outcome="refused_in_full", response="Refused."),
        follow_redirects=True,
    )
    assert [r.status_code for r in refused.history] == [303] and refused.status_code == 200
    assert "Exceptions relied on: a refusal must name the exception it relies on (EISR reg 13)" in refused.text
    assert "exemptions: a refusal" not in refused.text


@time_machine.travel(FROZEN, tick=False)
async def test_the_posting_date_is_edited_with_the_other_details(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    created = (
        await client.post(
            "/api/v1/requests", json=new_request_body(regime="foisa", channel="post", received_on="2026-03-10"), headers=headers
        )
    ).json()
    url = f"/api/v1/requests/{created['reference']}"
    later = await client.patch(url, json={"version": created["version"], "posted_on": "2026-03-11"}, headers=headers)
    assert later.status_code in (400, 422) and "posted_on" in later.text  # after the date received
    dated = await client.patch(url, json={"version": created["version"], "posted_on": "2026-03-05"}, headers=headers)
    assert dated.status_code == 200, dated.text
    assert dated.json()["posted_on"] == "2026-03-05" and dated.json()["received_on"] == "2026-03-10"
    await sign_in(client, staff.officer)
    form = await client.get(f"/staff/requests/{created['reference']}/edit")
    assert 'name="posted_on-day" type="text" inputmode="numeric" autocomplete="off" value="5"' in form.text
    assert 'name="posted_on-year" type="text" inputmode="numeric" autocomplete="off" value="2026"' in form.text
    emailed = await client.patch(
        url, json={"version": dated.json()["version"], "channel": "email", "posted_on": "2026-03-05"}, headers=headers
    )
    assert emailed.status_code in (400, 422) and "Only a request sent by post has a date it was posted" in emailed.text


@time_machine.travel(FROZEN, tick=False)
async def test_a_posting_date_is_cleared_with_null(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    body = new_request_body(regime="foisa", channel="post", received_on="2026-03-10", posted_on="2026-03-05")
    created = (await client.post("/api/v1/requests", json=body, headers=headers)).json()
    cleared = await client.patch(
        f"/api/v1/requests/{created['reference']}", json={"version": created["version"], "posted_on": None}, headers=headers
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["posted_on"] is None
