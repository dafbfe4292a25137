"""The publication review through the API and the staff page without JavaScript: suspicions listed,
decided, edits kept apart from the record, publishing refused while anything is left, and every
refusal leaving the database as it was."""

from __future__ import annotations

import re

import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

FROZEN = "2025-11-20 10:00:00 +00:00"
TEXT = "Dear Rosa,\nI write about the Hill Road depot. Mr Baxter told me the contract ACC-0099812 was renewed.\nThanks, Rosa"


async def _answered(client: AsyncTestClient, headers: dict[str, str]) -> str:
    created = await client.post(
        "/api/v1/requests",
        json=new_request_body(received_on="2025-10-01", title="Hill Road depot contract", body=TEXT),
        headers=headers,
    )
    reference = created.json()["reference"]
    answered = await client.post(
        f"/api/v1/requests/{reference}/actions",
        json={"action": "respond", "outcome": "granted_in_full", "response": "The contract was renewed in 2024.", "on": "2025-10-20"},
        headers=headers,
    )
    assert answered.status_code == 200, answered.text
    return reference


def _by_text(review: dict, text: str) -> dict:
    return next(s for s in review["suspicions"] + review["reviewed"] if s["text"] == text)


@time_machine.travel(FROZEN, tick=False)
async def test_the_api_review_lists_decides_and_refuses_bad_input_unchanged(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await _answered(client, headers)
    review = (await client.get(f"/api/v1/requests/{reference}/publication", headers=headers)).json()
    assert review["fields"]["body"]["public"].startswith("Dear [redacted],") and "Thanks, [redacted]" in review["fields"]["body"]["public"]
    assert {r["reason"] for r in review["redactions"]} and all(r["field"] == "body" for r in review["redactions"])
    texts = {s["text"] for s in review["suspicions"]}
    assert "Mr Baxter" in texts and "ACC-0099812" in texts
    assert not review["ready"]

    refused = await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)
    assert refused.status_code == 409 and "Mr Baxter" in refused.json()["detail"]

    baxter, account = _by_text(review, "Mr Baxter")["id"], _by_text(review, "ACC-0099812")["id"]
    for bad, field in (
        ({"redact": ["nope"]}, "redact"),
        ({"redact": [baxter], "accept": [baxter]}, "accept"),
        ({"fields": {"title": ""}}, "fields.title"),
        ({"fields": {"reference": "X"}}, "fields.reference"),
        ({"fields": {"summary": "x" * 5001}}, "fields.summary"),
    ):
        answer = await client.post(
            f"/api/v1/requests/{reference}/publication", json={**bad, "accept": bad.get("accept", [account])}, headers=headers
        )
        assert answer.status_code in (400, 422), (bad, answer.text)
        assert answer.json()["field"] == field, answer.json()
        unchanged = (await client.get(f"/api/v1/requests/{reference}/publication", headers=headers)).json()
        assert unchanged["reviewed"] == [] and not any(f["edited"] for f in unchanged["fields"].values())

    decided = await client.post(
        f"/api/v1/requests/{reference}/publication",
        json={"redact": [baxter], "accept": [account], "fields": {"summary": "The depot contract, renewed."}},
        headers=headers,
    )
    assert decided.status_code == 200, decided.text
    body = decided.json()
    assert "[redacted]" in body["fields"]["body"]["public"] and "Baxter" not in body["fields"]["body"]["public"]
    assert "ACC-0099812" in body["fields"]["body"]["public"]  # accepted as safe
    assert body["fields"]["summary"] == {
        "label": "Public summary",
        "public": "The depot contract, renewed.",
        "edited": True,
        "editable": True,
    }
    assert body["suspicions"] == [] and body["ready"], body["suspicions"]

    # the public wording of the title is the officer's; the record keeps its own
    edited = await client.post(f"/api/v1/requests/{reference}/publication", json={"fields": {"title": "A depot contract"}}, headers=headers)
    assert edited.status_code == 200
    published = await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)
    assert published.status_code == 200, published.text
    record = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    assert record["title"] == "Hill Road depot contract" and record["body"] == TEXT
    public = (await client.get(f"/api/v1/disclosures/{reference}")).json()
    assert public["title"] == "A depot contract" and "Baxter" not in public["request"] and "Rosa" not in public["request"]
    late = await client.post(f"/api/v1/requests/{reference}/publication", json={"accept": []}, headers=headers)
    assert late.status_code == 409 and "already published" in late.json()["detail"]
    history = [event["action"] for event in record["history"]]
    assert "publish" in history


@time_machine.travel(FROZEN, tick=False)
async def test_a_scheduled_time_in_the_past_is_refused_with_the_time_now(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await _answered(client, headers)
    review = (await client.get(f"/api/v1/requests/{reference}/publication", headers=headers)).json()
    await client.post(
        f"/api/v1/requests/{reference}/publication", json={"accept": [s["id"] for s in review["suspicions"]]}, headers=headers
    )
    typo = await client.post(f"/api/v1/requests/{reference}/publish", json={"at": "2024-11-21T09:00:00"}, headers=headers)
    assert typo.status_code in (400, 422)
    assert "is in the past" in typo.json()["detail"] and "20 November 2025, 10:00" in typo.json()["detail"]
    assert (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()["publication"]["state"] == "unpublished"
    later = await client.post(f"/api/v1/requests/{reference}/publish", json={"at": "2025-11-21T09:00:00"}, headers=headers)
    assert later.status_code == 200 and later.json()["publication"]["state"] == "scheduled"

    batch = (await client.post("/api/v1/batches", json={"title": "Depot papers"}, headers=headers)).json()
    past = await client.post(f"/api/v1/batches/{batch['id']}/publish", json={"at": "2025-11-19T09:00:00"}, headers=headers)
    assert past.status_code in (400, 422) and "is in the past" in past.json()["detail"]


@time_machine.travel(FROZEN, tick=False)
async def test_the_review_page_works_without_javascript(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await _answered(client, headers)
    await sign_in(client, staff.officer)
    page = await client.get(f"/staff/requests/{reference}/publish")
    assert page.status_code == 200
    assert '<del class="redacted"' in page.text and '<mark class="suspicion' in page.text
    ids = re.findall(r'name="decision:([0-9a-f]+)" value="redact"', page.text)
    assert len(ids) >= 2 and "left to review" in page.text

    form = {"_csrf_token": client.cookies.get("csrftoken", "")}
    refused = await client.post(f"/staff/requests/{reference}/publish", data={**form, "when": "now"})
    assert refused.status_code == 422 and "not reviewed" in refused.text and "error-summary" in refused.text

    saved = await client.post(
        f"/staff/requests/{reference}/publication", data={**form, f"decision:{ids[0]}": "redact"}, follow_redirects=False
    )
    assert saved.status_code == 303 and "left+to+review" in saved.headers["location"]
    rest = {f"decision:{key}": "accept" for key in ids[1:]}
    summary = {"field:summary": "What the depot contract says."}
    saved = await client.post(f"/staff/requests/{reference}/publication", data={**form, **rest, **summary}, follow_redirects=False)
    assert saved.status_code == 303 and "Nothing+is+left+to+review" in saved.headers["location"]
    page = await client.get(saved.headers["location"])
    assert "Nothing left to review" in page.text and "your wording" in page.text

    scheduled_past = await client.post(f"/staff/requests/{reference}/publish", data={**form, "when": "later", "at": "2025-11-01T09:00"})
    assert scheduled_past.status_code == 422 and "is in the past" in scheduled_past.text
    published = await client.post(f"/staff/requests/{reference}/publish", data={**form, "when": "now"}, follow_redirects=False)
    assert published.status_code == 303
    public = await client.get(f"/disclosures/{reference}")
    assert "What the depot contract says." in public.text and "Rosa" not in public.text


@time_machine.travel(FROZEN, tick=False)
async def test_a_batch_is_approved_only_once_reviewed_and_a_later_review_change_voids_the_approval(
    client: AsyncTestClient, staff: Staff, sessions
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    manager = bearer(await token_for(sessions, staff.manager))
    reference = await _answered(client, headers)
    batch = (
        await client.post("/api/v1/batches", json={"title": "Depot papers", "description": "Asked by Rosa Requester."}, headers=headers)
    ).json()
    assert (
        await client.post(f"/api/v1/batches/{batch['id']}/requests", json={"references": [reference]}, headers=headers)
    ).status_code == 200
    preview = (await client.get(f"/api/v1/batches/{batch['id']}/preview", headers=headers)).json()
    suspicions = preview["requests"][0]["suspicions"]
    assert preview["unreviewed_count"] == len(suspicions) >= 2
    refused = await client.post(f"/api/v1/batches/{batch['id']}/approve", headers=manager)
    assert (
        refused.status_code == 409
        and f"{reference} has {len(suspicions)} possible personal data items to review" in refused.json()["detail"]
    )
    assert (await client.get(f"/api/v1/batches/{batch['id']}", headers=headers)).json()["state"] == "draft"

    ids = [s["id"] for s in suspicions]
    await client.post(f"/api/v1/requests/{reference}/publication", json={"accept": ids}, headers=headers)
    assert (await client.post(f"/api/v1/batches/{batch['id']}/approve", headers=manager)).status_code == 200
    await client.post(f"/api/v1/requests/{reference}/publication", json={"redact": ids[:1]}, headers=headers)
    assert (await client.get(f"/api/v1/batches/{batch['id']}", headers=headers)).json()["state"] == "draft"
    assert (await client.post(f"/api/v1/batches/{batch['id']}/approve", headers=manager)).status_code == 200
    assert (await client.post(f"/api/v1/batches/{batch['id']}/publish", json={}, headers=headers)).status_code == 200
    page = await client.get(f"/batches/{batch['slug']}")
    assert page.status_code == 200 and "Depot papers" in page.text and "Rosa" not in page.text and "Requester" not in page.text


@time_machine.travel(FROZEN, tick=False)
async def test_a_document_released_after_publication_is_redacted_or_refused(
    client: AsyncTestClient, staff: Staff, sessions, settings
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    reference = await _answered(client, headers)
    review = (await client.get(f"/api/v1/requests/{reference}/publication", headers=headers)).json()
    await client.post(
        f"/api/v1/requests/{reference}/publication", json={"accept": [s["id"] for s in review["suspicions"]]}, headers=headers
    )
    assert (await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)).status_code == 200

    named = await client.post(
        f"/api/v1/requests/{reference}/documents",
        files={"file": ("letter.txt", b"Letter to Rosa Requester, 1 High Street, about the depot.", "text/plain")},
        data={"for_release": "true", "title": "Letter"},
        headers=headers,
    )
    assert named.status_code == 409 and "may hold personal data" in named.json()["detail"]
    assert (await client.get(f"/api/v1/requests/{reference}/documents", headers=headers)).json() == []
    assert not [path for path in settings.storage_dir.rglob("*") if path.is_file() and "tmp" not in path.parts]  # nor its file

    clean = await client.post(
        f"/api/v1/requests/{reference}/documents",
        files={"file": ("rosa-requester-depot.txt", b"Depot contract: renewed for the zanzibarite fleet.", "text/plain")},
        data={"for_release": "true", "title": "Contract for Rosa Requester"},
        headers=headers,
    )
    assert clean.status_code == 201, clean.text
    public = (await client.get(f"/api/v1/disclosures/{reference}")).json()
    assert [(d["title"], d["filename"]) for d in public["documents"]] == [("Contract for [redacted]", "redacted-depot.txt")]
    found = (await client.get("/api/v1/disclosures", params={"q": "zanzibarite"})).json()["items"]
    assert [item["reference"] for item in found] == [reference]


@time_machine.travel(FROZEN, tick=False)
async def test_editing_a_request_in_an_approved_batch_sends_the_batch_back_to_draft(
    client: AsyncTestClient, staff: Staff, sessions
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    manager = bearer(await token_for(sessions, staff.manager))
    reference = await _answered(client, headers)
    review = (await client.get(f"/api/v1/requests/{reference}/publication", headers=headers)).json()
    await client.post(
        f"/api/v1/requests/{reference}/publication", json={"accept": [s["id"] for s in review["suspicions"]]}, headers=headers
    )
    batch = (await client.post("/api/v1/batches", json={"title": "Depot papers"}, headers=headers)).json()
    await client.post(f"/api/v1/batches/{batch['id']}/requests", json={"references": [reference]}, headers=headers)
    assert (await client.post(f"/api/v1/batches/{batch['id']}/approve", headers=manager)).status_code == 200
    version = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()["version"]
    edited = await client.patch(
        f"/api/v1/requests/{reference}", json={"version": version, "title": "Depot contract, 2024"}, headers=headers
    )
    assert edited.status_code == 200, edited.text
    assert (await client.get(f"/api/v1/batches/{batch['id']}", headers=headers)).json()["state"] == "draft"
