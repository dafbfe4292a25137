"""How the reports are shown: JSON shapes, the tables of the pages (the CSV exports are built from
the very same tables, so a download holds exactly what the page shows) and the charts."""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.dates import spoken_date
from app.domain.exemptions import BY_CODE
from app.domain.lifecycle import Status
from app.domain.outcomes import ReviewOutcome
from app.domain.regimes import Regime
from app.domain.timeliness import AGEING_BUCKETS, Grouping, InitialOutcome, ProceduralReason
from app.services.reports.overdue import CaseRow, Counts, OverdueReport
from app.services.reports.timeliness import Row, TimelinessReport
from app.web.api.answers import (
    CountsJson,
    DueSoonCaseJson,
    OverdueCaseJson,
    OverdueReportJson,
    StoppedCaseJson,
    TimelinessReportJson,
    TimelinessRowHeadJson,
    TimelinessRowJson,
)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# ============================================================================ overdue


def overdue_case_json(row: CaseRow) -> OverdueCaseJson:
    return {
        "reference": row.reference,
        "title": row.title,
        "regime": row.regime,
        "status": row.status,
        "stage": row.stage,
        "due_on": _iso(row.due_on),
        "working_days_overdue": row.working_days,
        "ageing": row.bucket,
        "department": row.department,
        "assignee": row.assignee,
        "assignee_email": row.assignee_email,
    }


def due_soon_case_json(row: CaseRow) -> DueSoonCaseJson:
    return {
        "reference": row.reference,
        "title": row.title,
        "regime": row.regime,
        "status": row.status,
        "stage": row.stage,
        "due_on": _iso(row.due_on),
        "working_days_left": row.working_days,
        "department": row.department,
        "assignee": row.assignee,
        "assignee_email": row.assignee_email,
    }


def stopped_case_json(row: CaseRow) -> StoppedCaseJson:
    return {
        "reference": row.reference,
        "title": row.title,
        "regime": row.regime,
        "status": row.status,
        "stage": row.stage,
        "due_on": _iso(row.due_on),
        "waiting_for": "fee" if row.status == Status.AWAITING_FEE else "clarification",
        "since": _iso(row.stopped_since),
        "lapses_on": _iso(row.lapses_on),
        "department": row.department,
        "assignee": row.assignee,
        "assignee_email": row.assignee_email,
    }


def counts_json(counts: Counts) -> CountsJson:
    return {
        "overdue": counts.overdue,
        "overdue_reviews": counts.overdue_reviews,
        "due_soon": counts.due_soon,
        "due_soon_reviews": counts.due_soon_reviews,
        "clock_stopped": counts.clock_stopped,
        "ageing": dict(counts.ageing),
        "ageing_reviews": dict(counts.ageing_reviews),
    }


def overdue_json(report: OverdueReport) -> OverdueReportJson:
    t = report.totals
    return {
        "as_of": report.as_of.isoformat(),
        "filters": {
            "department": report.filters.department,
            "assignee": report.filters.assignee,
            "regime": report.filters.regime,
            "limit": report.filters.limit,
        },
        "totals": {
            "overdue": t.total_overdue,
            "overdue_requests": t.overdue,
            "overdue_reviews": t.overdue_reviews,
            "due_soon": t.due_soon + t.due_soon_reviews,
            "due_soon_requests": t.due_soon,
            "due_soon_reviews": t.due_soon_reviews,
            "clock_stopped": t.clock_stopped,
        },
        "ageing": {"requests": dict(t.ageing), "internal_reviews": dict(t.ageing_reviews)},
        "by_department": [{"department": c.name, "department_slug": c.key, **counts_json(c)} for c in report.by_department],
        "by_officer": [
            {"assignee": c.name, "assignee_email": c.key if c.key != "none" else None, **counts_json(c)} for c in report.by_officer
        ],
        "overdue": [overdue_case_json(row) for row in report.overdue],
        "due_soon": [due_soon_case_json(row) for row in report.due_soon],
        "clock_stopped": [stopped_case_json(row) for row in report.clock_stopped],
        "truncated": report.truncated,
    }


STAGE_LABELS = {"initial": "Request", "internal_review": "Internal review"}
LIST_TITLES = {"overdue": "Overdue", "due_soon": "Due soon", "clock_stopped": "Clock stopped"}


def overdue_list_csv(report: OverdueReport) -> str:
    """The three lists of the page, one row per request, with the list it is in."""
    header = [
        "List",
        "Reference",
        "Title",
        "Law",
        "Stage",
        "Status",
        "Due date",
        "Working days overdue",
        "Working days left",
        "How late",
        "Waiting for",
        "Waiting since",
        "Lapses on",
        "Department",
        "Assigned to",
    ]
    rows: list[list[Any]] = []
    for kind, found in (("overdue", report.overdue), ("due_soon", report.due_soon), ("clock_stopped", report.clock_stopped)):
        for row in found:
            rows.append(
                [
                    LIST_TITLES[kind],
                    row.reference,
                    row.title,
                    row.regime.upper(),
                    STAGE_LABELS.get(row.stage, row.stage),
                    Status(row.status).label,
                    _iso(row.due_on) or "",
                    row.working_days if kind == "overdue" else "",
                    row.working_days if kind == "due_soon" else "",
                    _bucket_label(row.bucket) if kind == "overdue" else "",
                    ("fee" if row.status == Status.AWAITING_FEE else "clarification") if kind == "clock_stopped" else "",
                    _iso(row.stopped_since) or "",
                    _iso(row.lapses_on) or "",
                    row.department or "",
                    row.assignee or "",
                ]
            )
    return to_csv(header, rows)


SUMMARY_HEADER = [
    "Overdue",
    *(b.label.replace(" working days", "").replace(" to ", "–") + " days late" for b in AGEING_BUCKETS),
    "Reviews overdue",
    "Due soon",
    "Reviews due soon",
    "Clock stopped",
]


def summary_cells(counts: Counts) -> list[int]:
    return [
        counts.overdue,
        *(counts.ageing[b.key] for b in AGEING_BUCKETS),
        counts.overdue_reviews,
        counts.due_soon,
        counts.due_soon_reviews,
        counts.clock_stopped,
    ]


def overdue_summary_csv(report: OverdueReport) -> str:
    rows: list[list[Any]] = []
    for group, found in (("Department", report.by_department), ("Officer", report.by_officer)):
        rows.extend([group, c.name, *summary_cells(c)] for c in found)
    rows.append(["All requests", "All", *summary_cells(report.totals)])
    return to_csv(["Counted by", "Name", *SUMMARY_HEADER], rows)


def _bucket_label(key: str | None) -> str:
    return next((b.label for b in AGEING_BUCKETS if b.key == key), "")


# ============================================================================ timeliness: JSON


def row_json(row: Row, grouping: Grouping) -> TimelinessRowJson:
    days = row.days
    head: TimelinessRowHeadJson
    if grouping.is_period or row.key == "total":
        head = {"period": row.key, "label": row.label}
    else:
        head = {"department": row.label, "department_slug": row.key}
    if row.first_day and row.last_day:
        head.update({"from": row.first_day.isoformat(), "to": row.last_day.isoformat()})
    return {
        **head,
        "received": row.received,
        "responded": row.responded,
        "in_time": row.in_time,
        "in_time_extended": row.in_time_extended,
        "late": row.late,
        "timeliness_unknown": row.timeliness_unknown,
        "open": row.open,
        "open_overdue": row.open_overdue,
        "in_time_rate": row.in_time_rate,
        "outcomes": dict(row.outcomes),
        "withheld_by_reason": {
            "procedural": dict(row.procedural),
            "exemptions": dict(sorted(row.exemptions.items())),
        },
        "internal_reviews": dict(row.reviews),
        "working_days_to_respond": {"answers": days.count, "median": days.median, "mean": days.mean, "longest": days.longest},
    }


def timeliness_json(report: TimelinessReport) -> TimelinessReportJson:
    return {
        "from": report.date_from.isoformat(),
        "to": report.date_to.isoformat(),
        "group_by": report.grouping.value,
        "department": report.department,
        "as_of": report.as_of.isoformat(),
        "rows": [row_json(row, report.grouping) for row in report.rows],
        "total": row_json(report.total, report.grouping),
    }


# ============================================================================ timeliness: tables


@dataclass(frozen=True)
class Column:
    key: str  # a name for the column in code (the CSV heads it with its label)
    label: str  # the table header
    value: Callable[[Row], Any]
    numeric: bool = True


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    caption: str
    columns: tuple[Column, ...]


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def exemption_label(code: str) -> str:
    exemption = BY_CODE.get(code)
    if exemption is None:
        return code
    return f"{exemption.regime.value.upper()} {exemption.provision} {exemption.title}"


def _count(figures: str, key: str) -> Callable[[Row], int]:
    """The reader of one figure of a row (its outcomes, exemptions...), zero where it has none."""
    return lambda row: int(getattr(row, figures).get(key, 0))


def timeliness_sections(report: TimelinessReport) -> list[Section]:
    """The tables of the timeliness page, in order; the CSV export is these columns side by side."""
    outcomes = tuple(Column(f"outcome_{c.value}", c.label, _count("outcomes", c.value)) for c in InitialOutcome)
    procedural = tuple(Column(f"withheld_{p.value}", p.label, _count("procedural", p.value)) for p in ProceduralReason)
    exemptions = tuple(Column(f"exemption_{code}", exemption_label(code), _count("exemptions", code)) for code in report.exemption_codes)
    return [
        Section(
            "timeliness",
            "Timeliness",
            "Requests received, and how quickly they were answered",
            (
                Column("received", "Received", lambda r: r.received),
                Column("responded", "Answered", lambda r: r.responded),
                Column("in_time", "Within 20 working days", lambda r: r.in_time),
                Column("in_time_extended", "Within a permitted extension", lambda r: r.in_time_extended),
                Column("late", "Late", lambda r: r.late),
                Column("in_time_rate", "In time (%)", lambda r: _percent(r.in_time_rate)),
                Column("open", "Still open", lambda r: r.open),
                Column("open_overdue", "Of which past due", lambda r: r.open_overdue),
            ),
        ),
        Section(
            "days",
            "Working days to respond",
            "Working days from receipt to the answer, days waiting for a fee left out",
            (
                Column("answers_timed", "Answers", lambda r: r.days.count),
                Column("median_working_days", "Median", lambda r: _number(r.days.median)),
                Column("mean_working_days", "Mean", lambda r: _number(r.days.mean)),
                Column("longest_working_days", "Longest", lambda r: _number(r.days.longest)),
            ),
        ),
        Section("outcomes", "Initial outcomes", "How requests were first answered (Cabinet Office categories)", outcomes),
        Section(
            "withheld",
            "Withheld, by reason",
            "Procedural refusals, then each exemption or exception relied on (a request citing two counts under both)",
            procedural + exemptions,
        ),
        Section(
            "reviews",
            "Internal reviews",
            "Internal reviews of the requests received",
            (
                Column("reviews_received", "Requested", lambda r: r.reviews["received"]),
                Column("reviews_completed", "Completed", lambda r: r.reviews["completed"]),
                Column("reviews_completed_in_time", "Completed in time", lambda r: r.reviews["completed_in_time"]),
                *(Column(f"reviews_{o.value}", o.label, _count("reviews", o.value)) for o in ReviewOutcome),
                Column("reviews_open", "Still open", lambda r: r.reviews["open"]),
            ),
        ),
    ]


def group_header(report: TimelinessReport) -> str:
    return report.grouping.label


def timeliness_csv(report: TimelinessReport) -> str:
    sections = timeliness_sections(report)
    columns = [column for section in sections for column in section.columns]
    # each column headed as on the page; a heading two tables share (Still open) is named with its table's
    heads = [column.label for column in columns]
    sections_of = [section.title for section in sections for _ in section.columns]
    heads = [f"{title}: {head}" if heads.count(head) > 1 else head for title, head in zip(sections_of, heads, strict=True)]
    group_keys = ["Period", "From", "To"] if report.grouping.is_period else ["Department"]
    header = [*group_keys, *heads]
    rows = []
    for row in [*report.rows, report.total]:
        head = [row.label, _iso(row.first_day) or "", _iso(row.last_day) or ""] if report.grouping.is_period else [row.label]
        rows.append([*head, *(column.value(row) for column in columns)])
    return to_csv(header, rows)


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    # text a spreadsheet would run as a formula is written as text (a leading apostrophe)
    writer.writerows([("'" + value) if isinstance(value, str) and value[:1] in _FORMULA_STARTS else value for value in row] for row in rows)
    return buffer.getvalue()


_FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))


# ============================================================================ charts


def _pygal() -> Any:
    """pygal, without the legacy import hook it adds to sys.meta_path for its map plugins (unused
    here): that hook has no find_spec, so every later failed import warns (an error under tests)."""
    import pygal

    sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]
    return pygal


def _style() -> Any:
    _pygal()
    from pygal.style import Style

    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#0b0c0c",
        foreground_strong="#0b0c0c",
        foreground_subtle="#505a5f",
        font_family="Arial, Helvetica, sans-serif",
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        title_font_size=16,
        value_font_size=12,
        tooltip_font_size=13,
        opacity="1",
        opacity_hover="0.85",
        colors=("#00703c", "#1d70b8", "#d4351c", "#505a5f", "#f47738", "#4c2c92", "#b58840"),
        value_colors=("#ffffff",),
    )


def _accessible(svg: str, title: str, description: str, chart_id: str) -> str:
    """Names the picture for assistive technology (role img, title, desc) and drops pygal's
    decorative <title> duplicates; the same figures are in the tables below the chart."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    # pygal inlines its settings as a script for its optional tooltips: a picture needs none
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL)
    # and hover titles on every guide line and bar ("0.0714...") that would only be noise
    svg = re.sub(r"<title>[^<]*</title>", "", svg)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-labelledby="{title_id} {desc_id}" focusable="false"', svg, count=1)
    head = f'<title id="{title_id}">{_xml(title)}</title><desc id="{desc_id}">{_xml(description)}</desc>'
    return re.sub(r"(<svg\b[^>]*>)", r"\1" + head.replace("\\", "\\\\"), svg, count=1)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _config(chart: Any, title: str) -> None:
    chart.title = title
    chart.js = []  # no scripts from anywhere: the chart is a picture, the tables hold the figures
    chart.disable_xml_declaration = True
    chart.explicit_size = True
    chart.legend_at_bottom = True
    chart.print_values = False
    chart.show_y_guides = True
    chart.truncate_label = -1
    chart.truncate_legend = -1


def in_time_chart(report: TimelinessReport) -> str | None:
    """Answers in each period (or department) split into within 20 days, within an extension and
    late, as percentages of the answers: the height of the first two is the in-time rate."""
    rows = [row for row in report.rows if row.in_time + row.in_time_extended + row.late]
    if not rows:
        return None
    pygal = _pygal()
    chart = pygal.StackedBar(style=_style(), width=860, height=380, range=(0, 100), y_title="% of answers")
    grouping = "department" if not report.grouping.is_period else report.grouping.value
    _config(chart, f"Answered in time, by {grouping}")
    chart.x_labels = [row.label for row in rows]
    chart.x_label_rotation = 0 if len(rows) <= 8 else 35
    chart.value_formatter = lambda value: f"{value:.1f}%"

    def share(part: Callable[[Row], int]) -> list[float]:
        return [round(100 * part(row) / (row.in_time + row.in_time_extended + row.late), 1) for row in rows]

    chart.add("Within 20 working days", share(lambda r: r.in_time))
    chart.add("Within a permitted extension", share(lambda r: r.in_time_extended))
    chart.add("Late", share(lambda r: r.late))
    summary = "; ".join(f"{row.label}: {row.in_time_rate:.1f}% in time" for row in rows if row.in_time_rate is not None)
    return _accessible(
        chart.render(is_unicode=True),
        f"Answered in time, by {grouping}",
        f"Share of answers within 20 working days, within a permitted extension and late. {summary}.",
        "chart-in-time",
    )


def outcome_chart(report: TimelinessReport) -> str | None:
    """How the requests received in the period were first answered, whole period."""
    total = report.total
    if not total.received:
        return None
    pygal = _pygal()
    chart = pygal.HorizontalBar(style=_style(), width=860, height=360, x_title="Requests")
    _config(chart, "Initial outcomes")
    chart.show_legend = False
    chart.print_values = True
    # pygal draws the first label at the bottom: reversed, the list reads from the top as in the table
    chart.x_labels = [c.label for c in reversed(InitialOutcome)]
    chart.add("Requests", [total.outcomes[c.value] for c in reversed(InitialOutcome)])
    summary = "; ".join(f"{c.label}: {total.outcomes[c.value]}" for c in InitialOutcome)
    return _accessible(
        chart.render(is_unicode=True),
        "Initial outcomes of the requests received",
        f"Requests received from {spoken_date(report.date_from)} to {spoken_date(report.date_to)}, by initial outcome. {summary}.",
        "chart-outcomes",
    )


REGIME_CHOICES = [(r.value, r.value.upper()) for r in Regime]
