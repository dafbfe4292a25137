"""How sign-in attempts are counted: per account and per source address, each in windows of a minute.

- Every attempt at an account counts against the account, from whatever address it comes. Past
  `per_account` in its window the account takes no more attempts (the password is not even checked)
  until the window is over; a right password clears its count.
- Every wrong password from an address counts against the address, whichever account it was for.
  Past `per_address` in its window the address takes no more attempts for any account until the
  window is over.
- `per_account` is less than half of `per_address`: an address window of a minute overlaps at most
  two windows of one account, so wrong passwords for one account alone can never stop another
  account's right password from the same address (an office behind one address).

Counters are kept under a keyed hash of the e-mail address as typed (trimmed, in lower case) or of
the network address: the table never holds either. Pure rules; the counting itself is one atomic
statement per counter (`app/services/sign_in_throttle.py`).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=1)
ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class ThrottleLimits:
    per_address: int  # wrong passwords per address per window
    per_account: int  # attempts per account per window
    window: timedelta = WINDOW

    @classmethod
    def per_minute(cls, per_address: int, per_account: int = 0) -> ThrottleLimits:
        """The limits of FOI_LOGIN_ATTEMPTS_PER_MINUTE (per address) and FOI_LOGIN_ATTEMPTS_PER_ACCOUNT
        (0: a third of the address's limit, at least 1)."""
        return cls(per_address=per_address, per_account=per_account or account_limit_for(per_address))


def account_limit_for(per_address: int) -> int:
    return max(1, per_address // 3)


def counter_key(secret: str, kind: str, value: str) -> str:
    """The key a counter is kept under: the kind, then an HMAC of the value with the app's secret."""
    digest = hmac.new(secret.encode(), f"sign-in|{kind}|{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest}"


def account_key(secret: str, email: str) -> str:
    return counter_key(secret, ACCOUNT, email.strip().lower())


def address_key(secret: str, address: str) -> str:
    return counter_key(secret, ADDRESS, address.strip().lower())


def window_is_over(started_at: datetime, now: datetime, window: timedelta = WINDOW) -> bool:
    return started_at + window <= now


def seconds_to_wait(started_at: datetime, now: datetime, window: timedelta = WINDOW) -> int:
    """Whole seconds until a window that started at `started_at` is over (at least 1: a Retry-After)."""
    return max(1, math.ceil((started_at + window - now).total_seconds()))
