"""The public request form's use case: a good form becomes a `new` web request received now; each spam
rule refuses with its own message and writes nothing; the per-address limit holds under concurrency."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.config import CorrespondenceSettings, Settings
from app.models import FoiRequest, Requester, RequestEvent, StoreItem
from app.services.public_requests import (
    AlreadySent,
    FormLimits,
    TooManyWebRequests,
    WebRequestForm,
    WebRequestRefused,
    issue_form_token,
    read_form_token,
    take_web_request,
    title_from,
    token_for_retry,
)
from app.services.unit_of_work import unit_of_work

# 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the request is received on 1 July
NOW = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
ADDRESS = "203.0.113.7"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # the acknowledgement is the correspondence service's (tested there): these tests make requests only
    return dataclasses.replace(
        settings,
        correspondence=CorrespondenceSettings(
            request_email="foi@council.example", postal_address="FOI Team; Town Hall; AB1 2CD", auto_acknowledge=False
        ),
    )


def make_form(settings: Settings, opened: datetime = NOW - timedelta(minutes=2), **fields: object) -> WebRequestForm:
    values: dict[str, object] = {
        "name": "Morwenna Trevithick",
        "email": "Morwenna.T@example.org",
        "request": "Please send the gritting routes for winter 2025/26.\nA map is fine.",
        "form_token": issue_form_token(settings, opened),
    }
    return WebRequestForm(**{**values, **fields})  # type: ignore[arg-type]


def asking(year: int) -> str:
    """A request of its own: the same one sent again is recognised as sent, not made again."""
    return f"Please send the gritting routes for winter {year}."


async def take(
    sessions, settings: Settings, form: WebRequestForm, *, now: datetime = NOW, address: str = ADDRESS, limits: FormLimits | None = None
):
    async with unit_of_work(sessions.write, zone=settings.zone, now=now) as uow:
        return await take_web_request(uow, form, settings, address, now, **({"limits": limits} if limits else {}))


async def counts(sessions) -> tuple[int, int, int, int]:
    async with sessions.read() as db:
        return (
            await db.scalar(select(func.count()).select_from(FoiRequest)),
            await db.scalar(select(func.count()).select_from(Requester)),
            await db.scalar(select(func.count()).select_from(RequestEvent)),
            await db.scalar(select(func.count()).select_from(StoreItem)),
        )


async def test_a_good_form_makes_a_new_web_request_received_now_in_the_zone(sessions, settings: Settings) -> None:
    made = await take(sessions, settings, make_form(settings))
    async with sessions.read() as db:
        request = await db.scalar(select(FoiRequest).where(FoiRequest.id == made.id))
        requester = await db.scalar(select(Requester).where(Requester.id == request.requester_id))
        event = await db.scalar(select(RequestEvent).where(RequestEvent.request_id == made.id))
    assert request.reference == "FOI-2026-00001"
    assert (request.status, request.channel, request.regime) == ("new", "web", "foia")
    assert request.received_at == NOW
    assert request.received_on == date(2026, 7, 1)  # the London date, not the UTC one
    # 20 working days from Wed 1 July 2026, skipping Mon 13 July (the Boyne, NI's substitute day: FOIA counts every UK bank holiday)
    assert request.due_on == date(2026, 7, 30)
    assert request.title == "Please send the gritting routes for winter 2025/26."
    assert request.body == "Please send the gritting routes for winter 2025/26.\nA map is fine."
    assert request.created_by_id is None and request.preferred_format is None
    assert (requester.name, requester.email, requester.address) == ("Morwenna Trevithick", "morwenna.t@example.org", None)
    assert (event.action, event.actor_id, event.details) == ("log", None, {"channel": "web"})


async def test_the_environment_box_and_the_format_chosen_are_kept(sessions, settings: Settings) -> None:
    environmental = await take(
        sessions, settings, make_form(settings, environmental=True, preferred_format="paper", email="", address="1 High St\nAB1 2CD")
    )
    other = await take(sessions, settings, make_form(settings, preferred_format="other", format_other="A spreadsheet (CSV)"))
    assert environmental.reference.startswith("EIR-2026-") and environmental.regime == "eir"
    assert environmental.preferred_format == "A paper copy by post"
    assert other.regime == "foia" and other.preferred_format == "A spreadsheet (CSV)"


def test_the_title_is_the_first_line_that_is_not_a_greeting_cut_at_a_word() -> None:
    assert title_from("Dear FOI team,\n\nHow many   potholes were filled in 2025?\nThanks") == "How many potholes were filled in 2025?"
    long = "Please tell me how much the council spent on agency staff in each department in every month of 2024 and 2025"
    title = title_from(long)
    assert title == "Please tell me how much the council spent on agency staff in each department…"
    assert len(title) <= 80
    assert title_from("Hello") == "Hello"  # only a greeting: better than nothing, and staff can change it
    assert len(title_from("x" * 500)) == 80


async def _refused(sessions, settings: Settings, form: WebRequestForm, **kwargs: object) -> WebRequestRefused:
    before = await counts(sessions)
    with pytest.raises(WebRequestRefused) as refused:
        await take(sessions, settings, form, **kwargs)  # type: ignore[arg-type]
    assert await counts(sessions) == before, "a refused form writes nothing"
    return refused.value


async def test_each_spam_rule_refuses_with_its_own_message_and_writes_nothing(sessions, settings: Settings) -> None:
    honeypot = await _refused(sessions, settings, make_form(settings, website="http://cheap-pills.example"))
    assert honeypot.rule == "honeypot" and honeypot.status_code == 422
    message = honeypot.problems["form"]
    assert "not been sent" in message
    assert "foi@council.example" in message and "Town Hall" in message  # how else to ask
    assert "field" not in message.lower() and "robot" not in message.lower()  # the trick is not given away

    too_fast = await _refused(sessions, settings, make_form(settings, opened=NOW - timedelta(seconds=1)))
    assert too_fast.rule == "too_fast"
    assert "very quickly" in too_fast.problems["form"] and "send it again" in too_fast.problems["form"]
    # a person who sends the form at once, before filling it in, hears what is missing first
    empty_at_once = await _refused(sessions, settings, make_form(settings, opened=NOW - timedelta(seconds=1), name="", request=""))
    assert empty_at_once.rule == "fields" and set(empty_at_once.problems) == {"name", "request"}

    good_token = make_form(settings).form_token
    issued, nonce, signature = good_token.split(".")
    for forged in ["", "not-a-token", f"{int(issued) - 3600}.{nonce}.{signature}", f"{issued}.{nonce}.{signature[:-2]}xx"]:
        refused = await _refused(sessions, settings, make_form(settings, form_token=forged))
        assert refused.rule == "expired", forged
        assert "send it again" in refused.problems["form"]
    # a token signed with another key (another installation's form) is not ours
    other_key = dataclasses.replace(settings, secret_key="another-secret-" + "y" * 32)
    assert (await _refused(sessions, settings, make_form(other_key))).rule == "expired"

    stale = await _refused(sessions, settings, make_form(settings, opened=NOW - timedelta(days=1, minutes=1)))
    assert stale.rule == "expired" and "more than a day" in stale.problems["form"]


async def test_the_fields_are_checked_all_at_once_and_nothing_is_written(sessions, settings: Settings) -> None:
    refused = await _refused(
        sessions, settings, make_form(settings, name="  ", email="", address="", request="\n\n", preferred_format="fax")
    )
    assert refused.rule == "fields"
    assert refused.problems == {
        "name": "Enter your name",
        "email": "Enter an e-mail address or a postal address, so that we can reply",
        "request": "Enter the information you are asking for",
        "preferred_format": "Choose one of the formats listed, or none",
    }
    refused = await _refused(
        sessions, settings, make_form(settings, email="not an address", preferred_format="other", request="x" * 100_001)
    )
    assert refused.problems == {
        "email": "Enter an e-mail address in the correct format, like name@example.com",
        "request": "Your request must be 100,000 characters or fewer (it has 100,001)",
        "format_other": "Say which format you would like, or choose another option",
    }
    # a postal address alone is enough to reply to (FOIA s.8(1)(b))
    made = await take(sessions, settings, make_form(settings, email="", address="Flat 2, 9 Mill Lane\nKirkhaven KH1 1AA"))
    assert made.requester.email is None and made.requester.address == "Flat 2, 9 Mill Lane\nKirkhaven KH1 1AA"


async def test_control_characters_are_dropped_and_any_script_kept(sessions, settings: Settings) -> None:
    made = await take(
        sessions,
        settings,
        make_form(settings, name="Siân Ó Dochartaigh\x00", request="Llywodraeth\x00 leol: 路线图 📄\r\nDiolch\x07"),
    )
    assert made.requester.name == "Siân Ó Dochartaigh"
    assert made.body == "Llywodraeth leol: 路线图 📄\nDiolch"


async def test_a_form_sent_twice_makes_one_request(sessions, settings: Settings) -> None:
    form = make_form(settings)
    made = await take(sessions, settings, form)
    with pytest.raises(AlreadySent) as again:
        await take(sessions, settings, form, now=NOW + timedelta(seconds=5))
    assert (again.value.reference, again.value.due_on) == (made.reference, made.due_on)
    assert (await counts(sessions))[0] == 1


async def test_a_form_sent_twice_at_once_makes_one_request(sessions, settings: Settings) -> None:
    form = make_form(settings)
    results = await asyncio.gather(*(take(sessions, settings, form) for _ in range(4)), return_exceptions=True)
    made = [r for r in results if isinstance(r, FoiRequest)]
    repeats = [r for r in results if isinstance(r, AlreadySent)]
    assert len(made) == 1 and len(repeats) == 3, results
    assert {r.reference for r in repeats} == {made[0].reference}
    assert (await counts(sessions))[0] == 1


async def test_the_per_address_limits_refuse_with_when_to_try_again(sessions, settings: Settings) -> None:
    # each a different request (the same one again would be recognised as sent: tested below)
    limits = FormLimits(per_hour=2, per_day=3)
    first = NOW - timedelta(minutes=50)
    await take(sessions, settings, make_form(settings, opened=first - timedelta(minutes=1), request=asking(2021)), now=first, limits=limits)
    await take(sessions, settings, make_form(settings, request=asking(2022)), limits=limits)
    refused = await _refused(sessions, settings, make_form(settings, request=asking(2023)), limits=limits)
    assert isinstance(refused, TooManyWebRequests) and refused.status_code == 429
    # the first of the hour's two leaves the window at 23:40 UTC, 00:40 in London (today there: 1 July)
    assert refused.retry_after == 10 * 60 + 1
    message = refused.problems["form"]
    assert "2 requests" in message and "last hour" in message and "after 00:40." in message
    assert "foi@council.example" in message

    # another address is counted on its own
    await take(sessions, settings, make_form(settings, request=asking(2024)), address="198.51.100.20", limits=limits)
    # once the first is an hour old, the hour's limit allows one more; an hour later still, the day's is reached
    later = NOW + timedelta(minutes=11)
    await take(sessions, settings, make_form(settings, opened=later - timedelta(minutes=1), request=asking(2025)), now=later, limits=limits)
    next_day = later + timedelta(minutes=61)
    day = await _refused(
        sessions, settings, make_form(settings, opened=next_day - timedelta(minutes=1), request=asking(2026)), now=next_day, limits=limits
    )
    assert isinstance(day, TooManyWebRequests) and "3 requests" in day.problems["form"] and "last day" in day.problems["form"]
    assert "after 23:40." in day.problems["form"]  # 22:40 UTC on 30 June, a day on, in London
    assert (await counts(sessions))[0] == 4


async def test_the_per_address_limit_holds_when_requests_race(sessions, settings: Settings) -> None:
    limits = FormLimits(per_hour=3, per_day=100)
    forms = [make_form(settings, request=asking(2020 + year)) for year in range(8)]
    results = await asyncio.gather(*(take(sessions, settings, form, limits=limits) for form in forms), return_exceptions=True)
    made = [r for r in results if isinstance(r, FoiRequest)]
    refused = [r for r in results if isinstance(r, TooManyWebRequests)]
    assert len(made) == 3 and len(refused) == 5, results
    assert (await counts(sessions))[0] == 3
    assert len({r.reference for r in made}) == 3


async def test_the_store_keeps_no_address_and_forgets_after_a_day(sessions, settings: Settings) -> None:
    await take(sessions, settings, make_form(settings))
    async with sessions.read() as db:
        rows = list(await db.scalars(select(StoreItem)))
    assert len(rows) == 3  # the address's counter, the form's token and what it asked
    typed = (ADDRESS, "Morwenna", "morwenna.t@example.org", "gritting")
    assert not [row for row in rows for text in typed if text in row.key.lower() or text.encode() in row.value.lower()]
    later = NOW + timedelta(days=2)
    await take(sessions, settings, make_form(settings, opened=later - timedelta(minutes=1)), now=later, address="198.51.100.20")
    async with sessions.read() as db:
        assert len(list(await db.scalars(select(StoreItem)))) == 3  # the old ones are gone, the new ones kept


def test_a_refused_form_keeps_its_token_while_it_is_valid(settings: Settings) -> None:
    token = issue_form_token(settings, NOW)
    assert token_for_retry(token, settings, NOW + timedelta(seconds=1)) == token  # the time spent still counts
    renewed = token_for_retry(token, settings, NOW + timedelta(days=2))
    assert renewed != token and read_form_token(renewed, settings).issued_at == NOW + timedelta(days=2)
    assert read_form_token(token_for_retry("forged", settings, NOW), settings) is not None


async def test_the_same_request_sent_again_from_a_form_shown_again_is_recognised(sessions, settings: Settings) -> None:
    # Back after sending shows the form again with a new token and what was typed (the browser keeps it):
    # sent again, after a while or at once (sooner than a person fills in a form, but it had been sent),
    # it is told the request already made, and nothing new is made
    made = await take(sessions, settings, make_form(settings))
    before = await counts(sessions)
    for seconds in (5, 1):
        shown_again = make_form(settings, opened=NOW + timedelta(seconds=60), email=" morwenna.t@EXAMPLE.org ")
        with pytest.raises(AlreadySent) as again:
            await take(sessions, settings, shown_again, now=NOW + timedelta(seconds=60 + seconds))
        assert (again.value.reference, again.value.due_on) == (made.reference, made.due_on)
    assert await counts(sessions) == before


async def test_a_different_request_from_the_same_person_is_made(sessions, settings: Settings) -> None:
    await take(sessions, settings, make_form(settings))
    other = make_form(settings, request="Please send the gritting routes for winter 2024/25.\nA map is fine.")
    await take(sessions, settings, other, now=NOW + timedelta(seconds=10))
    assert (await counts(sessions))[0] == 2


async def test_the_same_request_from_two_forms_sent_at_once_makes_one_request(sessions, settings: Settings) -> None:
    forms = [make_form(settings, opened=NOW - timedelta(minutes=minutes)) for minutes in (2, 3, 4, 5)]
    results = await asyncio.gather(*(take(sessions, settings, form) for form in forms), return_exceptions=True)
    made = [r for r in results if isinstance(r, FoiRequest)]
    repeats = [r for r in results if isinstance(r, AlreadySent)]
    assert len(made) == 1 and len(repeats) == 3, results
    assert {r.reference for r in repeats} == {made[0].reference}
    assert (await counts(sessions))[0] == 1


async def test_a_request_refused_is_not_remembered_as_sent(sessions, settings: Settings) -> None:
    too_fast = make_form(settings, opened=NOW - timedelta(seconds=1))
    with pytest.raises(WebRequestRefused):
        await take(sessions, settings, too_fast)
    await take(sessions, settings, make_form(settings), now=NOW + timedelta(seconds=5))
    assert (await counts(sessions))[0] == 1
