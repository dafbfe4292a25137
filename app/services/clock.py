"""Today's date in the authority's time zone; one place to read the clock, so tests can freeze it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_in(zone: ZoneInfo) -> date:
    return now_utc().astimezone(zone).date()


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day on which `moment` falls in the authority's zone (the date of receipt)."""
    return moment.astimezone(zone).date()
