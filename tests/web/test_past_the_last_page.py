"""A page number past the last page of a staff list (a link kept from when the list was longer) says how
many pages there are and links to the last, instead of an empty list or "page 500 of 2"."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import AsyncTestClient

from app.models import OutboxMessage
from tests.factories import Staff, bearer, new_request_body, sign_in, token_for


async def test_the_request_list_past_its_last_page_says_how_many_pages_there_are(
    client: AsyncTestClient, staff: Staff, sessions: Any
) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    for n in range(26):  # two pages of 25
        made = await client.post("/api/v1/requests", json=new_request_body(title=f"Street lighting repairs {n}"), headers=officer)
        assert made.status_code == 201, made.text
    await sign_in(client, staff.officer)

    page = await client.get("/staff/requests", params={"q": "lighting", "page": "500"})
    assert page.status_code == 200
    said = re.search(r'<p id="past-last-page">(.*?)</p>', page.text)
    assert said is not None
    assert said.group(1).startswith("There are only 2 pages of requests matching these filters.")
    link = re.search(r'<a href="([^"]*)"[^>]*>Go to the last page \(page 2\)</a>', said.group(1))
    assert link is not None and "q=lighting" in link.group(1) and link.group(1).endswith("page=2")
    assert "No requests match these filters" not in page.text and "page 500 of 2" not in page.text
    last = await client.get(link.group(1).replace("&amp;", "&"))
    assert "26 requests, page 2 of 2" in last.text and "past-last-page" not in last.text

    # answered in place (htmx) the same
    partial = await client.get("/staff/requests?page=9", headers={"HX-Request": "true", "HX-Target": "results"})
    assert partial.status_code == 200 and "There are only 2 pages of requests" in partial.text

    # one page only; and nothing matching at all is still said as before
    single = await client.get("/staff/requests", params={"q": "lighting repairs 7", "page": "3"})
    assert "There is only 1 page of requests matching these filters." in single.text
    none = await client.get("/staff/requests", params={"q": "zeppelin", "page": "3"})
    assert "No requests match these filters" in none.text and "past-last-page" not in none.text


async def test_the_outbox_past_its_last_page_says_how_many_pages_there_are(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    async with sessions.write.begin() as db:
        for n in range(51):  # two pages of 50
            db.add(OutboxMessage(to_address=staff.officer.email, subject=f"Due soon {n}", body="Due soon", kind="officer_reminder"))
    await sign_in(client, staff.admin)
    page = await client.get("/staff/admin/outbox?page=500")
    assert page.status_code == 200
    assert re.search(
        r'There are only 2 pages of messages\. <a href="/staff/admin/outbox\?page=2">Go to the last page \(page 2\)</a>', page.text
    )
    assert "No messages yet" not in page.text
