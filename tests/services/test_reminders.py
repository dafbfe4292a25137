"""Reminders and digests, sent to a real SMTP server (aiosmtpd on 127.0.0.1) and kept in the outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.config import Settings
from app.db import create_engine, create_sessionmakers
from app.migrations import upgrade
from app.models import OutboxMessage
from app.services import requests as service
from app.services.mail import MailSettings
from app.services.reminders import KIND_DIGEST, KIND_REMINDER, send_reminders
from tests.factories import Staff, make_staff
from tests.mail_server import Mailbox, free_port

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)  # Wednesday 18 March 2026
TODAY = NOW.date()
BASE_URL = "https://foi.council.example"
REQUESTER = ("Rosa Requester", "rosa.requester@example.org", "1 High Street, Anytown AB1 2CD")


def mail_settings(port: int) -> MailSettings:
    return MailSettings.from_env(
        {
            "FOI_SMTP_HOST": "127.0.0.1",
            "FOI_SMTP_PORT": str(port),
            "FOI_SMTP_USER": "mailer",
            "FOI_SMTP_PASSWORD": "s3cret-pass",
            "FOI_SMTP_FROM": "foi@council.example",
            "FOI_BASE_URL": BASE_URL + "/",
        }
    )


async def log(sessions: Any, staff: Staff, received_on: date, title: str, assignee: str | None, regime: str = "foia") -> str:
    async with sessions.write.begin() as db:
        created = await service.create_request(
            db,
            service.NewRequest(
                regime=regime,
                title=title,
                body="Please send it.",
                received_on=received_on,
                department="corporate-services",
                requester=service.RequesterDetails(name=REQUESTER[0], email=REQUESTER[1], address=REQUESTER[2]),
                assignee=assignee,
            ),
            staff.officer,
            LONDON,
        )
        return created.reference


async def work(sessions: Any, staff: Staff) -> dict[str, str]:
    """Olivia: one overdue (its title names the requester), one due in two working days, one due in
    weeks, one waiting for a fee. Omar: nothing due. Nobody: one overdue."""
    olivia = staff.officer.email
    refs = {
        "overdue": await log(sessions, staff, date(2026, 1, 5), "Bin complaints from Rosa Requester", olivia),
        "soon": await log(
            sessions, staff, date(2026, 2, 18), "Street lighting contract", olivia
        ),  # due Thu 19 Mar (St Patrick's Day does not count)
        "later": await log(sessions, staff, date(2026, 3, 10), "Parks budget", olivia),
        "waiting": await log(sessions, staff, date(2026, 1, 5), "Fees for old plans", olivia),
        "unassigned": await log(sessions, staff, date(2026, 1, 6), "Library stock", None),
        "omar_later": await log(sessions, staff, date(2026, 3, 16), "Allotments", staff.other_officer.email),
    }
    async with sessions.write.begin() as db:
        await service.apply_action(
            db, refs["waiting"], action="issue_fee_notice", params={}, actor=staff.officer, zone=LONDON, on=date(2026, 1, 7)
        )
    return refs


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


async def test_each_officer_and_each_manager_gets_their_message(sessions: Any, staff: Staff, smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    refs = await work(sessions, staff)
    result = await send_reminders(sessions.write, TODAY, LONDON, mail_settings(port))
    assert result.errors == {}
    assert mailbox.logins == ["mailer"] * 1  # one connection, one login
    messages = mailbox.by_recipient()
    assert set(messages) == {staff.officer.email, staff.manager.email}  # Omar has nothing due; admins get no digest
    assert all(sender == "foi@council.example" for sender, _, _ in mailbox.received)

    reminder = messages[staff.officer.email]
    text = reminder.get_content()
    assert reminder["Subject"] == "FOI reminder: 1 overdue, 1 due soon"
    assert reminder["Auto-Submitted"] == "auto-generated"
    for key in ("overdue", "soon"):
        assert refs[key] in text
        assert f"{BASE_URL}/staff/requests/{refs[key]}" in text
    for key in ("later", "waiting", "unassigned", "omar_later"):
        assert refs[key] not in text
    assert "Street lighting contract" in text and "due Thu 19 Mar 2026 (1 working day left)" in text
    assert "Bin complaints from [redacted]" in text and "overdue" in text

    digest = messages[staff.manager.email]
    body = digest.get_content()
    assert digest["Subject"].startswith("FOI digest Wed 18 Mar 2026: 2 overdue")
    assert refs["overdue"] in body and refs["unassigned"] in body
    assert "Overdue and assigned to nobody: 1" in body
    assert "Waiting for a fee or clarification (clock stopped): 1" in body
    assert f"{BASE_URL}/staff/dashboard" in body

    for _, _, message in mailbox.received:  # never the requester's personal data
        content = message.as_string()
        for personal in (*REQUESTER, "Rosa", "rosa.requester", "AB1 2CD"):
            assert personal not in content

    async with sessions.read() as db:
        kept = list(await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert [(m.kind, m.to_address, m.error) for m in kept] == [
        (KIND_REMINDER, staff.officer.email, None),
        (KIND_DIGEST, staff.manager.email, None),
    ]
    assert all(m.sent_at is not None for m in kept)
    assert kept[0].body.strip() == text.replace("\r\n", "\n").strip()


async def test_a_second_run_the_same_day_sends_nothing_unless_forced(sessions: Any, staff: Staff, smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    await work(sessions, staff)
    await send_reminders(sessions.write, TODAY, LONDON, mail_settings(port))
    again = await send_reminders(sessions.write, TODAY, LONDON, mail_settings(port))
    assert again.planned == [] and sorted(again.skipped) == sorted([staff.officer.email, staff.manager.email])
    assert len(mailbox.received) == 2
    forced = await send_reminders(sessions.write, TODAY, LONDON, mail_settings(port), force=True)
    assert len(forced.planned) == 2 and len(mailbox.received) == 4


async def test_a_server_that_cannot_be_reached_leaves_the_error_in_the_outbox(sessions: Any, staff: Staff) -> None:
    await work(sessions, staff)
    settings = mail_settings(free_port())  # nothing listens there
    result = await send_reminders(sessions.write, TODAY, LONDON, settings)
    assert len(result.errors) == 2 and result.sent == 0
    async with sessions.read() as db:
        kept = list(await db.scalars(select(OutboxMessage)))
    assert len(kept) == 2 and all(m.sent_at is None and m.error and "refused the connection" in m.error for m in kept)


async def test_dry_run_keeps_nothing(sessions: Any, staff: Staff) -> None:
    await work(sessions, staff)
    result = await send_reminders(sessions.write, TODAY, LONDON, MailSettings(), dry_run=True)
    assert len(result.planned) == 2
    async with sessions.read() as db:
        assert list(await db.scalars(select(OutboxMessage))) == []


def test_smtp_settings_name_the_variable_at_fault() -> None:
    with pytest.raises(ValueError, match="FOI_SMTP_PORT"):
        MailSettings.from_env({"FOI_SMTP_HOST": "mail", "FOI_SMTP_PORT": "smtp"})
    with pytest.raises(ValueError, match="FOI_SMTP_STARTTLS"):
        MailSettings.from_env({"FOI_SMTP_STARTTLS": "maybe"})
    with pytest.raises(ValueError, match="FOI_BASE_URL"):
        MailSettings.from_env({"FOI_BASE_URL": "foi.example"})
    assert MailSettings.from_env({"FOI_SMTP_HOST": "mail", "FOI_SMTP_STARTTLS": "true"}).port == 587
    assert MailSettings.from_env({}).configured is False


def test_the_command_sends_through_smtp_and_admins_see_the_outbox(tmp_path: Path, smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    url = f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3"
    upgrade(url)

    async def prepare() -> None:
        engine = create_engine(url)
        try:
            read, write = create_sessionmakers(engine)

            class S:
                pass

            sessions = S()
            sessions.read, sessions.write = read, write  # type: ignore[attr-defined]
            staff = await make_staff(sessions)
            await work(sessions, staff)
        finally:
            await engine.dispose()

    asyncio.run(prepare())
    env = {
        "FOI_DATABASE_URL": url,
        "FOI_SECRET_KEY": "k" * 40,
        "FOI_STORAGE_DIR": str(tmp_path / "files"),
        "FOI_SMTP_HOST": "127.0.0.1",
        "FOI_SMTP_PORT": str(port),
        "FOI_SMTP_USER": "mailer",
        "FOI_SMTP_PASSWORD": "s3cret-pass",
        "FOI_SMTP_FROM": "foi@council.example",
        "FOI_BASE_URL": BASE_URL,
    }
    runner = CliRunner()
    dry = runner.invoke(main, ["send-reminders", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "2 messages would be sent." in dry.output and mailbox.received == []
    sent = runner.invoke(main, ["send-reminders"], env=env)
    assert sent.exit_code == 0, sent.output
    assert "Sent 2 of 2 messages (1 reminder, 1 digest)." in sent.output
    assert len(mailbox.received) == 2
    again = runner.invoke(main, ["send-reminders"], env=env)
    assert again.exit_code == 0 and "Skipped 2" in again.output and len(mailbox.received) == 2
    bad = runner.invoke(main, ["send-reminders", "--as-of", "tomorrow"], env=env)
    assert bad.exit_code == 1 and "--as-of" in bad.output
    down = runner.invoke(main, ["send-reminders", "--force"], env={**env, "FOI_SMTP_PORT": str(free_port())})
    assert down.exit_code == 1 and "was not sent" in down.output

    # the admin's outbox page lists them, failures too
    from litestar.testing import TestClient

    from app.asgi import create_app
    from tests.factories import PASSWORD

    with TestClient(
        app=create_app(Settings(database_url=url, storage_dir=tmp_path / "files", secret_key="k" * 40, login_attempts_per_minute=1000))
    ) as client:
        client.get("/login")
        client.post(
            "/login",
            data={"email": "ada.admin@council.example", "password": PASSWORD, "next": "/staff"},
            headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
            follow_redirects=False,
        )
        page = client.get("/staff/admin/outbox")
        assert page.status_code == 200
        assert "4 messages" in page.text and "Failed" in page.text and "FOI reminder: 1 overdue, 1 due soon" in page.text
        assert "Sent" in page.text
        failed = client.get("/staff/admin/outbox?failed=1")
        assert "2 messages" in failed.text
