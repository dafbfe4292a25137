"""Acceptance: every figure of both reports matches a plain recomputation from the events.

A few thousand generated histories (bench.report_data: clarifications received, never received and
lapsed; fees paid and lapsed; public interest and EIR extensions notified in time and too late;
answers before, on and after their due dates; withdrawals; internal reviews in time and late) are
written the way the services would have stored them. Every figure of the overdue report and of the
timeliness report (several periods and groupings, whole months from the rollup and edge days counted
live) is then compared with a recomputation that walks the calendar day by day from the events and
the deadline engine. Then some requests move on through the real services, and the figures must
follow (the triggers mark their months, the rollup recounts them).
"""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import insert, select

from app.domain.deadlines import ClockEvent, ClockEventType, Stage, compute_deadline
from app.domain.lifecycle import CLOCK_EVENT_FOR_ACTION, Action, Status
from app.domain.regimes import Regime
from app.models import (
    Department,
    FoiRequest,
    Requester,
    RequestEvent,
    RequestExemption,
    User,
)
from app.services import requests as request_service
from app.services.deadlines import Calendars, compute_for
from app.services.reports.overdue import OverdueFilters, OverdueReport, overdue_report
from app.services.reports.timeliness import Row, TimelinessFilters, TimelinessReport, timeliness_report
from bench.report_data import (
    History,
    Step,
    exemption_codes,
    generate_histories,
    received_at,
    request_columns,
)
from tests.factories import Staff
from tests.services.reports.cases import act

TODAY = date(2026, 3, 18)  # a Wednesday
FIRST_DAY = date(2025, 1, 1)
COUNT = 2500
LONDON = ZoneInfo("Europe/London")
DEPARTMENTS = ["corporate", "environment", "housing", "schools"]
OFFICERS = ["ann@council.example", "bob@council.example", "cal@council.example"]
UNANSWERED = {Status.NEW, Status.IN_PROGRESS, Status.AWAITING_CLARIFICATION, Status.AWAITING_FEE, Status.AWAITING_APPROVAL}
OPEN = UNANSWERED | {Status.INTERNAL_REVIEW}
CALENDARS = Calendars(())


# ------------------------------------------------------------------ the plain recomputation


def working_days_in(regime: Regime, after: date, through: date, skip: tuple[tuple[date, date], ...] = ()) -> int:
    """Working days d with after < d <= through, one day at a time, leaving out the `skip` periods."""
    calendar = CALENDARS.for_regime(regime)
    n, day = 0, after + timedelta(days=1)
    while day <= through:
        if calendar.is_working_day(day) and not any(first <= day <= last for first, last in skip):
            n += 1
        day += timedelta(days=1)
    return n


def clock_events(steps: list[Step]) -> list[ClockEvent]:
    return [
        ClockEvent(ClockEventType(CLOCK_EVENT_FOR_ACTION[Action(s.action)]), s.on, s.details.get("working_days"))
        for s in steps
        if s.action in {a.value for a in CLOCK_EVENT_FOR_ACTION}
    ]


@dataclass
class Expected:
    """Everything the reports say about one request, worked out from its history."""

    history: History
    department: str | None
    assignee: str | None
    status: Status
    answered_on: date | None = None
    timeliness: str | None = None
    working_days: int | None = None
    outcome: str | None = None
    codes: list[str] = field(default_factory=list)
    lapsed_for_fee: bool = False
    review: str | None = None  # None, "open", "completed"
    review_outcome: str | None = None
    review_in_time: bool | None = None
    due_on: date | None = None  # current stage, while the clock runs
    stage: str = "initial"


def expect(history: History, departments: list[str]) -> Expected:
    regime, steps = history.regime, history.steps
    calendar = CALENDARS.for_regime(regime)
    review_at = next((i for i, s in enumerate(steps) if s.action == Action.REQUEST_INTERNAL_REVIEW), None)
    initial_steps = steps if review_at is None else steps[:review_at]
    found = Expected(history, departments[history.department] if history.department is not None else None, history.assignee, history.status)
    initial = compute_deadline(regime, Stage.INITIAL, history.received_on, clock_events(initial_steps), calendar)
    respond = next((s for s in steps if s.action == Action.RESPOND), None)
    if respond is not None:
        found.answered_on, found.outcome = respond.on, respond.details["outcome"]
        found.codes = list(respond.details["exemptions"])
        base, due = initial.original_due_on, initial.due_on
        assert base is not None and due is not None
        if respond.on <= base:
            found.timeliness = "in_time"
        elif respond.on <= due and due > base and "extension_notified_late" not in initial.flags:
            found.timeliness = "in_time_extended"
        else:
            found.timeliness = "late"
        found.working_days = working_days_in(regime, initial.effective_received_on, respond.on, initial.paused_periods)
    found.lapsed_for_fee = any(s.action == Action.LAPSE and s.from_status == Status.AWAITING_FEE for s in steps)
    if review_at is not None:
        requested = steps[review_at].on
        review_due = compute_deadline(regime, Stage.INTERNAL_REVIEW, requested, [], calendar).due_on
        completed = next((s for s in steps if s.action == Action.COMPLETE_INTERNAL_REVIEW), None)
        found.review = "completed" if completed else "open"
        if completed:
            found.review_outcome = completed.details["review_outcome"]
            found.review_in_time = completed.on <= review_due
        found.stage = "internal_review"
        found.due_on = review_due if history.status is Status.INTERNAL_REVIEW else None
    elif history.status in UNANSWERED:
        found.due_on = initial.due_on  # None while waiting for a fee or a clarification
    return found


# ------------------------------------------------------------------ the data


@dataclass
class World:
    expected: dict[str, Expected]  # by reference
    references: dict[int, str]  # history number -> reference
    department_ids: dict[str, int]


def reference_of(history: History) -> str:
    return f"{history.regime.reference_prefix}-T{history.number:06d}"


async def load(sessions: Any) -> World:
    histories = list(
        generate_histories(
            COUNT, first_day=FIRST_DAY, today=TODAY, seed=20_251_123, calendars=CALENDARS, departments=len(DEPARTMENTS), officers=OFFICERS
        )
    )
    async with sessions.write() as db:
        db.add_all(Department(slug=slug, name=slug.capitalize()) for slug in DEPARTMENTS)
        db.add_all(
            User(email=email, name=email.split("@")[0].capitalize(), role="officer", password_hash="x", is_active=True)
            for email in OFFICERS
        )
        db.add(Requester(name="Rosa Requester", email="rosa@example.org"))
        await db.commit()
        department_ids = {d.slug: d.id for d in await db.scalars(select(Department))}
        user_ids = {u.email: u.id for u in await db.scalars(select(User))}
        requester_id = await db.scalar(select(Requester.id))
        slugs = list(department_ids)
        requests, exemption_rows, events = [], [], []
        for h in histories:
            requests.append(
                {
                    "reference": reference_of(h),
                    "regime": h.regime.value,
                    "title": f"Request {h.number}",
                    "body": "Body",
                    "received_at": received_at(h.received_on),
                    "received_on": h.received_on,
                    "channel": "email",
                    "department_id": department_ids[slugs[h.department]] if h.department is not None else None,
                    "assignee_id": user_ids[h.assignee] if h.assignee else None,
                    "requester_id": requester_id,
                    "version": len(h.steps) + 1,
                    **request_columns(h, CALENDARS),
                }
            )
        connection = await db.connection()
        await connection.execute(insert(FoiRequest.__table__), requests)
        ids = {reference: request_id for reference, request_id in await db.execute(select(FoiRequest.reference, FoiRequest.id))}
        now = datetime.now(UTC)
        for h in histories:
            request_id = ids[reference_of(h)]
            exemption_rows.extend({"request_id": request_id, "code": code} for code in exemption_codes(h))
            events.append(
                {
                    "request_id": request_id,
                    "action": "log",
                    "from_status": None,
                    "to_status": "new",
                    "occurred_on": h.received_on,
                    "recorded_at": now,
                    "details": {},
                    "imported": False,
                }
            )
            events.extend(
                {
                    "request_id": request_id,
                    "action": s.action,
                    "from_status": s.from_status,
                    "to_status": s.to_status,
                    "occurred_on": s.on,
                    "recorded_at": now,
                    "details": s.details,
                    "imported": False,
                }
                for s in h.steps
            )
        if exemption_rows:
            await connection.execute(insert(RequestExemption.__table__), exemption_rows)
        await connection.execute(insert(RequestEvent.__table__), events)
        await db.commit()
    return World(
        {reference_of(h): expect(h, DEPARTMENTS) for h in histories},
        {h.number: reference_of(h) for h in histories},
        department_ids,
    )


def the_mix_is_rich(world: World) -> None:
    """The data set has every kind of case the acceptance names (else the comparison proves little)."""
    found = list(world.expected.values())
    actions = Counter(s.action for e in found for s in e.history.steps)
    for action in Action:
        if action not in {Action.NOTE}:
            assert actions[action.value] > 0, f"no {action.value} in the generated histories"
    timeliness = Counter(e.timeliness for e in found)
    assert min(timeliness["in_time"], timeliness["in_time_extended"], timeliness["late"]) > 20, timeliness
    assert sum(1 for e in found if e.timeliness == "late" and "extension_notified_late" in _flags(e)) > 5
    assert sum(1 for e in found if e.answered_on and e.answered_on == _base_due(e)) > 20  # answered on the due date
    assert sum(1 for e in found if e.status in (Status.AWAITING_FEE, Status.AWAITING_CLARIFICATION)) > 5
    assert sum(1 for e in found if e.due_on and e.due_on < TODAY) > 20  # overdue now
    assert sum(1 for e in found if e.lapsed_for_fee) > 5
    assert sum(1 for e in found if e.review == "open") > 3
    assert sum(1 for e in found if e.review_in_time is False) > 5
    assert {e.history.regime for e in found} == set(Regime)


def _initial(e: Expected) -> Any:
    steps = e.history.steps
    review_at = next((i for i, s in enumerate(steps) if s.action == Action.REQUEST_INTERNAL_REVIEW), len(steps))
    return compute_deadline(
        e.history.regime, Stage.INITIAL, e.history.received_on, clock_events(steps[:review_at]), CALENDARS.for_regime(e.history.regime)
    )


def _flags(e: Expected) -> tuple[str, ...]:
    return _initial(e).flags


def _base_due(e: Expected) -> date | None:
    return _initial(e).original_due_on


# ------------------------------------------------------------------ the overdue report, recomputed


def check_overdue(report: OverdueReport, world: World, filters: dict[str, Any]) -> None:
    chosen = [
        e
        for e in world.expected.values()
        if e.status in OPEN
        and (filters.get("department") is None or e.department == filters["department"])
        and (filters.get("assignee") is None or e.assignee == filters["assignee"])
        and (filters.get("regime") is None or e.history.regime.value == filters["regime"])
    ]
    overdue = [e for e in chosen if e.due_on is not None and e.due_on < TODAY]
    soon = [e for e in chosen if e.due_on is not None and e.due_on >= TODAY and working_days_in(e.history.regime, TODAY, e.due_on) <= 5]
    stopped = [e for e in chosen if e.status in (Status.AWAITING_FEE, Status.AWAITING_CLARIFICATION)]
    assert all(e.due_on is None for e in stopped)  # never overdue: no due date at all

    def bucket(days: int) -> str:
        return "1-5" if days <= 5 else "6-20" if days <= 20 else "21-40" if days <= 40 else "over-40"

    days_overdue = {reference_of(e.history): working_days_in(e.history.regime, e.due_on, TODAY) for e in overdue}  # type: ignore[arg-type]
    t = report.totals
    assert t.overdue == sum(1 for e in overdue if e.stage == "initial")
    assert t.overdue_reviews == sum(1 for e in overdue if e.stage == "internal_review")
    assert t.due_soon == sum(1 for e in soon if e.stage == "initial")
    assert t.due_soon_reviews == sum(1 for e in soon if e.stage == "internal_review")
    assert t.clock_stopped == len(stopped)
    for stage, ageing in (("initial", t.ageing), ("internal_review", t.ageing_reviews)):
        assert ageing == {
            key: sum(1 for e in overdue if e.stage == stage and bucket(days_overdue[reference_of(e.history)]) == key)
            for key in ("1-5", "6-20", "21-40", "over-40")
        }

    # by department and by officer: the same counts per group
    for groups, attribute, nobody in ((report.by_department, "department", "none"), (report.by_officer, "assignee", "none")):
        expected_groups: dict[str, Counter[str]] = defaultdict(Counter)
        for kind, found in (("overdue", overdue), ("soon", soon), ("stopped", stopped)):
            for e in found:
                key = getattr(e, attribute) or nobody
                expected_groups[key][kind + ("_review" if e.stage == "internal_review" and kind != "stopped" else "")] += 1
        actual = {
            c.key: Counter(
                {
                    "overdue": c.overdue,
                    "overdue_review": c.overdue_reviews,
                    "soon": c.due_soon,
                    "soon_review": c.due_soon_reviews,
                    "stopped": c.clock_stopped,
                }
            )
            for c in groups
        }
        assert {k: +v for k, v in actual.items()} == {k: +v for k, v in expected_groups.items()}

    # the lists: every request, its working days, its bucket (the limit is above the counts here)
    assert {row.reference: row.working_days for row in report.overdue} == days_overdue
    assert {row.reference: row.bucket for row in report.overdue} == {k: bucket(v) for k, v in days_overdue.items()}
    assert [row.due_on for row in report.overdue] == sorted(row.due_on for row in report.overdue)  # oldest first
    assert {row.reference: row.working_days for row in report.due_soon} == {
        reference_of(e.history): working_days_in(e.history.regime, TODAY, e.due_on)
        for e in soon  # type: ignore[arg-type]
    }
    assert {row.reference: row.stage for row in report.overdue + report.due_soon} == {
        reference_of(e.history): e.stage for e in overdue + soon
    }
    assert {row.reference for row in report.clock_stopped} == {reference_of(e.history) for e in stopped}
    for row in report.clock_stopped:
        e = world.expected[row.reference]
        stop = [s for s in e.history.steps if s.action in (Action.REQUEST_CLARIFICATION, Action.ISSUE_FEE_NOTICE)][-1]
        assert row.stopped_since == stop.on
        assert row.stopped_reason == ("awaiting fee" if e.status is Status.AWAITING_FEE else "awaiting clarification")


# ------------------------------------------------------------------ the timeliness report, recomputed


def figures(found: list[Expected]) -> dict[str, Any]:
    answered = [e for e in found if e.answered_on]
    days = [e.working_days for e in answered if e.working_days is not None]
    categories = Counter()
    for e in found:
        if e.status in (Status.WITHDRAWN, Status.LAPSED):
            categories["lapsed_or_withdrawn"] += 1
        elif e.outcome is None:
            categories["not_yet_processed"] += 1
        else:
            categories[
                {
                    "granted_in_full": "granted_in_full",
                    "granted_in_part": "withheld_in_part",
                    "refused_in_full": "withheld_in_full",
                    "neither_confirm_nor_deny": "withheld_in_full",
                    "refused_cost": "withheld_in_full",
                    "refused_vexatious": "withheld_in_full",
                    "refused_repeated": "withheld_in_full",
                    "not_held": "not_held",
                    "advice_and_assistance": "advice_and_assistance",
                }[e.outcome]
            ] += 1
    reviewed = [e for e in found if e.review]
    return {
        "received": len(found),
        "responded": len(answered),
        "in_time": sum(1 for e in answered if e.timeliness == "in_time"),
        "in_time_extended": sum(1 for e in answered if e.timeliness == "in_time_extended"),
        "late": sum(1 for e in answered if e.timeliness == "late"),
        "timeliness_unknown": 0,
        "open": sum(1 for e in found if e.status in UNANSWERED),
        "open_overdue": sum(1 for e in found if e.status in UNANSWERED and e.due_on is not None and e.due_on < TODAY),
        "outcomes": {
            k: categories[k]
            for k in (
                "granted_in_full",
                "withheld_in_part",
                "withheld_in_full",
                "not_yet_processed",
                "not_held",
                "advice_and_assistance",
                "lapsed_or_withdrawn",
            )
        },
        "procedural": {
            "s12_cost_limit": sum(1 for e in answered if e.outcome == "refused_cost"),
            "s14_vexatious": sum(1 for e in answered if e.outcome == "refused_vexatious"),
            "s14_repeated": sum(1 for e in answered if e.outcome == "refused_repeated"),
            "fee_not_paid": sum(1 for e in found if e.lapsed_for_fee),
        },
        "exemptions": dict(Counter(code for e in answered for code in e.codes)),
        "reviews": {
            "received": len(reviewed),
            "completed": sum(1 for e in reviewed if e.review == "completed"),
            "completed_in_time": sum(1 for e in reviewed if e.review_in_time),
            "upheld": sum(1 for e in reviewed if e.review_outcome == "upheld"),
            "overturned": sum(1 for e in reviewed if e.review_outcome == "overturned"),
            "partly_overturned": sum(1 for e in reviewed if e.review_outcome == "partly_overturned"),
            "open": sum(1 for e in reviewed if e.review == "open"),
        },
        "median": statistics.median(days) if days else None,
        "mean": round(statistics.mean(days), 1) if days else None,
        "longest": max(days) if days else None,
    }


def actual(row: Row) -> dict[str, Any]:
    days = row.days
    return {
        "received": row.received,
        "responded": row.responded,
        "in_time": row.in_time,
        "in_time_extended": row.in_time_extended,
        "late": row.late,
        "timeliness_unknown": row.timeliness_unknown,
        "open": row.open,
        "open_overdue": row.open_overdue,
        "outcomes": dict(row.outcomes),
        "procedural": dict(row.procedural),
        "exemptions": {k: v for k, v in row.exemptions.items() if v},
        "reviews": dict(row.reviews),
        "median": days.median,
        "mean": days.mean,
        "longest": days.longest,
    }


def check_timeliness(
    report: TimelinessReport, world: World, date_from: date, date_to: date, group_by: str, department: str | None = None
) -> None:
    chosen = [
        e
        for e in world.expected.values()
        if date_from <= e.history.received_on <= date_to and (department is None or e.department == department)
    ]
    groups: dict[str, list[Expected]] = defaultdict(list)
    for e in chosen:
        day = e.history.received_on
        key = {
            "month": f"{day.year}-{day.month:02d}",
            "quarter": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
            "year": str(day.year),
            "department": e.department or "none",
        }[group_by]
        groups[key].append(e)
    rows = {row.key: row for row in report.rows}
    for key, found in groups.items():
        assert actual(rows[key]) == figures(found), f"{group_by} {key}"
    for key, row in rows.items():
        if key not in groups:
            assert row.received == 0 and row.responded == 0, key
    assert actual(report.total) == figures(chosen)


PERIODS = [
    (FIRST_DAY, TODAY, "month", None),
    (FIRST_DAY, TODAY, "quarter", None),
    (FIRST_DAY, TODAY, "year", None),
    (FIRST_DAY, TODAY, "department", None),
    (date(2025, 4, 17), date(2025, 11, 9), "month", None),  # starts and ends mid-month: edges counted live
    (date(2025, 2, 3), date(2026, 2, 27), "quarter", "environment"),
    (date(2025, 6, 1), date(2025, 6, 30), "department", None),  # one whole month, from the rollup only
    (date(2026, 3, 2), date(2026, 3, 12), "department", "housing"),  # days of one month, live only
]


async def check_everything(sessions: Any, world: World) -> None:
    async with sessions.read() as db:
        check_overdue(await overdue_report(db, OverdueFilters(limit=1000), TODAY), world, {})
        for filters in ({"department": "housing"}, {"assignee": OFFICERS[1]}, {"regime": "foisa"}):
            found = await overdue_report(db, OverdueFilters(limit=1000, **filters), TODAY)
            check_overdue(found, world, filters)
    # the timeliness report recounts the stale months itself, before its session's first read
    # (app.services.reports.rollup.refresh_before_reading): a session of its own, as a page has
    async with sessions.read() as db:
        for date_from, date_to, group_by, department in PERIODS:
            report = await timeliness_report(
                db, TimelinessFilters(date_from=date_from, date_to=date_to, group_by=group_by, department=department), TODAY
            )
            check_timeliness(report, world, date_from, date_to, group_by, department)


def _may_lapse_today(h: Any) -> bool:
    """Unpaid long enough: a request lapses only from the date the deadline engine gives."""
    lapses_on = compute_for(h.regime, h.received_on, h.events, CALENDARS).lapses_on
    return lapses_on is not None and lapses_on <= TODAY


async def test_every_figure_matches_a_recomputation_from_the_events(sessions: Any) -> None:
    world = await load(sessions)
    the_mix_is_rich(world)
    await check_everything(sessions, world)

    # requests move on through the real services; the reports follow
    async with sessions.read() as db:
        users = {u.email: u for u in await db.scalars(select(User))}
    moved = 0
    with time_machine.travel(datetime(2026, 3, 18, 12, 0, tzinfo=UTC), tick=False):
        for e in sorted(world.expected.values(), key=lambda e: e.history.number):
            if moved >= 12:
                break
            h, reference = e.history, reference_of(e.history)
            if e.status in (Status.NEW, Status.IN_PROGRESS) and h.received_on >= date(2026, 1, 1):
                code = {Regime.FOIA: "FOIA-s40", Regime.EIR: "EIR-r13", Regime.FOISA: "FOISA-s38", Regime.EISR: "EISR-r11"}[h.regime]
                step = ("respond", {"outcome": "granted_in_part", "exemptions": [code], "response": "Here."})
            elif e.status is Status.AWAITING_FEE and _may_lapse_today(h):
                step = ("lapse", {})
            elif e.status is Status.INTERNAL_REVIEW:
                step = ("complete_internal_review", {"review_outcome": "overturned"})
            else:
                continue
            async with sessions.write.begin() as db:
                before = Status(await db.scalar(select(FoiRequest.status).where(FoiRequest.reference == reference)))
                updated = await request_service.apply_action(
                    db,
                    reference,
                    action=step[0],
                    params=dict(step[1]),
                    actor=users[OFFICERS[0]],
                    zone=LONDON,
                    on=TODAY,
                )
                details = {**step[1]}
                if step[0] == "respond":
                    details["exemptions"] = list(step[1]["exemptions"])
                h.steps.append(Step(step[0], TODAY, details, before.value, updated.status))
                h.status = Status(updated.status)
            world.expected[reference] = expect(h, DEPARTMENTS)
            moved += 1
    assert moved == 12
    await check_everything(sessions, world)


def test_the_generator_only_writes_what_the_lifecycle_allows() -> None:
    # (the generator plans every step through plan_action: each step starts where the last ended)
    for history in generate_histories(
        COUNT, first_day=FIRST_DAY, today=TODAY, seed=20_251_123, calendars=CALENDARS, departments=len(DEPARTMENTS), officers=OFFICERS
    ):
        status = Status.NEW
        for step in history.steps:
            assert step.from_status == status.value
            status = Status(step.to_status)
            assert history.received_on <= step.on <= TODAY
        assert status is history.status


@pytest.mark.usefixtures("frozen")
async def test_the_benchmark_s_fast_path_stores_what_the_services_store(sessions: Any, staff: Staff) -> None:
    """Histories replayed through create_request and apply_action leave exactly the columns that
    bench.report_data.request_columns computes (the brute-force test and the benchmark rely on it)."""
    calendars = Calendars(())
    officers = [staff.officer.email, staff.other_officer.email]
    histories = list(
        generate_histories(400, first_day=date(2025, 1, 1), today=TODAY, seed=7, calendars=calendars, departments=2, officers=officers)
    )
    rng = random.Random(3)
    kinds = {
        "extended": [h for h in histories if any(s.action in ("extend_pit", "extend_eir") for s in h.steps)],
        "fee": [h for h in histories if any(s.action == "issue_fee_notice" for s in h.steps)],
        "clarification": [h for h in histories if any(s.action == "request_clarification" for s in h.steps)],
        "review": [h for h in histories if any(s.action == "request_internal_review" for s in h.steps)],
        "plain": histories,
    }
    chosen = {h.number: h for found in kinds.values() for h in rng.sample(found, min(6, len(found)))}
    slugs = ["corporate-services", "environment-and-highways"]
    compared = [
        "status",
        "outcome",
        "responded_on",
        "deadline_stage",
        "due_on",
        "original_due_on",
        "working_days_limit",
        "clock_stopped",
        "clock_state",
        "deadline_flags",
        "response_due_on",
        "response_base_due_on",
        "extension_late",
        "response_working_days",
        "review_requested_on",
        "review_due_on",
        "review_completed_on",
        "review_outcome",
    ]
    for history in chosen.values():
        async with sessions.write.begin() as db:
            created = await request_service.create_request(
                db,
                request_service.NewRequest(
                    regime=history.regime.value,
                    title=f"History {history.number}",
                    body="Body",
                    received_on=history.received_on,
                    requester=request_service.RequesterDetails(name="Rosa Requester", email="rosa@example.org"),
                    department=slugs[history.department] if history.department is not None else None,
                ),
                staff.officer,
                LONDON,
            )
        for step in history.steps:
            params = dict(step.details)
            params.pop("assignee_name", None)
            if step.action in ("approve", "return_for_changes"):  # a second person's check: a manager's
                async with sessions.write.begin() as db:
                    await request_service.apply_action(
                        db,
                        created.reference,
                        action=step.action,
                        params=params,
                        actor=staff.manager,
                        zone=LONDON,
                        on=step.on,
                        note="Say why the exemption applies." if step.action == "return_for_changes" else None,
                    )
                continue
            await act(sessions, staff, created.reference, step.action, step.on, **params)
        async with sessions.read() as db:
            stored = await db.scalar(select(FoiRequest).where(FoiRequest.reference == created.reference))
            codes = set(await db.scalars(select(RequestExemption.code).where(RequestExemption.request_id == stored.id)))
        expected = request_columns(history, calendars)
        assert {name: getattr(stored, name) for name in compared} == {name: expected[name] for name in compared}, history
        respond = next((s for s in history.steps if s.action == "respond"), None)
        assert codes == set(respond.details["exemptions"] if respond else [])
