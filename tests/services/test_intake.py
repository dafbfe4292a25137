"""E-mail in: each sample message becomes what it should (a request, a reply on one, a bounce on the
notice it returns, nothing), once, however often and from however many hosts it is taken in."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.config import CorrespondenceSettings, MailSettings, Settings
from app.domain.inbound import UnreadableMessage
from app.models import Correspondence, Document, FoiRequest, InboundMessage, Requester, RequestEvent
from app.services.files.storage import ContentStore
from app.services.intake import Outcome, file_message, take_message
from app.services.requests import NewRequest, RequesterDetails, apply_action, create_request
from app.services.unit_of_work import unit_of_work
from tests.factories import Staff

SAMPLES = Path(__file__).resolve().parents[1] / "mail_samples"
LONDON = ZoneInfo("Europe/London")
OUR_ADDRESS = "foi@council.example"

# what each sample becomes, taken in order after `seed_case` (the line `foi mail-in` prints)
EXPECTED_LINES = {
    "01_new_request.eml": "created FOI-2026-00002",
    "02_clarification_reply.eml": "filed on FOI-2026-00001 as a reply to the clarification request",
    "03_subject_reply.eml": "filed on FOI-2026-00001 as a reply",
    "04_whatdotheyknow.eml": "created FOI-2026-00003",
    "05_out_of_office.eml": "ignored: an automatic reply (Auto-Submitted: auto-replied)",
    "06_bounce.eml": "bounce: notice 2 on FOI-2026-00001 marked undelivered",
    "07_html_only.eml": "created FOI-2026-00004",
    "08_pdf_attachment.eml": "created FOI-2026-00005",
    "09_disallowed_attachment.eml": "created FOI-2026-00006",
    # the requester's name, another's address, answering the clarification request: not the requester's
    "10_stranger_about_a_request.eml": "filed on FOI-2026-00001 as a message from someone other than the requester",
}


def mail(sender: str, subject: str, text: str, message_id: str, **headers: str) -> bytes:
    """One plain e-mail as a person's client sends it (a header per keyword: In_Reply_To is In-Reply-To)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = OUR_ADDRESS
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message.as_bytes()


async def filed_kinds(sessions: Any) -> dict[str, tuple[str, str]]:
    """Each message taken in on a request: its Message-ID, the request's reference and its kind."""
    async with sessions.read() as db:
        rows = (
            await db.execute(
                select(Correspondence.message_id, FoiRequest.reference, Correspondence.kind)
                .join(FoiRequest, FoiRequest.id == Correspondence.request_id)
                .where(Correspondence.direction == "in")
            )
        ).all()
    return {row.message_id: (row.reference, row.kind) for row in rows}


async def step(sessions: Any, staff: Staff, action: str, on: date, **params: Any) -> None:
    async with unit_of_work(sessions.write, zone=LONDON) as uow:
        await apply_action(uow.session, "FOI-2026-00001", action=action, params=params, actor=staff.officer, zone=LONDON, on=on)


def samples() -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in sorted(SAMPLES.glob("*.eml"))]


def intake_settings(settings: Settings, **changes: Any) -> Settings:
    """The test settings with our own address known, and no acknowledgement (the lead's part)."""
    return dataclasses.replace(
        settings,
        mail=MailSettings(sender=OUR_ADDRESS),
        correspondence=CorrespondenceSettings(request_email=OUR_ADDRESS, auto_acknowledge=False),
        **changes,
    )


async def seed_case(sessions: Any) -> None:
    """FOI-2026-00001, logged by hand for Robin Roe (the sender of samples 02 and 03, written here in
    other capitals), with two notices sent by e-mail: a clarification request (Message-ID
    <clarification-1@foi.test>) and a response (<notice-2@foi.test>), as the sender keeps them."""
    async with unit_of_work(sessions.write, zone=LONDON) as uow:
        request = await create_request(
            uow.session,
            NewRequest(
                regime="foia",
                title="Street lighting contracts",
                body="Please send me the street lighting contracts.",
                requester=RequesterDetails(name="Robin Roe", email="Robin.Roe@Example.net"),
                channel="email",
                received_on=date(2026, 11, 2),
            ),
            None,
            LONDON,
        )
        for kind, message_id in [("clarification_request", "<clarification-1@foi.test>"), ("response", "<notice-2@foi.test>")]:
            uow.session.add(
                Correspondence(
                    request_id=request.id,
                    direction="out",
                    kind=kind,
                    at=datetime(2026, 11, 20, 12, 30, tzinfo=UTC),
                    subject=f"Your request {request.reference}",
                    address="robin.roe@example.net",
                    by="email",
                    body="…",
                    message_id=message_id,
                    delivery="sent",
                )
            )


async def snapshot(sessions: Any) -> dict[str, Any]:
    """Everything intake writes, as plain values: the same messages must always give the same."""
    async with sessions.read() as db:
        requests = (
            await db.execute(
                select(
                    FoiRequest.reference,
                    FoiRequest.regime,
                    FoiRequest.channel,
                    FoiRequest.status,
                    FoiRequest.title,
                    FoiRequest.received_at,
                    FoiRequest.received_on,
                    FoiRequest.due_on,
                    FoiRequest.created_by_id,
                    Requester.name,
                    Requester.email,
                )
                .join(Requester, Requester.id == FoiRequest.requester_id)
                .order_by(FoiRequest.id)
            )
        ).all()
        references = dict((await db.execute(select(FoiRequest.id, FoiRequest.reference))).all())
        letters = (await db.execute(select(Correspondence).order_by(Correspondence.id))).scalars().all()
        documents = (await db.execute(select(Document).order_by(Document.id))).scalars().all()
        notes = (await db.execute(select(RequestEvent.request_id, RequestEvent.note).where(RequestEvent.action == "note"))).all()
        inbound = (await db.execute(select(InboundMessage).order_by(InboundMessage.message_id))).scalars().all()
    return {
        "requests": [tuple(row) for row in requests],
        "correspondence": [
            (
                references[c.request_id],
                c.direction,
                c.kind,
                c.subject,
                c.address,
                c.message_id,
                c.in_reply_to,
                c.delivery,
                c.error,
                tuple(c.documents),
            )
            for c in letters
        ],
        "documents": [(references[d.request_id], d.filename, d.content_type, d.for_release, d.uploaded_by_id) for d in documents],
        "notes": sorted((references[request_id], note) for request_id, note in notes),
        "inbound": [(m.message_id, m.outcome, m.reason, references.get(m.request_id)) for m in inbound],
    }


def assert_samples_filed(state: dict[str, Any]) -> None:
    """What the ten samples leave behind (after `seed_case`), checked field by field."""
    requests = {row[0]: row for row in state["requests"]}
    assert list(requests) == [f"FOI-2026-0000{n}" for n in range(1, 7)]
    # reference, regime, channel, status, title, received_at, received_on, due_on, created_by, name, e-mail
    assert requests["FOI-2026-00002"][1:] == (
        "foia",
        "email",
        "new",
        "Pothole repairs on Mill Lane since 2024",
        datetime(2026, 11, 30, 16, 45, 12, tzinfo=UTC),  # the top Received: header
        date(2026, 11, 30),
        date(2026, 12, 30),  # 20 working days (FOIA s.10), past Christmas Day and Boxing Day's holiday (Monday 28th)
        None,  # nobody on the staff logged it
        "Jane Example",
        "jane.example@mail.example.org",
    )
    assert requests["FOI-2026-00003"][2] == "whatdotheyknow"
    assert requests["FOI-2026-00003"][4] == "Grit bins on council roads"
    assert requests["FOI-2026-00003"][9:] == ("Sam Asker", "foi+request-987654-1a2b3c4d@whatdotheyknow.com")
    assert requests["FOI-2026-00004"][4] == "Library opening hours – 2026"
    assert requests["FOI-2026-00004"][9] == "Zoë Ó Súilleabháin"
    assert requests["FOI-2026-00001"][3] == "new"  # a reply changes no step: the officer records it

    letters = state["correspondence"]
    by_message = {row[5]: row for row in letters}
    assert by_message["<notice-2@foi.test>"][7:9] == ("bounced", "5.1.1 smtp; 550 5.1.1 User unknown")
    assert by_message["<clarification-1@foi.test>"][7] == "sent"
    assert by_message["<clarified-1@example.net>"][:3] == ("FOI-2026-00001", "in", "clarification_reply")
    assert by_message["<clarified-1@example.net>"][6] == "<clarification-1@foi.test>"
    assert by_message["<follow-up-1@example.net>"][:3] == ("FOI-2026-00001", "in", "reply")
    assert by_message["<dsn-1@mx.example.com>"][:3] == ("FOI-2026-00001", "in", "bounce")
    assert by_message["<dsn-1@mx.example.com>"][6] == "<notice-2@foi.test>"
    assert by_message["<new-request-1@mail.example.org>"][:5] == (
        "FOI-2026-00002",
        "in",
        "request",
        "Pothole repairs on Mill Lane since 2024",
        "jane.example@mail.example.org",
    )
    assert by_message["<stranger-1@evil.example>"][:3] == ("FOI-2026-00001", "in", "message")
    assert "<ooo-1@example.net>" not in by_message  # an automatic reply is not kept on the case
    assert len(letters) == 2 + 9

    # attachments: kept as internal documents, never for release; an executable refused and named
    assert state["documents"] == [
        ("FOI-2026-00005", "shelter-survey.pdf", "application/pdf", False, None),
        ("FOI-2026-00006", "streets.txt", "text/plain; charset=utf-8", False, None),
    ]
    assert by_message["<pdf-attachment-1@mail.example.org>"][9] != ()
    notes = dict(state["notes"])
    assert set(notes) == {"FOI-2026-00003", "FOI-2026-00006"}
    assert "WhatDoTheyKnow" in notes["FOI-2026-00003"] and "published" in notes["FOI-2026-00003"]
    assert "'streets.exe': this file is a Windows executable" in notes["FOI-2026-00006"]
    assert "streets.txt" not in notes["FOI-2026-00006"]

    outcomes = {message_id: outcome for message_id, outcome, _, _ in state["inbound"]}
    assert outcomes == {
        "<new-request-1@mail.example.org>": "created",
        "<clarified-1@example.net>": "filed",
        "<follow-up-1@example.net>": "filed",
        "<ogm-1234567+abcdef-9a8b@whatdotheyknow.com>": "created",
        "<ooo-1@example.net>": "ignored",
        "<dsn-1@mx.example.com>": "bounce",
        "<html-only-1@example.com>": "created",
        "<pdf-attachment-1@mail.example.org>": "created",
        "<exe-attachment-1@mail.example.org>": "created",
        "<stranger-1@evil.example>": "filed",
    }


# ---------------------------------------------------------------- the samples


async def test_each_sample_becomes_what_it_should_and_a_second_run_changes_nothing(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    await seed_case(sessions)
    lines = {name: (await take_message(sessions.write, raw, settings)).line for name, raw in samples()}
    assert lines == EXPECTED_LINES
    state = await snapshot(sessions)
    assert_samples_filed(state)

    again = [await take_message(sessions.write, raw, settings) for _, raw in samples()]
    assert {(result.outcome, result.line) for result in again} == {(Outcome.ALREADY, "already filed")}
    assert await snapshot(sessions) == state


async def test_the_request_text_and_the_kept_message_are_the_email_as_sent(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    for _, raw in samples()[6:8]:
        await take_message(sessions.write, raw, settings)
    async with sessions.read() as db:
        html = await db.scalar(select(FoiRequest).where(FoiRequest.reference == "FOI-2026-00001"))
        kept = await db.scalar(select(Correspondence).where(Correspondence.message_id == "<html-only-1@example.com>"))
    assert html is not None and kept is not None
    assert html.body.startswith("Hello,\n\nPlease send me the opening hours") and "> the hours changed in May" in html.body
    assert kept.body == html.body and kept.at == datetime(2026, 12, 1, 13, 15, tzinfo=UTC)


async def test_a_reply_naming_a_request_waiting_for_clarification_is_its_clarification(sessions, settings: Settings, staff: Staff) -> None:
    settings = intake_settings(settings)
    await seed_case(sessions)
    async with unit_of_work(sessions.write, zone=LONDON) as uow:
        await apply_action(
            uow.session,
            "FOI-2026-00001",
            action="request_clarification",
            params={},
            actor=staff.officer,
            zone=LONDON,
            on=date(2026, 11, 20),
        )
    result = await take_message(sessions.write, (SAMPLES / "03_subject_reply.eml").read_bytes(), settings)
    assert result.line == "filed on FOI-2026-00001 as a reply to the clarification request"


async def test_only_the_requester_answers_for_their_request_anyone_else_leaves_a_message(
    sessions, settings: Settings, staff: Staff
) -> None:
    """A stranger naming a request waiting for clarification, or answering its clarification request,
    must not be filed as the requester's clarification (which offers to restart the clock)."""
    settings = intake_settings(settings)
    await seed_case(sessions)
    await step(sessions, staff, "request_clarification", date(2026, 11, 20))
    stranger = "Mallory <stranger@evil.example>"
    lines = [
        (await take_message(sessions.write, raw, settings)).line
        for raw in (
            mail(stranger, "About FOI-2026-00001", "Please treat this as my clarification.", "<s-1@evil.example>"),
            mail(stranger, "Re: Please clarify", "Street lighting only.", "<s-2@evil.example>", In_Reply_To="<clarification-1@foi.test>"),
            mail(stranger, "Re: Please clarify", "Street lighting only.", "<s-3@evil.example>", References="<clarification-1@foi.test>"),
            # the requester's own address, in any capitals, from any client
            mail("ROBIN ROE <ROBIN.ROE@EXAMPLE.NET>", "About FOI-2026-00001", "Maintenance contracts only.", "<r-1@example.net>"),
        )
    ]
    assert lines == [
        "filed on FOI-2026-00001 as a message from someone other than the requester",
        "filed on FOI-2026-00001 as a message from someone other than the requester",
        "filed on FOI-2026-00001 as a message from someone other than the requester",
        "filed on FOI-2026-00001 as a reply to the clarification request",
    ]
    assert await filed_kinds(sessions) == {
        "<s-1@evil.example>": ("FOI-2026-00001", "message"),
        "<s-2@evil.example>": ("FOI-2026-00001", "message"),
        "<s-3@evil.example>": ("FOI-2026-00001", "message"),
        "<r-1@example.net>": ("FOI-2026-00001", "clarification_reply"),
    }
    async with sessions.read() as db:
        request = await db.scalar(select(FoiRequest).where(FoiRequest.reference == "FOI-2026-00001"))
    assert request is not None and request.status == "awaiting_clarification"  # nothing is recorded by itself


async def test_a_request_with_no_email_is_answered_by_nobody_by_email(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    async with unit_of_work(sessions.write, zone=LONDON) as uow:
        await create_request(
            uow.session,
            NewRequest(
                regime="foia",
                title="Bins",
                body="How many bins?",
                requester=RequesterDetails(name="Pat Post", address="1 High Street, Anytown"),
                channel="post",
                received_on=date(2026, 11, 2),
            ),
            None,
            LONDON,
        )
    result = await take_message(sessions.write, mail("pat@example.org", "FOI-2026-00001", "It's me.", "<p-1@example.org>"), settings)
    assert result.line == "filed on FOI-2026-00001 as a message from someone other than the requester"


async def test_a_later_message_from_a_whatdotheyknow_address_is_filed_on_its_request(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    first = (SAMPLES / "04_whatdotheyknow.eml").read_bytes()
    assert (await take_message(sessions.write, first, settings)).line == "created FOI-2026-00001"
    follow_up = first.replace(b"<ogm-1234567+abcdef-9a8b@whatdotheyknow.com>", b"<ogm-2@whatdotheyknow.com>").replace(
        b"Subject: Freedom of Information request - Grit bins", b"Subject: Re: Freedom of Information request - Grit bins"
    )
    assert (await take_message(sessions.write, follow_up, settings)).line == "filed on FOI-2026-00001 as a reply"
    # the same person writing from an ordinary address about something else is a new request
    elsewhere = follow_up.replace(b"<ogm-2@whatdotheyknow.com>", b"<own-1@example.org>").replace(
        b"From: Sam Asker <foi+request-987654-1a2b3c4d@whatdotheyknow.com>", b"From: Sam Asker <sam@example.org>"
    )
    assert (await take_message(sessions.write, elsewhere, settings)).line == "created FOI-2026-00002"
    # another WhatDoTheyKnow request's address, or the person's own address, answering this request's
    # thread is not the request's own address
    for n, sender in enumerate([b"foi+request-111111-0f0f0f0f@whatdotheyknow.com", b"sam@example.org"]):
        other = (
            first.replace(b"<ogm-1234567+abcdef-9a8b@whatdotheyknow.com>", f"<other-{n}@example.org>".encode())
            .replace(b"From: Sam Asker <foi+request-987654-1a2b3c4d@whatdotheyknow.com>", b"From: Sam Asker <" + sender + b">")
            .replace(b"Message-ID:", b"In-Reply-To: <ogm-2@whatdotheyknow.com>\nMessage-ID:")
        )
        line = (await take_message(sessions.write, other, settings)).line
        assert line == "filed on FOI-2026-00001 as a message from someone other than the requester"


async def test_a_reference_to_no_request_and_an_unknown_thread_make_a_new_request(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    raw = (
        (SAMPLES / "02_clarification_reply.eml")
        .read_bytes()
        .replace(b"Subject: Re: Please clarify your request", b"Subject: FOI-2026-00042")
    )
    assert (await take_message(sessions.write, raw, settings)).line == "created FOI-2026-00001"


async def test_the_requester_asking_for_an_internal_review_of_a_response_is_a_review_request(
    sessions, settings: Settings, staff: Staff
) -> None:
    settings = intake_settings(settings)
    await seed_case(sessions)
    robin = "Robin Roe <robin.roe@example.net>"
    response = "<notice-2@foi.test>"
    # before the response, the same words are an ordinary reply
    early = mail(robin, "Review of FOI-2026-00001", "Please review the dates.", "<early-1@example.net>")
    assert (await take_message(sessions.write, early, settings)).line == "filed on FOI-2026-00001 as a reply"
    await step(
        sessions, staff, "respond", date(2026, 11, 25), outcome="refused_in_full", exemptions=["FOIA-s43"], response="Withheld (s.43(2))."
    )
    messages = {
        # the subject, as WhatDoTheyKnow writes it, or the first lines
        "<review-1@example.net>": mail(robin, "Internal review of FOI-2026-00001", "I am not satisfied.", "<review-1@example.net>"),
        "<review-2@example.net>": mail(
            robin,
            "Re: Your request FOI-2026-00001: our response",
            "Thank you.\n\nPlease RECONSIDER your decision.",
            "<review-2@example.net>",
            In_Reply_To=response,
        ),
        "<review-3@example.net>": mail(
            robin, "Re: our response", "I would like an internal review, please.", "<review-3@example.net>", In_Reply_To=response
        ),
        # the words only in the notice it quotes, or far below the sender's own first lines: a reply
        "<thanks-1@example.net>": mail(
            robin,
            "Re: Your request FOI-2026-00001: our response",
            "Thank you, that is all I needed.\n\nOn Wed, 25 Nov 2026, FOI <foi@council.example> wrote:\n> "
            "If you are unhappy, you may ask for an internal review.",
            "<thanks-1@example.net>",
            In_Reply_To=response,
        ),
        "<thanks-2@example.net>": mail(
            robin, "FOI-2026-00001", "Thanks.\nOne.\nTwo.\nThree.\nFour.\nI may reconsider my plans.", "<thanks-2@example.net>"
        ),
        # someone else asking: a message
        "<stranger-1@evil.example>": mail(
            "stranger@evil.example", "Internal review of FOI-2026-00001", "Please review this.", "<stranger-1@evil.example>"
        ),
    }
    lines = {message_id: (await take_message(sessions.write, raw, settings)).line for message_id, raw in messages.items()}
    assert lines == {
        "<review-1@example.net>": "filed on FOI-2026-00001 as a request for internal review",
        "<review-2@example.net>": "filed on FOI-2026-00001 as a request for internal review",
        "<review-3@example.net>": "filed on FOI-2026-00001 as a request for internal review",
        "<thanks-1@example.net>": "filed on FOI-2026-00001 as a reply",
        "<thanks-2@example.net>": "filed on FOI-2026-00001 as a reply",
        "<stranger-1@evil.example>": "filed on FOI-2026-00001 as a message from someone other than the requester",
    }
    kinds = await filed_kinds(sessions)
    assert [kinds[message_id][1] for message_id in messages] == ["review_request"] * 3 + ["reply", "reply", "message"]


async def test_a_message_longer_than_a_request_can_be_is_filed_with_the_whole_of_it_attached(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    lines = [f"{n}. How many parking fines were issued on street {n} in 2025, and for how much in all?" for n in range(1, 1800)]
    text = "Dear Council,\n\n" + "\n".join(lines) + "\n\nYours faithfully,\nAlex Smith"
    assert 150_000 < len(text) < 160_000
    result = await take_message(
        sessions.write, mail("Alex Smith <alex@example.org>", "Parking fines", text, "<long-1@example.org>"), settings
    )
    assert result.line == "created FOI-2026-00001"
    async with sessions.read() as db:
        request = await db.scalar(select(FoiRequest).where(FoiRequest.reference == "FOI-2026-00001"))
        documents = (await db.execute(select(Document).order_by(Document.id))).scalars().all()
        kept = await db.scalar(select(Correspondence).where(Correspondence.message_id == "<long-1@example.org>"))
    assert request is not None and kept is not None
    first_part, _, last_line = request.body.rpartition("\n\n")
    assert len(request.body) <= 100_000
    assert last_line == (
        f"[The e-mail is longer ({len(text):,} characters) than a request's text can be: this is its first part. "
        'The whole message is kept as the attached document "message.txt".]'
    )
    assert text.startswith(first_part + "\n") and first_part.split("\n")[-1] in lines  # cut where a line ends
    assert len(first_part) > 90_000
    [whole] = documents
    assert (whole.filename, whole.content_type, whole.for_release, whole.uploaded_by_id) == (
        "message.txt",
        "text/plain; charset=utf-8",
        False,
        None,
    )
    stored = ContentStore(settings.storage_dir, settings.max_upload_bytes).path_for(whole.sha256).read_text()
    assert stored == f"The whole e-mail this request was made in (the request's text is its first part only):\n\n{text}\n"
    assert kept.documents == [whole.id] and kept.body == text


async def test_a_long_message_kept_whole_is_plain_text_whatever_it_starts_with(sessions, settings: Settings) -> None:
    """The upload rules refuse a file that starts like HTML; the whole message must be kept anyway."""
    settings = intake_settings(settings)
    text = "<p> is how my editor starts a paragraph. " * 3000 + "\nSmart quotes from Outlook\x92s Windows-1252."
    raw = mail("Alex Smith <alex@example.org>", "Markup", "", "<long-2@example.org>")
    raw = raw.split(b"\n\n", 1)[0].replace(b"utf-8", b"iso-8859-1") + b"\n\n" + text.encode("latin-1")
    assert (await take_message(sessions.write, raw, settings)).line == "created FOI-2026-00001"
    async with sessions.read() as db:
        [whole] = (await db.execute(select(Document))).scalars().all()
        request = await db.get_one(FoiRequest, 1)
    assert (whole.filename, whole.content_type) == ("message.txt", "text/plain; charset=utf-8")
    assert request.body.startswith("<p> is how my editor") and request.body.endswith('"message.txt".]')
    assert ContentStore(settings.storage_dir, 1).path_for(whole.sha256).read_text().endswith("Outlook’s Windows-1252.\n")


async def test_a_name_and_a_title_lose_the_characters_that_would_reverse_or_hide_them(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    raw = mail(
        "\u202eJane\u202c \u2066Example\u2069\u200b <jane@example.org>",
        "=?utf-8?q?Bins_=E2=80=AEtxt.exe=E2=80=AC_on_Mill_Lane=E2=81=A8?=",
        "How many bins?",
        "<bidi-1@example.org>",
    )
    assert (await take_message(sessions.write, raw, settings)).line == "created FOI-2026-00001"
    state = await snapshot(sessions)
    ((_, _, _, _, title, *_, name, _),) = state["requests"]
    assert (name, title) == ("Jane Example", "Bins txt.exe on Mill Lane")


# ---------------------------------------------------------------- tried again


async def test_a_message_that_failed_before_is_filed_when_it_comes_again(sessions, settings: Settings) -> None:
    """The browser trial's case: a long request refused by an earlier version, piped again once fixed."""
    settings = intake_settings(settings)
    raw = (SAMPLES / "01_new_request.eml").read_bytes()
    async with unit_of_work(sessions.write, zone=LONDON) as uow:
        uow.session.add(
            InboundMessage(
                message_id="<new-request-1@mail.example.org>",
                received_at=datetime(2026, 11, 30, 16, 45, 12, tzinfo=UTC),
                outcome="ignored",
                reason="not filed: body: at most 100000 characters (got 150000)",
            )
        )
    result = await take_message(sessions.write, raw, settings)
    assert (result.outcome, result.line) == (Outcome.CREATED, "created FOI-2026-00001")
    state = await snapshot(sessions)
    assert state["inbound"] == [("<new-request-1@mail.example.org>", "created", "new request", "FOI-2026-00001")]
    # filed now: it stays filed
    assert (await take_message(sessions.write, raw, settings)).line == "already filed"
    assert await snapshot(sessions) == state


async def test_two_runs_trying_a_failed_message_again_at_once_file_it_once(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    raw = (SAMPLES / "01_new_request.eml").read_bytes()
    async with unit_of_work(sessions.write, zone=LONDON) as uow:
        uow.session.add(
            InboundMessage(message_id="<new-request-1@mail.example.org>", outcome="ignored", reason="not filed: a fault since fixed")
        )
    first_has_filed = asyncio.Event()

    async def first() -> str:
        async with unit_of_work(sessions.write, zone=LONDON) as uow:
            result = await file_message(uow, raw, settings)
            first_has_filed.set()
            await asyncio.sleep(0.5)  # not committed yet: the other run is trying meanwhile
        return result.line

    async def second() -> str:
        await first_has_filed.wait()
        return (await take_message(sessions.write, raw, settings)).line

    assert await asyncio.gather(first(), second()) == ["created FOI-2026-00001", "already filed"]
    async with sessions.read() as db:
        assert await db.scalar(select(func.count()).select_from(FoiRequest)) == 1
        assert await db.scalar(select(func.count()).select_from(Correspondence)) == 1
        assert (await db.get_one(InboundMessage, "<new-request-1@mail.example.org>")).outcome == "created"


async def test_automatic_replies_and_filed_messages_are_not_tried_again(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    for name in ("01_new_request.eml", "05_out_of_office.eml"):
        await take_message(sessions.write, (SAMPLES / name).read_bytes(), settings)
    state = await snapshot(sessions)
    again = [
        (await take_message(sessions.write, (SAMPLES / name).read_bytes(), settings)).line
        for name in ("01_new_request.eml", "05_out_of_office.eml")
    ]
    assert again == ["already filed", "already filed"]
    assert await snapshot(sessions) == state


# ---------------------------------------------------------------- what is not a request


async def test_bounces_of_what_we_never_sent_delay_notices_and_loops_are_ignored_and_kept_nowhere(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    bounce = (SAMPLES / "06_bounce.eml").read_bytes()
    delayed = bounce.replace(b"Action: failed", b"Action: delayed").replace(b"<dsn-1@", b"<dsn-2@")
    loop = b"From: Test Borough Council <foi@council.example>\nSubject: Your request FOI-2026-00001\nMessage-ID: <loop-1@x>\n\nDear Robin\n"
    lines = [(await take_message(sessions.write, raw, settings)).line for raw in (bounce, delayed, loop)]
    assert lines == [
        "ignored: a bounce of a message this tracker did not send",
        "ignored: a delivery status notice (delayed), not a failure",
        "ignored: sent by this tracker's own address (a mail loop)",
    ]
    state = await snapshot(sessions)
    assert state["requests"] == [] and state["correspondence"] == []
    assert [(outcome, reason) for _, outcome, reason, _ in state["inbound"]] == [
        ("ignored", "a bounce of a message this tracker did not send"),
        ("ignored", "a delivery status notice (delayed), not a failure"),
        ("ignored", "sent by this tracker's own address (a mail loop)"),
    ]


async def test_input_that_is_not_an_email_is_refused_and_writes_nothing(sessions, settings: Settings) -> None:
    with pytest.raises(UnreadableMessage):
        await take_message(sessions.write, b"\x00\x01 not mail", intake_settings(settings))
    async with sessions.read() as db:
        assert await db.scalar(select(func.count()).select_from(InboundMessage)) == 0


async def test_a_message_that_cannot_be_filed_is_recorded_as_not_filed_and_leaves_nothing_else(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    raw = (SAMPLES / "08_pdf_attachment.eml").read_bytes().replace(b"<priya.patel@mail.example.org>", b"<priya@localhost>")
    result = await take_message(sessions.write, raw, settings)
    assert (result.outcome, result.line) == (Outcome.FAILED, "not filed: Requester's email is not a valid email address")
    state = await snapshot(sessions)
    assert state["requests"] == state["correspondence"] == state["documents"] == []
    assert state["inbound"] == [
        ("<pdf-attachment-1@mail.example.org>", "ignored", "not filed: Requester's email is not a valid email address", None)
    ]
    # tried again when it comes again, failing the same way: the same line, and still nothing kept
    again = await take_message(sessions.write, raw, settings)
    assert (again.outcome, again.line, again.earlier_failed) == (Outcome.FAILED, result.line, True)
    assert await snapshot(sessions) == state
    assert "priya" not in result.line + again.line  # never the sender's address


@pytest.mark.slow
async def test_a_60_mb_attachment_and_an_executable_never_stop_the_request(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    mail = EmailMessage()
    mail["From"] = "Alex Smith <alex@example.org>"
    mail["Subject"] = "Parking fines"
    mail["Message-ID"] = "<big-1@example.org>"
    mail.set_content("How many parking fines were issued in 2025?")
    mail.add_attachment(b"%PDF-1.4\n" + b"0" * (60 * 1024 * 1024), maintype="application", subtype="pdf", filename="scan.pdf")
    mail.add_attachment(b"MZ" + b"\x00" * 64, maintype="application", subtype="octet-stream", filename="tool.exe")
    result = await take_message(sessions.write, mail.as_bytes(), settings)
    assert result.line == "created FOI-2026-00001"
    state = await snapshot(sessions)
    assert state["documents"] == []
    ((reference, note),) = state["notes"]
    assert reference == "FOI-2026-00001"
    assert "'scan.pdf': the file is larger than the 50 MB limit" in note
    assert "'tool.exe': this file is a Windows executable" in note
    assert not list((settings.storage_dir / "tmp").glob("*"))  # nothing of the refused files is left


# ---------------------------------------------------------------- several hosts at once


async def test_two_runs_at_once_file_a_message_once(sessions, settings: Settings) -> None:
    settings = intake_settings(settings)
    raw = (SAMPLES / "01_new_request.eml").read_bytes()
    first_has_filed = asyncio.Event()

    async def first() -> str:
        async with unit_of_work(sessions.write, zone=LONDON) as uow:
            result = await file_message(uow, raw, settings)
            first_has_filed.set()
            await asyncio.sleep(0.5)  # not committed yet: the other run is trying meanwhile
        return result.line

    async def second() -> str:
        await first_has_filed.wait()
        return (await take_message(sessions.write, raw, settings)).line

    assert await asyncio.gather(first(), second()) == ["created FOI-2026-00001", "already filed"]
    async with sessions.read() as db:
        assert await db.scalar(select(func.count()).select_from(FoiRequest)) == 1
        assert await db.scalar(select(func.count()).select_from(Correspondence)) == 1


# ---------------------------------------------------------------- the acknowledgement


async def test_a_new_request_by_email_is_acknowledged_unless_turned_off(sessions, settings: Settings) -> None:
    """The acknowledgement itself is app/services/correspondence.py's (queued here, sent after the commit)."""
    on = dataclasses.replace(
        intake_settings(settings), correspondence=CorrespondenceSettings(request_email=OUR_ADDRESS, auto_acknowledge=True)
    )
    await take_message(sessions.write, (SAMPLES / "01_new_request.eml").read_bytes(), on)
    await take_message(sessions.write, (SAMPLES / "07_html_only.eml").read_bytes(), intake_settings(settings))
    async with sessions.read() as db:
        out = (
            await db.execute(
                select(Correspondence.request_id, Correspondence.kind, Correspondence.address).where(Correspondence.direction == "out")
            )
        ).all()
    assert out == [(1, "acknowledgement", "jane.example@mail.example.org")]
