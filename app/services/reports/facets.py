"""Facets: requests counted by the month they were received, per department, one count per value of
each thing the timeliness report asks about (status, outcome, timeliness, review, working days,
exemption, fee not paid).

The rollup keeps these counts for whole months (app.services.reports.rollup); the timeliness
report counts the days at either edge of a period live with the same function. The classification
rules are app.domain.timeliness's, written once more here as SQL conditions and checked against the
domain by the tests.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, exists, func, literal, not_, select

from app.domain.lifecycle import Action, Status
from app.domain.timeliness import Timeliness
from app.models import FoiRequest, RequestExemption
from app.models.base import table
from app.models.report import NO_DEPARTMENT
from app.services.reports.common import E, R, X

FACET_STATUS = "status"
FACET_OUTCOME = "outcome"
FACET_TIMELINESS = "timeliness"
FACET_REVIEW = "review"  # "open" or "completed"
FACET_REVIEW_OUTCOME = "review_outcome"
FACET_REVIEW_TIMING = "review_timing"  # "in_time" or "late"
FACET_FEE = "fee_not_paid"
FACET_DAYS = "days"
FACET_EXEMPTION = "exemption"
UNKNOWN = "unknown"

Facets = dict[tuple[int, str], Counter[tuple[str, str]]]  # (department id or 0, month) -> (facet, key) -> n


def month_expression(dialect: str, column: Any = None) -> ColumnElement[str]:
    column = R.received_on if column is None else column
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM", type_=String)
    return func.substr(column, 1, 7, type_=String)  # SQLite keeps dates as YYYY-MM-DD text


def _timeliness_expression() -> ColumnElement[str]:
    """app.domain.timeliness.classify_response, as SQL over the initial stage's facts."""
    base = func.coalesce(R.response_base_due_on, R.response_due_on)
    due = func.coalesce(R.response_due_on, R.response_base_due_on)
    return case(
        (R.responded_on.is_(None), ""),
        (base.is_(None), UNKNOWN),
        (R.responded_on <= base, Timeliness.IN_TIME.value),
        (and_(due > base, not_(R.extension_late), R.responded_on <= due), Timeliness.IN_TIME_EXTENDED.value),
        else_=Timeliness.LATE.value,
    )


def _review_timing_expression() -> ColumnElement[str]:
    """app.domain.timeliness.review_in_time, as SQL."""
    return case(
        (R.review_completed_on.is_(None), ""),
        (R.review_due_on.is_(None), UNKNOWN),
        (R.review_completed_on <= R.review_due_on, "in_time"),
        else_="late",
    )


async def count_facets(executor: Any, dialect: str, date_from: date, date_to: date, department_id: int | None = None) -> Facets:
    """The facets of the requests received from `date_from` to `date_to`, by department and month,
    counted from the requests themselves (four GROUP BY statements)."""
    month = month_expression(dialect).label("month")
    department = func.coalesce(R.department_id, NO_DEPARTMENT).label("department")
    conditions: list[Any] = [R.received_on >= date_from, R.received_on <= date_to]
    if department_id is not None:
        # "+ 0": the date range is the selective part, never a department's whole history
        # (and no department as an expression too: "IS NULL" would pick the department index)
        conditions.append(func.coalesce(R.department_id, NO_DEPARTMENT) + 0 == department_id)
    timeliness = _timeliness_expression().label("timeliness")
    review_timing = _review_timing_expression().label("review_timing")
    reviewed = case((R.review_requested_on.is_(None), 0), else_=1).label("reviewed")
    facets: Facets = defaultdict(Counter)

    combos = await executor.execute(
        select(month, department, R.status, R.outcome, timeliness, reviewed, R.review_outcome, review_timing, func.count())
        .where(*conditions)
        .group_by(month, department, R.status, R.outcome, timeliness, reviewed, R.review_outcome, review_timing)
    )
    for row_month, row_department, status, outcome, in_time, was_reviewed, review_outcome, timing, n in combos:
        counts = facets[(row_department, row_month)]
        counts[(FACET_STATUS, status)] += n
        if in_time:
            counts[(FACET_TIMELINESS, in_time)] += n
            if outcome:
                counts[(FACET_OUTCOME, outcome)] += n
        if was_reviewed:
            counts[(FACET_REVIEW, "completed" if timing else "open")] += n
        if review_outcome:
            counts[(FACET_REVIEW_OUTCOME, review_outcome)] += n
        if timing:
            counts[(FACET_REVIEW_TIMING, timing)] += n

    days = await executor.execute(
        select(month, department, R.response_working_days, func.count())
        .where(*conditions, R.responded_on.is_not(None), R.response_working_days.is_not(None))
        .group_by(month, department, R.response_working_days)
    )
    for row_month, row_department, working_days, n in days:
        facets[(row_department, row_month)][(FACET_DAYS, str(working_days))] += n

    if dialect == "postgresql":
        # a lateral lookup per answered request: PostgreSQL would otherwise hash the whole
        # exemptions table to join a few thousand requests (OFFSET 0 keeps it from flattening)
        found = select(X.code.label("code")).where(X.request_id == R.id).offset(0).lateral("found")
        code = found.c.code
        source: Any = table(FoiRequest).join(found, literal(True))
    else:
        code = X.code
        source = table(FoiRequest).join(table(RequestExemption), X.request_id == R.id)
    codes = await executor.execute(
        select(month, department, code, func.count())
        .select_from(source)
        .where(*conditions, R.responded_on.is_not(None))
        .group_by(month, department, code)
    )
    for row_month, row_department, exemption, n in codes:
        facets[(row_department, row_month)][(FACET_EXEMPTION, exemption)] += n

    # lapsed while a fee was outstanding: the lapse event says from which state (OFFSET 0 keeps
    # PostgreSQL to an index lookup per lapsed request rather than a pass over every event)
    lapsed_for_fee = exists(
        select(E.id).where(E.request_id == R.id, E.action == Action.LAPSE.value, E.from_status == Status.AWAITING_FEE.value).offset(0)
    )
    # "|| ''" keeps the planner on the date range: lapsed requests of every year are many more
    fees = await executor.execute(
        select(month, department, func.count())
        .where(*conditions, (R.status + "") == Status.LAPSED.value, lapsed_for_fee)
        .group_by(month, department)
    )
    for row_month, row_department, n in fees:
        facets[(row_department, row_month)][(FACET_FEE, "fee")] += n
    return facets


def month_first(month: str) -> date:
    """The first day of a month written YYYY-MM."""
    return date(int(month[:4]), int(month[5:7]), 1)
