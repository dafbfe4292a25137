"""Notices from the request page and the API: drafted to read and edit before anything is recorded,
sent with the step to a real SMTP server (aiosmtpd), kept on the case (never on a public page), a
letter for post as a PDF, and "Send again" once the mail server is back."""

from __future__ import annotations

import asyncio
import html
import io
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pypdfium2
import pytest
from aiosmtpd.controller import Controller
from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import CorrespondenceSettings, MailSettings, Settings
from tests.factories import Staff, bearer, new_request_body, sign_in, token_for
from tests.mail_server import Mailbox, free_port

REQUESTER = {"name": "Aurelio Q. Fenwick-Basset", "email": "aurelio.fb@example.org", "address": "Flat 2\n9 Tanner Row\nYork\nYO1 6JB"}


def _mail(settings: Settings, port: int) -> Settings:
    mail = MailSettings.from_env({"FOI_SMTP_HOST": "127.0.0.1", "FOI_SMTP_PORT": str(port), "FOI_SMTP_FROM": "foi@council.example"})
    said = CorrespondenceSettings(request_email="foi@council.example", postal_address="Town Hall\nYork\nYO1 1AA")
    return replace(settings, mail=mail, correspondence=said)


@pytest.fixture
async def mail_port() -> int:
    return free_port()


@pytest.fixture
async def client(settings: Settings, mail_port: int) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(_mail(settings, mail_port)), base_url="http://testserver.local") as client:
        yield client


def _form(client: AsyncTestClient, **fields: Any) -> dict[str, Any]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


async def _arrived(mailbox: Mailbox, count: int) -> None:
    for _ in range(100):  # a web request sends its notice in the background, after its answer
        if len(mailbox.received) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{len(mailbox.received)} of {count} messages arrived")


async def _new(client: AsyncTestClient, headers: dict[str, str], **body: Any) -> str:
    created = await client.post("/api/v1/requests", json=new_request_body(requester=REQUESTER, **body), headers=headers)
    assert created.status_code == 201, created.text
    return str(created.json()["reference"])


def _start_smtp(port: int) -> tuple[Mailbox, Controller]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return mailbox, controller


async def test_the_officer_reads_the_draft_edits_it_and_sends_it_with_the_step(
    client: AsyncTestClient, staff: Staff, sessions: Any, mail_port: int
) -> None:
    mailbox, controller = _start_smtp(mail_port)
    try:
        officer = bearer(await token_for(sessions, staff.officer))
        reference = await _new(client, officer)
        await sign_in(client, staff.officer)
        url = f"/staff/requests/{reference}/actions"

        # a step that sends a notice asks how; nothing is recorded until it is answered
        unasked = await client.post(
            url, data=_form(client, action="request_clarification", note="Which financial year?"), follow_redirects=True
        )
        assert [r.status_code for r in unasked.history] == [303] and unasked.url.params["step"] == "request_clarification"
        assert "Select whether to send the notice to the requester by e-mail, by post, or not now" in unasked.text
        assert (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()["status"] == "new"

        drafted = await client.post(
            url, data=_form(client, action="request_clarification", note="Which financial year?", draft_notice="1"), follow_redirects=True
        )
        assert drafted.status_code == 200 and [r.status_code for r in drafted.history] == [303]
        text = re.search(r'id="request_clarification-notice-text"[^>]*>([^<]*)</textarea>', drafted.text)
        assert text is not None and reference in text.group(1) and "Which financial year?" in text.group(1)
        assert "Nothing has been recorded yet" in drafted.text
        answer = (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()
        assert answer["status"] == "new" and answer["correspondence"] == []  # the draft took no step

        edited = html.unescape(text.group(1)) + "\nPS: the 2024/25 year is the likeliest."
        sent = await client.post(
            url,
            data=_form(client, action="request_clarification", note="Which financial year?", notice_send="email", notice_text=edited),
            follow_redirects=False,
        )
        assert sent.status_code == 303
        await _arrived(mailbox, 1)
        [(_, to, message)] = mailbox.received
        assert to == [REQUESTER["email"]]
        assert "PS: the 2024/25 year is the likeliest." in message.get_content()
        answer = (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()
        assert answer["status"] == "awaiting_clarification"
        [item] = answer["correspondence"]
        assert item["direction"] == "out" and item["kind"] == "clarification_request" and item["to"] == REQUESTER["email"]
        for _ in range(40):
            item = (await client.get(f"/api/v1/requests/{reference}/correspondence/{item['id']}", headers=officer)).json()
            if item["delivery"] == "sent":
                break
            await asyncio.sleep(0.05)
        assert item["delivery"] == "sent" and item["message_id"] == message["Message-ID"]

        page = (await client.get(f"/staff/requests/{reference}")).text
        assert "Request for clarification" in page and "Sent" in page
        timeline = page.split('id="timeline"', 1)[1]  # the step and the notice it sent, together
        assert (
            f'Notice: <a href="/staff/requests/{reference}/correspondence/{item["id"]}">request for clarification</a> by e-mail (sent)'
            in timeline
        )
        shown = await client.get(f"/staff/requests/{reference}/correspondence/{item['id']}")
        assert shown.status_code == 200 and "PS: the 2024/25 year is the likeliest." in shown.text
    finally:
        controller.stop()


async def test_a_letter_for_post_is_a_pdf_for_staff_only(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _new(client, officer)
    answer = await client.post(
        f"/api/v1/requests/{reference}/actions", json={"action": "acknowledge", "notice": {"send": True, "by": "post"}}, headers=officer
    )
    assert answer.status_code == 200, answer.text
    [item] = answer.json()["correspondence"]
    assert (item["by"], item["delivery"], item["to"]) == ("post", None, REQUESTER["address"])
    full = (await client.get(f"/api/v1/requests/{reference}/correspondence/{item['id']}", headers=officer)).json()
    assert full["pdf"] == f"/api/v1/requests/{reference}/correspondence/{item['id']}.pdf" and reference in full["body"]

    pdf = await client.get(full["pdf"], headers=officer)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "Fenwick" not in pdf.headers["content-disposition"] and pdf.headers["cache-control"] == "private, no-store"
    document = pypdfium2.PdfDocument(io.BytesIO(pdf.content))
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert reference in text and "Tanner Row" in text and "Aurelio" in text

    for wrong in (f"{item['id'] + 1000}", "abc", f"{item['id']}.exe", "9" * 40):
        assert (await client.get(f"/api/v1/requests/{reference}/correspondence/{wrong}", headers=officer)).status_code == 404
    other = await _new(client, officer)
    assert (await client.get(f"/api/v1/requests/{other}/correspondence/{item['id']}", headers=officer)).status_code == 404
    assert (await client.get(f"/api/v1/requests/{reference}/correspondence/{item['id']}")).status_code == 401
    assert (await client.get(f"/staff/requests/{reference}/correspondence/{item['id']}.pdf", follow_redirects=False)).status_code == 303

    # a letter waits to be printed and posted until someone says it was
    await sign_in(client, staff.officer)
    attention = (await client.get("/staff/correspondence")).text
    assert "Letters to print and post (1)" in attention and reference in attention
    page = (await client.get(f"/staff/requests/{reference}")).text
    assert "Letter to print: not yet posted." in page
    posted = await client.post(
        f"/staff/requests/{reference}/correspondence/{item['id']}/posted",
        data=_form(client, next="/staff/correspondence"),
        follow_redirects=False,
    )
    assert posted.status_code == 303 and posted.headers["location"].startswith("/staff/correspondence?done=")
    assert "Letters to print and post (0)" in (await client.get("/staff/correspondence")).text
    full = (await client.get(f"/api/v1/requests/{reference}/correspondence/{item['id']}", headers=officer)).json()
    assert full["delivery"] == "sent" and full["sent_at"]
    again = await client.post(f"/staff/requests/{reference}/correspondence/{item['id']}/posted", data=_form(client), follow_redirects=False)
    assert "notice_problem=This+letter+was+marked+as+posted+on" in again.headers["location"]

    # the API records a step without a notice when none is asked for; a notice for a step that has none is refused
    assert (await client.post(f"/api/v1/requests/{reference}/actions", json={"action": "start"}, headers=officer)).status_code == 200
    refused = await client.post(
        f"/api/v1/requests/{reference}/actions", json={"action": "note", "note": "x", "notice": {"send": True}}, headers=officer
    )
    assert refused.status_code == 422 and "sends no notice" in refused.text
    wrong_by = await client.post(
        f"/api/v1/requests/{reference}/actions",
        json={"action": "issue_fee_notice", "fee": "10", "notice": {"send": True, "by": "pigeon"}},
        headers=officer,
    )
    assert wrong_by.status_code == 422 and wrong_by.json()["field"] == "notice.by"
    assert (await client.get(f"/api/v1/requests/{reference}", headers=officer)).json()["status"] == "in_progress"


async def test_a_notice_not_sent_is_shown_with_why_and_sent_again_once(
    client: AsyncTestClient, staff: Staff, sessions: Any, mail_port: int
) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    reference = await _new(client, officer)
    answer = await client.post(
        f"/api/v1/requests/{reference}/actions", json={"action": "acknowledge", "notice": {"send": True}}, headers=officer
    )
    [item] = answer.json()["correspondence"]
    for _ in range(100):  # the mail server is away: the try after the answer fails
        item = (await client.get(f"/api/v1/requests/{reference}/correspondence/{item['id']}", headers=officer)).json()
        if item["delivery"] == "failed":
            break
        await asyncio.sleep(0.05)
    assert item["delivery"] == "failed" and "refused the connection" in item["error"]

    await sign_in(client, staff.admin)
    page = (await client.get(f"/staff/requests/{reference}")).text
    assert "Not sent" in page and "Send again" in page
    outbox = (await client.get("/staff/admin/outbox")).text
    assert reference in outbox and "Notices to requesters not delivered" in outbox

    attention = (await client.get("/staff/correspondence")).text
    assert reference in attention and "Notices not delivered (1)" in attention

    # with the server still away, "Send again" says at once that it did not go, and why
    still = await client.post(
        f"/staff/requests/{reference}/correspondence/{item['id']}/send-again",
        data=_form(client, next="/staff/correspondence"),
        follow_redirects=False,
    )
    assert still.status_code == 303 and still.headers["location"].startswith("/staff/correspondence?problem=")
    assert "still+not+sent" in still.headers["location"] and "example" not in still.headers["location"]
    assert "refused the connection" in (await client.get(still.headers["location"])).text  # the reason, beside the notice

    mailbox, controller = _start_smtp(mail_port)
    try:
        again = await client.post(
            f"/staff/requests/{reference}/correspondence/{item['id']}/send-again", data=_form(client), follow_redirects=False
        )
        assert again.status_code == 303 and "done=The+notice+was+sent." in again.headers["location"]
        assert len(mailbox.received) == 1  # sent before the answer came back
        twice = await client.post(
            f"/staff/requests/{reference}/correspondence/{item['id']}/send-again", data=_form(client), follow_redirects=False
        )
        assert twice.status_code == 303 and "notice_problem=" in twice.headers["location"]
        page = (await client.get(twice.headers["location"])).text
        assert "there is nothing to send again" in page
        await asyncio.sleep(0.3)
        assert len(mailbox.received) == 1
        assert "Notices not delivered (0)" in (await client.get("/staff/correspondence")).text
    finally:
        controller.stop()
