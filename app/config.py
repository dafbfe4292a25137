"""Settings, read once from the environment (all optional; defaults run the demo with no server)."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from app.domain.sign_in_throttle import account_limit_for

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite+aiosqlite:///var/foi.sqlite3"
    storage_dir: Path = Path("var/files")
    secret_key: str = field(default="", repr=False)
    authority_name: str = "Demo Borough Council"
    timezone: str = "Europe/London"
    session_max_age_seconds: int = 8 * 60 * 60
    # memory each process may keep rendered public pages in (FOI_PUBLIC_CACHE_MB; 0: none kept)
    public_cache_bytes: int = 64 * 1024 * 1024
    # PostgreSQL connections each process keeps open, and as many again for a burst (FOI_DB_POOL_SIZE)
    db_pool_size: int = 10
    # wrong passwords per source address per minute (FOI_LOGIN_ATTEMPTS_PER_MINUTE), and attempts per
    # account per minute (FOI_LOGIN_ATTEMPTS_PER_ACCOUNT; 0: a third of the first): app/domain/sign_in_throttle.py
    login_attempts_per_minute: int = 30
    login_attempts_per_account: int = 0
    # the proxies whose X-Forwarded-For names the client (FOI_TRUSTED_PROXIES: addresses and networks)
    trusted_proxies: tuple[str, ...] = ()
    # Secure cookies and HSTS (FOI_SECURE_COOKIES): None follows FOI_BASE_URL (on when it is https://)
    secure_cookies: bool | None = None
    # API tokens: the lifetime a new token gets, and the longest one may choose (FOI_TOKEN_LIFETIME_DAYS)
    token_lifetime_days: int = 90
    # admins must have two-factor authentication on before they can do anything (FOI_REQUIRE_2FA_FOR_ADMINS)
    require_2fa_for_admins: bool = False
    max_upload_bytes: int = 50 * 1024 * 1024
    # records management: requester data of requests closed longer ago than this goes (FOI_RETENTION_YEARS)
    retention_years: int = 6
    debug: bool = False
    # the in-app scheduled publication (every 60 s): from_env turns it on unless FOI_SCHEDULER=off;
    # Settings built directly (tests) leave it off
    scheduler: bool = False
    mail: MailSettings = field(default_factory=lambda: MailSettings())
    imap: ImapSettings = field(default_factory=lambda: ImapSettings())
    correspondence: CorrespondenceSettings = field(default_factory=lambda: CorrespondenceSettings())
    accessibility: AccessibilitySettings = field(default_factory=lambda: AccessibilitySettings())
    # FOI_DEPARTMENT_SCOPE: officers see and act on their own department's requests only (managers and admins: all)
    department_scope: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def cookies_secure(self) -> bool:
        """Cookies marked Secure and Strict-Transport-Security sent: FOI_SECURE_COOKIES, else an https:// FOI_BASE_URL."""
        return self.secure_cookies if self.secure_cookies is not None else self.mail.base_url.startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        home = home_directory(env)
        database_url = _anchored_sqlite(env.get("FOI_DATABASE_URL") or cls.database_url, home)
        timezone = env.get("FOI_TIMEZONE") or cls.timezone
        ZoneInfo(timezone)  # fail at start, with the zone's name, rather than at the first request
        secret_key = env.get("FOI_SECRET_KEY") or _stored_secret_key(home / "var" / "secret_key")
        per_address, per_account = _login_limits(env, cls.login_attempts_per_minute)
        return cls(
            database_url=database_url,
            storage_dir=home / Path(env.get("FOI_STORAGE_DIR") or cls.storage_dir),
            secret_key=secret_key,
            authority_name=env.get("FOI_AUTHORITY_NAME") or cls.authority_name,
            timezone=timezone,
            public_cache_bytes=_megabytes(env.get("FOI_PUBLIC_CACHE_MB"), cls.public_cache_bytes, name="FOI_PUBLIC_CACHE_MB", zero=True),
            db_pool_size=_pool_size(env.get("FOI_DB_POOL_SIZE"), cls.db_pool_size),
            login_attempts_per_minute=per_address,
            login_attempts_per_account=per_account,
            trusted_proxies=_networks(env, "FOI_TRUSTED_PROXIES"),
            secure_cookies=_on_off_or_unset(env, "FOI_SECURE_COOKIES"),
            max_upload_bytes=_megabytes(env.get("FOI_MAX_UPLOAD_MB"), cls.max_upload_bytes),
            retention_years=_retention_years(env.get("FOI_RETENTION_YEARS"), cls.retention_years),
            debug=env.get("FOI_DEBUG", "") == "1",
            scheduler=(env.get("FOI_SCHEDULER") or "on").strip().lower() not in {"off", "0", "false", "no"},
            token_lifetime_days=_days(env, "FOI_TOKEN_LIFETIME_DAYS", cls.token_lifetime_days),
            require_2fa_for_admins=_flag(env, "FOI_REQUIRE_2FA_FOR_ADMINS", False),
            mail=MailSettings.from_env(env),
            imap=ImapSettings.from_env(env),
            correspondence=CorrespondenceSettings.from_env(env),
            accessibility=AccessibilitySettings.from_env(env),
            department_scope=_flag(env, "FOI_DEPARTMENT_SCOPE", False),
        )


def served_base_url(host: str, port: int) -> str:
    """The address `foi serve --host H --port P` is reached at, for FOI_BASE_URL when it is not set: a
    wildcard host (every interface) is reached on this machine at its loopback address."""
    host = host.strip().strip("[]")
    if host in {"", "0.0.0.0"}:
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def home_directory(env: dict[str, str]) -> Path:
    """Where relative paths (the SQLite file, the document store, the stored key) are anchored:
    FOI_HOME, or the project's own directory; never the directory `foi` happens to run from, which
    would quietly start a new, empty database with a new key."""
    home = env.get("FOI_HOME")
    return Path(home).expanduser().resolve() if home else PROJECT_ROOT


_SQLITE_PREFIX = re.compile(r"^(sqlite(?:\+\w+)?:///)(?!/)(.+)$")


def _anchored_sqlite(url: str, home: Path) -> str:
    """A SQLite URL with a relative file ("sqlite+aiosqlite:///var/foi.sqlite3") made absolute under home."""
    match = _SQLITE_PREFIX.match(url)
    if not match or match.group(2).startswith(":memory:"):
        return url
    return f"{match.group(1)}{home / match.group(2)}"


def _megabytes(value: str | None, default: int, *, name: str = "FOI_MAX_UPLOAD_MB", zero: bool = False) -> int:
    if not value:
        return default
    try:
        megabytes = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of megabytes, not '{value}'") from None
    if megabytes < 0 or (megabytes == 0 and not zero):
        raise ValueError(f"{name} must be {'0 or more' if zero else 'more than 0'}")
    return int(megabytes * 1024 * 1024)


def _days(env: dict[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        days = int(text)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of days, not '{text}'") from None
    if not 1 <= days <= 3650:
        raise ValueError(f"{name} must be between 1 and 3650 days, not {days}")
    return days


def _retention_years(value: str | None, default: int) -> int:
    text = (value or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100:
        raise ValueError(f"FOI_RETENTION_YEARS must be a whole number of years from 1 to 100, not '{text}'")
    return int(text)


def _pool_size(value: str | None, default: int) -> int:
    text = (value or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 1000:
        raise ValueError(f"FOI_DB_POOL_SIZE must be a whole number of connections from 1 to 1000, not '{text}'")
    return int(text)


def _login_limits(env: dict[str, str], default: int) -> tuple[int, int]:
    limits = []
    for name in ("FOI_LOGIN_ATTEMPTS_PER_MINUTE", "FOI_LOGIN_ATTEMPTS_PER_ACCOUNT"):
        text = env.get(name, "").strip()
        if text and not (text.isascii() and text.isdigit()):
            raise ValueError(f"{name} must be a whole number of attempts, not '{text}'")
        limits.append(int(text) if text else 0)
    per_address, per_account = limits[0] or default, limits[1]
    # wrong passwords for one account must never lock the others out from the same address
    if per_address < 3:
        raise ValueError(f"FOI_LOGIN_ATTEMPTS_PER_MINUTE must be at least 3, not {per_address}")
    if 2 * (per_account or account_limit_for(per_address)) >= per_address:
        raise ValueError(
            f"FOI_LOGIN_ATTEMPTS_PER_ACCOUNT must be less than half of FOI_LOGIN_ATTEMPTS_PER_MINUTE ({per_address}), "
            f"not {per_account}, so that wrong passwords for one account never lock the others out from the same address"
        )
    return per_address, per_account


def _on_off_or_unset(env: dict[str, str], name: str) -> bool | None:
    text = env.get(name, "").strip().lower()
    if not text:
        return None
    if text not in _TRUE | _FALSE:
        raise ValueError(f"{name} must be on or off, not '{text}'")
    return text in _TRUE


def _networks(env: dict[str, str], name: str) -> tuple[str, ...]:
    """Addresses and networks (CIDR), separated by commas, each checked now rather than at a request."""
    found = []
    for item in env.get(name, "").split(","):
        if not item.strip():
            continue
        try:
            found.append(str(ipaddress.ip_network(item.strip(), strict=False)))
        except ValueError:
            raise ValueError(f"{name} must list IP addresses or networks (such as 10.0.0.0/8), not '{item.strip()}'") from None
    return tuple(found)


def _stored_secret_key(path: Path) -> str:
    """A key generated on first use and kept, so sessions survive restarts without configuration."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two workers starting together keep one key between them
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = "foi-tracker@localhost"
    starttls: bool = False
    base_url: str = "http://127.0.0.1:8000"
    timeout: float = 30.0
    # a command printing a current OAuth2 access token: SMTP signs in with XOAUTH2 instead of a
    # password (Microsoft 365 and Google are retiring password sign-in for SMTP)
    oauth2_token_command: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> MailSettings:
        env = dict(os.environ if env is None else env)
        starttls_text = env.get("FOI_SMTP_STARTTLS", "").strip().lower()
        if starttls_text not in _TRUE | _FALSE:
            raise ValueError(f"FOI_SMTP_STARTTLS must be true or false, not '{starttls_text}'")
        starttls = starttls_text in _TRUE
        port_text = env.get("FOI_SMTP_PORT", "").strip()
        try:
            port = int(port_text) if port_text else (587 if starttls else 25)
        except ValueError:
            raise ValueError(f"FOI_SMTP_PORT must be a port number, not '{port_text}'") from None
        if not 0 < port < 65536:
            raise ValueError(f"FOI_SMTP_PORT must be between 1 and 65535, not {port}")
        sender = env.get("FOI_SMTP_FROM", "").strip() or cls.sender
        if "@" not in sender:
            raise ValueError("FOI_SMTP_FROM must be an e-mail address")
        base_url = (env.get("FOI_BASE_URL", "").strip() or cls.base_url).rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("FOI_BASE_URL must start with http:// or https://")
        return cls(
            host=env.get("FOI_SMTP_HOST", "").strip(),
            port=port,
            user=env.get("FOI_SMTP_USER", "").strip(),
            password=env.get("FOI_SMTP_PASSWORD", ""),
            sender=sender,
            starttls=starttls,
            base_url=base_url,
            oauth2_token_command=env.get("FOI_SMTP_OAUTH2_TOKEN_COMMAND", "").strip(),
        )


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    text = env.get(name, "").strip().lower()
    if not text:
        return default
    if text not in _TRUE | _FALSE:
        raise ValueError(f"{name} must be on or off, not '{text}'")
    return text in _TRUE


def _port(env: dict[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    try:
        port = int(text) if text else default
    except ValueError:
        raise ValueError(f"{name} must be a port number, not '{text}'") from None
    if not 0 < port < 65536:
        raise ValueError(f"{name} must be between 1 and 65535, not {port}")
    return port


@dataclass(frozen=True)
class ImapSettings:
    """The mailbox `foi fetch-mail` reads requests from (FOI_IMAP_*)."""

    host: str = ""
    port: int = 993
    tls: str = "ssl"  # "ssl" (port 993) | "starttls" | "off" (a server on this machine only)
    user: str = ""
    password: str = field(default="", repr=False)
    # a command printing a current OAuth2 access token: sign in with XOAUTH2 instead of the password
    oauth2_token_command: str = ""
    folder: str = "INBOX"
    done_folder: str = "Processed"
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ImapSettings:
        env = dict(os.environ if env is None else env)
        tls = env.get("FOI_IMAP_TLS", "").strip().lower() or cls.tls
        if tls not in {"ssl", "starttls", "off"}:
            raise ValueError(f"FOI_IMAP_TLS must be ssl, starttls or off, not '{tls}'")
        return cls(
            host=env.get("FOI_IMAP_HOST", "").strip(),
            port=_port(env, "FOI_IMAP_PORT", 993 if tls == "ssl" else 143),
            tls=tls,
            user=env.get("FOI_IMAP_USER", "").strip(),
            password=env.get("FOI_IMAP_PASSWORD", ""),
            oauth2_token_command=env.get("FOI_IMAP_OAUTH2_TOKEN_COMMAND", "").strip(),
            folder=env.get("FOI_IMAP_FOLDER", "").strip() or cls.folder,
            done_folder=env.get("FOI_IMAP_DONE_FOLDER", "").strip() or cls.done_folder,
        )


@dataclass(frozen=True)
class CorrespondenceSettings:
    """How the authority is written to and writes: shown on the public request form and in notices."""

    request_email: str = ""  # FOI_REQUEST_EMAIL: where requests may be e-mailed
    postal_address: str = ""  # FOI_POSTAL_ADDRESS: lines separated by "\n" or ";"
    auto_acknowledge: bool = True  # FOI_AUTO_ACKNOWLEDGE: acknowledge web-form and e-mailed requests
    signature: str = "Information Governance Team"  # FOI_NOTICE_SIGNATURE: who signs notices
    contact: str = ""  # FOI_NOTICE_CONTACT: a telephone number or web address for questions
    privacy_notice: str = ""  # FOI_PRIVACY_NOTICE: the text (or a https:// link) of the privacy notice

    @property
    def postal_lines(self) -> list[str]:
        return [line.strip() for line in self.postal_address.replace(";", "\n").splitlines() if line.strip()]

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> CorrespondenceSettings:
        env = dict(os.environ if env is None else env)
        request_email = env.get("FOI_REQUEST_EMAIL", "").strip()
        if request_email and "@" not in request_email:
            raise ValueError("FOI_REQUEST_EMAIL must be an e-mail address")
        return cls(
            request_email=request_email,
            postal_address=env.get("FOI_POSTAL_ADDRESS", "").replace("\\n", "\n").strip(),
            auto_acknowledge=_flag(env, "FOI_AUTO_ACKNOWLEDGE", True),
            signature=env.get("FOI_NOTICE_SIGNATURE", "").strip() or cls.signature,
            contact=env.get("FOI_NOTICE_CONTACT", "").strip(),
            privacy_notice=env.get("FOI_PRIVACY_NOTICE", "").strip(),
        )


@dataclass(frozen=True)
class AccessibilitySettings:
    """What the accessibility statement (/accessibility) says: whom to tell of a problem, who enforces, when reviewed."""

    contact: str = ""  # FOI_ACCESSIBILITY_CONTACT: an e-mail address or telephone number (else FOI_REQUEST_EMAIL)
    enforcement: str = "ehrc"  # FOI_ACCESSIBILITY_ENFORCEMENT: ehrc (England, Scotland, Wales) or ecni (Northern Ireland)
    reviewed: str = ""  # FOI_ACCESSIBILITY_REVIEWED: the date the statement was last reviewed (YYYY-MM-DD)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> AccessibilitySettings:
        env = dict(os.environ if env is None else env)
        enforcement = env.get("FOI_ACCESSIBILITY_ENFORCEMENT", "").strip().lower() or cls.enforcement
        if enforcement not in ("ehrc", "ecni"):
            raise ValueError("FOI_ACCESSIBILITY_ENFORCEMENT must be ehrc (England, Scotland and Wales) or ecni (Northern Ireland)")
        reviewed = env.get("FOI_ACCESSIBILITY_REVIEWED", "").strip()
        if reviewed:
            try:
                reviewed = date.fromisoformat(reviewed).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", reviewed) else ""
            except ValueError:
                reviewed = ""
            if not reviewed:
                raise ValueError("FOI_ACCESSIBILITY_REVIEWED must be a date written YYYY-MM-DD, e.g. 2026-12-06")
        return cls(contact=env.get("FOI_ACCESSIBILITY_CONTACT", "").strip(), enforcement=enforcement, reviewed=reviewed)
