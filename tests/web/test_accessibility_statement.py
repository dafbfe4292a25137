"""The accessibility statement (/accessibility): the model format's parts, contact and enforcement from settings."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import AccessibilitySettings, CorrespondenceSettings, Settings
from tests.factories import Staff, sign_in


async def _statement(settings: Settings) -> str:
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        answer = await client.get("/accessibility")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-cache"  # a public page, like the disclosure log
    return answer.text


async def test_the_statement_has_the_model_parts_and_the_authoritys_contact(settings: Settings) -> None:
    text = await _statement(
        dataclasses.replace(
            settings,
            accessibility=AccessibilitySettings(contact="access@test-borough.example", reviewed="2027-03-01"),
            correspondence=CorrespondenceSettings(postal_address="FOI Team\nTown Hall\nTB1 1AA"),
        )
    )
    for part in (
        "<h1>Accessibility statement for this Freedom of Information service</h1>",
        "<h2>How accessible this service is</h2>",
        "<h2>If you need information in another format</h2>",
        "<h2>Reporting accessibility problems with this service</h2>",
        "<h2>Enforcement procedure</h2>",
        "<h2>Technical information about this service's accessibility</h2>",
        "<h3>Compliance status</h3>",
        "<h2>Content that is not accessible</h2>",
        "<h2>How we tested this service</h2>",
        "<h2>Preparation of this accessibility statement</h2>",
    ):
        assert part in text, part
    assert '<a href="mailto:access@test-borough.example">access@test-borough.example</a>' in text
    assert "FOI Team, Town Hall, TB1 1AA" in text
    assert "This service is partially compliant with the" in text and "version 2.2</a> AA standard" in text
    assert "Equality and Human Rights Commission" in text and "Equality Advisory and Support Service" in text
    assert "Northern Ireland (ECNI)" not in text
    assert "It was last reviewed on 1 March 2027." in text
    assert 'href="/accessibility"' in text  # the footer links to it on every page


async def test_northern_ireland_names_its_own_commission_and_a_phone_number_is_not_a_link(settings: Settings) -> None:
    text = await _statement(dataclasses.replace(settings, accessibility=AccessibilitySettings(contact="028 9000 0000", enforcement="ecni")))
    assert "Equality Commission for Northern Ireland" in text and "https://www.equalityni.org/" in text
    assert "Equality Advisory and Support Service" not in text
    assert "telephone 028 9000 0000" in text and "mailto:" not in text


async def test_without_a_contact_of_its_own_the_statement_gives_the_request_address(settings: Settings) -> None:
    text = await _statement(dataclasses.replace(settings, correspondence=CorrespondenceSettings(request_email="foi@test-borough.example")))
    assert '<a href="mailto:foi@test-borough.example">' in text


async def test_staff_pages_link_to_the_statement_too(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    page = await client.get("/staff/requests")
    assert page.status_code == 200 and '<a href="/accessibility">Accessibility statement</a>' in page.text


async def test_with_no_contact_set_the_statement_gives_the_request_form_and_the_start_up_log_says_so(settings: Settings) -> None:
    """Neither FOI_ACCESSIBILITY_CONTACT nor FOI_REQUEST_EMAIL: the statement still says how to reach the
    authority in a way that works (the online form at /request), never 'the usual ways', and each process
    warns at start-up, naming the setting to make."""
    bare = dataclasses.replace(settings, accessibility=AccessibilitySettings(), correspondence=CorrespondenceSettings())
    with _warnings_logged() as warnings:
        text = await _statement(bare)
    assert "usual ways" not in text
    assert text.count('<a href="/request">online request form</a>') == 2  # other formats, and reporting a problem
    assert "mailto:" not in text and "telephone" not in text
    about_statement = [message for message in warnings if "accessibility statement" in message]
    assert len(about_statement) == 1 and "FOI_ACCESSIBILITY_CONTACT" in about_statement[0] and "/request" in about_statement[0]

    with _warnings_logged() as warnings:
        await _statement(dataclasses.replace(bare, accessibility=AccessibilitySettings(contact="access@test-borough.example")))
    assert not [message for message in warnings if "accessibility statement" in message]


@contextmanager
def _warnings_logged() -> Iterator[list[str]]:
    """The app's warnings (a handler of our own: Litestar's logging set-up replaces the root's, and pytest's with it)."""
    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Keep(logging.WARNING)
    logging.getLogger("app").addHandler(handler)
    try:
        yield seen
    finally:
        logging.getLogger("app").removeHandler(handler)


async def test_the_enforcement_procedure_and_the_dates_follow_the_model_statement(settings: Settings) -> None:
    text = await _statement(dataclasses.replace(settings, accessibility=AccessibilitySettings(reviewed="2027-03-01")))
    enforcement = text[text.index("<h2>Enforcement procedure</h2>") : text.index("<h2>Technical information")]
    assert '<a href="https://www.equalityhumanrights.com/">Equality and Human Rights Commission (EHRC)</a>' in enforcement
    assert "is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2)" in " ".join(
        enforcement.split()
    )
    assert '<a href="https://www.equalityadvisoryservice.com/">contact the Equality Advisory and Support Service (EASS)</a>' in enforcement
    assert "This statement was prepared on 6 December 2026. It was last reviewed on 1 March 2027." in text
    unset = await _statement(dataclasses.replace(settings, accessibility=AccessibilitySettings()))
    assert "This statement was prepared on 6 December 2026. It was last reviewed on 6 December 2026." in unset


async def test_a_review_date_before_the_statement_was_prepared_is_warned_of(settings: Settings) -> None:
    with _warnings_logged() as warnings:
        text = await _statement(
            dataclasses.replace(settings, accessibility=AccessibilitySettings(contact="01632 960000", reviewed="2026-01-05"))
        )
    assert "It was last reviewed on 6 December 2026." in text
    assert [m for m in warnings if m.startswith("FOI_ACCESSIBILITY_REVIEWED (5 January 2026) is before")], warnings
    assert not [m for m in warnings if "2026-01-05" in m]  # dates in words
