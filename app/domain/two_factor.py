"""Two-factor authentication by time-based one-time codes (TOTP, RFC 6238) and one-time recovery codes.

Pure rules: which time step a code belongs to (one step either side is allowed for a clock that is a
little out), never a step at or before the last one taken (a code cannot be replayed), and what a
recovery code looks like. The services keep the secret, the last step and the recovery codes' digests.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp

STEP_SECONDS = 30
DIGITS = 6
# steps either side of now a code may belong to: a phone whose clock is up to 30 s out still works
WINDOW = 1
RECOVERY_CODE_COUNT = 10
# no 0/o, 1/i/l: a code copied by hand from paper reads one way only
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 12  # 31**12, about 2**59
_SPACING = re.compile(r"[\s-]+")
_CODE = re.compile(rf"^\d{{{DIGITS}}}$")


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app that cannot read the QR code."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def setup_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address a QR code carries to an authenticator app."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(name=account, issuer_name=issuer)


def time_step(at: datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def code_at(secret: str, at: datetime) -> str:
    """The code an authenticator app shows at `at` (for tests and for nothing else)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(time_step(at))


def normalised_code(text: str) -> str:
    return _SPACING.sub("", text or "")


def looks_like_code(text: str) -> bool:
    """Six digits (spaces allowed): a code from the app, not a password or a recovery code."""
    return bool(_CODE.match(normalised_code(text)))


_SIX_NUMBERS = re.compile(rf"[0-9]{{{DIGITS}}}")
RECOVERY_CODE_EXAMPLE = "k7m2-q9xa-b3td"


def code_problem(text: str) -> str | None:
    """What is wrong with the form of a code typed from the app (spaces allowed), or None: whether it
    is the right code is for the service."""
    code = normalised_code(text)
    if not code:
        return f"Enter the {DIGITS}-digit code from your authenticator app"
    if not _SIX_NUMBERS.fullmatch(code):
        return f"The code must be {DIGITS} numbers, like 123456: enter the code your authenticator app shows now"
    return None


def recovery_code_problem(text: str) -> str | None:
    """What is wrong with the form of a recovery code typed (any case, spaces or hyphens allowed), or None."""
    code = normalised_code(text).lower()
    if not code:
        return "Enter one of the recovery codes you kept when you set up two-factor authentication"
    if len(code) != _RECOVERY_LENGTH or any(character not in _RECOVERY_ALPHABET for character in code):
        groups = _RECOVERY_LENGTH // 4
        return f"A recovery code is {_RECOVERY_LENGTH} letters and numbers in {groups} groups of 4, like {RECOVERY_CODE_EXAMPLE}"
    return None


def looks_like_recovery_code(text: str) -> bool:
    """12 letters and numbers from the recovery codes' alphabet (any case, spaces or hyphens
    allowed): a recovery code, not a code from the app."""
    return bool(normalised_code(text)) and recovery_code_problem(text) is None


def already_taken(secret: str, code: str, at: datetime, last_step: int | None) -> bool:
    """Whether `code` is the right code of a step within the window around `at` that was taken
    already (at or before `last_step`): the same code typed twice, not a wrong one."""
    code = normalised_code(code)
    if last_step is None or not _CODE.match(code):
        return False
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = time_step(at)
    taken = False
    for step in range(now - WINDOW, now + WINDOW + 1):
        taken = (hmac.compare_digest(totp.generate_otp(step), code) and step <= last_step) or taken
    return taken


def matching_step(secret: str, code: str, at: datetime, last_step: int | None) -> int | None:
    """The time step `code` is the code of, within the window around `at` and after `last_step`
    (a code already taken, or one older than it, is refused); None when it matches none."""
    code = normalised_code(code)
    if not _CODE.match(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = time_step(at)
    found = None
    for step in range(now - WINDOW, now + WINDOW + 1):
        # every candidate is compared (in constant time), so timing tells nothing of which matched
        if hmac.compare_digest(totp.generate_otp(step), code) and (last_step is None or step > last_step) and found is None:
            found = step
    return found


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Codes like 'k7m2-q9xa-b3td', each good for one sign-in without the app."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    return codes


def recovery_digest(user_id: int, code: str) -> str:
    """What is stored of a recovery code: its SHA-256, with the account's id so equal codes of two
    people never share a digest. Typed in any case, with or without spaces and hyphens."""
    return hashlib.sha256(f"{user_id}:{normalised_code(code).lower()}".encode()).hexdigest()
