"""Manager pages: the dashboard, overdue and due soon, timeliness and outcomes (with CSV exports)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Response, get
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from app.domain.dates import parse_date
from app.domain.errors import InvalidInput
from app.domain.timeliness import AGEING_BUCKETS, DEFINITIONS, Grouping
from app.services import departments as department_service
from app.services import users as user_service
from app.services.clock import today_in
from app.services.reports.dashboard import dashboard as build_dashboard
from app.services.reports.inputs import DEFAULT_LIMIT, parse_limit
from app.services.reports.overdue import OverdueFilters, overdue_report
from app.services.reports.timeliness import TimelinessFilters, default_period, timeliness_report
from app.web import report_views as views
from app.web.auth import requires_manager
from app.web.dependencies import AppSettings, CurrentUser, Db
from app.web.pages.forms import DateField, half_typed, read_dates

# the timeliness report's period, each end typed as day, month and year
PERIOD_DATES = (DateField("from", "Received from"), DateField("to", "Received to"))

OVERDUE_DEFINITIONS = ("Overdue", "Due soon", "Working days overdue")
LIMITS = (25, 50, 100, 500, 1000)


def _csv(content: str, filename: str) -> Response[str]:
    # a byte-order mark first: without it Excel reads UTF-8 as Windows-1252 and "£" becomes "Â£"
    return Response(
        "\ufeff" + content,
        media_type="text/csv",  # Litestar adds "; charset=utf-8"
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


class DashboardPages(Controller):
    @get("/staff/dashboard", guards=[requires_manager])
    async def dashboard(self, db: Db, settings: AppSettings, user: CurrentUser) -> Template:
        today = today_in(settings.zone)
        board = await build_dashboard(db, today)
        return Template(
            "staff/dashboard.html",
            context={"board": board, "user": user, "today": today, "buckets": AGEING_BUCKETS, "stage_labels": views.STAGE_LABELS},
        )


class ReportPages(Controller):
    path = "/staff/reports"
    guards = [requires_manager]

    @get("/overdue")
    async def overdue(self, request: HTMXRequest, db: Db, settings: AppSettings, user: CurrentUser) -> Template | Response[str]:
        params = request.query_params
        chosen = {key: (params.get(key) or "").strip() for key in ("department", "assignee", "regime", "limit")}
        errors: dict[str, str] = {}
        try:
            limit = parse_limit(chosen["limit"] or None)
        except InvalidInput as problem:
            errors[problem.field], limit = problem.message, DEFAULT_LIMIT
        filters = OverdueFilters(
            department=chosen["department"] or None,
            assignee=chosen["assignee"] or None,
            regime=chosen["regime"] or None,
            limit=limit,
        )
        today = today_in(settings.zone)
        report = None
        try:
            report = await overdue_report(db, filters, today)
        except InvalidInput as problem:
            errors[problem.field] = problem.message
        export = params.get("format")
        if report is not None and export == "csv":
            if params.get("part") == "summary":
                return _csv(views.overdue_summary_csv(report), f"overdue-summary-{today.isoformat()}.csv")
            return _csv(views.overdue_list_csv(report), f"overdue-{today.isoformat()}.csv")
        query = urlencode({k: v for k, v in chosen.items() if v})
        context = {
            "report": report,
            "chosen": chosen,
            "query": query,
            "errors": errors,
            "today": today,
            "limits": LIMITS,
            "departments": await department_service.list_departments(db),
            "staff": [u for u in await user_service.list_users(db) if u.is_active],
            "regimes": views.REGIME_CHOICES,
            "buckets": AGEING_BUCKETS,
            "summary_header": views.SUMMARY_HEADER,
            "summary_cells": views.summary_cells,
            "stage_labels": views.STAGE_LABELS,
            "definitions": [d for d in DEFINITIONS if d[0] in OVERDUE_DEFINITIONS],
            "user": user,
        }
        status = 200 if not errors or request.htmx else 422
        if request.htmx and request.htmx.target == "report":
            return Template("staff/reports/_overdue.html", context=context, status_code=status)
        return Template("staff/reports/overdue.html", context=context, status_code=status)

    @get("/timeliness")
    async def timeliness(self, request: HTMXRequest, db: Db, settings: AppSettings, user: CurrentUser) -> Template | Response[Any]:
        params = request.query_params
        today = today_in(settings.zone)
        if request.htmx and half_typed(params, ("from", "to")):
            return Response(None, status_code=204)  # answered as typed: the date is not finished yet
        default_from, default_to = default_period(today)
        # the period typed as day, month and year, or given as YYYY-MM-DD (links, bookmarks, the CSV's)
        typed, errors = read_dates({key: params.get(key) for key in params}, PERIOD_DATES)
        chosen = {
            "from": str(typed.get("from") or "").strip() or default_from.isoformat(),
            "to": str(typed.get("to") or "").strip() or default_to.isoformat(),
            "group_by": (params.get("group_by") or "").strip() or Grouping.QUARTER.value,
            "department": (params.get("department") or "").strip(),
        }
        report = None
        try:
            if errors:
                raise InvalidInput(*next(iter(errors.items())))
            filters = TimelinessFilters(
                date_from=parse_date(chosen["from"], "from"),
                date_to=parse_date(chosen["to"], "to"),
                group_by=chosen["group_by"],
                department=chosen["department"] or None,
            )
            report = await timeliness_report(db, filters, today)
        except InvalidInput as problem:
            errors.setdefault(problem.field, problem.message)
        if report is not None and params.get("format") == "csv":
            return _csv(views.timeliness_csv(report), f"timeliness-{report.date_from.isoformat()}-to-{report.date_to.isoformat()}.csv")
        context: dict[str, Any] = {
            "report": report,
            "chosen": chosen,
            # what the date boxes show: as typed, else the period's dates
            "typed": {**chosen, **{key: value for key, value in typed.items() if key.endswith(("-day", "-month", "-year"))}},
            "query": urlencode({k: v for k, v in chosen.items() if v}),
            "errors": errors,
            "today": today,
            "groupings": list(Grouping),
            "departments": await department_service.list_departments(db),
            "definitions": [d for d in DEFINITIONS if d[0] not in OVERDUE_DEFINITIONS],
            "user": user,
        }
        if report is not None:
            context.update(
                sections=views.timeliness_sections(report),
                in_time_chart=views.in_time_chart(report),
                outcome_chart=views.outcome_chart(report),
            )
        status = 200 if not errors or request.htmx else 422
        if request.htmx and request.htmx.target == "report":
            # the period's boxes go with the answer (out of band), marked as the page without JavaScript marks them
            return Template("staff/reports/_timeliness.html", context={**context, "oob_dates": True}, status_code=status)
        return Template("staff/reports/timeliness.html", context=context, status_code=status)
