"""The authority's own notice texts: saved as versions with who and when, checked before they are
kept, reset to the shipped text, one winner when two admins save at once; and the next notice drafted
from a case uses what the admin saved. On both engines."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.config import Settings
from app.domain.errors import Conflict
from app.domain.notices import NoticeKind, NoticeText, shipped_text
from app.domain.regimes import Regime
from app.models import NoticeTemplate, User
from app.services import notice_templates as service
from app.services import requests as requests_service
from app.services.correspondence import draft_for
from app.services.unit_of_work import unit_of_work
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
ACK = NoticeKind.ACKNOWLEDGEMENT
OURS = "Our own words: we have your request {{ reference }} and will answer by {{ due_on | date }}."


def edited(extra: str = OURS) -> NoticeText:
    shipped = shipped_text(ACK, Regime.FOIA)
    return NoticeText(
        subject="We have your request {{ reference }}",
        body=shipped.body.replace("Thank you for your request", extra + "\n\nThank you for your request", 1),
    )


async def save(
    sessions: Any, admin: User, text: NoticeText, *, regime: Regime = Regime.FOIA, based_on: int | None = None
) -> NoticeTemplate | None:
    async with unit_of_work(sessions.write, zone=LONDON, actor=admin) as uow:
        return await service.save_text(uow, ACK, regime, text, based_on=based_on)


async def reset(sessions: Any, admin: User, *, based_on: int | None = None) -> NoticeTemplate | None:
    async with unit_of_work(sessions.write, zone=LONDON, actor=admin) as uow:
        return await service.reset_text(uow, ACK, Regime.FOIA, based_on=based_on)


async def rows(sessions: Any) -> int:
    async with sessions.read() as db:
        return int(await db.scalar(select(func.count(NoticeTemplate.id))) or 0)


async def test_a_save_is_the_next_version_in_use_with_who_and_when(sessions: Any, staff: Staff) -> None:
    first = await save(sessions, staff.admin, edited(), based_on=0)
    assert first is not None and first.version == 1 and not first.is_shipped
    async with sessions.read() as db:
        text, template_id = await service.current_text(db, ACK, Regime.FOIA)
        assert template_id == first.id and OURS in text.body and text.subject == "We have your request {{ reference }}"
        # the other laws keep the shipped text
        assert await service.current_text(db, ACK, Regime.EIR) == (shipped_text(ACK, Regime.EIR), None)

    second = await save(sessions, staff.admin, edited("Second thoughts: {{ reference }} is with us."), based_on=1)
    assert second is not None and second.version == 2
    async with sessions.read() as db:
        versions = await service.history(db, ACK, Regime.FOIA)
    assert [(v.version, v.by, v.is_shipped) for v in versions] == [(2, "Ada Admin", False), (1, "Ada Admin", False)]
    assert versions[0].at >= versions[1].at
    # what changed: the line taken out and the line put in, against the version before
    assert f"-{OURS}" in versions[0].changes and "+Second thoughts: {{ reference }} is with us." in versions[0].changes
    # the first version against the shipped text: its subject and the added paragraph
    assert "+Subject: We have your request {{ reference }}" in versions[1].changes and f"+{OURS}" in versions[1].changes


async def test_saving_the_text_in_use_writes_nothing(sessions: Any, staff: Staff) -> None:
    shipped = shipped_text(ACK, Regime.FOIA)
    # the shipped text as a browser sends it back (CRLF, trimmed) is the same text
    browser_copy = NoticeText(subject=shipped.subject, body=shipped.body.replace("\n", "\r\n").strip())
    assert await save(sessions, staff.admin, browser_copy, based_on=0) is None
    assert await rows(sessions) == 0
    saved = await save(sessions, staff.admin, edited(), based_on=0)
    assert saved is not None
    assert await save(sessions, staff.admin, edited(), based_on=1) is None
    assert await rows(sessions) == 1


async def test_a_text_with_problems_is_refused_with_each_by_line_and_nothing_is_kept(sessions: Any, staff: Staff) -> None:
    bad = NoticeText(subject="", body="Dear {{ requester_name }},\n\nYour request {{ reference }}\nis for {{ requester_nme }}.\n")
    with pytest.raises(service.TextRefused) as refused:
        await save(sessions, staff.admin, bad, based_on=0)
    problems = refused.value.problems
    assert problems["subject"] == "the subject is empty"
    assert "line 4" in problems["body"] and "'requester_nme'" in problems["body"] and "did you mean 'requester_name'" in problems["body"]
    assert refused.value.status_code == 422

    escape = NoticeText(subject="Hello", body="Line one\n{{ ''.__class__.__mro__ }}")
    with pytest.raises(service.TextRefused) as refused:
        await save(sessions, staff.admin, escape, based_on=0)
    assert list(refused.value.problems) == ["body"] and "line 2: this is not allowed in a notice" in refused.value.problems["body"]

    too_long = NoticeText(subject="x" * 301, body="Fine")
    with pytest.raises(service.TextRefused) as refused:
        await save(sessions, staff.admin, too_long, based_on=0)
    assert "at most 300" in refused.value.problems["subject"]
    assert await rows(sessions) == 0


async def test_a_save_over_a_newer_version_is_refused(sessions: Any, staff: Staff) -> None:
    await save(sessions, staff.admin, edited(), based_on=0)
    # a second admin still editing what they opened before that save
    with pytest.raises(Conflict, match="someone else saved a newer version of this notice; reload to see it"):
        await save(sessions, staff.admin, edited("Another admin's words for {{ reference }}."), based_on=0)
    with pytest.raises(Conflict, match="newer version"):
        await reset(sessions, staff.admin, based_on=0)
    assert await rows(sessions) == 1


async def test_two_admins_saving_at_once_make_one_winner(sessions: Any, staff: Staff) -> None:
    async with sessions.write.begin() as db:
        second_admin = User(email="alex.admin@council.example", name="Alex Admin", role="admin", password_hash="x")
        db.add(second_admin)

    async def attempt(admin: User, words: str) -> str:
        try:
            await save(sessions, admin, edited(words), based_on=0)
        except Conflict as conflict:
            return str(conflict)
        return "saved"

    outcomes = await asyncio.gather(
        attempt(staff.admin, "Ada's words on {{ reference }}."), attempt(second_admin, "Alex's words on {{ reference }}.")
    )
    assert sorted(outcomes) == ["saved", service.NEWER_VERSION]
    async with sessions.read() as db:
        [kept] = await service.history(db, ACK, Regime.FOIA)
        text, _ = await service.current_text(db, ACK, Regime.FOIA)
    assert kept.version == 1 and kept.text == text
    winner = "Ada" if outcomes[0] == "saved" else "Alex"
    assert f"{winner}'s words" in text.body and kept.by.startswith(winner)


async def test_a_reset_is_a_version_with_the_shipped_text(sessions: Any, staff: Staff) -> None:
    assert await reset(sessions, staff.admin) is None  # nothing to reset
    await save(sessions, staff.admin, edited(), based_on=0)
    done = await reset(sessions, staff.admin, based_on=1)
    assert done is not None and done.version == 2 and done.is_shipped
    async with sessions.read() as db:
        assert (await service.current_text(db, ACK, Regime.FOIA))[0] == shipped_text(ACK, Regime.FOIA)
        versions = await service.history(db, ACK, Regime.FOIA)
        entry = next(e for e in await service.overview(db) if e.kind is ACK and e.regime is Regime.FOIA)
    assert [(v.version, v.is_shipped) for v in versions] == [(2, True), (1, False)]
    assert f"-{OURS}" in versions[0].changes  # the reset took the admin's paragraph out
    assert (entry.edited, entry.version, entry.changed_by) == (False, 2, "Ada Admin")
    assert await reset(sessions, staff.admin, based_on=2) is None
    assert await rows(sessions) == 2


async def test_the_overview_says_which_texts_are_the_authoritys_and_who_changed_them(sessions: Any, staff: Staff) -> None:
    await save(sessions, staff.admin, edited(), based_on=0)
    await save(sessions, staff.admin, edited("Then this for {{ reference }}."), based_on=1)
    await save(sessions, staff.admin, edited(), regime=Regime.FOISA, based_on=0)
    async with sessions.read() as db:
        entries = await service.overview(db)
    assert len(entries) == len(NoticeKind) * len(Regime)
    changed = {(e.kind, e.regime): (e.edited, e.version, e.changed_by) for e in entries if e.version}
    assert changed == {(ACK, Regime.FOIA): (True, 2, "Ada Admin"), (ACK, Regime.FOISA): (True, 1, "Ada Admin")}
    untouched = [e for e in entries if not e.version]
    assert all(not e.edited and e.changed_at is None and e.changed_by == "" for e in untouched)


async def test_the_next_notice_drafted_from_a_case_uses_the_admins_text(sessions: Any, settings: Settings, staff: Staff) -> None:
    async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
        request = await requests_service.create_request(
            uow.session,
            requests_service.NewRequest(
                regime="foia",
                title="Library opening hours",
                body="Please send the opening hours of every library in 2026.",
                received_on=date(2026, 11, 2),
                requester=requests_service.RequesterDetails(name="Tomás Ó Briain", email="tomas@example.net"),
            ),
            staff.officer,
            LONDON,
        )
        reference = request.reference

    async def draft() -> tuple[str, str, int | None]:
        async with sessions.read() as db:
            case = (await requests_service.get_request(db, reference, with_history=False)).request
            notice, template_id = await draft_for(db, settings, case, ACK, today=date(2026, 11, 3))
            return notice.subject, notice.body, template_id

    subject, body, template_id = await draft()
    assert template_id is None and "Our own words" not in body

    saved = await save(sessions, staff.admin, edited(), based_on=0)
    assert saved is not None
    subject, body, template_id = await draft()
    assert subject == f"We have your request {reference}"
    assert f"Our own words: we have your request {reference} and will answer by 1 December 2026." in body
    assert template_id == saved.id

    done = await reset(sessions, staff.admin, based_on=1)
    assert done is not None
    subject, body, template_id = await draft()
    assert "Our own words" not in body and subject == f"Your request for information {reference}: received"
    assert template_id == done.id
