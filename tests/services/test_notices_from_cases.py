"""Every notice drafted from a real, dated case under each law, through the steps that send them: the
dates in the notice are the ones the deadline engine gives the case (the working-day calendar of its
law, bank holidays included), the exemption or exception cited is the one recorded, and each carries
the review and Commissioner routes of its law."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from app.config import Settings
from app.domain.errors import InvalidInput
from app.domain.notices import notice_for
from app.domain.regimes import Regime
from app.models import Correspondence
from app.services import correspondence as service
from app.services import requests as requests_service
from app.services.deadlines import Calendars
from app.services.inputs import NoticeIn
from app.services.unit_of_work import unit_of_work
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
RECEIVED = date(2026, 4, 1)  # Wednesday 1 April 2026: Good Friday (3 April) and Easter Monday (6 April) follow
BY_POST = NoticeIn(send=True, by="post")  # kept as a letter: nothing to wait for
COMMISSIONER = {
    Regime.FOIA: "Information Commissioner",
    Regime.EIR: "Information Commissioner",
    Regime.FOISA: "Scottish Information Commissioner",
    Regime.EISR: "Scottish Information Commissioner",
}
REFUSAL = {
    Regime.FOIA: ("FOIA-s43", "section 43"),
    Regime.EIR: ("EIR-r12(5)(e)", "regulation 12(5)(e)"),
    Regime.FOISA: ("FOISA-s33", "section 33"),
    Regime.EISR: ("EISR-r10(5)(e)", "regulation 10(5)(e)"),
}


def words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


async def open_case(sessions: Any, staff: Staff, regime: Regime) -> str:
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        created = await requests_service.create_request(
            uow.session,
            requests_service.NewRequest(
                regime=regime.value,
                title="Winter maintenance contract",
                body="Please send the winter maintenance contract and its prices.",
                received_on=RECEIVED,
                requester=requests_service.RequesterDetails(
                    name="Morag Dunbar", email="morag@example.net", address="3 Kirk Wynd\nFalkland"
                ),
            ),
            staff.officer,
            LONDON,
        )
        return created.reference


async def step(sessions: Any, settings: Settings, staff: Staff, reference: str, action: str, on: date, **params: Any) -> Correspondence:
    note = params.pop("note", None)
    notice = BY_POST if notice_for(action) else None
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        await service.take_step(uow, settings, reference, action=action, params=params, notice=notice, on=on, note=note)
    async with sessions.read() as db:
        return (await requests_service.get_request(db, reference)).correspondence[-1]


async def due_on(sessions: Any, reference: str) -> date:
    async with sessions.read() as db:
        due = (await requests_service.get_request(db, reference, with_history=False)).request.due_on
    assert due is not None
    return due


@pytest.mark.parametrize("regime", list(Regime), ids=lambda regime: regime.value)
async def test_each_notice_of_a_dated_case_says_its_own_dates_and_law(
    sessions: Any, settings: Settings, staff: Staff, regime: Regime
) -> None:
    async with sessions.read() as db:
        calendar = (await Calendars.load(db)).for_regime(regime)
    reference = await open_case(sessions, staff, regime)
    first_due = await due_on(sessions, reference)
    assert first_due == calendar.add_working_days(RECEIVED, 20)

    with time_machine.travel(date(2026, 4, 2), tick=False):
        ack = await step(sessions, settings, staff, reference, "acknowledge", date(2026, 4, 2))
    assert ack.kind == "acknowledgement" and reference in ack.subject
    assert words(RECEIVED) in ack.body and words(first_due) in ack.body
    assert COMMISSIONER[regime] in ack.body

    with time_machine.travel(date(2026, 4, 8), tick=False):
        fee = await step(sessions, settings, staff, reference, "issue_fee_notice", date(2026, 4, 8), fee="62.50")
    assert "£62.50" in fee.body and reference in fee.body
    with time_machine.travel(date(2026, 4, 20), tick=False):
        await step(sessions, settings, staff, reference, "receive_fee", date(2026, 4, 20))

    answered_on = date(2026, 4, 24)
    with time_machine.travel(answered_on, tick=False):
        if regime.rules.extension is not None:
            code, cited = REFUSAL[regime]
            extra = {"working_days": 10, "exemptions": [code]} if regime in (Regime.FOIA,) else {}
            action = "extend_pit" if regime is Regime.FOIA else "extend_eir"
            extension = await step(sessions, settings, staff, reference, action, answered_on, **extra)
            new_due = await due_on(sessions, reference)
            assert new_due > first_due and words(new_due) in extension.body
            if regime is Regime.FOIA:
                assert cited in extension.body and "(the exemption will be named here)" not in extension.body
            else:
                assert "40 working days" in extension.body

        code, cited = REFUSAL[regime]
        with pytest.raises(InvalidInput) as unweighed:  # s.17(3) and its equivalents: the notice states the arguments
            await step(
                sessions, settings, staff, reference, "respond", answered_on, outcome="refused_in_full", exemptions=[code], response="No."
            )
        assert unweighed.value.field == "public_interest"
        due_when_answered = await due_on(sessions, reference)
        assert due_when_answered > first_due  # the fee paused the clock, and an extension moved it on
        response = await step(
            sessions,
            settings,
            staff,
            reference,
            "respond",
            answered_on,
            outcome="refused_in_full",
            exemptions=[code],
            response="The prices are commercially sensitive while the contract is retendered.",
            public_interest="Openness about spending weighs for release; a fair retender, which secures value for taxpayers, weighs more.",
        )
    assert cited in response.body and "public interest" in response.body
    assert "commercially sensitive while the contract is retendered" in response.body
    assert "a fair retender, which secures value for taxpayers, weighs more" in response.body
    # FOISA s.20(5) counts from the expiry of the time to comply; the others from the response
    counted_from = max(answered_on, due_when_answered) if regime is Regime.FOISA else answered_on
    assert words(calendar.add_working_days(counted_from, 40)) in response.body
    assert COMMISSIONER[regime] in response.body

    with time_machine.travel(answered_on + timedelta(days=14), tick=False):
        await step(sessions, settings, staff, reference, "request_internal_review", answered_on + timedelta(days=7))
        reviewed_on = answered_on + timedelta(days=14)
        with pytest.raises(InvalidInput) as no_reasons:  # the review's notice gives the reviewer's reasons
            await step(sessions, settings, staff, reference, "complete_internal_review", reviewed_on, review_outcome="upheld")
        assert no_reasons.value.field == "note"
        review = await step(
            sessions,
            settings,
            staff,
            reference,
            "complete_internal_review",
            reviewed_on,
            review_outcome="upheld",
            note="The retender is still open, so the prices remain commercially sensitive.",
        )
    assert review.kind == "review_outcome" and COMMISSIONER[regime] in review.body and reference in review.body
    assert "The retender is still open, so the prices remain commercially sensitive." in review.body
    assert words(answered_on) in review.body  # "our response of <date>"
    # the letters print: each is kept with its step, for post
    assert {ack.by, fee.by, response.by, review.by} == {"post"} and ack.address == "3 Kirk Wynd\nFalkland"
