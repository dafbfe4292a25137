"""Sending e-mail through SMTP (standard library smtplib, in a worker thread), configured from the
environment by `MailSettings` in app/config.py, read once with the other settings:

| variable | default | meaning |
| FOI_SMTP_HOST | (none: nothing is sent) | the SMTP server |
| FOI_SMTP_PORT | 587 with STARTTLS, else 25 | its port |
| FOI_SMTP_USER / FOI_SMTP_PASSWORD | (none) | log in when both are set |
| FOI_SMTP_FROM | foi-tracker@localhost | the sender address |
| FOI_SMTP_STARTTLS | false | upgrade the connection with STARTTLS (certificate checked) before logging in |
| FOI_BASE_URL | http://127.0.0.1:8000 | the address links in messages start with |
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from app.config import MailSettings  # read once with the other settings (app/config.py)

__all__ = ["Mail", "MailSettings", "build_message", "send_all"]


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def build_message(settings: MailSettings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[1] or "localhost")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    message.set_content(mail.body)
    return message


def _send_all(settings: MailSettings, mails: Sequence[Mail]) -> list[str | None]:
    """One connection for the lot; the error of each message, or None when it was accepted."""
    results: list[str | None] = []
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user and settings.password:
                smtp.login(settings.user, settings.password)
            for mail in mails:
                try:
                    refused = smtp.send_message(build_message(settings, mail))
                    results.append(f"refused by the server: {', '.join(refused)}" if refused else None)
                except smtplib.SMTPException as problem:
                    results.append(f"{type(problem).__name__}: {problem}"[:500])
    except (OSError, smtplib.SMTPException) as problem:
        # the connection itself failed: every message not yet sent failed with it
        reason = f"{type(problem).__name__}: {problem}"[:500]
        results.extend([reason] * (len(mails) - len(results)))
    return results


async def send_all(settings: MailSettings, mails: Sequence[Mail]) -> list[str | None]:
    if not mails:
        return []
    if not settings.configured:
        return ["SMTP is not configured: set FOI_SMTP_HOST"] * len(mails)
    return await asyncio.to_thread(_send_all, settings, list(mails))
