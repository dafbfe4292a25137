"""Notices sent with the step that drafts them, to a real SMTP server (aiosmtpd), and kept on the case:
one transaction with the step, sent once however many senders run, kept when the server is away and
sent by the next try."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.config import CorrespondenceSettings, MailSettings, Settings
from app.domain.errors import InvalidInput
from app.models import Correspondence, RequestEvent
from app.services import correspondence as service
from app.services import requests as requests_service
from app.services.inputs import NoticeIn
from app.services.unit_of_work import unit_of_work
from tests.factories import Staff
from tests.mail_server import OAUTH2_TOKEN, Mailbox, free_port

LONDON = ZoneInfo("Europe/London")
REQUESTER = requests_service.RequesterDetails(
    name="Ffion Pritchard-Owens", email="ffion.po@example.net", address="4 Quay Row\nCardiff\nCF10 1AA"
)


def with_mail(settings: Settings, port: int, **more: Any) -> Settings:
    mail = MailSettings.from_env({"FOI_SMTP_HOST": "127.0.0.1", "FOI_SMTP_PORT": str(port), "FOI_SMTP_FROM": "foi@council.example", **more})
    return replace(settings, mail=mail, correspondence=CorrespondenceSettings(request_email="foi@council.example"))


async def new_request(
    sessions: Any, staff: Staff, *, regime: str = "foia", requester: Any = REQUESTER, received_on: date | None = None
) -> str:
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        created = await requests_service.create_request(
            uow.session,
            requests_service.NewRequest(
                regime=regime,
                title="Road gritting routes 2025/26",
                body="Please send the gritting routes and the budget.",
                received_on=received_on or date(2026, 11, 2),
                requester=requester,
            ),
            staff.officer,
            LONDON,
        )
        return created.reference


async def step(
    sessions: Any, settings: Settings, staff: Staff, reference: str, action: str, notice: NoticeIn | None, **params: Any
) -> None:
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        await service.take_step(uow, settings, reference, action=action, params=params, notice=notice, note=params.pop("note", None))


async def letters(sessions: Any, reference: str) -> list[Correspondence]:
    async with sessions.read() as db:
        detail = await requests_service.get_request(db, reference)
        return detail.correspondence


async def test_a_step_sends_its_notice_once_with_the_id_it_was_queued_with(
    sessions: Any, settings: Settings, staff: Staff, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    settings = with_mail(settings, port)
    reference = await new_request(sessions, staff)
    # sent once the step is committed (a command waits for it; a web request sends it in the background)
    await step(sessions, settings, staff, reference, "acknowledge", NoticeIn(send=True))
    [queued] = await letters(sessions, reference)
    assert (queued.direction, queued.kind, queued.address) == ("out", "acknowledgement", REQUESTER.email)
    assert reference in queued.subject and reference in queued.body
    [(sender, to, message)] = mailbox.received
    assert to == [REQUESTER.email] and sender == "foi@council.example"
    assert message["Message-ID"] == queued.message_id and message["Subject"] == queued.subject
    assert message["Reply-To"] == "foi@council.example"
    assert "Auto-Submitted" not in message  # a letter a requester may answer, not a machine's notice
    assert message.get_content().replace("\r\n", "\n").strip() == queued.body.strip()
    [sent] = await letters(sessions, reference)
    assert sent.delivery == "sent" and sent.sent_at is not None and sent.attempts == 1

    assert await service.deliver(sessions.write, settings) == []  # nothing is sent twice
    assert len(mailbox.received) == 1


async def test_the_step_and_its_notice_are_one_transaction(sessions: Any, settings: Settings, staff: Staff) -> None:
    no_address = requests_service.RequesterDetails(name="Sam Ng", email="sam.ng@example.com")
    reference = await new_request(sessions, staff, requester=no_address)
    async with sessions.read() as db:
        events_before = await db.scalar(select(func.count(RequestEvent.id)))
    with pytest.raises(InvalidInput) as refused:
        await step(sessions, settings, staff, reference, "request_clarification", NoticeIn(send=True, by="post"), note="Which year?")
    assert refused.value.field == "notice.by" and "no postal address" in refused.value.message
    async with sessions.read() as db:
        assert await db.scalar(select(func.count(RequestEvent.id))) == events_before  # the step was not recorded either
        assert (await requests_service.get_request(db, reference)).request.status == "new"
    assert await letters(sessions, reference) == []
    with pytest.raises(InvalidInput, match="sends no notice"):
        await step(sessions, settings, staff, reference, "start", NoticeIn(send=True))


async def test_with_the_mail_server_away_the_step_stands_and_the_notice_goes_on_the_next_try(
    sessions: Any, settings: Settings, staff: Staff, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    away = with_mail(settings, free_port())  # nothing listens there
    reference = await new_request(sessions, staff)
    await step(sessions, away, staff, reference, "issue_fee_notice", NoticeIn(send=True), fee="45.50")
    [failed] = await letters(sessions, reference)
    assert failed.delivery == "failed" and failed.error and "refused the connection" in failed.error and failed.attempts == 1
    assert "£45.50" in failed.body
    async with sessions.read() as db:
        assert (await requests_service.get_request(db, reference)).request.status == "awaiting_fee"  # the step stands

    # the periodic task waits before trying a failed notice again
    assert await service.deliver(sessions.write, with_mail(settings, port)) == []
    later = datetime.now(UTC) + timedelta(minutes=6)
    [again] = await service.deliver(sessions.write, with_mail(settings, port), now=later)
    assert again.error is None and len(mailbox.received) == 1
    [sent] = await letters(sessions, reference)
    assert (sent.delivery, sent.attempts, sent.message_id) == ("sent", 2, failed.message_id)

    with pytest.raises(InvalidInput, match="nothing to send again"):
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            await service.send_again(uow, settings, reference, sent.id)


async def test_two_senders_at_once_send_a_notice_once(sessions: Any, settings: Settings, staff: Staff, smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    references = [await new_request(sessions, staff) for _ in range(3)]
    for reference in references:  # with no mail server configured yet: each waits, not sent
        await step(sessions, settings, staff, reference, "acknowledge", NoticeIn(send=True))
    assert {row.error for reference in references for row in await letters(sessions, reference)} == {
        "no mail server is set up: set FOI_SMTP_HOST"
    }
    later = datetime.now(UTC) + timedelta(minutes=6)
    settings = with_mail(settings, port)
    outcomes = await asyncio.gather(*(service.deliver(sessions.write, settings, now=later) for _ in range(4)))
    assert sum(len(results) for results in outcomes) == 3
    assert sorted(to[0] for _, to, _ in mailbox.received) == [REQUESTER.email] * 3
    assert len({message["Message-ID"] for _, _, message in mailbox.received}) == 3


async def test_an_officer_s_own_text_is_sent_as_written_and_documents_must_be_released(
    sessions: Any, settings: Settings, staff: Staff, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    settings = with_mail(settings, port)
    reference = await new_request(sessions, staff)
    text = (
        "Dear Ffion,\n\nWe hold none of it.\n\nYou can ask us for an internal review within 40 working days, and then "
        "complain to the Information Commissioner.\n\nRegards"
    )
    with pytest.raises(InvalidInput) as refused:
        await step(
            sessions,
            settings,
            staff,
            reference,
            "respond",
            NoticeIn(send=True, documents=[999]),
            outcome="granted_in_full",
            response="All of it.",
        )
    assert refused.value.field == "notice.documents"
    await step(
        sessions,
        settings,
        staff,
        reference,
        "respond",
        NoticeIn(send=True, text=text, subject="Your request"),
        outcome="not_held",
        response="We hold none.",
    )
    [row] = await letters(sessions, reference)
    assert (row.subject, row.body, row.kind) == ("Your request", text, "response")
    await service.deliver(sessions.write, settings)
    assert mailbox.received[0][2].get_content().replace("\r\n", "\n").strip() == text


async def test_xoauth2_signs_in_with_the_token_the_command_prints(
    sessions: Any, settings: Settings, staff: Staff, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp
    settings = with_mail(settings, port, FOI_SMTP_USER="mailer@council.example", FOI_SMTP_OAUTH2_TOKEN_COMMAND=f"printf {OAUTH2_TOKEN}")
    reference = await new_request(sessions, staff)
    await step(sessions, settings, staff, reference, "acknowledge", NoticeIn(send=True))
    assert mailbox.logins == ["xoauth2:mailer@council.example"] and len(mailbox.received) == 1

    wrong = with_mail(settings, port, FOI_SMTP_USER="mailer@council.example", FOI_SMTP_OAUTH2_TOKEN_COMMAND="printf expired")
    await step(sessions, wrong, staff, reference, "acknowledge", NoticeIn(send=True))
    refused = (await letters(sessions, reference))[-1]
    assert (
        refused.delivery == "failed"
        and refused.error
        and "refused the sign-in: check the OAuth2 token" in refused.error
        and len(mailbox.received) == 1
    )


async def test_the_command_sends_what_is_waiting_once(
    sessions: Any, settings: Settings, staff: Staff, smtp: tuple[Mailbox, int], database_url: str, tmp_path: Path
) -> None:
    mailbox, port = smtp
    reference = await new_request(sessions, staff)
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        await service.take_step(uow, with_mail(settings, port), reference, action="acknowledge", params={}, notice=NoticeIn(send=True))
        uow.after_commit.clear()  # as if the process stopped before sending: the notice waits, queued
    env = {
        **os.environ,
        "FOI_DATABASE_URL": database_url,
        "FOI_HOME": str(tmp_path),
        "FOI_SMTP_HOST": "127.0.0.1",
        "FOI_SMTP_PORT": str(port),
        "FOI_SMTP_FROM": "foi@council.example",
    }
    foi = Path(sys.executable).parent / "foi"
    first = subprocess.run([str(foi), "send-notices"], env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "Sent 1 of 1 notice waiting."
    again = subprocess.run([str(foi), "send-notices"], env=env, capture_output=True, text=True, timeout=60)
    assert again.stdout.strip() == "Sent 0 of 0 notices waiting."
    assert [to for _, to, _ in mailbox.received] == [[REQUESTER.email]]
    assert REQUESTER.email not in first.stdout + first.stderr + again.stderr


async def test_a_request_at_the_longest_allowed_is_acknowledged_quoting_its_start(sessions: Any, settings: Settings, staff: Staff) -> None:
    words = ("gritting salt depot tonnage invoices " * 3000)[:100_000].strip()
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        created = await requests_service.create_request(
            uow.session,
            requests_service.NewRequest(regime="foia", title="Salt", body=words, received_on=date(2026, 11, 2), requester=REQUESTER),
            staff.officer,
            LONDON,
        )
        reference = created.reference
    await step(sessions, settings, staff, reference, "acknowledge", NoticeIn(send=True, by="post"))
    [letter] = await letters(sessions, reference)
    assert words[:200] in letter.body and "the rest of your request, as you sent it, is on our record" in letter.body
    assert len(letter.body) < 20_000
    with pytest.raises(InvalidInput) as too_long:
        await step(sessions, settings, staff, reference, "acknowledge", NoticeIn(send=True, by="post", text="x" * 100_001))
    assert too_long.value.field == "notice.text" and "100,000" in too_long.value.message


async def test_direction_controls_never_reach_a_record_or_a_notice(sessions: Any, settings: Settings, staff: Staff) -> None:
    spoofed = requests_service.RequesterDetails(name="\u202eGrace\u202c Hopper\u2066", address="1 Navy Way\nArlington")
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        created = await requests_service.create_request(
            uow.session,
            requests_service.NewRequest(
                regime="foia",
                title="Bins \u202etxt.exe",
                body="Collection \u2067days\u2069.",
                received_on=date(2026, 11, 2),
                requester=spoofed,
            ),
            staff.officer,
            LONDON,
        )
        reference = created.reference
        assert (created.title, created.body) == ("Bins txt.exe", "Collection days.")
    await step(sessions, settings, staff, reference, "acknowledge", NoticeIn(send=True, by="post"))
    [letter] = await letters(sessions, reference)
    assert "Dear Grace Hopper," in letter.body and not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in letter.body)
