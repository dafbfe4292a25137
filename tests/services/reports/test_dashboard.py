"""The managers' dashboard (app.services.reports.dashboard): open work now, and this quarter's
figures from the rollup, which it brings up to date itself."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.services.reports.dashboard import dashboard
from tests.factories import Staff
from tests.services.reports.cases import RESPOND, TODAY, act, new_request

pytestmark = pytest.mark.usefixtures("frozen")


async def test_the_dashboard_counts_what_changed_without_a_refresh_by_its_caller(sessions: Any, staff: Staff) -> None:
    answered = await new_request(sessions, staff, date(2026, 1, 5))  # due Mon 2 Feb 2026
    await act(sessions, staff, answered, "respond", date(2026, 1, 20), **RESPOND)
    await new_request(sessions, staff, date(2026, 1, 12))  # due Mon 9 Feb: overdue
    await new_request(sessions, staff, date(2025, 11, 3))  # last quarter, overdue

    async with sessions.read() as db:
        board = await dashboard(db, TODAY)
    assert (board.open_requests, board.overdue, board.overdue_reviews, board.clock_stopped) == (2, 2, 0, 0)
    # January and February are whole months: their figures come from the rollup
    assert (board.this_quarter.received, board.this_quarter.responded, board.this_quarter.in_time) == (2, 1, 1)
    assert (board.last_quarter.received, board.last_quarter.open) == (1, 1)
    assert [row.due_on for row in board.oldest_overdue] == [date(2025, 12, 2), date(2026, 2, 9)]
