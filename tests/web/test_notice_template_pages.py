"""The admin pages for the notice texts, as an admin uses them: the overview, the edit form with its
preview, saving (errors by field, kept text), the versions, and reset; for admins only."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from litestar.testing import AsyncTestClient

from app.domain.notices import NoticeKind, shipped_text
from app.domain.regimes import Regime
from tests.factories import Staff, csrf_headers, sign_in

ACK_URL = "/staff/admin/notices/acknowledgement/foia"
OURS = "Our own words for {{ reference }}: we will answer by {{ due_on | date }}."


def form(client: AsyncTestClient, **fields: Any) -> dict[str, Any]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


def text_of(page: str, element_id: str) -> str:
    """The text of a textarea, or the value of an input, as the browser would show it."""
    textarea = re.search(rf'<textarea id="{element_id}"[^>]*>(.*?)</textarea>', page, re.S)
    if textarea:
        return unescape(textarea.group(1))
    found = re.search(rf'<input id="{element_id}"[^>]*value="([^"]*)"', page)
    assert found, f"no #{element_id} on the page"
    return unescape(found.group(1))


def row_of(page: str, href: str) -> str:
    """The overview's table row that links to `href`."""
    at = page.index(f'href="{href}"')
    return page[page.rindex("<tr", 0, at) : page.index("</tr>", at)]


def edited_body() -> str:
    return OURS + "\n\n" + shipped_text(NoticeKind.ACKNOWLEDGEMENT, Regime.FOIA).body


async def test_the_pages_are_for_admins_only(client: AsyncTestClient, staff: Staff) -> None:
    anonymous = await client.get(ACK_URL, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/staff/admin/notices/acknowledgement/foia"
    for who in (staff.officer, staff.manager):
        await sign_in(client, who)
        assert (await client.get("/staff/admin/notices")).status_code == 403
        assert (await client.get(ACK_URL)).status_code == 403
        refused = await client.post(ACK_URL, data=form(client, subject="Mine", body="Mine", version="0"))
        assert refused.status_code == 403
        requests_page = await client.get("/staff/requests")
        assert "/staff/admin/notices" not in requests_page.text  # not in their navigation either
        await client.post("/logout", headers=csrf_headers(client))
    await sign_in(client, staff.admin)
    overview = await client.get("/staff/admin/notices")
    assert overview.status_code == 200
    assert 'href="/staff/admin/notices" aria-current="page">Notice texts' in overview.text
    # every notice under every law, each the shipped text and never changed
    for kind in NoticeKind:
        for regime in Regime:
            assert f'href="/staff/admin/notices/{kind.value}/{regime.value}"' in overview.text
    assert overview.text.count("Shipped text") == len(NoticeKind) * len(Regime)
    assert overview.text.count("Never changed") == len(NoticeKind) * len(Regime)
    assert (await client.get("/staff/admin/notices/birthday_card/foia")).status_code == 404
    assert (await client.get("/staff/admin/notices/acknowledgement/gdpr")).status_code == 404


async def test_the_edit_page_shows_the_text_the_fields_a_preview_and_where_the_letterhead_comes_from(
    client: AsyncTestClient, staff: Staff
) -> None:
    await sign_in(client, staff.admin)
    page = await client.get(ACK_URL)
    assert page.status_code == 200
    shipped = shipped_text(NoticeKind.ACKNOWLEDGEMENT, Regime.FOIA)
    assert text_of(page.text, "notice-subject") == shipped.subject
    assert text_of(page.text, "notice-body").strip() == shipped.body.strip()
    assert "Fields you can use" in page.text and "{{ requester_name }}" in page.text and "{{ value | date }}" in page.text
    # the preview: the sample case's notice, with this server's letterhead
    assert "Your request for information FOI-2026-00042: received" in page.text
    assert "Dear Zoë Ó Súilleabháin," in page.text and "Test Borough Council" in page.text
    for setting in ("FOI_AUTHORITY_NAME", "FOI_POSTAL_ADDRESS", "FOI_REQUEST_EMAIL", "FOI_NOTICE_SIGNATURE", "FOI_NOTICE_CONTACT"):
        assert setting in page.text
    assert "Never changed: the shipped text has been in use all along." in page.text
    assert "Reset to the shipped text" not in page.text  # nothing to reset

    # a response's preview is drafted for the outcome chosen
    response_page = await client.get("/staff/admin/notices/response/eir?outcome=not_held")
    assert '<option value="not_held" selected>' in response_page.text
    assert "regulation 12(4)(a)" in response_page.text


async def test_a_save_with_problems_names_each_field_keeps_the_text_and_saves_nothing(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.admin)
    body = "Dear {{ requester_name }},\n\nWe have {{ refrence }}."
    answer = await client.post(ACK_URL, data=form(client, subject="", body=body, version="0"))
    assert answer.status_code == 422
    summary = answer.text[
        answer.text.index('class="error-summary"') : answer.text.index("</div>", answer.text.index('class="error-summary"'))
    ]
    assert 'href="#notice-subject">Subject line: the subject is empty' in summary
    assert 'href="#notice-body">Text: line 3: &#39;refrence&#39; is not a field you can use (did you mean &#39;reference&#39;?)' in summary
    assert 'id="notice-body-error"' in answer.text and 'aria-invalid="true"' in answer.text
    assert "autofocus" in answer.text[answer.text.index('class="error-summary"') - 200 : answer.text.index('class="error-summary"') + 200]
    assert text_of(answer.text, "notice-body") == body  # kept as typed
    assert "<title>Error: " in answer.text
    assert "Shipped text" in (await client.get("/staff/admin/notices")).text
    assert "Never changed" in (await client.get(ACK_URL)).text


async def test_a_sandbox_escape_is_refused_in_words_never_a_500(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.admin)
    body = "Hello\n{{ ''.__class__ }}"
    saved = await client.post(ACK_URL, data=form(client, subject="Hello", body=body, version="0"))
    assert saved.status_code == 422
    assert "Text: line 2: this is not allowed in a notice" in unescape(saved.text)
    previewed = await client.post(f"{ACK_URL}/preview", data=form(client, subject="Hello", body=body), headers={"HX-Request": "true"})
    assert previewed.status_code == 200
    assert "This text cannot be saved yet" in previewed.text and "line 2: this is not allowed in a notice" in unescape(previewed.text)
    for nasty in (
        "{{ self.__init__.__globals__ }}",
        "{{ '{0.__class__}'.format(1) }}",
        "{{ 'x' * 100000000 }}",
        "{% for %}",
        "{{ 9 ** 999999 }}",
    ):
        answer = await client.post(ACK_URL, data=form(client, subject="Hello", body=nasty, version="0"))
        assert answer.status_code == 422, nasty
        assert "There is a problem" in answer.text


async def test_a_save_is_a_version_used_from_then_on_and_reset_goes_back(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.admin)
    saved = await client.post(
        ACK_URL, data=form(client, subject="We have {{ reference }}", body=edited_body(), version="0"), follow_redirects=False
    )
    assert saved.status_code == 303 and saved.headers["location"].startswith(ACK_URL + "?done=")
    page = await client.get(saved.headers["location"])
    assert "Saved as version 1. The next acknowledgement under FOIA is drafted from it." in page.text
    assert "In use: <strong>your text</strong>, version 1" in page.text and "by Ada Admin" in page.text
    assert "Version 1: your text (in use)" in page.text
    assert "Our own words for FOI-2026-00042: we will answer by 1 December 2026." in page.text  # the preview
    assert "<ins>+Our own words for {{ reference }}: we will answer by {{ due_on | date }}.</ins>" in unescape(page.text)
    row = row_of((await client.get("/staff/admin/notices")).text, ACK_URL)
    assert "Your text" in row and "version 1" in row and "by Ada Admin" in row

    # the same text again writes nothing
    again = await client.post(ACK_URL, data=form(client, subject="We have {{ reference }}", body=edited_body(), version="1"))
    assert "Nothing was saved: this is the text in use already." in again.text
    assert "Version 2" not in again.text

    # another admin's tab, opened before that save
    stale = await client.post(ACK_URL, data=form(client, subject="Stale {{ reference }}", body="Stale text", version="0"))
    assert stale.status_code == 409
    assert "Someone else saved a newer version of this notice; reload to see it." in stale.text
    assert text_of(stale.text, "notice-body") == "Stale text"

    # reset, with a confirmation step that works without JavaScript
    confirm = await client.get(f"{ACK_URL}/reset")
    assert confirm.status_code == 200 and "Yes, reset to the shipped text" in confirm.text and 'name="version" value="1"' in confirm.text
    reset = await client.post(f"{ACK_URL}/reset", data=form(client, version="1"))
    assert reset.status_code == 200
    assert "Reset to the shipped text (version 2). Your earlier versions are kept below." in reset.text
    assert "In use: <strong>the text the product ships</strong>" in reset.text
    assert "Version 2: the shipped text (in use)" in reset.text and "Version 1: your text" in reset.text
    assert text_of(reset.text, "notice-subject") == shipped_text(NoticeKind.ACKNOWLEDGEMENT, Regime.FOIA).subject
    row = row_of((await client.get("/staff/admin/notices")).text, ACK_URL)
    assert "Shipped text" in row and "(reset, version 2)" in row and "by Ada Admin" in row


async def test_the_preview_follows_the_text_with_and_without_javascript(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.admin)
    typed = {
        "subject": "About {{ title }}",
        "body": "Dear {{ requester_name }},\nWe owe you an answer by {{ due_on | weekday_date }}.",
        "version": "0",
    }
    partial = await client.post(f"{ACK_URL}/preview", data=form(client, **typed), headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text
    assert 'id="notice-preview"' in partial.text
    assert "About Pothole repair contracts 2025" in partial.text
    assert "We owe you an answer by Tuesday 1 December 2026." in partial.text
    assert "cannot be saved" not in partial.text

    whole = await client.post(f"{ACK_URL}/preview", data=form(client, **typed))
    assert whole.status_code == 200 and "<html" in whole.text
    assert "Not saved yet" in whole.text and text_of(whole.text, "notice-subject") == "About {{ title }}"
    assert "We owe you an answer by Tuesday 1 December 2026." in whole.text
    assert "Never changed" in whole.text  # a preview saves nothing

    review = await client.post(
        "/staff/admin/notices/review_outcome/foisa/preview",
        data=form(client, subject="Review {{ reference }}", body="{{ review_outcome_label }}", outcome="overturned"),
        headers={"HX-Request": "true"},
    )
    assert "Review FOISA-2026-00042" in review.text
    assert '<pre class="message-body preview-body">Overturned in full' in review.text
