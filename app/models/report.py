"""The report rollup: figures of the requests received in each month, kept ready for the reports.

Counting a million requests for every report view is too slow (seconds on both engines), so the
timeliness report reads these monthly counts instead and counts live only the days at the edges
of a period. Database triggers mark a month stale whenever anything the reports count changes on
one of its requests (whoever writes: the services, an import, a bulk operation, a calendar
correction); the reports service recounts stale months before it reads (app.services.reports).
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import BigIntBase, DefaultBase

# department_id values that are not departments
ALL_DEPARTMENTS = -1
NO_DEPARTMENT = 0


class ReportRollup(DefaultBase):
    """How many requests received in `month` (YYYY-MM) of a department have `key` for `facet`
    ("status": new, responded...; "timeliness": in_time...; "days": working days to respond;
    "exemption": FOIA-s40...). department_id -1 holds the whole authority, 0 no department."""

    __tablename__ = "report_rollup"

    department_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)

    # one B-tree, read in key order: no separate lookups of `n`
    __table_args__ = {"sqlite_with_rowid": False}


class ReportStaleMonth(BigIntBase):
    """A month whose rollup may be out of date, written by triggers when a request (or its
    exemptions) changes, and removed once the month has been recounted."""

    __tablename__ = "report_stale_months"

    month: Mapped[str] = mapped_column(String(7), index=True)
