"""What the reports share (app.services.reports.common): titles shown without the requester's personal data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.services import requests as service
from tests.factories import Staff
from tests.services.reports.cases import LONDON, overdue


@pytest.mark.usefixtures("frozen")
async def test_titles_in_reports_never_carry_the_requester_s_name(sessions: Any, staff: Staff) -> None:
    async with sessions.write.begin() as db:
        created = await service.create_request(
            db,
            service.NewRequest(
                regime="foia",
                title="Complaint by Rosa Requester about bins",
                body="Body",
                received_on=date(2025, 11, 3),
                requester=service.RequesterDetails(name="Rosa Requester", email="rosa@example.org"),
            ),
            staff.officer,
            LONDON,
        )
    report = await overdue(sessions)
    row = next(r for r in report.overdue if r.reference == created.reference)
    assert "Rosa" not in row.title and "[redacted]" in row.title


@pytest.mark.parametrize(
    "title",
    [
        "Complaint by Rosa Requester",
        "Letter from R. Requester",
        "Dear Ms Requester",
        "Reply to RA Requester",
        "Mail to rosa.r@example.org",
        "From rosa.r about bins",
        "Bins at 1 High Street",
        "Flats, Anytown AB1 2CD",
        "Postcode ab12cd",
        "Nothing personal here",
    ],
)
def test_the_quick_test_before_redaction_never_skips_a_title_that_needs_it(title: str) -> None:
    from app.domain.redaction import PersonalData, may_need_redaction, redact

    person = PersonalData("Rosa Ann Requester", "rosa.r@example.org", "1 High Street\nAnytown AB1 2CD")
    if redact(title, person) != title:
        assert may_need_redaction(title, person), title
