"""Error pages as a person reads them: under /staff, for a member of staff signed in, in the staff layout
(their navigation and Sign out) and GOV.UK's words, never the framework's ("Not Found", "Method Not
Allowed", "404 error"); a request out of an officer's department looks exactly like one that does not
exist; public pages keep the public layout; a NUL character in a search is said with the form's label."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import Settings
from app.services import users as user_service
from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

FRAMEWORK_WORDS = ("Not Found", "Method Not Allowed", "404 error", "405 error", "NUL", "\\0", "no text here may hold one")


def _title(page: str) -> str:
    found = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    assert found is not None
    return found.group(1).split(" – ")[0].strip()


def _staff_header(page: str) -> bool:
    return 'aria-label="Staff"' in page and "Sign out" in page and 'href="/staff/requests"' in page


def _main(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _without_framework_words(page: str) -> None:
    for words in FRAMEWORK_WORDS:
        assert words not in page, words


async def test_a_request_that_does_not_exist_is_a_staff_page_not_found(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    page = await client.get("/staff/requests/FOI-2026-99999")
    assert page.status_code == 404
    assert _staff_header(page.text)
    assert _title(page.text) == "Page not found"
    assert "There is no request FOI-2026-99999." in page.text
    assert "If you typed the web address, check it is correct." in page.text
    _without_framework_words(page.text)


async def test_an_address_no_page_has_is_a_staff_page_not_found(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    page = await client.get("/staff/nothing")
    assert page.status_code == 404
    assert _staff_header(page.text) and "Signed in as Olivia Officer" in page.text
    assert _title(page.text) == "Page not found" and "If you pasted the web address" in page.text
    _without_framework_words(page.text)
    # its Sign out button works: the form carries the session's token
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    out = await client.post("/logout", data={"_csrf_token": token.group(1)}, follow_redirects=False)
    assert out.status_code == 303
    assert (await client.get("/staff/requests", follow_redirects=False)).headers["location"].startswith("/login")


async def test_an_address_taking_a_form_only_opened_as_a_page_leads_to_its_page(
    client: AsyncTestClient, sessions: Any, staff: Staff
) -> None:
    made = await client.post("/api/v1/requests", json=new_request_body(), headers=bearer(await token_for(sessions, staff.officer)))
    reference = made.json()["reference"]
    await sign_in(client, staff.officer)
    page = await client.get(f"/staff/requests/{reference}/actions")
    assert page.status_code == 405 and "POST" in page.headers["allow"]
    assert _staff_header(page.text) and _title(page.text) == "Page not found"
    assert f'<a href="/staff/requests/{reference}">Go to the page this form is on</a>' in page.text
    _without_framework_words(page.text)


async def test_signed_out_the_staff_addresses_keep_the_public_layout(client: AsyncTestClient) -> None:
    page = await client.get("/staff/nothing")
    assert page.status_code == 404 and not _staff_header(page.text)
    assert _title(page.text) == "Page not found" and 'href="/">Go to the home page' in page.text
    _without_framework_words(page.text)


async def test_a_public_page_not_found_keeps_the_public_layout_in_plain_words(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)  # signed in or not, the public side is public
    for address in ("/disclosures/FOI-2026-99999", "/nothing"):
        page = await client.get(address)
        assert page.status_code == 404, address
        assert not _staff_header(page.text) and _title(page.text) == "Page not found"
        _without_framework_words(page.text)
    assert "There is no published request FOI-2026-99999." in (await client.get("/disclosures/FOI-2026-99999")).text


@pytest.fixture
async def scoped(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(replace(settings, department_scope=True)), base_url="http://testserver.local") as client:
        yield client


async def test_a_request_of_another_department_looks_like_one_that_does_not_exist(
    scoped: AsyncTestClient, sessions: Any, staff: Staff
) -> None:
    async with sessions.write.begin() as db:
        await user_service.set_department(db, staff.officer.id, "corporate-services")
    headers = bearer(await token_for(sessions, staff.manager))
    body = new_request_body(department="environment-and-highways", title="Pothole repairs on Elm Road")
    other = (await scoped.post("/api/v1/requests", json=body, headers=headers)).json()["reference"]
    missing = re.sub(r"\d+$", "99999", other)
    await sign_in(scoped, staff.officer)
    for suffix in ("", "/edit"):
        seen, absent = await scoped.get(f"/staff/requests/{other}{suffix}"), await scoped.get(f"/staff/requests/{missing}{suffix}")
        assert seen.status_code == absent.status_code == 404
        assert _main(seen.text).replace(other, "REF") == _main(absent.text).replace(missing, "REF")
        assert _staff_header(seen.text) and "Pothole" not in seen.text


async def test_a_nul_character_in_a_search_is_said_with_the_form_s_label(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    for query, said in (
        ("q=a%00b", "Reference or words in the title must not contain special characters"),
        ("requester=%00", "Requester's name or e-mail must not contain special characters"),
    ):
        page = await client.get(f"/staff/requests?{query}")
        assert page.status_code == 422 and said in html.unescape(page.text), query
        assert _staff_header(page.text)
        _without_framework_words(page.text)
    public = await client.get("/disclosures?from-day=%00&from-month=1&from-year=2026")
    assert public.status_code == 422 and "Released from must not contain special characters" in public.text
    _without_framework_words(public.text)
    assert (await client.get("/disclosures/FOI-2026-00001%00")).status_code == 404
    # the API keeps the field's name, as docs/contract.md says
    api = await client.get("/api/v1/disclosures", params={"q": "bins\x00"})
    assert api.status_code == 422 and api.json()["field"] == "q"


async def test_the_labels_said_for_a_nul_character_are_those_the_pages_show(client: AsyncTestClient, staff: Staff) -> None:
    """The labels app/web/input_bounds.py names a search box by are the labels of the forms themselves."""
    from app.web.input_bounds import _PAGE_LABELS

    await sign_in(client, staff.admin)  # an admin sees every page that searches
    for path, labels in _PAGE_LABELS.items():
        page = await client.get(path)
        assert page.status_code == 200, path
        shown = html.unescape(page.text)
        for name, label in labels.items():
            assert re.search(rf">\s*{re.escape(label)}[\s(<]", shown), (path, name, label)
