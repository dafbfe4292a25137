"""The public disclosure log: publishing, documents, search on both engines, and no personal data."""

from __future__ import annotations

import re
import secrets
from typing import Any

import time_machine
from fpdf import FPDF
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, token_for

FROZEN = "2025-11-20 10:00:00 +00:00"


def pdf_bytes(*lines: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


async def responded_request(client: AsyncTestClient, headers: dict[str, str], **overrides: Any) -> str:
    response = await client.post("/api/v1/requests", json=new_request_body(received_on="2025-10-01", **overrides), headers=headers)
    assert response.status_code == 201, response.text
    reference = response.json()["reference"]
    answered = await client.post(
        f"/api/v1/requests/{reference}/actions",
        json={
            "action": "respond",
            "outcome": "granted_in_part",
            "exemptions": ["FOIA-s40"],
            "response": "Figures attached.",
            "on": "2025-10-20",
        },
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    return reference


async def upload(
    client: AsyncTestClient,
    headers: dict[str, str],
    reference: str,
    content: bytes,
    filename: str,
    for_release: bool,
    title: str = "Released figures",
):
    return await client.post(
        f"/api/v1/requests/{reference}/documents",
        files={"file": (filename, content, "application/octet-stream")},
        data={"for_release": "true" if for_release else "false", "title": title},
        headers=headers,
    )


async def public_search(client: AsyncTestClient, **params: str) -> list[str]:
    response = await client.get("/api/v1/disclosures", params=params)
    assert response.status_code == 200, response.text
    return [item["reference"] for item in response.json()["items"]]


@time_machine.travel(FROZEN, tick=False)
async def test_personal_data_never_reaches_the_public_side(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    secrets_used = []
    for _ in range(3):
        name = f"Zq{secrets.token_hex(4)} Xv{secrets.token_hex(4)}"
        email = f"p{secrets.token_hex(5)}@example.org"
        street = f"{secrets.randbelow(90) + 10} Qz{secrets.token_hex(3)} Road"
        address = f"{street}\nTownq{secrets.token_hex(3)}\nZZ9 9ZZ"
        secrets_used += [name, email, street, name.split()[0] + " " + name.split()[1]]
        reference = await responded_request(
            client,
            headers,
            title=f"Spending query from {name}",
            body=f"Dear council, I am {name} of {street}. Write to {email} or {address}. Please send spending figures.",
            requester={"name": name, "email": email, "address": address},
        )
        await client.post(
            f"/api/v1/requests/{reference}/actions",
            json={"action": "note", "note": f"Called {name} back"},
            headers=headers,
        )
        assert (await upload(client, headers, reference, pdf_bytes("Spending figures 2024"), "figures.pdf", True)).status_code == 201
        published = await client.post(
            f"/api/v1/requests/{reference}/publish", json={"summary": f"Figures sent to {name}."}, headers=headers
        )
        assert published.status_code == 200, published.text

    anonymous = client  # the staff calls above sent a Bearer token and kept no cookie
    pages = [
        "/",
        "/disclosures",
        "/disclosures?q=spending",
        "/disclosures.atom",
        "/api/v1/disclosures",
        "/api/v1/disclosures?q=spending",
        "/disclosures/FOI-2025-99999",
        "/api/v1/disclosures/FOI-2025-99999",
        "/disclosures?from=bad",
    ]
    listing = (await anonymous.get("/api/v1/disclosures")).json()["items"]
    assert len(listing) == 3
    for item in listing:
        pages += [item["url"], f"/api/v1/disclosures/{item['reference']}"]
        detail = (await anonymous.get(f"/api/v1/disclosures/{item['reference']}")).json()
        pages += [doc["url"] for doc in detail["documents"]]
        assert "[redacted]" in detail["request"]
    for word in ("Zq", "Qz", "Townq"):
        pages.append(f"/disclosures?q={word}")
    bodies = []
    for page in pages:
        response = await anonymous.get(page)
        assert response.status_code in (200, 404, 422), (page, response.status_code)
        bodies.append(response.content.decode("utf-8", "replace"))
    everything = "\n".join(bodies).lower()
    for value in secrets_used:
        assert value.lower() not in everything, value
        for part in re.split(r"[\s@]+", value):
            if len(part) >= 8:
                assert part.lower() not in everything, part


@time_machine.travel(FROZEN, tick=False)
async def test_words_inside_a_released_pdf_find_the_request_and_internal_papers_stay_private(
    client: AsyncTestClient, staff: Staff, sessions
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await responded_request(client, headers, title="Bridge inspection reports")
    released = await upload(client, headers, reference, pdf_bytes("Inspection of the zebrafinch viaduct"), "inspection.pdf", True)
    internal = await upload(
        client, headers, reference, pdf_bytes("Draft notes about the quokkaburrow culvert"), "draft.pdf", False, title="Draft"
    )
    assert released.status_code == internal.status_code == 201
    assert await public_search(client, q="zebrafinch") == []  # not published yet
    await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)

    assert await public_search(client, q="zebrafinch") == [reference]
    assert await public_search(client, q="quokkaburrow") == []
    anonymous = client
    internal_id = internal.json()["id"]
    assert (await anonymous.get(f"/disclosures/{reference}/documents/{internal_id}")).status_code == 404
    page = await anonymous.get(f"/disclosures/{reference}")
    assert f"/documents/{internal_id}" not in page.text and ">Draft<" not in page.text
    assert "Released figures" in page.text
    download = await anonymous.get(f"/disclosures/{reference}/documents/{released.json()['id']}")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("inline")
    assert download.headers["etag"] == f'"{released.json()["public_sha256"]}"'  # the copy without PDF metadata
    again = await anonymous.get(download.url, headers={"If-None-Match": download.headers["etag"]})
    assert again.status_code == 304
    part = await anonymous.get(download.url, headers={"Range": "bytes=0-3"})
    assert part.status_code == 206 and part.content == b"%PDF"
    assert part.headers["content-range"].startswith("bytes 0-3/")

    # a cache must ask again before each use, so a takedown holds at once: the revalidation is refused
    assert download.headers["cache-control"] == "public, no-cache"
    taken = await client.post(f"/api/v1/requests/{reference}/unpublish", json={"reason": "Released by mistake"}, headers=headers)
    assert taken.status_code == 200, taken.text
    revalidated = await anonymous.get(download.url, headers={"If-None-Match": download.headers["etag"]})
    assert revalidated.status_code == 404


@time_machine.travel(FROZEN, tick=False)
async def test_uploads_refuse_wrong_types_and_oversized_files(client: AsyncTestClient, staff: Staff, sessions, settings) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await responded_request(client, headers)
    executable = await upload(client, headers, reference, b"MZ" + b"\x90" * 4000, "invoice.pdf", True)
    assert executable.status_code == 415
    assert "allowed" in executable.json()["detail"]
    csv = await upload(client, headers, reference, b"year,amount\n2024,100\n2025,200\n", "figures.csv", True)
    assert csv.status_code == 201 and csv.json()["content_type"].startswith("text/csv")
    stored = sorted(p for p in settings.storage_dir.rglob("*") if p.is_file())
    assert len(stored) == 1  # the CSV only
    documents = (await client.get(f"/api/v1/requests/{reference}/documents", headers=headers)).json()
    assert [d["filename"] for d in documents] == ["figures.csv"]


@time_machine.travel(FROZEN, tick=False)
async def test_search_language_filters_and_takedown(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    made = {}
    for key, title, body in [
        ("consultants", "Spending on management consultants", "Total paid to management consultants in 2024."),
        ("parking", "Parking fines issued", "How many parking fines were issued on the high street?"),
        ("trees", "Street trees felled", "Number of street trees felled and replanted; parking bays affected."),
    ]:
        made[key] = await responded_request(client, headers, title=title, body=body)
        await client.post(f"/api/v1/requests/{made[key]}/publish", json={}, headers=headers)

    assert await public_search(client, q="consultant") == [made["consultants"]]  # stemming: consultants
    assert sorted(await public_search(client, q="parking")) == sorted([made["parking"], made["trees"]])
    assert await public_search(client, q="parking -trees") == [made["parking"]]
    assert await public_search(client, q='"parking fines"') == [made["parking"]]
    assert await public_search(client, q='"fines parking"') == []
    for hostile in ['"', "'; DROP TABLE requests; --", "NEAR(a b)", "title:secret", "a*", "^", "-", "\\", "(", "OR AND NOT"]:
        response = await client.get("/api/v1/disclosures", params={"q": hostile})
        assert response.status_code == 200, (hostile, response.text)
        page = await client.get("/disclosures", params={"q": hostile})
        assert page.status_code == 200, hostile
    assert (await client.get("/api/v1/disclosures", params={"from": "yesterday"})).status_code in (400, 422)

    snippet = (await client.get("/api/v1/disclosures", params={"q": "consultants"})).json()["items"][0]["snippet"]
    assert "<mark>" in snippet
    assert await public_search(client, outcome="granted_in_part", exemption="FOIA-s40", q="parking") != []
    assert await public_search(client, outcome="not_held") == []

    taken = await client.post(f"/api/v1/requests/{made['parking']}/unpublish", json={"reason": "Published in error"}, headers=headers)
    assert taken.status_code == 200
    assert await public_search(client, q="parking") == [made["trees"]]
    notice = await client.get(f"/disclosures/{made['parking']}")
    assert notice.status_code == 200
    assert "Withdrawn from publication" in notice.text and "Parking fines" not in notice.text
    assert "Published in error" not in notice.text
    no_reason = await client.post(f"/api/v1/requests/{made['trees']}/unpublish", json={"reason": " "}, headers=headers)
    assert no_reason.status_code == 422


@time_machine.travel(FROZEN, tick=False)
async def test_only_answered_requests_publish_and_scheduling_waits(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    open_request = (await client.post("/api/v1/requests", json=new_request_body(received_on="2025-10-01"), headers=headers)).json()[
        "reference"
    ]
    refused = await client.post(f"/api/v1/requests/{open_request}/publish", json={}, headers=headers)
    assert refused.status_code == 409
    reference = await responded_request(client, headers, title="Scheduled release")
    scheduled = await client.post(f"/api/v1/requests/{reference}/publish", json={"at": "2025-11-21T09:00:00+00:00"}, headers=headers)
    assert scheduled.json()["publication"]["state"] == "scheduled"
    assert await public_search(client) == []
    assert (await client.get(f"/disclosures/{reference}")).status_code == 404


@time_machine.travel(FROZEN, tick=False)
async def test_feed_and_home_list_releases(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await responded_request(client, headers, title="Road resurfacing programme")
    await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)
    feed = await client.get("/disclosures.atom")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "Road resurfacing programme" in feed.text and f"/disclosures/{reference}" in feed.text
    home = await client.get("/")
    assert "Road resurfacing programme" in home.text
    assert "set-cookie" not in home.headers


@time_machine.travel(FROZEN, tick=False)
async def test_a_60_mb_upload_is_refused_while_streaming_with_nothing_stored(
    client: AsyncTestClient, staff: Staff, sessions, settings
) -> None:
    assert settings.max_upload_bytes == 50 * 1024 * 1024  # the default limit
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await responded_request(client, headers)
    big = b"%PDF-1.4\n" + b"0" * (60 * 1024 * 1024)
    response = await upload(client, headers, reference, big, "huge.pdf", True)
    assert response.status_code == 413
    stored = [p for p in settings.storage_dir.rglob("*") if p.is_file()] if settings.storage_dir.exists() else []
    assert stored == []
    assert (await client.get(f"/api/v1/requests/{reference}/documents", headers=headers)).json() == []


@time_machine.travel(FROZEN, tick=False)
async def test_search_gives_the_same_answers_on_both_engines(client: AsyncTestClient, staff: Staff, sessions) -> None:
    """The same expectations run on SQLite and PostgreSQL: stemming, phrases with stop words,
    exclusions, numbers like 2024/25, accents, and words only in the response."""
    headers = bearer(await token_for(sessions, staff.officer))
    corpus = {
        "a": ("Freedom of Information Act requests received in 2024/25", "How many requests did you receive?", "We received 412."),
        "b": ("Café licences on the high street", "List the licensed cafés.", "There are nine."),
        "c": ("Recycling collections missed", "How many bin collections were missed?", "Collections missed: 1,204 in 2023."),
        "d": (
            "Housing repairs backlog",
            "How many repairs are outstanding?",
            "The backlog is 311 repairs; damp and mould cases are prioritised.",
        ),
    }
    refs = {}
    for key, (title, body, response) in corpus.items():
        created = (
            await client.post("/api/v1/requests", json=new_request_body(received_on="2025-10-01", title=title, body=body), headers=headers)
        ).json()
        refs[key] = created["reference"]
        await client.post(
            f"/api/v1/requests/{refs[key]}/actions",
            json={"action": "respond", "outcome": "granted_in_full", "response": response, "on": "2025-10-10"},
            headers=headers,
        )
        await client.post(f"/api/v1/requests/{refs[key]}/publish", json={}, headers=headers)

    expectations = {
        "collection": ["c"],
        "missed collections": ["c"],
        '"freedom of information"': ["a"],
        "2024/25": ["a"],
        "2024": ["a"],
        "repairs -mould": [],
        "repairs -bins": ["d"],
        # exclusions alone: everything without them
        "-mould": ["a", "b", "c"],
        "-mould -licences": ["a", "c"],
        '-"high street"': ["a", "c", "d"],
        "mould": ["d"],
        "licences": ["b"],
        '"high street" café': ["b"],
        "cafe": ["b"],  # accents fold on both engines, whichever side carries them
        "CAFÉS licensed": ["b"],
    }
    for query, keys in expectations.items():
        assert sorted(await public_search(client, q=query)) == sorted(refs[k] for k in keys), query
    # a query of stop words only has nothing to look for: everything is listed, newest first
    assert (await client.get("/api/v1/disclosures", params={"q": "the"})).json()["total"] == 4
