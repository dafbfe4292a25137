"""The retention policy end to end on real databases: what goes, what stays, what is never touched."""

from __future__ import annotations

import asyncio
import html
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from litestar.testing import AsyncTestClient
from sqlalchemy import String, Text, func, inspect, select, text

from app.asgi import create_app
from app.config import CorrespondenceSettings, Settings
from app.domain.errors import Conflict, Forbidden, InvalidInput
from app.models import Document, FoiRequest, OutboxMessage, RequestEvent
from app.services import correspondence, publication
from app.services import documents as document_service
from app.services import requests as requests_service
from app.services.files.storage import ContentStore
from app.services.inputs import NoticeIn
from app.services.intake import take_message
from app.services.retention import ANONYMISED_NAME, lift_legal_hold, place_legal_hold, run_retention
from app.services.unit_of_work import unit_of_work
from tests.factories import Staff, sign_in

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2026, 12, 4, 11, 0, tzinfo=UTC)


class Person:
    """A requester whose every detail is distinctive, to be searched for afterwards."""

    def __init__(self, tag: str) -> None:
        self.name = f"Ffion {tag}-Pritchard"
        self.email = f"ffion.{tag.lower()}@example.net"
        number = sum(map(ord, tag)) % 90 + 10
        self.street = f"{tag}field Road"
        self.postcode = f"SA{number} 2EZ"
        self.address = f"12 {self.street}\nAberporth\n{self.postcode}"
        self.phone = f"07700 900{number}1"

    @property
    def traces(self) -> list[str]:
        surname = self.name.split()[1]
        return [self.name, surname, self.email, self.street, self.phone, self.postcode]


async def _store(settings: Settings) -> ContentStore:
    return ContentStore(settings.storage_dir, settings.max_upload_bytes)


async def _bytes(data: bytes) -> Any:
    yield data


async def make_case(
    sessions: Any, settings: Settings, staff: Staff, person: Person, *, received: datetime, closed: datetime | None, publish: bool = False
) -> str:
    """A request with everything that can hold its requester's data: their text signed with their name
    and phone, notices by post quoting their address, an internal document (their own file) and a
    released one, a note quoting them; responded (and published) on `closed`, or left open."""
    store = await _store(settings)
    with time_machine.travel(received, tick=False):
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            created = await requests_service.create_request(
                uow.session,
                requests_service.NewRequest(
                    regime="foia",
                    title=f"Gritting routes (asked by {person.name})",
                    body=f"Please send the gritting routes.\n\nRegards,\n{person.name}\n{person.phone}\n{person.email}",
                    received_on=received.date(),
                    requester=requests_service.RequesterDetails(name=person.name, email=person.email, address=person.address),
                ),
                staff.officer,
                LONDON,
            )
            reference = created.reference
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            await correspondence.take_step(uow, settings, reference, action="acknowledge", params={}, notice=NoticeIn(send=True, by="post"))
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            await correspondence.take_step(
                uow, settings, reference, action="start", params={}, note=f"Rang {person.name} on {person.phone} to check the years"
            )
            for title, data, released in (
                (f"Letter from {person.name}", f"Scan of a letter from {person.name}, {person.address}".encode(), False),
                ("Gritting routes 2019", b"Route A: High Street, Station Road. Route B: the ring road.", True),
            ):
                await document_service.add_document(
                    uow.session,
                    store,
                    reference,
                    chunks=_bytes(data),
                    filename=f"{title}.txt",
                    title=title,
                    for_release=released,
                    actor=staff.officer,
                    zone=LONDON,
                )
    reply = EmailMessage()
    reply["From"], reply["To"], reply["Subject"] = f"{person.name} <{person.email}>", "foi@council.example", f"Re: {reference}"
    reply["Message-ID"] = f"<reply-{person.email.split('@')[0]}@mail.example.net>"  # one per person (an id() may be reused)
    reply.set_content(f"The years I meant are 2018 and 2019.\n\n{person.name}\n{person.address}\n{person.phone}")
    reply.add_attachment(f"My letter, {person.name}, {person.address}".encode(), maintype="text", subtype="plain", filename="letter.txt")
    intake = replace(settings, correspondence=CorrespondenceSettings(request_email="foi@council.example", auto_acknowledge=False))
    with time_machine.travel(received + timedelta(days=2), tick=False):
        filed = await take_message(sessions.write, reply.as_bytes(), intake)
        assert filed.line == f"filed on {reference} as a reply", filed.line
    if closed is None:
        return reference
    with time_machine.travel(closed, tick=False):
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            await correspondence.take_step(
                uow,
                settings,
                reference,
                action="respond",
                params={"outcome": "granted_in_full", "response": f"Dear {person.name}, the routes are attached."},
                notice=NoticeIn(send=True, by="post"),
            )
        if publish:
            async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
                await publication.publish(uow.session, reference, actor=staff.officer, zone=LONDON)
    return reference


async def every_text(sessions: Any) -> str:
    """Every text column of every table, as one string to search."""
    pieces: list[str] = []
    async with sessions.read() as db:
        names = await db.run_sync(lambda sync: inspect(sync.connection()).get_table_names())
        for name in names:
            columns = await db.run_sync(lambda sync, name=name: inspect(sync.connection()).get_columns(name))
            wanted = [c["name"] for c in columns if isinstance(c["type"], (String, Text)) or "JSON" in str(c["type"]).upper()]
            if not wanted:
                continue
            casts = ", ".join(f'CAST("{column}" AS TEXT)' for column in wanted)
            for row in (await db.execute(text(f'SELECT {casts} FROM "{name}"'))).all():
                pieces += [str(value) for value in row if value is not None]
    return "\n".join(pieces)


def traces_in(haystack: str, person: Person) -> list[str]:
    folded = haystack.casefold()
    return [trace for trace in person.traces if trace.casefold() in folded]


async def snapshot(sessions: Any, reference: str) -> tuple[Any, ...]:
    async with sessions.read() as db:
        detail = await requests_service.get_request(db, reference)
        request = detail.request
        documents = await db.scalar(select(func.count(Document.id)).where(Document.request_id == request.id))
        return (request.requester.name, request.body, request.version, len(detail.events), documents, request.anonymised_at)


async def retention(sessions: Any, settings: Settings, *, dry_run: bool = False) -> Any:
    return await run_retention(sessions.write, await _store(settings), zone=LONDON, years=6, dry_run=dry_run, chunk_size=2)


async def test_a_request_closed_seven_years_ago_loses_its_requester_data_and_keeps_its_public_record(
    sessions: Any, settings: Settings, staff: Staff
) -> None:
    old, recent, open_, held = Person("Old"), Person("Recent"), Person("Open"), Person("Held")
    due = await make_case(
        sessions,
        settings,
        staff,
        old,
        received=datetime(2019, 10, 1, 9, tzinfo=UTC),
        closed=datetime(2019, 10, 20, 9, tzinfo=UTC),
        publish=True,
    )
    kept = await make_case(
        sessions, settings, staff, recent, received=datetime(2021, 10, 1, 9, tzinfo=UTC), closed=datetime(2021, 11, 1, 9, tzinfo=UTC)
    )
    still_open = await make_case(sessions, settings, staff, open_, received=datetime(2016, 10, 1, 9, tzinfo=UTC), closed=None)
    on_hold = await make_case(
        sessions, settings, staff, held, received=datetime(2018, 1, 8, 9, tzinfo=UTC), closed=datetime(2018, 2, 1, 9, tzinfo=UTC)
    )
    async with sessions.write.begin() as db:  # reminders to the officer, quoting each title
        for reference, person, sent in ((due, old, datetime(2019, 10, 7, tzinfo=UTC)), (kept, recent, datetime(2021, 10, 20, tzinfo=UTC))):
            body = f"Due soon: {reference} Gritting routes (asked by {person.name})"
            db.add(OutboxMessage(to_address=staff.officer.email, subject="Due soon", body=body, kind="officer_reminder", created_at=sent))
    store = await _store(settings)
    async with sessions.read() as db:
        files = {row.title: row.sha256 for row in await db.scalars(select(Document).join(FoiRequest).where(FoiRequest.reference == due))}
    internal_file = store.path_for(files[f"Letter from {old.name}"])
    released_file = store.path_for(files["Gritting routes 2019"])
    assert internal_file.exists() and released_file.exists()
    assert traces_in(await every_text(sessions), old) == old.traces  # the test's data is where it is looked for

    with time_machine.travel(TODAY, tick=False):
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.manager) as uow:
            await place_legal_hold(uow, on_hold, "Complaint to the ICO open (case IC-123)")
        before = {reference: await snapshot(sessions, reference) for reference in (due, kept, still_open, on_hold)}
        texts_before = await every_text(sessions)

        dry = await retention(sessions, settings, dry_run=True)
        assert (dry.anonymised, dry.held, dry.documents_deleted, dry.files_deleted) == ([due], [on_hold], 2, 2)
        assert dry.reminders_deleted == 1
        assert await every_text(sessions) == texts_before and internal_file.exists()  # a dry run writes nothing

        report = await retention(sessions, settings)
        assert (report.anonymised, report.held, report.documents_deleted, report.files_deleted) == ([due], [on_hold], 2, 2)
        assert report.reminders_deleted == 1

    everything = await every_text(sessions)
    assert traces_in(everything, old) == [], [line for line in everything.splitlines() if traces_in(line, old)][:5]
    for untouched in (recent, open_, held):
        assert traces_in(everything, untouched) == untouched.traces
    for reference in (kept, still_open, on_hold):
        assert await snapshot(sessions, reference) == before[reference]
    assert not internal_file.exists() and released_file.exists()

    async with sessions.read() as db:
        detail = await requests_service.get_request(db, due)
        assert detail.request.requester.name == ANONYMISED_NAME and detail.request.requester.email is None
        assert detail.request.anonymised_at is not None
        assert detail.events[0].action == "anonymise"  # the history stays, with one event more
        assert len(detail.events) == before[due][3] + 1
        assert [c.kind for c in detail.correspondence] == ["acknowledgement", "reply", "response"]
        assert all(c.address == "" and c.body == "" for c in detail.correspondence)
        assert [d.title for d in await document_service.list_documents(db, detail.request.id)] == ["Gritting routes 2019"]

    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        page = await client.get(f"/disclosures/{due}")
        assert page.status_code == 200 and "Gritting routes 2019" in page.text
        [released] = [d for d in await _public_documents(sessions, due)]
        download = await client.get(f"/disclosures/{due}/documents/{released}")
        assert download.status_code == 200 and download.content.startswith(b"Route A")

    with time_machine.travel(TODAY, tick=False):
        again = await retention(sessions, settings)
        assert (again.anonymised, again.documents_deleted) == ([], 0)
        assert await every_text(sessions) == everything  # a second run does nothing

        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.manager) as uow:
            await lift_legal_hold(uow, on_hold, "Complaint closed by the ICO")
        lifted = await retention(sessions, settings)
    assert lifted.anonymised == [on_hold]
    assert traces_in(await every_text(sessions), held) == []
    async with sessions.read() as db:
        events = (await requests_service.get_request(db, on_hold)).events
    assert [e.action for e in events[:3]] == ["anonymise", "lift_legal_hold", "place_legal_hold"]
    assert events[2].actor_id == staff.manager.id and events[2].note == "Complaint to the ICO open (case IC-123)"

    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        await sign_in(client, staff.officer)
        staff_page = await client.get(f"/staff/requests/{due}")
        assert staff_page.status_code == 200 and "Requester data removed under the retention policy" in staff_page.text
        assert "Anonymised: the requester's data was removed" in html.unescape(staff_page.text)
        async with sessions.read() as db:
            letters = (await requests_service.get_request(db, due)).correspondence
        for letter in letters:
            shown = await client.get(f"/staff/requests/{due}/correspondence/{letter.id}")
            assert shown.status_code == 200 and "Removed with the requester's address under the retention policy" in html.unescape(
                shown.text
            )
            if letter.by == "post":
                printed = await client.get(f"/staff/requests/{due}/correspondence/{letter.id}.pdf")
                assert printed.status_code == 410, printed.text[:300]  # its address and text are gone


async def _public_documents(sessions: Any, reference: str) -> list[int]:
    async with sessions.read() as db:
        return list(
            await db.scalars(select(Document.id).join(FoiRequest).where(FoiRequest.reference == reference, Document.for_release.is_(True)))
        )


async def test_a_legal_hold_needs_a_manager_and_a_reason(sessions: Any, settings: Settings, staff: Staff) -> None:
    reference = await make_case(
        sessions, settings, staff, Person("Hold"), received=datetime(2018, 1, 8, 9, tzinfo=UTC), closed=datetime(2018, 2, 1, 9, tzinfo=UTC)
    )
    with pytest.raises(Forbidden):
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.officer) as uow:
            await place_legal_hold(uow, reference, "Appeal")
    with pytest.raises(InvalidInput) as missing:
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.manager) as uow:
            await place_legal_hold(uow, reference, "   ")
    assert missing.value.field == "reason"
    with pytest.raises(Conflict, match="not under a legal hold"):
        async with unit_of_work(sessions.write, zone=LONDON, actor=staff.manager) as uow:
            await lift_legal_hold(uow, reference, "Done")
    async with sessions.read() as db:
        assert await db.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.action.like("%legal_hold"))) == 0


async def test_the_history_stays_append_only_for_requests_not_anonymised(sessions: Any, settings: Settings, staff: Staff) -> None:
    reference = await make_case(sessions, settings, staff, Person("Kept"), received=datetime(2026, 11, 2, 9, tzinfo=UTC), closed=None)
    with pytest.raises(Exception, match="append-only"):
        async with sessions.write.begin() as db:
            request_id = await db.scalar(select(FoiRequest.id).where(FoiRequest.reference == reference))
            await db.execute(text("UPDATE request_events SET note = 'changed' WHERE request_id = :id"), {"id": request_id})


def test_an_internal_review_keeps_a_request_open_and_out_of_reach() -> None:
    from app.domain.retention import Verdict, closed_on, retention_cutoff, verdict

    cutoff = retention_cutoff(date(2026, 12, 4), 6)
    assert cutoff == date(2020, 12, 4)
    assert verdict(status="internal_review", closed=None, held=False, anonymised=False, cutoff=cutoff) is Verdict.OPEN
    closed = closed_on("responded", None, date(2019, 1, 1), None)
    assert verdict(status="responded", closed=closed, held=False, anonymised=False, cutoff=cutoff) is Verdict.DUE
    assert verdict(status="responded", closed=date(2020, 12, 4), held=False, anonymised=False, cutoff=cutoff) is Verdict.NOT_YET
    assert verdict(status="withdrawn", closed=None, held=False, anonymised=False, cutoff=cutoff) is Verdict.UNKNOWN
    assert retention_cutoff(date(2028, 2, 29), 1) == date(2027, 2, 28)


async def test_two_runs_at_once_anonymise_each_request_once(sessions: Any, settings: Settings, staff: Staff) -> None:
    references = [
        await make_case(
            sessions,
            settings,
            staff,
            Person(f"Twin{n}"),
            received=datetime(2018, 3, 1, 9, tzinfo=UTC),
            closed=datetime(2018, 4, 3, 9, tzinfo=UTC),
        )
        for n in range(5)
    ]
    with time_machine.travel(TODAY, tick=False):
        first, second = await asyncio.gather(retention(sessions, settings), retention(sessions, settings))
    assert sorted(first.anonymised + second.anonymised) == sorted(references)
    assert first.documents_deleted + second.documents_deleted == 2 * len(references)
    async with sessions.read() as db:
        marks = await db.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.action == "anonymise"))
    assert marks == len(references)


def test_the_retention_period_is_a_whole_number_of_years() -> None:
    assert Settings.from_env({"FOI_SECRET_KEY": "k" * 40}).retention_years == 6
    assert Settings.from_env({"FOI_SECRET_KEY": "k" * 40, "FOI_RETENTION_YEARS": "7"}).retention_years == 7
    for wrong in ("0", "-1", "6.5", "six", "101"):
        with pytest.raises(ValueError, match="FOI_RETENTION_YEARS must be a whole number of years"):
            Settings.from_env({"FOI_SECRET_KEY": "k" * 40, "FOI_RETENTION_YEARS": wrong})


async def test_an_anonymised_request_never_takes_requester_details_again_but_its_other_details_can_be_edited(
    sessions: Any, settings: Settings, staff: Staff
) -> None:
    reference = await make_case(
        sessions, settings, staff, Person("Again"), received=datetime(2018, 3, 1, 9, tzinfo=UTC), closed=datetime(2018, 4, 3, 9, tzinfo=UTC)
    )
    with time_machine.travel(TODAY, tick=False):
        await retention(sessions, settings)
        async with sessions.read() as db:
            version = (await requests_service.get_request(db, reference)).request.version
        async with sessions.write() as db:
            with pytest.raises(requests_service.InvalidDetails) as refused:
                await requests_service.edit_details(
                    db,
                    reference,
                    requests_service.DetailsChanges.from_form({"requester_name": "Jane Re-Added", "requester_email": "jane@example.org"}),
                    version,
                    staff.manager,
                    LONDON,
                )
            await db.rollback()
        assert set(refused.value.errors) == {"requester.name", "requester.email"}
        assert "removed under the retention policy" in refused.value.errors["requester.name"]
        async with sessions.write() as db:
            await requests_service.edit_details(
                db,
                reference,
                requests_service.DetailsChanges.from_form({"title": "Road gritting (file note)", "requester_name": ANONYMISED_NAME}),
                version,
                staff.manager,
                LONDON,
            )
            await db.commit()
        async with sessions.read() as db:
            request = (await requests_service.get_request(db, reference)).request
        assert request.title == "Road gritting (file note)"
        assert request.requester.name == ANONYMISED_NAME and request.requester.email is None
