"""Manager reports as JSON: what is overdue now, and timeliness and outcomes for any period."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from app.domain.dates import parse_date
from app.domain.regimes import Regime
from app.services.clock import today_in
from app.services.reports.inputs import DEFAULT_LIMIT, MAX_LIMIT, parse_limit
from app.services.reports.overdue import OverdueFilters, overdue_report
from app.services.reports.timeliness import TimelinessFilters, timeliness_report
from app.web.api.answers import OverdueReportJson, TimelinessReportJson, errors
from app.web.auth import requires_manager
from app.web.dependencies import AppSettings, Db
from app.web.report_views import overdue_json, timeliness_json


class ReportsApi(Controller):
    path = "/api/v1/reports"
    guards = [requires_manager]
    tags = ["reports"]

    @get("/overdue", responses=errors(400, 401, 403, 422))
    async def overdue(
        self,
        db: Db,
        settings: AppSettings,
        department: Annotated[str | None, QueryParameter(description="department slug")] = None,
        assignee: Annotated[str | None, QueryParameter(description="officer email, or 'none' for nobody yet")] = None,
        regime: Annotated[str | None, QueryParameter(description=", ".join(Regime))] = None,
        limit: Annotated[str | None, QueryParameter(description=f"rows per list, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})")] = None,
    ) -> OverdueReportJson:
        """Open requests and internal reviews past due (working days overdue, ageing, by department and
        officer), due in the next five working days, and waiting for a fee or clarification (never overdue)."""
        filters = OverdueFilters(department=department, assignee=assignee, regime=regime, limit=parse_limit(limit))
        report = await overdue_report(db, filters, today_in(settings.zone))
        return overdue_json(report)

    @get("/timeliness", responses=errors(400, 401, 403, 422))
    async def timeliness(
        self,
        db: Db,
        settings: AppSettings,
        date_from: Annotated[
            str | None, QueryParameter(name="from", description="first day received (YYYY-MM-DD); default: five quarters ago")
        ] = None,
        date_to: Annotated[str | None, QueryParameter(name="to", description="last day received (YYYY-MM-DD); default: today")] = None,
        group_by: Annotated[str | None, QueryParameter(description="month, quarter (default), year or department")] = None,
        department: Annotated[str | None, QueryParameter(description="department slug")] = None,
    ) -> TimelinessReportJson:
        """Requests received in the period: answered within 20 working days, within a permitted extension,
        late, still open; initial outcomes; withheld by reason; internal reviews; working days to respond."""
        filters = TimelinessFilters(
            date_from=parse_date(date_from, "from"),
            date_to=parse_date(date_to, "to"),
            group_by=group_by or "quarter",
            department=department,
        )
        report = await timeliness_report(db, filters, today_in(settings.zone))
        return timeliness_json(report)
