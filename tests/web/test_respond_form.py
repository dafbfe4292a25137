"""The respond step and the step forms' wording (issue 13): a response holds the outcome the officer
chose and its text, on the page, in the API and in bulk; a form sent with several fields at fault
says each beside its field and lists them all in its error summary, in GOV.UK's words."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

FROZEN = "2025-12-15 10:00:00 +00:00"
HTMX = {"HX-Request": "true", "HX-Target": "workspace"}


def _form(client: AsyncTestClient, **fields: Any) -> dict[str, Any]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


async def _started(client: AsyncTestClient, headers: dict[str, str]) -> str:
    reference = (await client.post("/api/v1/requests", json=new_request_body(received_on="2025-12-01"), headers=headers)).json()[
        "reference"
    ]
    assert (await client.post(f"/api/v1/requests/{reference}/actions", json={"action": "start"}, headers=headers)).status_code == 200
    return reference


def _step_form(page: str, action: str) -> str:
    return page.split(f'name="action" value="{action}"', 1)[1].split("</form>", 1)[0]


def _summary(form: str) -> list[str]:
    """The error summary's lines, as a person reads them."""
    box = form.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", box, re.S)]


def _field_errors(form: str) -> list[str]:
    """The messages said beside the fields (after the summary)."""
    after = form.split('class="error-summary"', 1)[1].split("</div>", 1)[1]
    return [m.strip() for m in re.findall(r'<p class="field-error" id="[^"]+"><span class="visually-hidden">Error:</span>(.*?)</p>', after)]


async def _status(client: AsyncTestClient, headers: dict[str, str], reference: str) -> tuple[str, Any, int]:
    found = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    return found["status"], found["outcome"], len(found["history"])


@time_machine.travel(FROZEN, tick=False)
async def test_the_respond_form_chooses_no_outcome_for_the_officer(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _started(client, officer)
    await sign_in(client, staff.officer)
    form = _step_form((await client.get(f"/staff/requests/{reference}")).text, "respond")
    outcomes = re.findall(r'<input id="[^"]+" type="radio" name="outcome" value="([a-z_]+)"([^>]*)>', form)
    assert [value for value, _ in outcomes][:2] == ["granted_in_full", "granted_in_part"]
    assert not [value for value, rest in outcomes if "checked" in rest]  # GOV.UK: never a radio chosen beforehand
    assert "<select" not in form.split('name="note"', 1)[0].split("Exemptions", 1)[0]


@time_machine.travel(FROZEN, tick=False)
async def test_an_empty_response_is_refused_saying_every_field_beside_it_and_in_the_summary(
    client: AsyncTestClient, staff: Staff, sessions: Any
) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _started(client, officer)
    before = await _status(client, officer, reference)
    await sign_in(client, staff.officer)
    url = f"/staff/requests/{reference}/actions"
    expected = [
        "Select the outcome",
        "Enter the response",
        "Select whether to send the notice to the requester by e-mail, by post, or not now",
    ]

    # without JavaScript: back at the step's own address, nothing recorded
    sent = await client.post(url, data=_form(client, action="respond", response="", note=""), follow_redirects=True)
    assert [r.status_code for r in sent.history] == [303] and sent.url.params["step"] == "respond"
    # with htmx: the workspace in place
    swapped = await client.post(url, data=_form(client, action="respond", response="", note=""), headers=HTMX)
    assert swapped.status_code == 200
    for page in (sent.text, swapped.text):
        form = _step_form(page, "respond")
        summary = _summary(form)
        assert summary == expected
        assert _field_errors(form) == summary  # each said again beside its field, in the same words
        # the outcome's radios: the group marked, each radio invalid, described by the message
        outcome = form.split("<legend>Outcome</legend>", 1)[0].rsplit("<fieldset", 1)[1]
        assert 'class="field has-error"' in outcome and 'aria-describedby="respond-outcome-error"' in outcome
        assert len(re.findall(r'name="outcome" value="[a-z_]+" aria-invalid="true"', form)) >= 9
        assert re.search(
            r'<textarea id="respond-response" name="response" rows="6" aria-invalid="true" aria-describedby="[^"]*respond-response-error"',
            form,
        )
        assert re.findall(r'name="notice_send" value="([a-z]+)" aria-invalid="true"', form) == ["email", "post", "none"]
        # the summary links to each field
        assert re.findall(r'<a href="#([^"]+)">', form.split('class="error-summary"', 1)[1].split("</div>", 1)[0]) == [
            "respond-outcome",
            "respond-response",
            "respond-notice-email",
        ]
        assert 'id="respond-outcome"' in form and 'id="respond-response"' in form and 'id="respond-notice-email"' in form
    assert await _status(client, officer, reference) == before

    # the response chosen and written, without a notice: sent
    done = await client.post(
        url,
        data=_form(client, action="respond", outcome="not_held", response="We searched and hold none.", notice_send="none"),
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert (await _status(client, officer, reference))[:2] == ("responded", "not_held")


@time_machine.travel(FROZEN, tick=False)
async def test_the_api_refuses_a_response_without_its_outcome_or_its_text(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _started(client, officer)
    before = await _status(client, officer, reference)
    url = f"/api/v1/requests/{reference}/actions"

    bare = await client.post(url, json={"action": "respond", "outcome": "granted_in_full"}, headers=officer)
    assert bare.status_code == 422
    assert (bare.json()["field"], bare.json()["detail"]) == ("response", "Enter the response")

    empty = await client.post(url, json={"action": "respond", "response": "  ", "on": "2025-11-30"}, headers=officer)
    assert empty.status_code == 422
    assert empty.json()["field"] == "on"
    assert empty.json()["problems"] == [
        {"field": "on", "detail": "Date it happened must be the same as or after the date the request was received (1 December 2025)"},
        {"field": "outcome", "detail": "Select the outcome"},
        {"field": "response", "detail": "Enter the response"},
    ]
    assert await _status(client, officer, reference) == before

    # bulk never sends a response: each has its own words
    bulk = await client.post(
        "/api/v1/requests/bulk",
        json={"action": "respond", "outcome": "granted_in_full", "references": [reference], "dry_run": False},
        headers=officer,
    )
    assert bulk.status_code == 422 and bulk.json()["field"] == "action"
    assert await _status(client, officer, reference) == before

    answered = await client.post(url, json={"action": "respond", "outcome": "granted_in_full", "response": "Attached."}, headers=officer)
    assert answered.status_code == 200, answered.text
    assert (answered.json()["status"], answered.json()["outcome"]) == ("responded", "granted_in_full")


@time_machine.travel(FROZEN, tick=False)
async def test_step_forms_speak_plainly_and_say_a_date_once(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _started(client, officer)
    await sign_in(client, staff.officer)
    url = f"/staff/requests/{reference}/actions"

    async def refused(action: str, **fields: Any) -> str:
        answer = await client.post(url, data=_form(client, action=action, **fields), headers=HTMX)
        assert answer.status_code == 200
        return _step_form(answer.text, action)

    note = await refused("note", note="  ")
    assert _summary(note) == ["Enter the note"] and _field_errors(note) == ["Enter the note"]
    assert re.search(r'<textarea id="note-note" name="note" rows="4" aria-invalid="true" aria-describedby="note-note-error">', note)

    for fee, said in [("-5", "Fee to pay must be more than £0"), ("2,000,000", "Fee to pay must be £1,000,000 or less")]:
        form = await refused("issue_fee_notice", fee=fee, notice_send="none")
        assert _summary(form) == [said] and _field_errors(form) == [said]
        assert 'id="issue_fee_notice-fee" name="fee" type="text" inputmode="decimal"' in form

    # a date in the future: in the summary, and once beside its boxes, not again above them
    future = await refused("withdraw", **{"on-day": "16", "on-month": "12", "on-year": "2025"})
    said = "Date it happened must be today or in the past"
    assert _summary(future) == [said] and _field_errors(future) == [said]
    assert future.count(said) == 2
    assert 'aria-invalid="true"' in future.split('id="withdraw-on"', 1)[1].split(">", 1)[0]

    # several at once: the extension's days and its date, each beside its own field
    both = await refused("extend_pit", working_days="0", notice_send="none", **{"on-day": "31", "on-month": "2", "on-year": "2025"})
    assert [line.split(" must")[0] for line in _summary(both)] == ["Extra working days", "Date it happened"]

    page = (await client.get(f"/staff/requests/{reference}")).text
    days = _step_form(page, "extend_pit")
    assert re.search(r'<input id="extend_pit-working_days" name="working_days" type="text" inputmode="numeric"', days)
    assert 'type="number"' not in days
    assert (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()["status"] == "in_progress"
