"""Sending e-mail through SMTP (standard library smtplib, in a worker thread), configured from the
environment by `MailSettings` in app/config.py, read once with the other settings:

| variable | default | meaning |
| FOI_SMTP_HOST | (none: nothing is sent) | the SMTP server |
| FOI_SMTP_PORT | 587 with STARTTLS, else 25 | its port |
| FOI_SMTP_USER / FOI_SMTP_PASSWORD | (none) | log in when both are set |
| FOI_SMTP_FROM | foi-tracker@localhost | the sender address |
| FOI_SMTP_STARTTLS | false | upgrade the connection with STARTTLS (certificate checked) before logging in |
| FOI_SMTP_OAUTH2_TOKEN_COMMAND | (none) | a command printing a current OAuth2 access token: sign in with XOAUTH2 as FOI_SMTP_USER |
| FOI_BASE_URL | `foi serve`'s address (http://HOST:PORT), else http://127.0.0.1:8000 | the address links in messages start with |
"""

from __future__ import annotations

import asyncio
import base64
import shlex
import smtplib
import socket
import ssl
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from app.config import MailSettings  # read once with the other settings (app/config.py)
from app.domain.inbound import Attachment  # a file in an e-mail, coming in or going out

__all__ = ["Attachment", "Mail", "MailSettings", "build_message", "new_message_id", "send_all"]


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    # a notice keeps the id it was queued with, so a retry is the same message (and replies thread)
    message_id: str | None = None
    reply_to: str | None = None
    attachments: tuple[Attachment, ...] = ()
    # a reminder is machine-made; a notice is a letter from the authority that a requester may answer
    automatic: bool = True


def new_message_id(settings: MailSettings) -> str:
    return make_msgid(domain=settings.sender.rsplit("@", 1)[1] or "localhost")


def build_message(settings: MailSettings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = mail.message_id or new_message_id(settings)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    if mail.automatic:
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    message.set_content(mail.body)
    for attachment in mail.attachments:
        main, _, sub = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=main or "application", subtype=sub or "octet-stream", filename=attachment.filename)
    return message


def oauth2_token(command: str, timeout: float = 30.0) -> str:
    """A current access token from the command configured to print one (no shell: its words are split)."""
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as problem:
        raise smtplib.SMTPAuthenticationError(535, f"the OAuth2 token command did not run: {type(problem).__name__}") from None
    token = done.stdout.strip()
    if done.returncode != 0 or not token:
        raise smtplib.SMTPAuthenticationError(535, f"the OAuth2 token command failed (exit {done.returncode})")
    return token


def _sign_in(smtp: smtplib.SMTP, settings: MailSettings) -> None:
    if settings.oauth2_token_command:
        # XOAUTH2 (Google, Microsoft 365): the user and a bearer token, sent as the initial response
        token = oauth2_token(settings.oauth2_token_command, settings.timeout)
        response = f"user={settings.user}\x01auth=Bearer {token}\x01\x01"
        smtp.ehlo_or_helo_if_needed()
        code, answer = smtp.docmd("AUTH", "XOAUTH2 " + base64.b64encode(response.encode()).decode())
        if code == 334:  # the server's error details, as a challenge: answer empty to end the exchange
            code, answer = smtp.docmd("")
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, answer)
    elif settings.user and settings.password:
        smtp.login(settings.user, settings.password)


def _send_all(settings: MailSettings, mails: Sequence[Mail]) -> list[str | None]:
    """One connection for the lot; the error of each message, or None when it was accepted."""
    results: list[str | None] = []
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            _sign_in(smtp, settings)
            for mail in mails:
                try:
                    refused = smtp.send_message(build_message(settings, mail))
                    results.append(f"refused by the server: {', '.join(refused)}" if refused else None)
                except smtplib.SMTPException as problem:
                    results.append(described(problem, settings))
    except (OSError, smtplib.SMTPException) as problem:
        # the connection itself failed: every message not yet sent failed with it
        reason = described(problem, settings)
        results.extend([reason] * (len(mails) - len(results)))
    return results


def described(problem: BaseException, settings: MailSettings) -> str:
    """Why a message did not go, in words an officer can act on (or pass to IT), with the server's own
    answer where it gave one."""
    server = f"the mail server ({settings.host}:{settings.port})"
    if isinstance(problem, smtplib.SMTPAuthenticationError):
        how = "the OAuth2 token (FOI_SMTP_OAUTH2_TOKEN_COMMAND)" if settings.oauth2_token_command else "FOI_SMTP_USER and FOI_SMTP_PASSWORD"
        words = f"{server} refused the sign-in: check {how}"
    elif isinstance(problem, smtplib.SMTPRecipientsRefused):
        words = f"{server} refused the requester's address: " + "; ".join(
            f"{code} {_said(answer)}" for code, answer in problem.recipients.values()
        )
    elif isinstance(problem, smtplib.SMTPSenderRefused):
        words = f"{server} refused our sender address (FOI_SMTP_FROM): {problem.smtp_code} {_said(problem.smtp_error)}"
    elif isinstance(problem, smtplib.SMTPServerDisconnected):
        words = f"{server} closed the connection before the message was sent"
    elif isinstance(problem, smtplib.SMTPResponseException):
        words = f"{server} answered {problem.smtp_code} {_said(problem.smtp_error)}"
    elif isinstance(problem, ConnectionRefusedError):
        words = f"{server} refused the connection: is it running, and is the port right?"
    elif isinstance(problem, TimeoutError):
        words = f"{server} did not answer in time"
    elif isinstance(problem, socket.gaierror):
        words = f"the mail server's name '{settings.host}' could not be found (FOI_SMTP_HOST)"
    elif isinstance(problem, ssl.SSLError):
        words = f"a secure connection to {server} failed ({problem.reason or 'TLS'}): check its certificate and FOI_SMTP_STARTTLS"
    elif isinstance(problem, OSError):
        words = f"{server} could not be reached ({problem.strerror or type(problem).__name__})"
    else:
        words = f"{server} could not take the message ({type(problem).__name__})"
    return words[:500]


def _said(answer: bytes | str) -> str:
    return (answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)).strip()


async def send_all(settings: MailSettings, mails: Sequence[Mail]) -> list[str | None]:
    if not mails:
        return []
    if not settings.configured:
        return ["no mail server is set up: set FOI_SMTP_HOST"] * len(mails)
    return await asyncio.to_thread(_send_all, settings, list(mails))
