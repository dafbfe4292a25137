"""`foi fetch-mail`: take in the mail waiting in an IMAP mailbox (FOI_IMAP_*), with the standard
library's imaplib.

Each message in the folder is read without marking it seen (BODY.PEEK[]), filed by
`app/services/intake.py`, then moved to the done folder (UID MOVE, RFC 6851, where the server has
it; else COPY, \\Deleted and EXPUNGE). A message that cannot be filed stays where it is, with a line
saying why; its Message-ID is recorded as not filed, and each later pass tries it again (the cause
may have been ours, and fixed since), with a line only when it is filed or fails for another reason.
Several hosts may run this at once: intake files each Message-ID once, and a message another run has
already moved is simply gone from the folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import re
import shlex
import ssl
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

import anyio
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import ImapSettings, Settings
from app.domain.inbound import UnreadableMessage
from app.services.intake import Outcome, take_message

POLL_SECONDS = 60
TOKEN_COMMAND_TIMEOUT = 60


class MailboxError(Exception):
    """The mailbox could not be read: a one-line reason, never a password or token."""


@dataclass
class FetchResult:
    outcomes: dict[str, int] = field(default_factory=dict)
    left: int = 0  # messages that could not be filed and stay in the folder
    problems: list[str] = field(default_factory=list)  # a pass that could not run

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    @property
    def summary(self) -> str:
        words = {
            Outcome.CREATED: ("new request", "new requests"),
            Outcome.FILED: ("filed on a request", "filed on requests"),
            Outcome.BOUNCE: ("bounce", "bounces"),
            Outcome.IGNORED: ("ignored", "ignored"),
            Outcome.ALREADY: ("already filed", "already filed"),
        }
        parts = [
            f"{self.outcomes[key]} {one if self.outcomes[key] == 1 else many}"
            for key, (one, many) in words.items()
            if self.outcomes.get(key)
        ]
        if self.left:
            parts.append(f"{self.left} left in the folder (not filed)")
        return ", ".join(parts) if parts else "no messages"


async def fetch_mail(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    *,
    once: bool,
    report: Callable[[str], None] = print,
) -> FetchResult:
    """One pass over the folder (`once`), or a pass every POLL_SECONDS until stopped. With `once`,
    a pass that cannot run raises MailboxError; polling reports it and tries again next time."""
    while True:
        try:
            result = await _one_pass(settings, sessions, report)
        except MailboxError as problem:
            if once:
                raise
            report(f"foi: {problem}; trying again in {POLL_SECONDS} s")
        else:
            if once:
                return result
            if result.outcomes or result.left:
                report(f"{result.summary}.")
        await asyncio.sleep(POLL_SECONDS)


async def _one_pass(settings: Settings, sessions: async_sessionmaker[AsyncSession], report: Callable[[str], None]) -> FetchResult:
    try:
        return await _read_folder(settings, sessions, report)
    except (imaplib.IMAP4.error, OSError) as problem:  # the connection dropped, or a command was refused
        raise MailboxError(f"the IMAP server stopped answering ({type(problem).__name__}: {problem})") from None


async def _read_folder(settings: Settings, sessions: async_sessionmaker[AsyncSession], report: Callable[[str], None]) -> FetchResult:
    result = FetchResult()
    mailbox = await anyio.to_thread.run_sync(Mailbox.open, settings.imap)
    try:
        for number in await anyio.to_thread.run_sync(mailbox.uids):
            uid = number.decode()
            raw = await anyio.to_thread.run_sync(mailbox.fetch, number)
            if raw is None:  # moved by another run since the search
                continue
            try:
                taken = await take_message(sessions, raw, settings)
            except UnreadableMessage as problem:
                # not an e-mail at all: nothing to record it by, so it stays, named by its place
                result.left += 1
                report(f"message {uid}: left in {settings.imap.folder}: {problem}")
                continue
            except SQLAlchemyError as problem:
                raise MailboxError(f"the database refused the message ({type(problem).__name__}); it stays in the folder") from None
            except Exception as problem:  # a fault of ours, not of the message: kept, and tried again next pass
                result.left += 1
                report(
                    f"message {uid}: left in {settings.imap.folder}: could not be filed ({type(problem).__name__}); tried again next time"
                )
                continue
            if taken.outcome == Outcome.FAILED:
                result.left += 1
                if not taken.earlier_failed:  # said once: a pass every minute would say it again and again
                    report(f"message {uid}: left in {settings.imap.folder}: {taken.line}")
                continue
            result.count(taken.outcome)
            moved = await anyio.to_thread.run_sync(mailbox.move, number)
            report(f"message {uid}: {taken.line}" + ("" if moved else " (already moved by another run)"))
    finally:
        await anyio.to_thread.run_sync(mailbox.close)
    return result


class Mailbox:
    """One signed-in IMAP connection with the folder selected (blocking: run it in a thread)."""

    def __init__(self, connection: imaplib.IMAP4, settings: ImapSettings, capabilities: set[str]) -> None:
        self.connection = connection
        self.settings = settings
        self.capabilities = capabilities

    @classmethod
    def open(cls, settings: ImapSettings) -> Mailbox:
        if not settings.configured:
            raise MailboxError("FOI_IMAP_HOST is not set")
        connection = _connect(settings)
        try:
            _sign_in(connection, settings)
            capabilities = _capabilities(connection)  # some servers add MOVE or UIDPLUS once signed in
            _ensure_folder(connection, settings.done_folder)
            status, data = connection.select(_quoted(settings.folder))
            if status != "OK":
                raise MailboxError(f"the folder '{settings.folder}' could not be opened ({_said(data)})")
        except imaplib.IMAP4.error as problem:
            _quietly(connection.logout)
            raise MailboxError(f"the IMAP server refused a command ({problem})") from None
        except BaseException:
            _quietly(connection.logout)
            raise
        return cls(connection, settings, capabilities)

    def uids(self) -> list[bytes]:
        _status, data = self._checked(self.connection.uid("SEARCH", "UNDELETED"), "list the messages")
        return [uid for uid in (data[0] or b"").split() if uid]

    def fetch(self, uid: bytes) -> bytes | None:
        _, data = self._checked(self.connection.uid("FETCH", uid.decode(), "(BODY.PEEK[])"), "read a message")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        return None

    def move(self, uid: bytes) -> bool:
        """Moves it to the done folder; False when it was no longer there (another run moved it)."""
        target = _quoted(self.settings.done_folder)
        number = uid.decode()
        if "MOVE" in self.capabilities:
            self.connection.untagged_responses.pop("EXPUNGE", None)
            status, _ = self.connection.uid("MOVE", number, target)
            if status != "OK":
                return False
            # a UID no longer in the folder is no error: the server just expunges nothing
            return bool(self.connection.untagged_responses.pop("EXPUNGE", None))
        status, _data = self.connection.uid("COPY", number, target)
        if status != "OK":
            return False
        self._checked(self.connection.uid("STORE", number, "+FLAGS.SILENT", r"(\Deleted)"), "mark a message deleted")
        if "UIDPLUS" in self.capabilities:
            self._checked(self.connection.uid("EXPUNGE", number), "expunge a message")
        else:
            self._checked(self.connection.expunge(), "expunge the folder")
        return True

    def close(self) -> None:
        _quietly(self.connection.close)
        _quietly(self.connection.logout)

    def _checked(self, answer: tuple[str, list], doing: str) -> tuple[str, list]:
        status, data = answer
        if status != "OK":
            raise MailboxError(f"the IMAP server would not {doing} ({_said(data)})")
        return status, data


def _connect(settings: ImapSettings) -> imaplib.IMAP4:
    context = ssl.create_default_context()  # the server's certificate is checked
    try:
        if settings.tls == "ssl":
            return imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=context, timeout=settings.timeout)
        connection = imaplib.IMAP4(settings.host, settings.port, timeout=settings.timeout)
        if settings.tls == "starttls":
            try:
                connection.starttls(ssl_context=context)
            except BaseException:
                _quietly(connection.logout)
                raise
        return connection
    except ssl.SSLError as problem:
        raise MailboxError(f"TLS with {settings.host}:{settings.port} failed ({problem.reason or type(problem).__name__})") from None
    except imaplib.IMAP4.error as problem:
        raise MailboxError(f"the IMAP server at {settings.host}:{settings.port} refused the connection ({problem})") from None
    except OSError as problem:
        raise MailboxError(
            f"cannot reach the IMAP server at {settings.host}:{settings.port} ({problem.strerror or type(problem).__name__})"
        ) from None


def _sign_in(connection: imaplib.IMAP4, settings: ImapSettings) -> None:
    try:
        if settings.oauth2_token_command:
            token = oauth2_token(settings.oauth2_token_command)
            # SASL XOAUTH2 (Google, Microsoft 365): user, then the bearer token
            initial = f"user={settings.user}\x01auth=Bearer {token}\x01\x01".encode()
            connection.authenticate("XOAUTH2", lambda _challenge: initial)
        else:
            connection.login(settings.user, settings.password)
    except imaplib.IMAP4.error:
        raise MailboxError(f"the IMAP server refused the sign-in for FOI_IMAP_USER at {settings.host}") from None


def oauth2_token(command: str) -> str:
    """Runs FOI_IMAP_OAUTH2_TOKEN_COMMAND (no shell) and returns what it prints: a current token."""
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, timeout=TOKEN_COMMAND_TIMEOUT, check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as problem:
        raise MailboxError(f"FOI_IMAP_OAUTH2_TOKEN_COMMAND could not run ({type(problem).__name__})") from None
    token = done.stdout.decode("utf-8", errors="replace").strip()
    if done.returncode != 0 or not token:
        raise MailboxError(f"FOI_IMAP_OAUTH2_TOKEN_COMMAND gave no token (exit status {done.returncode})")
    return token


def _capabilities(connection: imaplib.IMAP4) -> set[str]:
    status, data = connection.capability()
    if status != "OK" or not data or not isinstance(data[0], bytes):
        return {str(capability).upper() for capability in connection.capabilities}
    return {word.upper() for word in data[0].decode("ascii", errors="replace").split()}


def _ensure_folder(connection: imaplib.IMAP4, folder: str) -> None:
    status, data = connection.list('""', _quoted(folder))
    if status == "OK" and any(item for item in data if item):
        return
    status, data = connection.create(_quoted(folder))
    if status != "OK" and b"exist" not in b" ".join(d for d in data if isinstance(d, bytes)).lower():
        raise MailboxError(f"the folder '{folder}' could not be created ({_said(data)})")


_ATOM = re.compile(r"^[A-Za-z0-9_./-]+$")


def _quoted(folder: str) -> str:
    """A folder name as IMAP wants it: quoted when it has spaces or other specials."""
    if _ATOM.match(folder):
        return folder
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _said(data: list) -> str:
    words = b" ".join(item for item in data if isinstance(item, bytes)).decode("utf-8", errors="replace").strip()
    return words[:200] or "no reason given"


def _quietly(call: Callable[[], object]) -> None:
    with contextlib.suppress(imaplib.IMAP4.error, OSError, ssl.SSLError):
        call()
