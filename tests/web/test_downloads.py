"""Public downloads revalidate: `Cache-Control: public, no-cache` with the file's ETag, so a cache asks
before each use; an unchanged file costs a 304, and a document taken down (its request withdrawn from
the log, or the one document no longer for release) is refused at once to a cache holding its old ETag.
"""

from __future__ import annotations

import time_machine
from litestar.testing import AsyncTestClient

from app.config import Settings
from tests.factories import Staff, bearer, sign_in, token_for
from tests.web.test_disclosure_log import FROZEN, pdf_bytes, responded_request, upload


async def _published_with_two_documents(client: AsyncTestClient, headers: dict[str, str]) -> tuple[str, str, str]:
    reference = await responded_request(client, headers, title="Road gritting routes")
    kept = await upload(client, headers, reference, pdf_bytes("Gritting routes for 2025"), "routes.pdf", True, title="Routes")
    withdrawn = await upload(client, headers, reference, pdf_bytes("Depot staffing rota"), "rota.pdf", True, title="Rota")
    assert kept.status_code == withdrawn.status_code == 201
    published = await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)
    assert published.status_code == 200, published.text
    base = f"/disclosures/{reference}/documents"
    return reference, f"{base}/{kept.json()['id']}", f"{base}/{withdrawn.json()['id']}"


@time_machine.travel(FROZEN, tick=False)
async def test_an_unchanged_download_is_a_304_and_one_withdrawn_is_refused_to_its_old_etag_at_once(
    client: AsyncTestClient, staff: Staff, sessions
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference, kept, withdrawn = await _published_with_two_documents(client, headers)
    first = await client.get(withdrawn)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, no-cache"
    etag = first.headers["etag"]
    unchanged = await client.get(withdrawn, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == etag and unchanged.headers["cache-control"] == "public, no-cache"

    # the officer takes the one document back (released by mistake); the request stays on the log
    await sign_in(client, staff.officer)
    document_id = withdrawn.rsplit("/", 1)[1]
    taken = await client.post(
        f"/staff/requests/{reference}/documents/{document_id}/release",
        data={"_csrf_token": client.cookies.get("csrftoken", ""), "for_release": "false"},
        follow_redirects=False,
    )
    assert taken.status_code == 303, taken.text
    client.cookies.clear()  # asked again as the public (and a cache) would
    assert (await client.get(withdrawn, headers={"If-None-Match": etag})).status_code == 404
    assert (await client.get(withdrawn)).status_code == 404
    other = await client.get(kept)
    assert other.status_code == 200
    assert (await client.get(kept, headers={"If-None-Match": other.headers["etag"]})).status_code == 304


@time_machine.travel(FROZEN, tick=False)
async def test_a_store_that_cannot_be_read_answers_503_saying_so_until_it_is_back(
    client: AsyncTestClient, staff: Staff, sessions, settings: Settings
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference, kept, _ = await _published_with_two_documents(client, headers)
    document_id = kept.rsplit("/", 1)[1]
    staff_copy = f"/api/v1/requests/{reference}/documents/{document_id}"
    away = settings.storage_dir.with_name("files-not-mounted")
    settings.storage_dir.rename(away)  # the store's disk not mounted
    try:
        public = await client.get(kept)
        assert public.status_code == 503 and public.headers["content-type"].startswith("text/html")
        assert "The document cannot be read from the document store just now." in public.text
        api = await client.get(staff_copy, headers=headers)
        assert api.status_code == 503
        assert api.json()["detail"] == "The document cannot be read from the document store just now. Tell your system administrator."
    finally:
        away.rename(settings.storage_dir)
    assert (await client.get(kept)).status_code == 200
    assert (await client.get(staff_copy, headers=headers)).status_code == 200
