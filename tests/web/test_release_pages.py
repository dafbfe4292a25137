"""Staff pages for imports, release batches and bulk actions, as forms without JavaScript."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import time_machine
from litestar.testing import AsyncTestClient

from app.config import Settings
from app.services.imports import pending_store
from tests.csv_samples import historic_rows, to_csv
from tests.factories import Staff, sign_in

NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


def _form(client: AsyncTestClient, **fields: str | list[str]) -> dict[str, str | list[str]]:
    return {"_csrf_token": client.cookies.get("csrftoken", ""), **fields}


async def _upload(client: AsyncTestClient, data: bytes, **fields: str):
    return await client.post("/staff/import", files={"file": ("older-requests.csv", data, "text/csv")}, data=_form(client, **fields))


@time_machine.travel(NOW, tick=False)
async def test_import_page_previews_then_imports_the_file_kept_by_its_hash(
    client: AsyncTestClient, staff: Staff, settings: Settings
) -> None:
    await sign_in(client, staff.officer)
    page = await client.get("/staff/import")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text and "requester_email" in page.text

    rows = historic_rows(5)
    rows[2]["received_on"] = "2024-02-31"
    bad = await _upload(client, to_csv(rows))
    assert bad.status_code == 200
    assert "Nothing can be imported until these rows are fixed" in bad.text
    assert re.search(r"Line 4 \(line 6 in a text editor\)</strong>: <code>received_on</code> &#39;2024-02-31&#39; is not a date", bad.text)
    assert 'action="/staff/import/confirm"' not in bad.text

    rows[2]["received_on"] = "2024-01-14"
    good = await _upload(client, to_csv(rows))
    assert "Import 5 requests" in good.text and "Will be imported" in good.text
    sha256 = re.search(r'name="sha256" value="([0-9a-f]{64})"', good.text).group(1)
    store = pending_store(settings.storage_dir, settings.max_upload_bytes)
    assert store.exists(sha256)
    assert (await client.get("/api/v1/requests")).json()["total"] == 0  # a preview writes nothing

    done = await client.post(
        "/staff/import/confirm", data=_form(client, sha256=sha256, skip_invalid="false", filename="older-requests.csv")
    )
    assert done.status_code == 200
    assert "5 requests imported from older-requests.csv." in done.text
    assert 'href="/staff/requests/FOI-2024-00005"' in done.text
    assert not store.exists(sha256)  # the file with requesters' data is gone once imported
    expired = await client.post("/staff/import/confirm", data=_form(client, sha256=sha256))
    assert expired.status_code == 422 and "has expired or was already imported" in expired.text
    tricky = await client.post("/staff/import/confirm", data=_form(client, sha256="../../etc/passwd"))
    assert tricky.status_code == 422 and "upload the file again" in tricky.text

    again = await _upload(client, to_csv(rows))
    assert "There is nothing new to import in this file." in again.text and again.text.count("Already imported") >= 5
    workbook = await _upload(client, b"PK\x03\x04rest of a workbook")
    assert workbook.status_code == 422 and "save the spreadsheet as &#39;CSV UTF-8&#39;" in workbook.text
    nothing = await client.post("/staff/import", data=_form(client))
    assert nothing.status_code == 422 and "choose a CSV file to upload" in nothing.text


@time_machine.travel(NOW, tick=False)
async def test_batch_pages_build_preview_approve_and_publish(client: AsyncTestClient, staff: Staff, settings: Settings) -> None:
    await sign_in(client, staff.officer)
    rows = historic_rows(4)
    await _upload(client, to_csv(rows))
    sha256 = re.search(r'name="sha256" value="([0-9a-f]{64})"', (await _upload(client, to_csv(rows))).text).group(1)
    await client.post("/staff/import/confirm", data=_form(client, sha256=sha256))

    empty = await client.post("/staff/batches", data=_form(client, title="", slug="", description="", publish_at=""))
    assert empty.status_code == 422 and "give the batch a title" in empty.text and 'href="#batch-title"' in empty.text
    bad_time = await client.post("/staff/batches", data=_form(client, title="Winter release", publish_at="soon"))
    assert bad_time.status_code == 422 and "give a date and time" in bad_time.text
    created = await client.post(
        "/staff/batches",
        data=_form(client, title="Winter release", slug="", description="Older answers.", publish_at="2025-12-01T09:30"),
        follow_redirects=False,
    )
    assert created.status_code == 303
    location = created.headers["location"].split("?")[0]
    batch_id = int(location.rsplit("/", 1)[1])
    detail = await client.get(location)
    assert "Winter release" in detail.text and "Planned for" in detail.text and "1 December 2025 at 09:30" in detail.text

    count = await client.get(f"/staff/batches/{batch_id}/matching", params={"status": "responded", "responded_from": "2024-01-01"})
    assert "<strong>4</strong> requests match" in count.text
    wrong = await client.get(f"/staff/batches/{batch_id}/matching", params={"responded_from": "2024-13-01"})
    assert "is not a date" in wrong.text
    unknown = await client.post(
        f"/staff/batches/{batch_id}/requests", data=_form(client, how="references", references="FOI-2024-00001, FOI-2030-00001")
    )
    assert unknown.status_code == 422 and "FOI-2030-00001: no such request" in unknown.text
    added = await client.post(
        f"/staff/batches/{batch_id}/requests", data=_form(client, how="filter", status="responded", responded_from="2024-01-01")
    )
    assert added.status_code == 200 and "4 requests added." in added.text
    member = await client.get("/staff/requests/FOI-2024-00001")
    assert f'In the release batch <a href="/staff/batches/{batch_id}">Winter release</a> (draft)' in member.text
    assert "Release batch: Winter release" in member.text  # the history says so too

    preview = await client.get(f"/staff/batches/{batch_id}/preview")
    assert preview.status_code == 200 and "exactly what the public will see" in preview.text
    assert "There is no public summary." in preview.text
    assert "Approve this batch" not in (await client.get(location)).text  # an officer cannot approve
    refused = await client.post(f"/staff/batches/{batch_id}/approve", data=_form(client))
    assert refused.status_code == 200 and "a manager approves a release batch" in refused.text

    await client.post("/logout", data=_form(client))
    await sign_in(client, staff.manager)
    assert "Approve this batch" in (await client.get(location)).text
    approved = await client.post(f"/staff/batches/{batch_id}/approve", data=_form(client))
    assert "Approved: the batch can now be published or scheduled." in approved.text
    missing_time = await client.post(f"/staff/batches/{batch_id}/publish", data=_form(client, when="later", at=""))
    assert missing_time.status_code == 422 and "Enter the date and time to publish" in missing_time.text
    published = await client.post(f"/staff/batches/{batch_id}/publish", data=_form(client, when="now"))
    assert "Published: every request of the batch is now on the disclosure log." in published.text
    assert 'href="/batches/winter-release"' in published.text
    listing = await client.get("/staff/batches")
    assert "Published 20 Nov 2025" in listing.text
    public = await client.get("/batches/winter-release")
    assert public.status_code == 200 and "4 releases" in public.text


@time_machine.travel(NOW, tick=False)
async def test_bulk_action_from_the_list_previews_then_confirms_once(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    rows = historic_rows(3)
    for row in rows:
        row.update(status="in_progress", outcome="", exemptions="", response="", responded_on="", received_on="2025-11-10")
    rows[2].update(status="responded", outcome="not_held", responded_on="2025-11-12", received_on="2025-11-03")
    sha256 = re.search(r'name="sha256" value="([0-9a-f]{64})"', (await _upload(client, to_csv(rows))).text).group(1)
    await client.post("/staff/import/confirm", data=_form(client, sha256=sha256))

    listing = await client.get("/staff/requests", params={"status": "all"})
    assert 'name="reference" value="FOI-2025-00001"' in listing.text and "With the selected requests" in listing.text
    nothing = await client.post("/staff/requests/bulk", data=_form(client, bulk_action="withdraw"))
    assert nothing.status_code == 422 and "choose at least one request" in nothing.text

    chosen = ["FOI-2025-00001", "FOI-2025-00002", "FOI-2025-00003"]
    preview = await client.post("/staff/requests/bulk", data=_form(client, bulk_action="withdraw", reference=chosen))
    assert preview.status_code == 200
    assert "Will change (2)" in preview.text and "In progress → Withdrawn" in preview.text
    assert "Will not change (1)" in preview.text and "only a request not yet answered can be withdrawn" in preview.text
    assert "Confirm: Close as withdrawn (2 requests)" in preview.text
    confirmed = await client.post(
        "/staff/requests/bulk/confirm",
        data=_form(client, bulk_action="withdraw", reference=chosen[:2], note="Withdrawn by phone"),
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    after = await client.get(confirmed.headers["location"])
    assert re.search(r"Close as withdrawn: 2 requests \(operation \d+\)\.", after.text)
    detail = (await client.get("/api/v1/requests/FOI-2025-00001")).json()
    assert detail["status"] == "withdrawn" and detail["history"][0]["note"] == "Withdrawn by phone"
    twice = await client.post("/staff/requests/bulk/confirm", data=_form(client, bulk_action="withdraw", reference=chosen[:2]))
    assert twice.status_code == 409 and "nothing was changed" in twice.text


@time_machine.travel(NOW, tick=False)
async def test_import_page_explains_the_address_column_and_never_shows_addresses(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    page = await client.get("/staff/import")
    assert "<code>requester_address</code>" in page.text and "on several lines in one quoted cell" in page.text
    rows = historic_rows(2)
    rows[0]["requester_address"] = "Flat 2\n14 Orchard Row\nLeeds LS6 2AB"
    rows[1]["requester_address"] = "Orchard House LS6 9XX\n" * 60  # too long
    bad = await _upload(client, to_csv(rows))
    assert "<code>requester_address</code> is 1,319 characters long; at most 1,000" in bad.text
    rows[1]["requester_address"] = "Orchard House\nLS6 9XX"
    good = await _upload(client, to_csv(rows))
    sha256 = re.search(r'name="sha256" value="([0-9a-f]{64})"', good.text).group(1)
    done = await client.post("/staff/import/confirm", data=_form(client, sha256=sha256))
    assert "2 requests imported" in done.text
    for answer in (bad, good, done):
        assert "Orchard" not in answer.text and "LS6" not in answer.text
