"""The report rollup: figures of the requests received in each month, kept ready for the reports.

Counting a million requests for every report view is too slow (seconds on both engines), so the
timeliness report reads these monthly counts instead and counts live only the days at the edges
of a period. Database triggers mark a month stale whenever anything the reports count changes on
one of its requests (whoever writes: the services, an import, a bulk operation, a calendar
correction); a report recounts stale months before it reads (app.services.reports.rollup).
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.lifecycle import OPEN_STATUSES
from app.models.base import BigIntBase, DefaultBase
from app.models.request import FoiRequest

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


class ReportRollupYear(DefaultBase):
    """The twelve months of `year` of report_rollup added up, so that a period of many years reads
    one row per year and value rather than twelve."""

    __tablename__ = "report_rollup_years"

    department_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    year: Mapped[str] = mapped_column(String(4), primary_key=True)
    facet: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)

    __table_args__ = {"sqlite_with_rowid": False}


class ReportStaleMonth(BigIntBase):
    """A month (and department) whose rollup may be out of date, written by triggers when a request
    (or its exemptions) changes, and removed once recounted."""

    __tablename__ = "report_stale_months"

    month: Mapped[str] = mapped_column(String(7), index=True)
    department_id: Mapped[int] = mapped_column(Integer)  # 0 for no department


_OPEN_SQL = "status IN ({})".format(", ".join(f"'{status.value}'" for status in sorted(OPEN_STATUSES)))

# Everything the overdue report, the dashboard and the reminders count about open requests, in one
# small index (open requests are a few in a hundred): their summaries never read the table itself.
_R = FoiRequest.__table__.c
OPEN_REPORT_INDEX = Index(
    "ix_requests_open_report",
    _R.due_on,
    _R.regime,
    _R.clock_stopped,
    _R.deadline_stage,
    _R.status,
    _R.department_id,
    _R.assignee_id,
    _R.received_on,
    sqlite_where=text(_OPEN_SQL),
    postgresql_where=text(_OPEN_SQL),
)
