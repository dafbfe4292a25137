"""A request's page and the lifecycle rules: refused steps explained where they were tried, approval
offered to whoever may give it, the approved draft ready to send, and "in time / late" worded as the
reports count it."""

from __future__ import annotations

import re
from typing import Any

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

FROZEN = "2025-12-15 10:00:00 +00:00"
DRAFT = {"outcome": "granted_in_part", "exemptions": ["FOIA-s40"], "response": "Figures attached; names withheld (s.40(2))."}


def _form(client: AsyncTestClient, **fields: Any) -> dict[str, Any]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


async def _request(client: AsyncTestClient, headers: dict[str, str], steps: list[dict[str, Any]], **body: Any) -> str:
    reference = (await client.post("/api/v1/requests", json=new_request_body(**body), headers=headers)).json()["reference"]
    for step in steps:
        answer = await client.post(f"/api/v1/requests/{reference}/actions", json=step, headers=headers)
        assert answer.status_code == 200, answer.text
    return reference


def _deadline_box(page: str) -> str:
    return page.split('aria-labelledby="deadline-heading"', 1)[1].split("</section>", 1)[0]


@time_machine.travel(FROZEN, tick=False)
async def test_in_time_or_late_is_worded_as_the_reports_count_it(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    # due Tue 7 Oct 2025; an extension notified only on 10 October does not make a later answer in time
    late_extension = await _request(
        client,
        officer,
        [
            {"action": "start", "on": "2025-09-10"},
            {"action": "extend_pit", "working_days": 20, "on": "2025-10-10"},
            {"action": "respond", "outcome": "granted_in_full", "response": "Attached.", "on": "2025-10-20"},
        ],
    )
    # notified before the due date: the same answer is within a permitted extension
    extension = await _request(
        client,
        officer,
        [
            {"action": "start", "on": "2025-09-10"},
            {"action": "extend_pit", "working_days": 20, "on": "2025-10-01"},
            {"action": "respond", "outcome": "granted_in_full", "response": "Attached.", "on": "2025-10-20"},
        ],
    )
    # a late answer stays late once its internal review (with its own, later deadline) is completed
    reviewed = await _request(
        client,
        officer,
        [
            {"action": "start", "on": "2025-09-10"},
            {"action": "respond", "outcome": "granted_in_full", "response": "Attached.", "on": "2025-10-20"},
            {"action": "request_internal_review", "on": "2025-10-21"},
            {"action": "complete_internal_review", "review_outcome": "upheld", "on": "2025-10-28"},
        ],
    )
    await sign_in(client, staff.officer)
    box = _deadline_box((await client.get(f"/staff/requests/{late_extension}")).text)
    assert "Responded on Mon 20 Oct 2025: late." in box and "in time" not in box
    box = _deadline_box((await client.get(f"/staff/requests/{extension}")).text)
    assert "Responded on Mon 20 Oct 2025: within a permitted extension." in box
    box = _deadline_box((await client.get(f"/staff/requests/{reviewed}")).text)
    assert "Responded on Mon 20 Oct 2025: late." in box
    assert "Internal review completed on Tue 28 Oct 2025: in time." in box

    # the timeliness report counts them the same way
    manager = bearer(await token_for(sessions, staff.manager))
    report = (await client.get("/api/v1/reports/timeliness?from=2025-09-01&to=2025-09-30", headers=manager)).json()
    totals = {key: sum(row[key] for row in report["rows"]) for key in ("in_time", "in_time_extended", "late")}
    assert totals == {"in_time": 0, "in_time_extended": 1, "late": 2}


@time_machine.travel(FROZEN, tick=False)
async def test_approval_on_the_page(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _request(client, officer, [{"action": "start", "on": "2025-09-10"}])
    await sign_in(client, staff.officer)
    url = f"/staff/requests/{reference}/actions"
    submitted = await client.post(url, data=_form(client, action="submit_for_approval", on="2025-09-20", **DRAFT), follow_redirects=False)
    assert submitted.status_code == 303
    page = (await client.get(f"/staff/requests/{reference}")).text
    assert "Awaiting approval</strong>: submitted by Olivia Officer" in page
    assert 'name="action" value="approve"' not in page  # not offered to an officer, who is told why
    assert "A manager or an admin approves a response: approval is a second person&#39;s check." in page

    tried = await client.post(url, data=_form(client, action="approve", on="2025-09-22"), follow_redirects=True)
    assert [r.status_code for r in tried.history] == [303] and tried.url.params["step"] == "approve"
    assert "That step was not carried out" in tried.text and "a manager or an admin approves a response" in tried.text

    manager = bearer(await token_for(sessions, staff.manager))
    approved = await client.post(f"/api/v1/requests/{reference}/actions", json={"action": "approve", "on": "2025-09-22"}, headers=manager)
    assert approved.status_code == 200
    page = (await client.get(f"/staff/requests/{reference}")).text
    respond_form = page.split('name="action" value="respond"', 1)[1].split("</form>", 1)[0]
    assert re.search(r'type="radio" name="outcome" value="granted_in_part" checked', respond_form)
    assert re.search(r'value="FOIA-s40" checked', respond_form)
    assert f">{DRAFT['response']}</textarea>" in respond_form

    changed = await client.post(
        url,
        data=_form(
            client, action="respond", on="2025-09-23", notice_send="none", **{**DRAFT, "outcome": "granted_in_full", "exemptions": []}
        ),
        headers={"HX-Request": "true", "HX-Target": "workspace"},
    )
    assert changed.status_code == 200
    assert "the response differs from the approved draft (outcome: approved &#39;Granted in part&#39;" in changed.text
    sent = await client.post(
        url, data=_form(client, action="respond", on="2025-09-23", notice_send="none", **DRAFT), follow_redirects=False
    )
    assert sent.status_code == 303


@time_machine.travel(FROZEN, tick=False)
async def test_an_early_lapse_is_explained_in_its_form(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _request(client, officer, [{"action": "request_clarification", "on": "2025-11-04"}], received_on="2025-11-03")
    await sign_in(client, staff.officer)
    page = (await client.get(f"/staff/requests/{reference}")).text
    assert "can be closed as lapsed from Wed 4 Feb 2026" in page
    tried = await client.post(
        f"/staff/requests/{reference}/actions",
        data=_form(client, action="lapse"),
        headers={"HX-Request": "true", "HX-Target": "workspace"},
    )
    assert 'class="field-error"' in tried.text
    assert "can only lapse from Wednesday 4 February 2026" in tried.text
    assert (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()["status"] == "awaiting_clarification"


@time_machine.travel(FROZEN, tick=False)
async def test_bulk_lapse_preview_offers_only_the_eligible(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    old = await _request(client, officer, [{"action": "issue_fee_notice", "on": "2025-09-12"}])
    recent = await _request(client, officer, [{"action": "request_clarification", "on": "2025-11-04"}], received_on="2025-11-03")
    await sign_in(client, staff.officer)
    preview = await client.post("/staff/requests/bulk", data=_form(client, bulk_action="lapse", reference=[old, recent]))
    assert preview.status_code == 200
    assert "Will change (1)" in preview.text and "Will not change (1)" in preview.text
    assert f"<strong>{recent}</strong>" in preview.text
    assert "Can only lapse from Wednesday 4 February 2026 (three months after the clarification was asked for)." in preview.text
    confirm_form = preview.text.split('action="/staff/requests/bulk/confirm"', 1)[1].split("</form>", 1)[0]
    assert f'name="reference" value="{old}"' in confirm_form and recent not in confirm_form


@time_machine.travel(FROZEN, tick=False)
async def test_a_draft_typed_in_a_browser_is_the_draft_sent_whatever_its_line_endings(
    client: AsyncTestClient, staff: Staff, sessions: Any
) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    manager = bearer(await token_for(sessions, staff.manager))
    reference = await _request(client, officer, [{"action": "start", "on": "2025-09-10"}])
    await sign_in(client, staff.officer)
    typed = {**DRAFT, "response": "Figures attached.\r\nNames withheld (s.40(2))."}  # as a browser sends a textarea
    submitted = await client.post(
        f"/staff/requests/{reference}/actions", data=_form(client, action="submit_for_approval", on="2025-09-20", **typed)
    )
    assert submitted.status_code == 200
    approved = await client.post(f"/api/v1/requests/{reference}/actions", json={"action": "approve", "on": "2025-09-22"}, headers=manager)
    assert approved.status_code == 200, approved.text
    sent = await client.post(
        f"/api/v1/requests/{reference}/actions",
        json={"action": "respond", "on": "2025-09-23", **DRAFT, "response": "Figures attached.\nNames withheld (s.40(2))."},
        headers=officer,
    )
    assert sent.status_code == 200, sent.text


@time_machine.travel("2025-10-11 10:00:00 +00:00", tick=False)  # a Saturday
async def test_a_request_due_on_friday_is_overdue_on_saturday(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _request(client, officer, [], received_on="2025-09-12")  # due Fri 10 Oct 2025
    await sign_in(client, staff.officer)
    box = _deadline_box((await client.get(f"/staff/requests/{reference}")).text)
    assert "Due Fri 10 Oct 2025" in box and "Overdue" in box and "Due today" not in box


@time_machine.travel(FROZEN, tick=False)
async def test_a_step_refused_without_javascript_comes_back_at_an_address_that_reloads_without_sending_it_again(
    client: AsyncTestClient, staff: Staff, sessions: Any
) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _request(client, officer, [{"action": "start", "on": "2025-12-01"}])
    history = (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()["history"]
    await sign_in(client, staff.officer)
    url = f"/staff/requests/{reference}/actions"
    typed = {"action": "request_clarification", "note": "Which financial year, 2024 or 2025?", "notice_send": "none"}
    future = {"on-day": "1", "on-month": "1", "on-year": "2026"}

    refused = await client.post(url, data=_form(client, **typed, **future), follow_redirects=False)
    assert refused.status_code == 303  # POST, redirect, GET: the address bar never says .../actions
    address = refused.headers["location"]
    assert re.fullmatch(rf"/staff/requests/{reference}\?step=request_clarification&attempt=[\w-]+#step-request_clarification", address)
    for _ in range(2):  # the page, then reloading it: the form as sent with its problem, the step not sent again
        page = await client.get(address)
        assert page.status_code == 200
        form = page.text.split('id="step-request_clarification"', 1)[1].split("</details>", 1)[0]
        assert form.startswith(" open>")
        assert "Date it happened must be today or in the past" in form
        assert ">Which financial year, 2024 or 2025?</textarea>" in form
        assert 'value="2026"' in form
    assert (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()["history"] == history

    # the same address bookmarked (another attempt, another session): the step's form open, empty, no problem
    bookmarked = await client.get(f"/staff/requests/{reference}?step=request_clarification&attempt=another")
    form = bookmarked.text.split('id="step-request_clarification"', 1)[1].split("</details>", 1)[0]
    assert bookmarked.status_code == 200 and form.startswith(" open>")
    assert "Date it happened must be" not in form and "Which financial year" not in form
    assert " open>" not in bookmarked.text.split('id="step-assign"', 1)[1][:10]

    # "Draft the notice" without JavaScript: the draft comes back the same way, nothing recorded
    drafted = await client.post(url, data=_form(client, **typed, draft_notice="1"), follow_redirects=True)
    assert [r.status_code for r in drafted.history] == [303] and drafted.url.params["step"] == "request_clarification"
    assert "Nothing has been recorded yet" in drafted.text
    notice = re.search(r'id="request_clarification-notice-text"[^>]*>([^<]*)</textarea>', drafted.text)
    assert notice is not None and reference in notice.group(1)
    assert (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()["history"] == history

    # once the step is taken, the refused form is gone from its old address
    taken = await client.post(url, data=_form(client, **typed), follow_redirects=False)
    assert taken.status_code == 303 and "done=" in taken.headers["location"]
    after = await client.get(address)
    assert after.status_code == 200 and "Date it happened must be today or in the past" not in after.text


async def test_a_refused_step_form_keeps_only_text_and_never_fails_on_what_it_cannot_keep(
    client: AsyncTestClient, staff: Staff, sessions: Any
) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _request(client, officer, [{"action": "start"}])
    await sign_in(client, staff.officer)
    url = f"/staff/requests/{reference}/actions"
    # a file sent with a step form (no step form has one) and a notice far over its limit
    refused = await client.post(
        url,
        data=_form(client, action="request_clarification", note="Which year?", notice_send="email", notice_text="x" * 300_000),
        files={"attachment": ("letter.txt", b"Dear FOI team", "text/plain")},
        follow_redirects=True,
    )
    assert [r.status_code for r in refused.history] == [303] and refused.status_code == 200
    assert "Text of the notice must be 100,000 characters or fewer (it is 300,000)" in refused.text
    kept = re.search(r'id="request_clarification-notice-text"[^>]*>(x*)</textarea>', refused.text)
    assert kept is not None and len(kept.group(1)) == 120_000  # cut, yet still over the limit, as it was said
    assert ">Which year?</textarea>" in refused.text
