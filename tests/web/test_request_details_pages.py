"""The page that edits a request's details: a plain form (no JavaScript needed), errors beside the
fields and summarised at the top, a stale version refused, a confirmation that says what changed."""

from __future__ import annotations

import html
import re

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

FROZEN = "2025-10-01 10:00:00 +01:00"


def _form(client: AsyncTestClient, **fields: str) -> dict[str, str]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


def _filled(client: AsyncTestClient, version: int = 1, **changes: str) -> dict[str, str]:
    values = {
        "title": "Spending on management consultants 2024/25",
        "body": "Please provide the total spent on management consultants in 2024/25, by supplier.",
        "received_on": "2025-09-09",
        "channel": "email",
        "department": "corporate-services",
        "requester_name": "Rosa Requester",
        "requester_email": "rosa@example.org",
        "requester_address": "1 High Street, Anytown AB1 2CD",
        "version": str(version),
    }
    values.update(changes)
    return _form(client, **values)


async def _logged(client: AsyncTestClient, staff: Staff, sessions) -> tuple[str, dict[str, str]]:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=headers)).json()["reference"]
    await sign_in(client, staff.officer)
    return reference, headers


@time_machine.travel(FROZEN, tick=False)
async def test_the_form_shows_the_current_details_and_saves_without_javascript(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference, headers = await _logged(client, staff, sessions)
    page = await client.get(f"/staff/requests/{reference}")
    assert f'href="/staff/requests/{reference}/edit"' in page.text and "Edit details" in page.text

    form = await client.get(f"/staff/requests/{reference}/edit")
    assert form.status_code == 200
    text = form.text
    assert f'action="/staff/requests/{reference}/edit"' in text and 'name="_csrf_token"' in text
    assert 'name="version" value="1"' in text
    assert 'value="Spending on management consultants 2024/25"' in text
    assert ">Please provide the total spent on management consultants in 2024/25, by supplier.</textarea>" in text
    # the date received in three boxes, day, month and year (the GOV.UK date input), not a browser date picker
    assert 'type="date"' not in text and "<legend>Date the request was received</legend>" in text
    for box, typed in (("day", "9"), ("month", "9"), ("year", "2025")):
        assert f'name="received_on-{box}" type="text" inputmode="numeric" autocomplete="off" value="{typed}"' in text
    assert '<option value="email" selected>' in text and '<option value="corporate-services" selected>' in text
    assert 'value="Rosa Requester"' in text and 'value="rosa@example.org"' in text and ">1 High Street, Anytown AB1 2CD</textarea>" in text
    assert '<label for="title">Title</label>' in text and '<label for="received_on">Day</label>' in text

    saved = await client.post(
        f"/staff/requests/{reference}/edit",
        data=_filled(client, title="Spending on consultants 2024/25", received_on="2025-09-10", requester_name="Rosa Q. Requester"),
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"].startswith(f"/staff/requests/{reference}?done=")
    shown = html.unescape((await client.get(saved.headers["location"])).text)
    assert "Details saved: title, requester details changed." in shown
    assert "Date received changed from 9 Sep 2025 to 10 Sep 2025; the response is now due on Wed 8 Oct 2025." in shown
    # the timeline, readable; the requester's details named, not copied
    assert "Title: “Spending on management consultants 2024/25” → “Spending on consultants 2024/25”" in shown
    assert "Date received: 9 Sep 2025 → 10 Sep 2025" in shown and "Due date: Tue 7 Oct 2025 → Wed 8 Oct 2025" in shown
    assert "Requester details changed" in shown
    timeline = shown[shown.index('id="timeline"') :]
    assert "Rosa" not in timeline[: timeline.index("</section>")]

    current = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    assert (current["title"], current["received_on"], current["due_on"], current["version"]) == (
        "Spending on consultants 2024/25",
        "2025-09-10",
        "2025-10-08",
        2,
    )
    assert current["requester"]["name"] == "Rosa Q. Requester" and current["reference"] == reference

    nothing = await client.post(
        f"/staff/requests/{reference}/edit",
        data=_filled(
            client,
            2,
            title="Spending on consultants 2024/25",
            received_on="2025-09-10",
            requester_name="Rosa Q. Requester",
        ),
        follow_redirects=False,
    )
    assert nothing.status_code == 303 and "Nothing+was+changed." in nothing.headers["location"]

    # a Saturday is counted from the next working day, as the Friday before it: the due date stays
    common = {"title": "Spending on consultants 2024/25", "requester_name": "Rosa Q. Requester"}
    await client.post(f"/staff/requests/{reference}/edit", data=_filled(client, 2, received_on="2025-09-12", **common))
    saturday = await client.post(f"/staff/requests/{reference}/edit", data=_filled(client, 3, received_on="2025-09-13", **common))
    shown = html.unescape(saturday.text)
    assert "Date received changed from 12 Sep 2025 to 13 Sep 2025; the response is still due on Fri 10 Oct 2025." in shown
    assert "Date received: 12 Sep 2025 → 13 Sep 2025" in shown and "Due date: Fri 10 Oct 2025 → Fri 10 Oct 2025" not in shown


@time_machine.travel(FROZEN, tick=False)
async def test_errors_rerender_the_form_with_a_summary_and_save_nothing(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference, headers = await _logged(client, staff, sessions)
    before = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    bad = await client.post(
        f"/staff/requests/{reference}/edit",
        data=_filled(
            client,
            title="",
            received_on="2025-10-02",
            requester_email="rosa-at-example",
            body="Changed text that must not be saved",
        ),
    )
    assert bad.status_code == 422
    text = bad.text
    assert "<title>Error: Edit details" in text and "There is a problem" in text
    summary = text[text.index('class="error-summary"') : text.index("</div>", text.index('class="error-summary"'))]
    assert re.findall(r'href="#([\w-]+)"', summary) == ["title", "received_on", "requester-email"]
    assert "Enter a title" in summary and "Date the request was received cannot be in the future" in summary
    assert 'id="title-error"' in text and 'aria-invalid="true"' in text and 'id="requester-email"' in text
    assert "autofocus" in summary or "autofocus aria-labelledby" in text
    assert ">Changed text that must not be saved</textarea>" in text  # what was typed is kept to fix
    after = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    assert {k: after[k] for k in ("title", "body", "received_on", "version", "requester")} == {
        k: before[k] for k in ("title", "body", "received_on", "version", "requester")
    }
    assert [e["action"] for e in after["history"]] == ["log"]


@time_machine.travel(FROZEN, tick=False)
async def test_a_stale_form_is_refused_and_saves_nothing(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference, headers = await _logged(client, staff, sessions)
    await client.patch(f"/api/v1/requests/{reference}", json={"version": 1, "title": "Someone else's title"}, headers=headers)
    stale = await client.post(f"/staff/requests/{reference}/edit", data=_filled(client, 1, title="My title"))
    assert stale.status_code == 409
    assert "Nothing was saved" in stale.text and "changed by someone else" in stale.text
    assert f'href="/staff/requests/{reference}/edit">Open the current details' in stale.text
    assert (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()["title"] == "Someone else's title"
    lost = await client.post(f"/staff/requests/{reference}/edit", data=_filled(client, title="My title", version=""))
    assert lost.status_code == 422 and "open the request and edit it again" in lost.text
    missing = await client.get("/staff/requests/FOI-2025-09999/edit")
    assert missing.status_code == 404
