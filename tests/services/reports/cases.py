"""Requests logged and moved on through the real services, for the reports' tests (on the clock of conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.models import FoiRequest
from app.services import requests as service
from app.services.reports.overdue import OverdueFilters, OverdueReport, overdue_report
from app.services.reports.timeliness import TimelinessFilters, TimelinessReport, timeliness_report
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)  # Wednesday 18 March 2026
TODAY = NOW.date()
RESPOND = {"outcome": "granted_in_full", "exemptions": [], "response": "Here it is."}


async def new_request(sessions: Any, staff: Staff, received_on: date, regime: str = "foia", department: str = "corporate-services") -> str:
    async with sessions.write.begin() as db:
        created = await service.create_request(
            db,
            service.NewRequest(
                regime=regime,
                title="Pothole repairs on Elm Road",
                body="Please send the figures.",
                received_on=received_on,
                department=department,
                requester=service.RequesterDetails(name="Rosa Requester", email="rosa@example.org"),
                assignee=staff.officer.email,
            ),
            staff.officer,
            LONDON,
        )
        return created.reference


async def act(sessions: Any, staff: Staff, reference: str, action: str, on: date, **params: Any) -> FoiRequest:
    async with sessions.write.begin() as db:
        return await service.apply_action(db, reference, action=action, params=params, actor=staff.officer, zone=LONDON, on=on)


async def overdue(sessions: Any, as_of: date = TODAY) -> OverdueReport:
    async with sessions.read() as db:
        return await overdue_report(db, OverdueFilters(limit=100), as_of)


async def timeliness(sessions: Any, **filters: Any) -> TimelinessReport:
    """The report as a page reads it: in a session of its own, the rollup brought up to date by the report."""
    async with sessions.read() as db:
        return await timeliness_report(db, TimelinessFilters(**filters), TODAY)
