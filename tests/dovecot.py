"""A private Dovecot IMAP server for the e-mail tests: its own configuration, mailboxes and
certificate in a temporary directory, listening on 127.0.0.1 only, stopped at the end.

Debian's `dovecot-imapd` (`.ci/run` installs it). Where it is missing the tests are skipped, with a
reason; on CI (CI=true) that is a failure instead.

One server serves three ways in: plain IMAP (FOI_IMAP_TLS=off) and STARTTLS on one port, IMAP over
TLS on another, with a self-signed certificate for 127.0.0.1 that a client trusts only when told to
(SSL_CERT_FILE). Users sign in with a password (a passwd-file) or with an OAuth2 access token
(XOAUTH2), which Dovecot checks with a small token introspection server (RFC 7662) run here. A
failed sign-in makes Dovecot slow the next one from 127.0.0.1 by a few seconds (its auth penalty).
"""

from __future__ import annotations

import grp
import http.server
import imaplib
import itertools
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
OPENSSL = shutil.which("openssl")
USERS = 100


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Dovecot:
    root: Path
    port: int  # plain IMAP and STARTTLS
    tls_port: int  # IMAP over TLS
    certificate: Path
    mail_user: str  # the system user that owns the mailboxes
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def new_mailbox(self) -> tuple[str, str]:
        """A user with an empty mailbox of their own: (user, password)."""
        number = next(self._names)
        assert number <= USERS, "more mailboxes than tests/dovecot.py makes: raise USERS"
        user = f"foi{number}"
        return user, dovecot_password(user)

    def client(self, user: str, password: str) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            connection.login(user, password)
        except BaseException:
            connection.shutdown()
            raise
        return connection

    def deliver(self, user: str, password: str, messages: list[bytes], folder: str = "INBOX") -> None:
        """Puts messages in a folder as a mail server would (IMAP APPEND), in order."""
        connection = self.client(user, password)
        try:
            for raw in messages:
                status, data = connection.append(folder, None, None, raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
                assert status == "OK", data
        finally:
            connection.logout()

    def message_ids(self, user: str, password: str, folder: str) -> list[str]:
        """The Message-IDs in a folder, in order ([] when the folder does not exist)."""
        connection = self.client(user, password)
        try:
            status, _ = connection.select(folder, readonly=True)
            if status != "OK":
                return []
            _, data = connection.uid("SEARCH", "ALL")
            ids = []
            for uid in (data[0] or b"").split():
                _, fetched = connection.uid("FETCH", uid.decode(), "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
                header = next(item[1] for item in fetched if isinstance(item, tuple))
                ids.append(header.decode().partition(":")[2].strip())
            return ids
        finally:
            connection.logout()


def _configuration(root: Path, port: int, tls_port: int, mail_user: str, login_user: str, as_root: bool) -> str:
    """A whole Dovecot configuration: nothing is read from /etc/dovecot."""
    owner = pwd.getpwnam(mail_user)
    # not root: no chroot for the login and auth processes (only root may chroot)
    login_chroot = "" if as_root else "chroot ="
    unprivileged = "" if as_root else "service auth {\n  chroot =\n}\nservice anvil {\n  chroot =\n}"
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
default_internal_user = {mail_user}
default_internal_group = {grp.getgrgid(owner.pw_gid).gr_name}
default_login_user = {login_user}
first_valid_uid = {min(owner.pw_uid, 100) if as_root else owner.pw_uid}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
passdb {{
  mechanisms = plain login
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
  {login_chroot}
}}
{unprivileged}
"""


def dovecot_password(user: str) -> str:
    return f"mailbox password {user.removeprefix('foi')}"


def oauth2_token_for(user: str) -> str:
    """The access token the test's authorisation server takes for a user (XOAUTH2)."""
    return f"test-access-token-for-{user}"


class _Introspection(http.server.BaseHTTPRequestHandler):
    """OAuth 2.0 token introspection (RFC 7662), as Dovecot's oauth2 passdb asks it: active, and whose."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        token = urllib.parse.parse_qs(self.rfile.read(length).decode()).get("token", [""])[0]
        user = token.removeprefix("test-access-token-for-")
        answer = {"active": True, "username": user} if user != token and user else {"active": False}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _start_token_introspection() -> http.server.HTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Introspection)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_dovecot() -> Iterator[Dovecot]:
    """Starts the private server (a generator for a pytest fixture)."""
    if DOVECOT is None or OPENSSL is None:
        message = "Dovecot is not installed (apt-get install dovecot-imapd): the IMAP tests need it"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    as_root = os.geteuid() == 0
    # run as root, Dovecot hands the mailboxes to its own user, which must reach them: a directory
    # anyone may pass through, not pytest's private one
    root = Path(tempfile.mkdtemp(prefix="foi-dovecot-"))
    root.chmod(0o755)
    mail_user = "dovecot" if as_root else pwd.getpwuid(os.getuid()).pw_name
    login_user = "dovenull" if as_root else mail_user
    (root / "home").mkdir()
    if as_root:
        shutil.chown(root / "home", user=mail_user)
    # every user written before the server starts: Dovecot notices a changed passwd-file by its
    # modification time, which two tests in the same second would not change
    (root / "passwd").write_text("".join(f"foi{n}:{{PLAIN}}mailbox password {n}\n" for n in range(1, USERS + 1)))
    subprocess.run(
        [
            OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    port, tls_port = free_port(), free_port()
    introspection = _start_token_introspection()
    (root / "oauth2.conf.ext").write_text(
        f"introspection_mode = post\nintrospection_url = http://127.0.0.1:{introspection.server_address[1]}/introspect\n"
        "username_attribute = username\nactive_attribute = active\nactive_value = true\nforce_introspection = yes\n"
    )
    (root / "dovecot.conf").write_text(_configuration(root, port, tls_port, mail_user, login_user, as_root))
    output = (root / "output.txt").open("wb")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    if probe.recv(100).startswith(b"* OK"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                pytest.fail(f"Dovecot did not start: {(root / 'output.txt').read_text()}\n{log}")
            time.sleep(0.1)
        yield Dovecot(root, port, tls_port, root / "cert.pem", mail_user)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()
        introspection.shutdown()
        introspection.server_close()
        shutil.rmtree(root, ignore_errors=True)
