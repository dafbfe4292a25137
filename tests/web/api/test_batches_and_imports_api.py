"""The JSON API for imports and release batches, and what the public sees of a published batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from litestar.testing import AsyncTestClient

from tests.csv_samples import historic_rows, to_csv
from tests.factories import Staff, bearer, token_for

NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


async def _import(client: AsyncTestClient, headers: dict[str, str], data: bytes, **fields: str):
    return await client.post("/api/v1/imports", files={"file": ("older.csv", data, "text/csv")}, data=fields, headers=headers)


@time_machine.travel(NOW, tick=False)
async def test_import_api_reports_every_row_refuses_bad_files_and_imports_once(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    rows = historic_rows(12)
    rows[4]["requester_email"] = "secret.person-at-example.org"
    rows[7]["outcome"] = "granted_in_ful"

    dry = await _import(client, headers, to_csv(rows), dry_run="true")
    assert dry.status_code == 200
    body = dry.json()
    assert body["refused"] and body["dry_run"] and body["counts"]["invalid"] == 2
    invalid = [row for row in body["rows"] if row["status"] == "invalid"]
    assert [(row["line"], row["file_line"], row["errors"]) for row in invalid] == [
        (6, 10, [{"column": "requester_email", "reason": "is not a valid email address"}]),
        (
            9,
            16,
            [
                {
                    "column": "outcome",
                    "reason": "unknown outcome 'granted_in_ful'; choose one of granted_in_full, granted_in_part, "
                    "refused_in_full, not_held, refused_cost, refused_vexatious, refused_repeated, neither_confirm_nor_deny, advice_and_assistance",
                }
            ],
        ),
    ]
    assert "secret.person" not in dry.text

    refused = await _import(client, headers, to_csv(rows))
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith(
        "2 invalid rows: nothing was imported (first: line 6 (line 10 in a text editor): requester_email"
    )
    assert refused.json()["field"] == "file" and len(refused.json()["rows"]) == 12
    assert (await client.get("/api/v1/requests", headers=headers)).json()["total"] == 0

    skipped = await _import(client, headers, to_csv(rows), skip_invalid="true")
    assert skipped.status_code == 200 and skipped.json()["imported"] == 10
    imported = [row["reference"] for row in skipped.json()["rows"] if row["status"] == "imported"]
    assert len(imported) == 10 and imported[0] == "FOI-2024-00001"
    again = await _import(client, headers, to_csv(rows), skip_invalid="true")
    assert again.json()["imported"] == 0 and again.json()["counts"]["already_imported"] == 10

    one = (await client.get(f"/api/v1/requests/{imported[0]}", headers=headers)).json()
    assert [event["imported"] for event in one["history"]] == [True, True]
    assert one["status"] == "responded" and one["due_on"] and one["requester"]["email"] == "person1@example.org"

    workbook = await _import(client, headers, b"PK\x03\x04" + b"\x00" * 200)
    assert workbook.status_code == 415 and "spreadsheet workbook" in workbook.json()["detail"]
    header = await _import(client, headers, b"regime,received_on,title,body,requester_name,phone\n")
    assert header.status_code == 422 and "unknown column 'phone'" in header.json()["detail"]
    missing = await client.post("/api/v1/imports", data={"dry_run": "true"}, files={"other": ("x.csv", b"x")}, headers=headers)
    assert missing.status_code == 422 and missing.json()["field"] == "file"
    assert (await client.post("/api/v1/imports", files={"file": ("x.csv", b"x")})).status_code == 401


async def test_batch_api_from_draft_to_the_public_site(client: AsyncTestClient, staff: Staff, sessions) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    manager = bearer(await token_for(sessions, staff.manager))
    with time_machine.travel(NOW, tick=False) as traveller:
        rows = historic_rows(6)
        rows[0]["body"] = "From Person Number1 (person1@example.org): how much was spent?"
        assert (await _import(client, officer, to_csv(rows))).status_code == 200

        created = await client.post(
            "/api/v1/batches", json={"title": "Older responses: 2024", "description": "Answered in 2024."}, headers=officer
        )
        assert created.status_code == 201, created.text
        batch = created.json()
        assert (batch["slug"], batch["state"], batch["requests"]) == ("older-responses-2024", "draft", [])
        duplicate = await client.post("/api/v1/batches", json={"title": "Older responses: 2024"}, headers=officer)
        assert duplicate.status_code == 409
        bad = await client.post("/api/v1/batches", json={"title": "x", "slug": "Bad Slug"}, headers=officer)
        assert bad.status_code == 422 and bad.json()["field"] == "slug"

        by_reference = await client.post(
            f"/api/v1/batches/{batch['id']}/requests", json={"references": ["FOI-2024-00001"]}, headers=officer
        )
        assert by_reference.status_code == 200 and by_reference.json()["added"] == ["FOI-2024-00001"]
        by_filter = await client.post(
            f"/api/v1/batches/{batch['id']}/requests",
            json={"filter": {"status": "responded", "responded_from": "2024-01-01", "responded_to": "2024-12-31"}},
            headers=officer,
        )
        assert by_filter.json()["added"] == ["FOI-2024-00002", "FOI-2024-00003", "FOI-2024-00004", "FOI-2024-00005", "FOI-2024-00006"]
        refused = await client.post(
            f"/api/v1/batches/{batch['id']}/requests", json={"references": ["FOI-2024-00002", "FOI-1999-00001"]}, headers=officer
        )
        assert refused.status_code == 422
        assert refused.json()["detail"] == (
            "References: nothing was added: FOI-1999-00001: no such request; FOI-2024-00002 is already in this batch"
        )
        removed = await client.delete(f"/api/v1/batches/{batch['id']}/requests/FOI-2024-00006", headers=officer)
        assert removed.status_code == 200 and removed.json()["request_count"] == 5
        one = (await client.get("/api/v1/requests/FOI-2024-00003", headers=officer)).json()
        assert one["publication"]["batch"] == "older-responses-2024"

        preview = (await client.get(f"/api/v1/batches/{batch['id']}/preview", headers=officer)).json()
        assert len(preview["requests"]) == 5 and preview["warning_count"] >= 5
        assert "[redacted]" in preview["requests"][0]["request"] and "person1@example.org" not in preview["requests"][0]["request"]

        assert (await client.post(f"/api/v1/batches/{batch['id']}/approve", headers=officer)).status_code == 403
        early = await client.post(f"/api/v1/batches/{batch['id']}/publish", json={}, headers=officer)
        assert early.status_code == 409 and "a manager approves it" in early.json()["detail"]
        approved = await client.post(f"/api/v1/batches/{batch['id']}/approve", headers=manager)
        assert approved.status_code == 200 and approved.json()["approved_by"] == staff.manager.email

        at = (NOW + timedelta(minutes=1)).isoformat()
        scheduled = await client.post(f"/api/v1/batches/{batch['id']}/publish", json={"at": at}, headers=officer)
        assert (scheduled.json()["state"], scheduled.json()["publish_at"]) == ("scheduled", at)
        assert (await client.get("/batches/older-responses-2024")).status_code == 404  # not public yet
        assert (await client.get("/api/v1/disclosures")).json()["total"] == 0

        traveller.shift(timedelta(minutes=5))
        published = await client.post(f"/api/v1/batches/{batch['id']}/publish", json={}, headers=officer)
        assert published.status_code == 200 and published.json()["state"] == "published"
        assert published.json()["url"] == "/batches/older-responses-2024"
        again = await client.post(f"/api/v1/batches/{batch['id']}/publish", json={}, headers=officer)
        assert again.status_code == 409

        page = await client.get("/batches/older-responses-2024")
        assert page.status_code == 200 and "set-cookie" not in page.headers
        for reference in ("FOI-2024-00001", "FOI-2024-00005"):
            assert f'href="/disclosures/{reference}"' in page.text
        assert "FOI-2024-00006" not in page.text
        listing = (await client.get("/api/v1/disclosures", params={"batch": "older-responses-2024"})).json()
        assert listing["total"] == 5
        home = (await client.get("/")).text
        assert "Latest batches" in home and 'href="/batches/older-responses-2024"' in home
        feed = (await client.get("/disclosures.atom")).text
        assert "Released together: Older responses: 2024 (5 releases)" in feed
        disclosure = (await client.get("/disclosures/FOI-2024-00001")).text
        assert 'with <a href="/batches/older-responses-2024">Older responses: 2024</a>' in disclosure
        everything = page.text + home + feed + disclosure
        assert "Person Number1" not in everything and "person1@example.org" not in everything

        locked = await client.delete(f"/api/v1/batches/{batch['id']}/requests/FOI-2024-00001", headers=officer)
        assert locked.status_code == 409 and "only by being taken down" in locked.json()["detail"]
        listed = (await client.get("/api/v1/batches", headers=officer)).json()
        assert [(b["slug"], b["state"], b["request_count"]) for b in listed] == [("older-responses-2024", "published", 5)]


@time_machine.travel(NOW, tick=False)
async def test_import_api_stores_addresses_and_never_echoes_them(client: AsyncTestClient, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    rows = historic_rows(2)
    rows[0]["requester_address"] = "Flat 2\n14 Orchard Row\nLeeds LS6 2AB"
    rows[1].update(requester_email="bad-email-at-orchard", requester_address="9 Quince Way\nYork YO1 7ZZ")
    refused = await _import(client, headers, to_csv(rows))
    assert refused.status_code == 422
    rows[1]["requester_email"] = ""
    dry = await _import(client, headers, to_csv(rows), dry_run="true")
    done = await _import(client, headers, to_csv(rows))
    assert done.status_code == 200 and done.json()["imported"] == 2
    for answer in (refused, dry, done):
        assert not any(word in answer.text for word in ("Orchard", "LS6", "Quince", "YO1", "Person Number", "person1@"))
    reference = done.json()["rows"][1]["reference"]
    one = (await client.get(f"/api/v1/requests/{reference}", headers=headers)).json()
    assert one["requester"] == {"name": "Person Number2", "email": None, "address": "9 Quince Way\nYork YO1 7ZZ"}
