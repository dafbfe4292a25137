"""The IMAP side of `foi fetch-mail`, against a real Dovecot: signing in (a password, or an OAuth2
token from a command), TLS checked, the done folder made when missing, messages moved with MOVE or
without it, and a message another run moved already is no error."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import ImapSettings, Settings
from app.services import imap as imap_service
from app.services.imap import Mailbox, MailboxError, fetch_mail, oauth2_token
from tests.dovecot import Dovecot, dovecot_password, oauth2_token_for, start_dovecot
from tests.services.test_intake import SAMPLES, intake_settings

NEW_REQUEST = (SAMPLES / "01_new_request.eml").read_bytes()
OUT_OF_OFFICE = (SAMPLES / "05_out_of_office.eml").read_bytes()


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    yield from start_dovecot()


def imap(dovecot: Dovecot, user: str, password: str, **changes: object) -> ImapSettings:
    return dataclasses.replace(
        ImapSettings(host="127.0.0.1", port=dovecot.port, tls="off", user=user, password=password, timeout=10), **changes
    )


def test_messages_move_to_the_done_folder_which_is_made_when_missing(dovecot: Dovecot) -> None:
    user, password = dovecot.new_mailbox()
    dovecot.deliver(user, password, [NEW_REQUEST, OUT_OF_OFFICE])
    assert dovecot.message_ids(user, password, "Done/FOI") == []
    mailbox = Mailbox.open(imap(dovecot, user, password, done_folder="Done/FOI"))
    try:
        assert "MOVE" in mailbox.capabilities  # Dovecot says so once signed in, not before
        first, second = mailbox.uids()
        raw = mailbox.fetch(first)
        assert raw is not None and b"<new-request-1@mail.example.org>" in raw
        assert mailbox.move(first) is True
        assert mailbox.move(first) is False  # moved already (by this run or another): no error
        assert mailbox.fetch(first) is None
        mailbox.capabilities.discard("MOVE")  # a server without MOVE: COPY, \Deleted, EXPUNGE
        assert mailbox.move(second) is True
    finally:
        mailbox.close()
    assert dovecot.message_ids(user, password, "INBOX") == []
    assert dovecot.message_ids(user, password, "Done/FOI") == ["<new-request-1@mail.example.org>", "<ooo-1@example.net>"]


def test_reading_leaves_messages_unread(dovecot: Dovecot) -> None:
    user, password = dovecot.new_mailbox()
    dovecot.deliver(user, password, [NEW_REQUEST])
    mailbox = Mailbox.open(imap(dovecot, user, password))
    try:
        (uid,) = mailbox.uids()
        mailbox.fetch(uid)
        _, flags = mailbox.connection.uid("FETCH", uid.decode(), "(FLAGS)")
        assert b"\\Seen" not in flags[0]
    finally:
        mailbox.close()


def test_a_wrong_password_or_folder_is_one_line_without_the_password(dovecot: Dovecot) -> None:
    user, password = dovecot.new_mailbox()
    with pytest.raises(MailboxError) as refused:
        Mailbox.open(imap(dovecot, user, "not-the-password"))
    assert str(refused.value) == "the IMAP server refused the sign-in for FOI_IMAP_USER at 127.0.0.1"
    with pytest.raises(MailboxError, match="the folder 'Requests' could not be opened"):
        Mailbox.open(imap(dovecot, user, password, folder="Requests"))
    with pytest.raises(MailboxError, match=r"cannot reach the IMAP server at 127.0.0.1:1 \("):
        Mailbox.open(imap(dovecot, user, password, port=1))


@pytest.mark.parametrize("tls", ["ssl", "starttls"])
def test_tls_checks_the_servers_certificate(dovecot: Dovecot, tls: str, monkeypatch: pytest.MonkeyPatch) -> None:
    user, password = dovecot.new_mailbox()
    port = dovecot.tls_port if tls == "ssl" else dovecot.port
    settings = imap(dovecot, user, password, tls=tls, port=port)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with pytest.raises(MailboxError, match=rf"^TLS with 127.0.0.1:{port} failed \(CERTIFICATE_VERIFY_FAILED\)$"):
        Mailbox.open(settings)
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.certificate))  # the authority trusts its own server's certificate
    mailbox = Mailbox.open(settings)
    try:
        assert mailbox.uids() == []
    finally:
        mailbox.close()


def test_an_oauth2_token_comes_from_the_command_run_without_a_shell(tmp_path: Path) -> None:
    script = tmp_path / "token.py"
    script.write_text("import sys; print('token-for-' + sys.argv[1])\n")
    assert oauth2_token(f"{sys.executable} {script} 'the mailbox; rm -rf /'") == "token-for-the mailbox; rm -rf /"
    with pytest.raises(MailboxError, match=r"^FOI_IMAP_OAUTH2_TOKEN_COMMAND gave no token \(exit status 3\)$"):
        oauth2_token(f"{sys.executable} -c 'raise SystemExit(3)'")
    with pytest.raises(MailboxError, match=r"^FOI_IMAP_OAUTH2_TOKEN_COMMAND could not run \(FileNotFoundError\)$"):
        oauth2_token("/no/such/token-command")


def test_xoauth2_signs_in_with_the_token_the_command_prints(dovecot: Dovecot, tmp_path: Path) -> None:
    user, _ = dovecot.new_mailbox()
    dovecot.deliver(user, dovecot_password(user), [NEW_REQUEST])
    command = tmp_path / "token"
    command.write_text(f"#!/bin/sh\necho '{oauth2_token_for(user)}'\n")
    command.chmod(0o700)
    mailbox = Mailbox.open(imap(dovecot, user, "", oauth2_token_command=str(command)))
    try:
        assert len(mailbox.uids()) == 1
    finally:
        mailbox.close()
    command.write_text("#!/bin/sh\necho 'an-expired-token'\n")
    with pytest.raises(MailboxError, match=r"^the IMAP server refused the sign-in for FOI_IMAP_USER at 127\.0\.0\.1$"):
        Mailbox.open(imap(dovecot, user, "", oauth2_token_command=str(command)))


async def test_one_pass_files_and_moves_each_message(dovecot: Dovecot, sessions, settings: Settings) -> None:
    user, password = dovecot.new_mailbox()
    dovecot.deliver(user, password, [NEW_REQUEST, OUT_OF_OFFICE, b"no header here at all"])
    settings = intake_settings(settings, imap=imap(dovecot, user, password))
    lines: list[str] = []
    result = await fetch_mail(settings, sessions.write, once=True, report=lines.append)
    assert lines == [
        "message 1: created FOI-2026-00001",
        "message 2: ignored: an automatic reply (Auto-Submitted: auto-replied)",
        "message 3: left in INBOX: the input is not an e-mail message: it has no header fields (RFC 5322)",
    ]
    assert result.summary == "1 new request, 1 ignored, 1 left in the folder (not filed)"
    assert dovecot.message_ids(user, password, "Processed") == ["<new-request-1@mail.example.org>", "<ooo-1@example.net>"]
    assert len(dovecot.message_ids(user, password, "INBOX")) == 1


async def test_a_fault_of_ours_leaves_the_message_to_be_tried_again(dovecot: Dovecot, sessions, settings: Settings, tmp_path: Path) -> None:
    user, password = dovecot.new_mailbox()
    dovecot.deliver(user, password, [(SAMPLES / "08_pdf_attachment.eml").read_bytes()])
    not_a_directory = tmp_path / "files-misconfigured"
    not_a_directory.write_text("")
    broken = intake_settings(settings, imap=imap(dovecot, user, password), storage_dir=not_a_directory)
    lines: list[str] = []
    await fetch_mail(broken, sessions.write, once=True, report=lines.append)
    assert lines == ["message 1: left in INBOX: could not be filed (StoreUnwritable); tried again next time"]
    assert dovecot.message_ids(user, password, "Processed") == []
    lines.clear()
    await fetch_mail(dataclasses.replace(broken, storage_dir=tmp_path / "files"), sessions.write, once=True, report=lines.append)
    assert lines == ["message 1: created FOI-2026-00001"]
    assert dovecot.message_ids(user, password, "Processed") == ["<pdf-attachment-1@mail.example.org>"]


async def test_without_once_it_polls_and_a_pass_that_fails_is_tried_again(
    dovecot: Dovecot, sessions, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap_service, "POLL_SECONDS", 0.2)
    user, password = dovecot.new_mailbox()
    lines: list[str] = []
    not_yet_there = intake_settings(settings, imap=imap(dovecot, user, password, folder="Requests"))
    polling = asyncio.create_task(fetch_mail(not_yet_there, sessions.write, once=False, report=lines.append))
    try:
        async with asyncio.timeout(20):
            while len(lines) < 2:
                await asyncio.sleep(0.05)
        for line in lines[:2]:  # reported, and tried again
            assert line.startswith("foi: the folder 'Requests' could not be opened (Mailbox doesn't exist: Requests")
            assert line.endswith("; trying again in 0.2 s")
        client = dovecot.client(user, password)
        client.create("Requests")
        client.logout()
        dovecot.deliver(user, password, [NEW_REQUEST], folder="Requests")
        async with asyncio.timeout(20):
            while "1 new request." not in lines:
                await asyncio.sleep(0.05)
        assert "message 1: created FOI-2026-00001" in lines
    finally:
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
