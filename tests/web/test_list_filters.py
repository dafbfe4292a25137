"""A filter whose value is none of its choices (a link mistyped or kept from before) is said, in the form's
own words, instead of silently listing every request or none: on the staff list by its box, and in the
API as a 422 naming the field; the disclosure log names its boxes by their labels (issue 13)."""

from __future__ import annotations

import html
import re
from typing import Any

from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

MESSAGES = {
    "status": "Select a status from the list",
    "regime": "Select a law from the list",
    "department": "Select a department from the list",
    "assignee": "Select who the requests are assigned to from the list",
}


def _summary(text: str) -> list[tuple[str, str]]:
    box = text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return [
        (href, html.unescape(re.sub(r"<[^>]+>", "", label)).strip())
        for href, label in re.findall(r'<a href="([^"]+)">(.*?)</a>', box, re.S)
    ]


async def test_an_unknown_filter_on_the_staff_list_is_said_by_its_box_not_ignored(
    client: AsyncTestClient, staff: Staff, sessions: Any
) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    made = await client.post("/api/v1/requests", json=new_request_body(title="Parking permits issued"), headers=officer)
    assert made.status_code == 201, made.text
    await sign_in(client, staff.officer)

    for field, message in MESSAGES.items():
        page = await client.get("/staff/requests", params={field: "bogus"})
        assert page.status_code == 422, (field, page.status_code)
        assert _summary(page.text) == [(f"#{field}", message)], field
        assert f'<p class="field-error" id="{field}-error"><span class="visually-hidden">Error:</span> {message}</p>' in page.text
        assert re.search(rf'<select id="{field}" name="{field}" aria-invalid="true" aria-describedby="{field}-error">', page.text)
        assert "<title>Error: Requests" in page.text
        # the list is shown without the refused filter: the open request is there
        assert "Parking permits issued" in page.text

    # every refused filter at once
    several = await client.get("/staff/requests", params={"status": "bogus", "department": "nowhere"})
    assert [href for href, _ in _summary(several.text)] == ["#status", "#department"]

    # the choices the form offers are still taken, and find what they say
    for params in (
        {"status": "new"},
        {"status": "all"},
        {"status": "open"},
        {"regime": "foia"},
        {"department": "corporate-services"},
        {"assignee": "none"},
        {"assignee": "me"},
        {"assignee": staff.other_officer.email},
        {"regime": "", "department": "", "assignee": ""},
    ):
        page = await client.get("/staff/requests", params=params)
        assert page.status_code == 200 and 'class="error-summary"' not in page.text, params
    assert "Parking permits issued" in (await client.get("/staff/requests", params={"assignee": "none"})).text
    assert "Parking permits issued" not in (await client.get("/staff/requests", params={"status": "responded"})).text


async def test_an_unknown_filter_in_the_api_is_a_422_naming_it(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    assert (await client.post("/api/v1/requests", json=new_request_body(), headers=officer)).status_code == 201
    for field in MESSAGES:
        answer = await client.get("/api/v1/requests", params={field: "bogus"}, headers=officer)
        assert answer.status_code == 422, (field, answer.text)
        assert answer.json()["field"] == field
        assert answer.json()["detail"] == MESSAGES[field]
    # one good status beside a bad one is still refused, not half read
    mixed = await client.get("/api/v1/requests?status=new&status=bogus", headers=officer)
    assert mixed.status_code == 422 and mixed.json()["field"] == "status"
    good = await client.get(
        "/api/v1/requests",
        params={"status": "new", "regime": "foia", "department": "corporate-services", "assignee": "none"},
        headers=officer,
    )
    assert good.status_code == 200 and good.json()["total"] == 1


async def test_the_disclosure_log_names_an_unknown_choice_by_the_form_s_labels(client: AsyncTestClient) -> None:
    for field, message in (("outcome", "Select an outcome from the list"), ("sort", "Select an order from the list")):
        page = await client.get("/disclosures", params={field: "bogus"})
        assert page.status_code == 422
        assert _summary(page.text) == [(f"#{field}", message)]
        assert "choose one of" not in page.text and "granted_in_full, " not in page.text
        api = await client.get("/api/v1/disclosures", params={field: "bogus"})
        assert api.status_code == 422 and (api.json()["field"], api.json()["detail"]) == (field, message)


async def test_the_reports_name_an_unknown_department_or_officer_without_repeating_it(
    client: AsyncTestClient, staff: Staff, sessions: Any
) -> None:
    manager = bearer(await token_for(sessions, staff.manager))
    for url, field, message in (
        ("/api/v1/reports/overdue?department=nowhere", "department", "Select a department from the list"),
        ("/api/v1/reports/timeliness?department=nowhere", "department", "Select a department from the list"),
        ("/api/v1/reports/overdue?assignee=nobody%40example.org", "assignee", "Select an officer from the list"),
    ):
        answer = await client.get(url, headers=manager)
        assert answer.status_code == 422, url
        assert (answer.json()["field"], answer.json()["detail"]) == (field, message), url
    await sign_in(client, staff.manager)
    page = await client.get("/staff/reports/overdue", params={"department": "nowhere"})
    assert page.status_code == 422 and "Select a department from the list" in page.text and "nowhere" not in page.text.split("<main", 1)[1]
