"""`foi fetch-mail` and `foi mail-in` as a mail server and cron run them: the sample messages
delivered to a real Dovecot mailbox (or piped in), filed and threaded exactly as they should be,
moved to the done folder, and nothing changed by a second run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from click.testing import CliRunner, Result

from app.cli import main
from app.models import InboundMessage
from app.services.unit_of_work import unit_of_work
from tests.dovecot import Dovecot, start_dovecot
from tests.services.test_intake import EXPECTED_LINES, LONDON, OUR_ADDRESS, SAMPLES, assert_samples_filed, samples, seed_case, snapshot

FOI = Path(sys.executable).parent / "foi"
SAMPLE_IDS = [
    "<new-request-1@mail.example.org>",
    "<clarified-1@example.net>",
    "<follow-up-1@example.net>",
    "<ogm-1234567+abcdef-9a8b@whatdotheyknow.com>",
    "<ooo-1@example.net>",
    "<dsn-1@mx.example.com>",
    "<html-only-1@example.com>",
    "<pdf-attachment-1@mail.example.org>",
    "<exe-attachment-1@mail.example.org>",
    "<stranger-1@evil.example>",
]


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    yield from start_dovecot()


def env_for(database_url: str, tmp_path: Path, **imap: str) -> dict[str, str]:
    return {
        **os.environ,
        "FOI_DATABASE_URL": database_url,
        "FOI_SECRET_KEY": "k" * 40,
        "FOI_STORAGE_DIR": str(tmp_path / "files"),
        "FOI_SCHEDULER": "off",
        "FOI_SMTP_FROM": OUR_ADDRESS,
        "FOI_REQUEST_EMAIL": OUR_ADDRESS,
        "FOI_AUTO_ACKNOWLEDGE": "off",  # the acknowledgement is tested with the notices
        **{f"FOI_IMAP_{name.upper()}": value for name, value in imap.items()},
    }


def fetch(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FOI), "fetch-mail", "--once"], env=env, capture_output=True, text=True, timeout=120)


async def test_fetch_mail_files_and_threads_each_message_once_and_moves_it(
    dovecot: Dovecot, sessions, database_url: str, tmp_path: Path
) -> None:
    await seed_case(sessions)
    user, password = dovecot.new_mailbox()
    dovecot.deliver(user, password, [raw for _, raw in samples()])
    env = env_for(database_url, tmp_path, host="127.0.0.1", port=str(dovecot.port), tls="off", user=user, password=password)

    first = fetch(env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        *(f"message {number}: {line}" for number, line in enumerate(EXPECTED_LINES.values(), start=1)),
        "5 new requests, 3 filed on requests, 1 bounce, 1 ignored.",
    ]
    state = await snapshot(sessions)
    assert_samples_filed(state)
    assert dovecot.message_ids(user, password, "INBOX") == []
    assert dovecot.message_ids(user, password, "Processed") == SAMPLE_IDS

    second = fetch(env)
    assert (second.returncode, second.stdout) == (0, "No messages.\n")
    assert await snapshot(sessions) == state

    # the same messages in the folder again (delivered twice, or left by a host that stopped before
    # moving them): filed already, so only moved
    dovecot.deliver(user, password, [(SAMPLES / "01_new_request.eml").read_bytes(), (SAMPLES / "06_bounce.eml").read_bytes()])
    third = fetch(env)
    assert third.stdout.splitlines() == ["message 11: already filed", "message 12: already filed", "2 already filed."]
    assert await snapshot(sessions) == state
    assert dovecot.message_ids(user, password, "INBOX") == []
    assert first.stderr == second.stderr == third.stderr == ""


async def test_mail_in_files_the_same_messages_the_same_way(sessions, database_url: str, tmp_path: Path) -> None:
    await seed_case(sessions)
    env = env_for(database_url, tmp_path)

    async def mail_in(raw: bytes) -> Result:
        # in a thread: the command runs its own event loop, as it does under a mail server
        return await anyio.to_thread.run_sync(lambda: CliRunner().invoke(main, ["mail-in"], input=raw, env=env))

    lines = {}
    for name, raw in samples():
        result = await mail_in(raw)
        assert result.exit_code == 0, result.output
        lines[name] = result.stdout.strip()
    assert lines == EXPECTED_LINES
    state = await snapshot(sessions)
    assert_samples_filed(state)
    again = {(await mail_in(raw)).stdout.strip() for _, raw in samples()}
    assert again == {"already filed"}
    assert await snapshot(sessions) == state


async def test_mail_in_exit_statuses_tell_a_mail_server_what_to_do(sessions, database_url: str, tmp_path: Path) -> None:
    env = env_for(database_url, tmp_path)

    def pipe(raw: bytes, **changes: str) -> tuple[int, str, str]:
        done = subprocess.run([str(FOI), "mail-in"], input=raw, env={**env, **changes}, capture_output=True, timeout=120)
        return done.returncode, done.stdout.decode(), done.stderr.decode()

    assert pipe(b"") == (65, "", "foi: the input is empty: give one e-mail message (RFC 5322)\n")
    assert pipe(b"\x00\x01 binary") == (65, "", "foi: the input is not an e-mail message: it has no header fields (RFC 5322)\n")
    # a sender that cannot be answered: not filed (the mail server returns it); tried again if it comes again
    unanswerable = (SAMPLES / "01_new_request.eml").read_bytes().replace(b"<Jane.Example@mail.example.org>", b"<jane@localhost>")
    expected = "foi: not filed: Requester's email is not a valid email address\n"
    assert pipe(unanswerable) == (65, "", expected)
    assert pipe(unanswerable) == (65, "", expected)
    assert pipe((SAMPLES / "05_out_of_office.eml").read_bytes()) == (0, "ignored: an automatic reply (Auto-Submitted: auto-replied)\n", "")
    # no database to write to: 75, and the mail server keeps the message to try again
    status, out, err = pipe((SAMPLES / "01_new_request.eml").read_bytes(), FOI_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/none.sqlite3")
    assert (status, out) == (75, "") and err.startswith("foi: the database is at migration none")
    state = await snapshot(sessions)
    assert state["requests"] == [] and "jane" not in str(state["inbound"])


async def test_fetch_mail_over_tls_leaves_what_it_cannot_file_and_passes_over_it_next_time(
    dovecot: Dovecot, sessions, database_url: str, tmp_path: Path
) -> None:
    user, password = dovecot.new_mailbox()
    unanswerable = (SAMPLES / "08_pdf_attachment.eml").read_bytes().replace(b"<priya.patel@mail.example.org>", b"<priya@localhost>")
    dovecot.deliver(user, password, [unanswerable, (SAMPLES / "01_new_request.eml").read_bytes()])
    env = env_for(database_url, tmp_path, host="127.0.0.1", port=str(dovecot.tls_port), tls="ssl", user=user, password=password)
    env["SSL_CERT_FILE"] = str(dovecot.certificate)  # the authority's own server, its own certificate

    first = fetch(env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "message 1: left in INBOX: not filed: Requester's email is not a valid email address",
        "message 2: created FOI-2026-00001",
        "1 new request, 1 left in the folder (not filed).",
    ]
    second = fetch(env)
    assert second.stdout.splitlines() == ["1 left in the folder (not filed)."]  # tried again, failing the same way: said once
    assert dovecot.message_ids(user, password, "INBOX") == ["<pdf-attachment-1@mail.example.org>"]
    assert "priya" not in first.stdout + second.stdout + first.stderr


async def fail_earlier(sessions, *message_ids: str) -> None:
    """Records messages as an earlier version left them when it could not file them (a fault of ours,
    since fixed: the browser trial's 150,000-character request)."""
    async with unit_of_work(sessions.write, zone=LONDON) as uow:
        for message_id in message_ids:
            uow.session.add(InboundMessage(message_id=message_id, outcome="ignored", reason="not filed: body: at most 100000 characters"))


async def test_a_message_not_filed_before_is_filed_when_fetched_or_piped_again(
    dovecot: Dovecot, sessions, database_url: str, tmp_path: Path
) -> None:
    await fail_earlier(sessions, "<new-request-1@mail.example.org>", "<html-only-1@example.com>")
    user, password = dovecot.new_mailbox()
    dovecot.deliver(user, password, [(SAMPLES / "01_new_request.eml").read_bytes()])
    env = env_for(database_url, tmp_path, host="127.0.0.1", port=str(dovecot.port), tls="off", user=user, password=password)
    fetched = fetch(env)
    assert (fetched.returncode, fetched.stdout.splitlines()) == (0, ["message 1: created FOI-2026-00001", "1 new request."])
    assert dovecot.message_ids(user, password, "Processed") == ["<new-request-1@mail.example.org>"]

    piped = subprocess.run(
        [str(FOI), "mail-in"], input=(SAMPLES / "07_html_only.eml").read_bytes(), env=env, capture_output=True, timeout=120
    )
    assert (piped.returncode, piped.stdout, piped.stderr) == (0, b"created FOI-2026-00002\n", b"")
    state = await snapshot(sessions)
    assert [(outcome, reference) for _, outcome, _, reference in state["inbound"]] == [
        ("created", "FOI-2026-00002"),
        ("created", "FOI-2026-00001"),
    ]


def test_fetch_mail_says_in_one_line_what_stops_it(dovecot: Dovecot, tmp_path: Path) -> None:
    env = env_for(f"sqlite+aiosqlite:///{tmp_path}/mail.sqlite3", tmp_path)
    assert CliRunner().invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    unset = fetch(env)
    assert (unset.returncode, unset.stderr) == (
        1,
        "foi: FOI_IMAP_HOST is not set: say which IMAP server to read (see FOI_IMAP_* in the README)\n",
    )
    user, _ = dovecot.new_mailbox()
    wrong = fetch(
        {
            **env,
            **env_for(
                env["FOI_DATABASE_URL"], tmp_path, host="127.0.0.1", port=str(dovecot.port), tls="off", user=user, password="Secret-Guess-1"
            ),
        }
    )
    assert (wrong.returncode, wrong.stdout) == (1, "")
    assert wrong.stderr == "foi: the IMAP server refused the sign-in for FOI_IMAP_USER at 127.0.0.1\n"
    untrusted = fetch(
        {
            **env,
            **env_for(env["FOI_DATABASE_URL"], tmp_path, host="127.0.0.1", port=str(dovecot.tls_port), tls="ssl", user=user, password="x"),
        }
    )
    assert untrusted.stderr == f"foi: TLS with 127.0.0.1:{dovecot.tls_port} failed (CERTIFICATE_VERIFY_FAILED)\n"
