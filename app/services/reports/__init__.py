"""Manager reports, one concept per module (ARCHITECTURE.md, "Add a report"):

- `overdue`: open requests past due, due soon, and waiting with the clock stopped;
- `timeliness`: requests received in a period and how they were answered;
- `dashboard`: the managers' front page, from the two above;
- `facets`: requests counted by month and department (the timeliness report's raw figures);
- `rollup`: those counts kept ready per month, recounted before every read;
- `inputs`: the filters as typed in a query string (dates: app.domain.dates); `common`: what they share.

Every figure is aggregate SQL (GROUP BY), a handful of statements per report whatever the number of
requests. The reports return dataclasses; app.web.report_views shapes them into tables, CSV and
JSON. The names below are re-exported for reading; code imports from the module that owns them.
"""

from app.services.reports.common import safe_titles
from app.services.reports.dashboard import Dashboard, dashboard
from app.services.reports.inputs import DEFAULT_LIMIT, MAX_LIMIT, parse_limit, parse_regime_filter
from app.services.reports.overdue import CaseRow, Counts, OverdueFilters, OverdueReport, overdue_report
from app.services.reports.rollup import refresh_before_reading, refresh_rollup
from app.services.reports.timeliness import Row, TimelinessFilters, TimelinessReport, default_period, timeliness_report

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "CaseRow",
    "Counts",
    "Dashboard",
    "OverdueFilters",
    "OverdueReport",
    "Row",
    "TimelinessFilters",
    "TimelinessReport",
    "dashboard",
    "default_period",
    "overdue_report",
    "parse_limit",
    "parse_regime_filter",
    "refresh_before_reading",
    "refresh_rollup",
    "safe_titles",
    "timeliness_report",
]
