"""Every answer's headers: security policy everywhere, ETags and revalidation on the public side,
nothing kept in a cache on the staff side."""

from __future__ import annotations

from dataclasses import replace

import time_machine
from litestar.testing import AsyncTestClient

from app.asgi import create_app
from tests.factories import Staff, bearer, sign_in, token_for
from tests.web.test_disclosure_log import responded_request

FROZEN = "2025-11-20 10:00:00 +00:00"


def assert_secure(response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"


@time_machine.travel(FROZEN, tick=False)
async def test_a_public_page_unchanged_since_the_last_visit_is_a_304_without_a_body(
    client: AsyncTestClient, staff: Staff, sessions
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await responded_request(client, headers, title="Parking fines issued on the high street")
    assert (await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)).status_code == 200

    for path in ("/", f"/disclosures/{reference}", "/disclosures?q=parking", f"/api/v1/disclosures/{reference}"):
        first = await client.get(path)
        assert first.status_code == 200, path
        assert_secure(first)
        assert first.headers["cache-control"] == "no-cache"
        tag = first.headers["etag"]
        again = await client.get(path, headers={"If-None-Match": tag})
        assert again.status_code == 304, path
        assert again.content == b""
        assert again.headers["etag"] == tag
        assert "content-length" not in again.headers or again.headers["content-length"] == "0"
        assert (await client.get(path, headers={"If-None-Match": '"something else"'})).status_code == 200

    # a takedown shows at once: the tag the browser holds no longer matches
    page = await client.get(f"/disclosures/{reference}")
    taken = await client.post(f"/api/v1/requests/{reference}/unpublish", json={"reason": "Published in error"}, headers=headers)
    assert taken.status_code == 200, taken.text
    after = await client.get(f"/disclosures/{reference}", headers={"If-None-Match": page.headers["etag"]})
    assert after.status_code == 200
    assert "Parking fines" not in after.text


async def test_html_pages_forbid_scripts_from_anywhere_else_and_framing(client: AsyncTestClient) -> None:
    for path in ("/", "/login", "/deadline-calculator"):
        policy = (await client.get(path)).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    # JSON needs no page policy, but is never sniffed as something else
    answer = await client.get("/api/v1/disclosures")
    assert "content-security-policy" not in answer.headers
    assert_secure(answer)


async def test_staff_pages_and_the_staff_api_are_never_stored(client: AsyncTestClient, staff: Staff, sessions) -> None:
    login = await client.get("/login")
    assert login.headers["cache-control"] == "no-store"
    await sign_in(client, staff.officer)
    listing = await client.get("/staff/requests")
    assert listing.status_code == 200
    assert listing.headers["cache-control"] == "no-store"
    assert "etag" not in listing.headers
    api = await client.get("/api/v1/requests", headers=bearer(await token_for(sessions, staff.officer)))
    assert api.status_code == 200
    assert api.headers["cache-control"] == "no-store"
    assert_secure(api)


async def test_errors_carry_the_same_headers(client: AsyncTestClient) -> None:
    missing = await client.get("/disclosures/FOI-2099-99999")
    assert missing.status_code == 404
    assert_secure(missing)
    assert "etag" not in missing.headers
    refused = await client.get("/api/v1/requests")
    assert refused.status_code == 401
    assert_secure(refused)
    assert refused.headers["cache-control"] == "no-store"


async def test_every_error_carries_the_security_headers_405_says_allow_and_429_retry_after(
    settings, staff: Staff, sessions, monkeypatch
) -> None:
    from litestar.exceptions import TooManyRequestsException

    from app.web.api import disclosures

    small = replace(settings, max_upload_bytes=1000)
    officer = bearer(await token_for(sessions, staff.officer))
    async with AsyncTestClient(app=create_app(small), base_url="http://testserver.local") as client:
        answers = {
            401: await client.get("/api/v1/requests"),
            403: await client.post("/api/v1/departments", json={"name": "Parks"}, headers=officer),
            404: await client.get("/no/such/page"),
            405: await client.delete("/disclosures"),
            413: await client.post(
                "/api/v1/deadlines/calculate", content=b"x" * (2 * 1024 * 1024), headers={"content-type": "application/json"}
            ),
        }
        monkeypatch.setattr(disclosures, "get_disclosure", _raises(TooManyRequestsException()))
        answers[429] = await client.get("/api/v1/disclosures/FOI-2025-00001")
        monkeypatch.setattr(disclosures, "get_disclosure", _raises(RuntimeError("a fault of ours")))
        answers[500] = await client.get("/api/v1/disclosures/FOI-2025-00001")
        api_405 = await client.put("/api/v1/deadlines/calculate")
    for status, answer in answers.items():
        assert answer.status_code == status, (status, answer.text)
        assert_secure(answer)
        assert answer.headers["cache-control"] in ("no-store", "no-cache"), status
    assert answers[404].headers["content-security-policy"].startswith("default-src 'self'")
    assert set(answers[405].headers["allow"].split(", ")) == {"GET", "OPTIONS"}
    assert api_405.status_code == 405 and set(api_405.headers["allow"].split(", ")) == {"POST", "OPTIONS"}
    assert_secure(api_405)
    assert int(answers[429].headers["retry-after"]) > 0


def _raises(problem: Exception):
    async def raising(*args, **kwargs):
        raise problem

    return raising


def _each_header_once(answer) -> None:
    """No header named twice (a proxy may join or drop repeats), and one charset in Content-Type."""
    names = [name.lower() for name, _ in answer.headers.raw if name.lower() != b"set-cookie"]
    repeated = sorted({name.decode() for name in names if names.count(name) > 1})
    assert not repeated, f"{answer.request.method} {answer.request.url.path} ({answer.status_code}) repeats {repeated}"
    content_type = answer.headers.get("content-type", "")
    assert content_type.lower().count("charset") <= 1, f"{answer.request.url.path}: {content_type}"


@time_machine.travel(FROZEN, tick=False)
async def test_every_answer_carries_each_header_once(client: AsyncTestClient, staff: Staff, sessions) -> None:
    from tests.web.test_disclosure_log import pdf_bytes, upload

    headers = bearer(await token_for(sessions, staff.officer))
    reference = await responded_request(client, headers, title="Library opening hours")
    documents = {}
    for name, content in (
        ("hours.csv", b"branch,hours\nCentral,40\n"),
        ("notes.txt", b"Opening hours\n"),
        ("hours.pdf", pdf_bytes("Hours")),
    ):
        uploaded = await upload(client, headers, reference, content, name, True, title=name)
        assert uploaded.status_code == 201, uploaded.text
        documents[name] = uploaded.json()["id"]
    assert (await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)).status_code == 200

    answers = []
    for name, document_id in documents.items():
        public = await client.get(f"/disclosures/{reference}/documents/{document_id}")
        assert public.status_code == 200, name
        answers += [
            public,
            await client.get(f"/disclosures/{reference}/documents/{document_id}", headers={"If-None-Match": public.headers["etag"]}),
        ]
        answers.append(await client.get(f"/disclosures/{reference}/documents/{document_id}", headers={"Range": "bytes=0-3"}))
        answers.append(await client.get(f"/api/v1/requests/{reference}/documents/{document_id}", headers=headers))
    assert answers[0].headers["content-type"] == "text/csv; charset=utf-8"
    for path in ("/", "/disclosures", f"/disclosures/{reference}", "/accessibility", "/login", "/healthz", "/no/such/page"):
        answers.append(await client.get(path))
    answers.append(await client.get("/api/v1/disclosures"))
    answers.append(await client.get("/api/v1/requests"))  # 401
    answers.append(await client.get(f"/api/v1/requests/{reference}", headers=headers))
    answers.append(await client.get("/api/v1/requests/FOI-2099-99999", headers=headers))  # 404
    await sign_in(client, staff.officer)
    answers.append(await client.get("/staff/requests"))
    answers.append(await client.get("/staff/account"))
    for answer in answers:
        _each_header_once(answer)
        assert_secure(answer)
