"""The publication review as a use case, on both engines: publishing refused while anything is
undecided or when a scheduled time is past, every refusal leaving the database as it was."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from app.domain.errors import InvalidInput
from app.models import FoiRequest, PublicTextEdit, RequestEvent, SuspicionReview
from app.services import publication
from app.services import publication_review as review_service
from app.services import requests as request_service
from app.services.errors import Conflict
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


async def _answered(sessions, staff: Staff) -> str:
    async with sessions.write.begin() as db:
        created = await request_service.create_request(
            db,
            request_service.NewRequest(
                regime="foia",
                title="Parking permits issued on Hill Street",
                body="Dear Aoife,\nMr Carberry says 1,204 permits were issued. My account number is 40016892.\nRegards, Aoife Ní Bhraonáin",
                received_on=datetime(2025, 10, 1).date(),
                requester=request_service.RequesterDetails(name="Aoife Ní Bhraonáin", email="aoife.nb@example.ie"),
            ),
            staff.officer,
            LONDON,
        )
    async with sessions.write.begin() as db:
        await request_service.apply_action(
            db,
            created.reference,
            action="respond",
            actor=staff.officer,
            zone=LONDON,
            on=datetime(2025, 10, 20).date(),
            params={"outcome": "granted_in_full", "response": "1,204 permits were issued in 2024."},
        )
    return created.reference


async def _snapshot(sessions, reference: str) -> tuple:
    async with sessions.read() as db:
        request = await db.scalar(select(FoiRequest).where(FoiRequest.reference == reference))
        events = await db.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.request_id == request.id))
        edits = await db.scalar(select(func.count()).select_from(PublicTextEdit).where(PublicTextEdit.request_id == request.id))
        reviews = await db.scalar(select(func.count()).select_from(SuspicionReview).where(SuspicionReview.request_id == request.id))
        return (request.publication_state, request.version, request.public_title, request.publish_at, events, edits, reviews)


@time_machine.travel(NOW, tick=False)
async def test_publishing_waits_for_every_suspicion_and_refusals_change_nothing(sessions, staff: Staff) -> None:
    reference = await _answered(sessions, staff)
    async with sessions.read() as db:
        review = (await review_service.inputs_for(db, reference)).review()
    assert review.public("body").startswith("Dear [redacted],") and review.public("body").endswith("Regards, [redacted]")
    left = {s.text: s for s in review.unreviewed}
    assert {"Mr Carberry", "40016892"} <= set(left), left
    before = await _snapshot(sessions, reference)

    async with sessions.write() as db:
        with pytest.raises(Conflict, match=r"not reviewed: .*Mr Carberry"):
            await publication.publish(db, reference, actor=staff.officer, zone=LONDON, summary="Permits issued in 2024.")
    assert await _snapshot(sessions, reference) == before  # not even the summary was kept

    async with sessions.write() as db:
        with pytest.raises(InvalidInput) as bad:
            await review_service.update_review(
                db,
                reference,
                fields={"summary": "Permits."},
                redact=[left["Mr Carberry"].id, "0123456789ab"],
                actor=staff.officer,
            )
    assert bad.value.field == "redact" and "0123456789ab" in bad.value.message
    assert await _snapshot(sessions, reference) == before

    async with sessions.write.begin() as db:
        await review_service.update_review(
            db,
            reference,
            redact=[s.id for s in review.unreviewed if s.text != "40016892"],
            accept=[left["40016892"].id],
            actor=staff.officer,
        )
    async with sessions.write() as db:
        with pytest.raises(InvalidInput) as past:
            await publication.publish(db, reference, actor=staff.officer, zone=LONDON, at=datetime(2025, 11, 20, 9, 59))
    assert past.value.field == "at" and "20 November 2025 at 09:59 is in the past (it is now 20 November 2025, 10:00)" in past.value.message
    async with sessions.write() as db:
        with pytest.raises(InvalidInput, match="more than a year ahead: check the year"):
            await publication.publish(db, reference, actor=staff.officer, zone=LONDON, at=datetime(9999, 12, 31, 9, 0))
    after_review = await _snapshot(sessions, reference)
    assert after_review[:5] == before[:5]

    async with sessions.write.begin() as db:
        await publication.publish(db, reference, actor=staff.officer, zone=LONDON)
    async with sessions.read() as db:
        request = await db.scalar(select(FoiRequest).where(FoiRequest.reference == reference))
    assert request.publication_state == "published"
    assert "Carberry" not in request.public_body and "Aoife" not in request.public_body and "40016892" in request.public_body
    assert request.body.startswith("Dear Aoife")  # the record itself is whole
