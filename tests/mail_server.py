"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port): it keeps what it receives,
accepts the test account's password, and an OAuth2 bearer token by XOAUTH2."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

OAUTH2_TOKEN = "ya29.test-access-token"


@dataclass
class Mailbox:
    received: list[tuple[str, list[str], Message]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        """XOAUTH2 (RFC 7628's SASL exchange as Google and Microsoft use it): the initial response
        carries the user and the bearer token."""
        said = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
        fields = dict(part.split("=", 1) for part in said.split("\x01") if "=" in part)
        if fields.get("user") == "mailer@council.example" and fields.get("auth") == f"Bearer {OAUTH2_TOKEN}":
            self.logins.append("xoauth2:" + fields["user"])
            return AuthResult(success=True, auth_data=fields["user"])
        return AuthResult(success=False, handled=False)

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and auth_data.login == b"mailer" and auth_data.password == b"s3cret-pass":
            self.logins.append(auth_data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def by_recipient(self) -> dict[str, Message]:
        return {to[0]: message for _, to, message in self.received}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=mailbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()
