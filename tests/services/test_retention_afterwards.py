"""What happens to an anonymised request afterwards: its letters asked for again, an e-mail that answers it
years later, and the bulk actions it took part in. Real databases, the app's own pages."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import time_machine
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from app.asgi import create_app
from app.config import CorrespondenceSettings, Settings
from app.domain.errors import InvalidInput
from app.models import BulkOperation, Correspondence, FoiRequest, InboundMessage, RequestEvent
from app.services import bulk, correspondence
from app.services import requests as requests_service
from app.services.imap import fetch_mail
from app.services.intake import Outcome, take_message
from app.services.unit_of_work import unit_of_work
from tests.dovecot import Dovecot, start_dovecot
from tests.factories import Staff, sign_in
from tests.services.test_imap import imap
from tests.services.test_intake import intake_settings
from tests.services.test_retention import LONDON, TODAY, Person, every_text, make_case, retention, traces_in

RECEIVED = datetime(2019, 10, 1, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    yield from start_dovecot()


CLOSED = datetime(2019, 10, 20, 9, tzinfo=UTC)


async def _anonymised_case(sessions: Any, settings: Settings, staff: Staff, person: Person) -> str:
    reference = await make_case(sessions, settings, staff, person, received=RECEIVED, closed=CLOSED)
    with time_machine.travel(TODAY, tick=False):
        assert (await retention(sessions, settings)).anonymised == [reference]
    return reference


async def test_a_letter_of_an_anonymised_request_is_refused_saying_when_its_text_was_removed(
    sessions: Any, settings: Settings, staff: Staff
) -> None:
    person = Person("Letter")
    reference = await _anonymised_case(sessions, settings, staff, person)
    async with sessions.read() as db:
        letters = [c for c in (await requests_service.get_request(db, reference)).correspondence if c.by == "post"]
    assert len(letters) == 2  # the acknowledgement and the response, both by post

    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await sign_in(client, staff.officer)
        said = (
            f"The letter is no longer kept: the requester's details on {reference} were removed under the retention policy on "
            "4 December 2026, and the letter's address and text with them. What was sent, how and when is still recorded on the request."
        )
        for letter in letters:
            printed = await client.get(f"/staff/requests/{reference}/correspondence/{letter.id}.pdf")
            assert printed.status_code == 410, printed.text[:300]
            assert printed.headers["content-type"].startswith("text/html")
            assert said in html.unescape(printed.text)
            assert f'href="/staff/requests/{reference}#correspondence"' in printed.text
            api = await client.get(f"/api/v1/requests/{reference}/correspondence/{letter.id}.pdf", headers={"Accept": "application/json"})
            assert api.status_code == 410 and api.json()["detail"] == said
            # the letter's own page offers no PDF any more, and says why
            shown = await client.get(f"/staff/requests/{reference}/correspondence/{letter.id}")
            assert shown.status_code == 200 and f"{letter.id}.pdf" not in shown.text
            assert "The letter (PDF) was removed under the retention policy on 4 December 2026" in html.unescape(shown.text)
        workspace = await client.get(f"/staff/requests/{reference}")
        assert ".pdf" not in workspace.text
        for trace in person.traces:
            assert trace not in workspace.text


async def test_an_email_answering_an_anonymised_request_becomes_a_new_request_that_names_it(
    sessions: Any, settings: Settings, staff: Staff, dovecot: Dovecot
) -> None:
    person = Person("Later")
    reference = await _anonymised_case(sessions, settings, staff, person)
    async with sessions.read() as db:
        old = await db.scalar(select(FoiRequest).where(FoiRequest.reference == reference))
        assert old is not None
        old_id = old.id
        answered = await db.scalar(
            select(Correspondence.message_id).where(Correspondence.request_id == old_id, Correspondence.direction == "in")
        )
        before = await every_text(sessions)
    assert answered and traces_in(before, person) == []

    later = EmailMessage()
    later["From"], later["To"], later["Subject"] = f"{person.name} <{person.email}>", "foi@council.example", f"Re: {reference} gritting"
    later["Message-ID"] = "<years-later@mail.example.net>"
    later["In-Reply-To"] = answered
    later.set_content(f"Could you send the routes for 2026 too?\n\n{person.name}\n{person.address}\n{person.phone}")
    # as `foi fetch-mail` reads it, from a real IMAP server
    user, password = dovecot.new_mailbox()
    dovecot.deliver(user, password, [later.as_bytes()])
    intake = intake_settings(settings, imap=imap(dovecot, user, password))
    lines: list[str] = []
    with time_machine.travel(TODAY + timedelta(days=1), tick=False):
        await fetch_mail(intake, sessions.write, once=True, report=lines.append)
    async with sessions.read() as db:
        claim = await db.scalar(select(InboundMessage).where(InboundMessage.message_id.like("%years-later@mail.example.net%")))
        assert claim is not None and claim.request_id is not None
        new_reference = await db.scalar(select(FoiRequest.reference).where(FoiRequest.id == claim.request_id))
    assert lines == [f"message 1: created {new_reference} (it names {reference}, anonymised under the retention policy)"]
    assert dovecot.message_ids(user, password, "INBOX") == []  # filed, so moved out of the inbox
    with time_machine.travel(TODAY + timedelta(days=1), tick=False):  # and the same message again is no new request
        filed = await take_message(sessions.write, later.as_bytes(), intake)
    assert filed.outcome == Outcome.ALREADY

    assert new_reference and new_reference != reference
    async with sessions.read() as db:
        new = (await requests_service.get_request(db, new_reference)).request
        assert new.requester.name == person.name and new.requester.email == person.email
        notes = [e.note for e in (await requests_service.get_request(db, new_reference)).events if e.note]
        assert (
            f"This e-mail answers or names {reference}, whose requester data was removed under the retention policy on "
            "4 December 2026. It was logged as a new request and nothing of it was added to that one."
        ) in notes
        # the anonymised request took nothing in: no correspondence, no event, nobody named on it again
        assert await db.scalar(select(Correspondence.id).where(Correspondence.request_id == old_id, Correspondence.at > CLOSED)) is None
        events = list(await db.scalars(select(RequestEvent).where(RequestEvent.request_id == old_id)))
        assert events[-1].action == "anonymise"
        old_texts = " ".join(f"{e.note} {e.details}" for e in events)
        assert traces_in(old_texts, person) == [] and new_reference not in old_texts
        old_requester = (await requests_service.get_request(db, reference)).request.requester
        assert old_requester.name == "Anonymised" and old_requester.email is None


async def test_a_bulk_action_note_loses_the_requester_data_of_the_requests_anonymised(
    sessions: Any, settings: Settings, staff: Staff
) -> None:
    first, second = Person("Bulk"), Person("Other")
    references = [await make_case(sessions, settings, staff, p, received=RECEIVED, closed=None) for p in (first, second)]
    with time_machine.travel(CLOSED, tick=False):
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            operation = await bulk.apply_bulk(
                uow.session,
                references,
                "withdraw",
                {},
                actor=staff.officer,
                zone=LONDON,
                note=f"{first.name} ({first.phone}) and {second.name} rang: both asked for the same routes",
            )
            operation_id = operation.id
    assert traces_in(await every_text(sessions), first)  # the note names them on both requests

    with time_machine.travel(TODAY, tick=False):
        report = await retention(sessions, settings)
    assert sorted(report.anonymised) == sorted(references)
    everything = await every_text(sessions)
    assert traces_in(everything, first) == [] and traces_in(everything, second) == []
    async with sessions.read() as db:
        kept = await db.get_one(BulkOperation, operation_id)
        assert kept.summary == f"Close as withdrawn: {', '.join(references)}" and kept.request_count == 2
        notes = list(await db.scalars(select(RequestEvent.note).where(RequestEvent.action == "withdraw")))
        # the officer's own words kept on both
        assert len(notes) == 2 and all(n.endswith(" rang: both asked for the same routes") and "[redacted]" in n for n in notes)


async def test_a_bounce_of_an_anonymised_requests_notice_is_ignored_and_it_cannot_be_sent_again(
    sessions: Any, settings: Settings, staff: Staff
) -> None:
    person = Person("Bounce")
    reference = await make_case(sessions, settings, staff, person, received=RECEIVED, closed=CLOSED)
    async with sessions.write.begin() as db:  # its acknowledgement went by e-mail, and failed once
        request_id = await db.scalar(select(FoiRequest.id).where(FoiRequest.reference == reference))
        notice = await db.scalar(
            select(Correspondence).where(Correspondence.request_id == request_id, Correspondence.kind == "acknowledgement")
        )
        assert notice is not None
        notice.by, notice.message_id, notice.delivery, notice.address = "email", "<notice-2@foi.test>", "failed", person.email
        notice_id = notice.id
    with time_machine.travel(TODAY, tick=False):
        await retention(sessions, settings)
        async with sessions.read() as db:
            before = [
                (c.id, c.delivery, c.error, c.address, c.body) for c in await db.scalars(select(Correspondence).order_by(Correspondence.id))
            ]

        bounce = (
            (Path(__file__).parent.parent / "mail_samples" / "06_bounce.eml")
            .read_bytes()
            .replace(b"robin.old@example.com", person.email.encode())
        )
        intake = replace(settings, correspondence=CorrespondenceSettings(request_email="foi@council.example", auto_acknowledge=False))
        filed = await take_message(sessions.write, bounce, intake)
        assert filed.line == "ignored: a bounce of a notice on a request anonymised under the retention policy"

        with pytest.raises(InvalidInput) as refused:
            await correspondence.send_again_now(sessions.write, settings, reference, notice_id, staff.officer)
        assert str(refused.value) == (
            f"The requester's details on {reference} were removed under the retention policy on 4 December 2026: "
            "there is no one to send it to again."
        )
    async with sessions.read() as db:
        after = [
            (c.id, c.delivery, c.error, c.address, c.body) for c in await db.scalars(select(Correspondence).order_by(Correspondence.id))
        ]
    assert after == before
    assert traces_in(await every_text(sessions), person) == []
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await sign_in(client, staff.officer)
        shown = await client.get(f"/staff/requests/{reference}/correspondence/{notice_id}")
        assert shown.status_code == 200 and "Send again" not in shown.text
