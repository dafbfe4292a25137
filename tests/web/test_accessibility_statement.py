"""The accessibility statement (/accessibility): the model format's parts, contact and enforcement from settings."""

from __future__ import annotations

import dataclasses

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
        "<h2>If you are not happy with our answer</h2>",
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
