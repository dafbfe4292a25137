"""The disclosure log's search says what is wrong with it the same way with JavaScript (htmx swaps the
results as one types) and without, and as the API does: a date refused or a range reversed is named in
the form's labels with its boxes marked, a page past the last says how many there are (issue 13)."""

from __future__ import annotations

import html
import re

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, token_for
from tests.web.test_public_cache import publish

FROZEN = "2025-10-22 10:00 +01:00"
HTMX = {"HX-Request": "true", "HX-Target": "disclosure-results"}
REVERSED = "The \u2018Released to\u2019 date must be the same as or after the \u2018Released from\u2019 date"


def _boxes(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def _summary(text: str) -> list[tuple[str, str]]:
    box = text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return [
        (href, html.unescape(re.sub(r"<[^>]+>", "", label)).strip())
        for href, label in re.findall(r'<a href="([^"]+)">(.*?)</a>', box, re.S)
    ]


def _marked(text: str, name: str) -> list[str]:
    """The boxes of date `name` marked invalid: day, month, year."""
    found = re.findall(rf'<input [^>]*id="{name}(?:-(month|year))?"[^>]*>', text)
    tags = re.findall(rf'<input [^>]*id="{name}(?:-month|-year)?"[^>]*>', text)
    return [part or "day" for part, tag in zip(found, tags, strict=True) if 'aria-invalid="true"' in tag]


def _oob(text: str, name: str) -> str:
    """The date's fieldset an htmx answer swaps in beside the results (hx-swap-oob)."""
    match = re.search(rf'<div id="{name}-date" hx-swap-oob="true">(.*?)</fieldset>\s*</div>', text, re.S)
    assert match, f"no out-of-band swap of the {name} date in the answer"
    return match.group(1)


async def test_a_reversed_range_is_refused_in_the_form_s_labels_and_marks_the_to_date(client: AsyncTestClient) -> None:
    dates = {**_boxes("from", "1", "5", "2026"), **_boxes("to", "1", "1", "2026")}
    page = await client.get("/disclosures", params=dates)
    assert page.status_code == 422
    assert _summary(page.text) == [("#to", REVERSED)]
    assert _marked(page.text, "to") == ["day", "month", "year"] and _marked(page.text, "from") == []
    assert f'<p class="field-error" id="to-error"><span class="visually-hidden">Error:</span> {REVERSED}</p>' in page.text
    assert re.search(r'<fieldset [^>]*aria-describedby="to-hint to-error"', page.text)
    # a link or a script giving the dates as YYYY-MM-DD is told the same
    api = await client.get("/api/v1/disclosures", params={"from": "2026-05-01", "to": "2026-01-01"})
    assert api.status_code == 422
    assert (api.json()["field"], api.json()["detail"]) == ("to", REVERSED)
    # with JavaScript: the results say it, and the boxes are marked as without it
    live = await client.get("/disclosures", params=dates, headers=HTMX)
    assert live.status_code == 200 and _summary(live.text) == [("#to", REVERSED)]
    assert _marked(_oob(live.text, "to"), "to") == ["day", "month", "year"]
    assert _marked(_oob(live.text, "from"), "from") == []
    # the same day at both ends is a range
    assert (await client.get("/disclosures", params={"from": "2026-01-01", "to": "2026-01-01"})).status_code == 200


async def test_an_answer_swapped_in_marks_the_boxes_of_a_date_it_refuses_and_unmarks_them_once_put_right(client: AsyncTestClient) -> None:
    typo = await client.get("/disclosures", params=_boxes("from", "1", "3", "26"), headers=HTMX)
    message = "Released from must include a year with 4 numbers"
    assert typo.status_code == 200
    assert _summary(typo.text) == [("#from-year", message)]
    swapped = _oob(typo.text, "from")
    assert _marked(swapped, "from") == ["year"]
    assert f'id="from-error"><span class="visually-hidden">Error:</span> {message}</p>' in swapped
    assert 'aria-describedby="from-hint from-error"' in swapped and 'value="26"' in swapped
    # the page without JavaScript marks the same box
    assert _marked((await client.get("/disclosures", params=_boxes("from", "1", "3", "26"))).text, "from") == ["year"]

    fixed = await client.get("/disclosures", params=_boxes("from", "1", "3", "2026"), headers=HTMX)
    assert 'class="error-summary"' not in fixed.text
    swapped = _oob(fixed.text, "from")
    assert _marked(swapped, "from") == [] and "field-error" not in swapped and 'value="2026"' in swapped


@time_machine.travel(FROZEN, tick=False)
async def test_a_page_past_the_last_says_how_many_pages_there_are_and_links_to_the_last(
    client: AsyncTestClient, staff: Staff, sessions
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    for number in range(21):  # 20 to a page: 2 pages
        await publish(client, headers, f"Gritting routes {number}")
    page = await client.get("/disclosures", params={"q": "gritting", "page": "500"})
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert "page 500 of 2" not in text
    assert "There are only 2 pages of releases matching <strong>gritting</strong>." in text
    assert '<a href="/disclosures?q=gritting&amp;page=2">Go to the last page (page 2)</a>' in text
    last = await client.get("/disclosures", params={"q": "gritting", "page": "2"})
    assert "page 2 of 2" in last.text and "There are only" not in last.text
    # the API says the same in its numbers
    api = (await client.get("/api/v1/disclosures", params={"q": "gritting", "page": "500"})).json()
    assert (api["page"], api["pages"], api["items"]) == (500, 2, [])


@time_machine.travel(FROZEN, tick=False)
async def test_a_page_number_that_is_not_one_is_refused_with_a_link_that_goes_somewhere(
    client: AsyncTestClient, staff: Staff, sessions
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    await publish(client, headers, "Gritting routes")
    for typed in ("two", "99999999999"):
        page = await client.get("/disclosures", params={"q": "gritting", "page": typed})
        assert page.status_code == 422  # as the API (docs/contract.md)
        ((href, message),) = _summary(page.text)
        assert message.startswith("Page must be a whole number from 1 to ")
        # not "#page", an id no element has: the first page of the same search, which is shown
        assert href == "/disclosures?q=gritting"
        assert "Gritting routes" in page.text
        assert (await client.get(href)).status_code == 200
        api = await client.get("/api/v1/disclosures", params={"q": "gritting", "page": typed})
        assert (api.status_code, api.json()["field"]) == (422, "page")


async def test_a_date_refused_says_the_same_beside_its_boxes_as_in_the_summary(client: AsyncTestClient) -> None:
    page = await client.get("/disclosures", params={"from": "yesterday"})
    assert page.status_code == 422
    ((href, message),) = _summary(page.text)
    assert (href, message) == ("#from", "Released from: 'yesterday' is not a date (use YYYY-MM-DD)")
    beside = re.search(r'<p class="field-error" id="from-error"><span class="visually-hidden">Error:</span> (.*?)</p>', page.text)
    assert beside and html.unescape(beside.group(1)) == message


@time_machine.travel(FROZEN, tick=False)
async def test_a_refused_filter_is_said_and_the_words_are_still_searched(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    await publish(client, headers, "Gritting routes")
    await publish(client, headers, "Parking permits")
    for refused in (
        {"outcome": "bogus"},
        _boxes("from", "31", "2", "2025"),
        {**_boxes("from", "1", "1", "2025"), **_boxes("to", "1", "12", "2024")},  # reversed: 'to' left out
    ):
        page = await client.get("/disclosures", params={"q": "parking", **refused})
        assert page.status_code == 422 and 'class="error-summary"' in page.text
        text = re.sub(r"\s+", " ", page.text)
        # the words in the box are the words searched: never every release as if they had been
        assert "1 release matching <strong>parking</strong>" in text, refused
        assert "Parking permits" in page.text and "Gritting routes" not in page.text
