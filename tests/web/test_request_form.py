"""The public request form over HTTP: the pages, a request made and its answer, refusals that say why
and keep what was typed, CSRF, and hostile input that never gives a 500 nor reaches a log."""

from __future__ import annotations

import dataclasses
import html
import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from app.asgi import create_app
from app.config import CorrespondenceSettings, Settings
from app.models import FoiRequest, Requester

NAME, EMAIL = "Morwenna Trevithick", "morwenna.trevithick@example.org"
REQUEST = "How many street lights were repaired in 2025?\nA total per ward is fine."


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings,
        correspondence=CorrespondenceSettings(
            request_email="foi@council.example",
            postal_address="Information Governance; Town Hall; Kirkhaven KH1 1AA",
            auto_acknowledge=False,  # the acknowledgement is the correspondence service's, tested there
            privacy_notice="We keep your details for three years.\n\nAsk our Data Protection Officer about them.",
        ),
    )


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        yield client


async def open_form(client: AsyncTestClient, seconds_ago: int = 30) -> str:
    """Opens the form as a person would have, `seconds_ago`; returns its signed token."""
    with time_machine.travel(datetime.now(UTC) - timedelta(seconds=seconds_ago)):
        page = await client.get("/request")
    assert page.status_code == 200
    found = re.search(r'name="form_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def fields(client: AsyncTestClient, token: str, **values: Any) -> dict[str, Any]:
    return {
        "_csrf_token": client.cookies.get("csrftoken", ""),
        "form_token": token,
        "name": NAME,
        "email": EMAIL,
        "request": REQUEST,
        **values,
    }


async def request_count(sessions) -> int:
    async with sessions.read() as db:
        return int(await db.scalar(select(func.count()).select_from(FoiRequest)) or 0)


def text_of(page: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


async def test_the_form_says_how_to_ask_what_happens_next_and_where_to_complain(client: AsyncTestClient) -> None:
    page = await client.get("/request")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"  # what a person types is not kept in a shared cache
    assert 'name="_csrf_token"' in page.text and client.cookies.get("csrftoken")
    words = text_of(page)
    assert "Make a Freedom of Information request" in words
    for label in ("What information do you want?", "Your name", "E-mail address", "Postal address", "My request is about the environment"):
        assert label in words
    for choice in ("By e-mail", "A paper copy by post", "To inspect the records in person", "In another format"):
        assert choice in words
    # other ways to ask, from the settings
    assert 'href="mailto:foi@council.example"' in page.text
    assert "Information Governance<br>Town Hall<br>Kirkhaven KH1 1AA" in page.text
    assert "within 20 working days" in words and "internal review" in words
    assert "Information Commissioner’s Office" in words and 'href="https://ico.org.uk/make-a-complaint/"' in page.text
    assert 'href="/request/privacy"' in page.text
    # no staff navigation, nothing about anyone else
    assert "Sign out" not in words


async def test_other_ways_to_ask_are_left_out_when_not_set_and_a_privacy_link_is_a_link(settings: Settings) -> None:
    bare = dataclasses.replace(
        settings, correspondence=CorrespondenceSettings(auto_acknowledge=False, privacy_notice="https://council.example/privacy/foi")
    )
    async with AsyncTestClient(app=create_app(bare), base_url="http://testserver.local") as client:
        page = await client.get("/request")
    assert page.status_code == 200
    assert "Other ways to ask" not in page.text and "mailto:" not in page.text
    assert 'href="https://council.example/privacy/foi"' in page.text


async def test_the_privacy_notice_is_the_authoritys_text(client: AsyncTestClient) -> None:
    page = await client.get("/request/privacy")
    assert page.status_code == 200
    assert "<p>We keep your details for three years.</p>" in page.text
    assert "<p>Ask our Data Protection Officer about them.</p>" in page.text


async def test_a_request_made_shows_its_reference_and_due_date_and_nothing_about_the_requester(client: AsyncTestClient, sessions) -> None:
    token = await open_form(client)
    answer = await client.post("/request", data=fields(client, token, address="7 Wrenfield Road\nKirkhaven"))
    assert answer.status_code == 200, answer.text
    async with sessions.read() as db:
        request = await db.scalar(select(FoiRequest))
        requester = await db.scalar(select(Requester))
    assert (request.channel, request.status, request.regime) == ("web", "new", "foia")
    assert request.title == "How many street lights were repaired in 2025?"
    assert (requester.name, requester.email, requester.address) == (NAME, EMAIL, "7 Wrenfield Road\nKirkhaven")
    words = text_of(answer)
    assert "Request sent" in words and request.reference in words
    assert f"{request.due_on:%A} {request.due_on.day} {request.due_on:%B %Y}" in words
    assert answer.headers["cache-control"] == "no-store"
    for personal in (NAME, "Morwenna", "Trevithick", EMAIL, "Wrenfield"):
        assert personal not in answer.text

    # the same form sent again (a reload, a double click) makes nothing new and says so
    again = await client.post("/request", data=fields(client, token))
    assert again.status_code == 200
    assert "You have already sent this request" in text_of(again) and request.reference in again.text
    assert await request_count(sessions) == 1


async def test_the_environment_box_makes_an_eir_request(client: AsyncTestClient, sessions) -> None:
    token = await open_form(client)
    answer = await client.post("/request", data=fields(client, token, environmental="true", preferred_format="inspect"))
    assert answer.status_code == 200, answer.text
    async with sessions.read() as db:
        request = await db.scalar(select(FoiRequest))
    assert request.reference.startswith("EIR-") and request.preferred_format == "To inspect the records in person"
    assert "Environmental Information Regulations 2004" in text_of(answer)


async def test_an_incomplete_form_is_a_422_naming_each_field_and_keeping_what_was_typed(client: AsyncTestClient, sessions) -> None:
    token = await open_form(client)
    answer = await client.post(
        "/request", data=fields(client, token, name="", email="", request="", address="", preferred_format="other", format_other="")
    )
    assert answer.status_code == 422
    assert "<title>Error: Make a Freedom of Information request" in answer.text
    summary = answer.text[
        answer.text.index('class="error-summary"') : answer.text.index("</div>", answer.text.index('class="error-summary"'))
    ]
    assert 'tabindex="-1" autofocus' in answer.text  # focus moves to the summary, without JavaScript too
    assert re.findall(r'<a href="#([^"]+)">', summary) == ["request", "format_other", "name", "email"]  # down the page, as the form asks
    assert re.findall(r'<a href="#[^"]+">([^<]+)</a>', summary) == [
        "Enter the information you are asking for",
        "Say which format you would like, or choose another option",
        "Enter your name",
        "Enter an e-mail address or a postal address, so that we can reply",
    ]
    for field in ("name", "email", "request", "format_other"):
        assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error"[^>]*aria-invalid="true"', answer.text), field
        assert f'id="{field}-error"' in answer.text
    assert await request_count(sessions) == 0

    # what was typed comes back, and the form's own token with it (the time spent filling it in still counts)
    typed = await client.post("/request", data=fields(client, token, email="not-an-address", address="", request="Bus lane fines"))
    assert typed.status_code == 422
    assert 'value="not-an-address"' in typed.text and ">Bus lane fines</textarea>" in typed.text
    assert f'value="{token}"' in typed.text
    assert "Enter an e-mail address in the correct format, like name@example.com" in text_of(typed)


async def test_a_form_sent_too_quickly_is_refused_with_a_reason_and_can_be_sent_again(client: AsyncTestClient, sessions) -> None:
    token = await open_form(client, seconds_ago=0)
    answer = await client.post("/request", data=fields(client, token))
    assert answer.status_code == 422
    assert "sent very quickly after it was opened" in text_of(answer) and "send it again" in text_of(answer)
    assert await request_count(sessions) == 0
    assert f'value="{token}"' in answer.text and f">{REQUEST}</textarea>" in answer.text
    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=10)):
        later = await client.post("/request", data=fields(client, token))
    assert later.status_code == 200 and "Request sent" in later.text


async def test_the_hidden_field_refuses_without_saying_why_and_says_how_else_to_ask(client: AsyncTestClient, sessions) -> None:
    token = await open_form(client)
    answer = await client.post("/request", data=fields(client, token, website="http://spam.example/pills"))
    assert answer.status_code == 422
    words = text_of(answer)
    assert "could not accept your request from this form, so it has not been sent" in words
    assert "e-mail it to foi@council.example or post it to Information Governance, Town Hall, Kirkhaven KH1 1AA" in words
    assert "spam.example" not in answer.text
    assert await request_count(sessions) == 0


async def test_too_many_from_one_address_is_a_429_saying_when_to_try_again(client: AsyncTestClient, sessions) -> None:
    for ward in range(10):  # the hour's limit, each a request of its own (the same one again is recognised as sent)
        made = await client.post("/request", data=fields(client, await open_form(client), request=f"{REQUEST}\nWard {ward}"))
        assert made.status_code == 200, made.text
    answer = await client.post("/request", data=fields(client, await open_form(client)))
    assert answer.status_code == 429
    assert 0 < int(answer.headers["retry-after"]) <= 3601
    words = text_of(answer)
    assert "10 requests have already been made from your internet connection in the last hour" in words
    assert "Please send it again after" in words and "foi@council.example" in words
    assert f">{REQUEST}</textarea>" in answer.text  # nothing typed is lost
    assert await request_count(sessions) == 10


async def test_the_same_request_sent_again_from_the_form_shown_again_answers_with_its_reference(client: AsyncTestClient, sessions) -> None:
    # Back after sending: the browser asks for the form again (a new token) and fills in what was typed
    first = await client.post("/request", data=fields(client, await open_form(client)))
    assert first.status_code == 200
    reference = re.search(r"FOI-\d{4}-\d{5}", first.text).group(0)  # type: ignore[union-attr]
    for seconds_ago in (10, 1):  # after a while, or at once: it had been sent, so not "sent very quickly"
        again = await client.post("/request", data=fields(client, await open_form(client, seconds_ago=seconds_ago)))
        assert again.status_code == 200
        words = text_of(again)
        assert "You have already sent this request" in words and reference in words
        assert "not been sent" not in words
    assert await request_count(sessions) == 1


async def test_a_form_without_its_csrf_token_is_refused(client: AsyncTestClient, sessions) -> None:
    token = await open_form(client)
    data = fields(client, token)
    del data["_csrf_token"]
    answer = await client.post("/request", data=data)
    assert answer.status_code == 403
    forged = await client.post("/request", data={**data, "_csrf_token": "forged"})
    assert forged.status_code == 403
    assert await request_count(sessions) == 0


async def test_hostile_input_is_refused_or_cleaned_never_a_500_and_never_logged(
    client: AsyncTestClient, sessions, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    token = await open_form(client)
    huge = await client.post("/request", data=fields(client, token, request="x" * 100 * 1024))
    assert huge.status_code == 422 and "Your request must be 100,000 characters or fewer" in text_of(huge)

    nul = await client.post("/request", data=fields(client, await open_form(client), name="Nul\x00 Byte", request="Roads\x00 budget"))
    assert nul.status_code == 200, nul.text
    unicode_made = await client.post(
        "/request",
        data=fields(client, await open_form(client), name="Siân Ó Dochartaigh 李雷", request="Ffyrdd 🚧 <script>alert(1)</script>\u202e"),
    )
    assert unicode_made.status_code == 200
    async with sessions.read() as db:
        names = set(await db.scalars(select(Requester.name)))
        bodies = set(await db.scalars(select(FoiRequest.body)))
    assert names == {"Nul Byte", "Siân Ó Dochartaigh 李雷"} and "Roads budget" in bodies

    token = await open_form(client)
    base = fields(client, token)
    cases = [
        {**base, "environmental": "banana"},  # a tick-box that is not one
        {**base, "preferred_format": "carrier pigeon"},
        {**base, "name": ["one", "two"]},  # a field sent twice
        {**base, "email": "a@" + "b" * 300 + ".example"},
        {**base, "request": "<script>alert(1)</script>", "name": "<b>x</b>", "email": ""},
    ]
    problems = [
        "Tick the box, or leave it unticked",
        "Choose one of the formats listed, or none",
        "Send this field once, as text",
        "Your e-mail address must be 254 characters or fewer",
        "Enter an e-mail address or a postal address",
    ]
    for data, problem in zip(cases, problems, strict=True):
        answer = await client.post("/request", data=data)
        assert answer.status_code == 422, (data, answer.status_code)
        assert problem in text_of(answer)
        assert "<script>alert(1)</script>" not in answer.text  # shown back escaped
    raw = await client.post(
        "/request",
        content=f"_csrf_token={client.cookies.get('csrftoken', '')}&form_token={token}".encode()
        + b"&name=%FF%FE%00&request=%C3%28&email=x%40y.org",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert raw.status_code == 200  # bytes that are not UTF-8 arrive as replacement characters: a request, not a 500
    json_body = await client.post("/request", json={"name": NAME}, headers={"x-csrftoken": client.cookies.get("csrftoken", "")})
    assert json_body.status_code < 500
    assert await request_count(sessions) == 3
    logged = caplog.text
    for personal in ("Siân", "Dochartaigh", EMAIL, "Nul", "Morwenna"):
        assert personal not in logged


async def test_the_home_page_and_a_search_with_no_results_link_to_the_form(client: AsyncTestClient) -> None:
    home = await client.get("/")
    assert 'href="/request"' in home.text
    nothing = await client.get("/disclosures?q=zebra+crossings+on+the+moon")
    assert "Nothing released matches" in nothing.text and 'href="/request"' in nothing.text
