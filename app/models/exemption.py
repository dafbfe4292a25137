from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import DefaultBase


class Exemption(DefaultBase):
    """The reference list of exemptions (seeded by migration from app.domain.exemptions)."""

    __tablename__ = "exemptions"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    regime: Mapped[str] = mapped_column(String(10))
    provision: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    absolute: Mapped[bool] = mapped_column(Boolean, default=False)
