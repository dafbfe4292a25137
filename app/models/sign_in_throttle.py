from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import DefaultBase


class SignInCounter(DefaultBase):
    """Sign-in attempts in the current window for one account or one address, counted atomically by
    one upsert per attempt (app/services/sign_in_throttle.py). Keyed by an HMAC of the e-mail address
    or the network address (app/domain/sign_in_throttle.py): the table holds neither."""

    __tablename__ = "sign_in_counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_started_at: Mapped[datetime] = mapped_column(index=True)
