"""Release batches: building, previewing, approving, publishing all at once, and scheduled exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from app.domain.errors import InvalidInput
from app.models import FoiRequest, ReleaseBatch, RequestEvent
from app.services import batches, imports, publication
from app.services import requests as request_service
from app.services.errors import Conflict, Forbidden, NotFound
from app.services.scheduled import publish_due
from tests.csv_samples import historic_rows, to_csv
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


async def _import(sessions, staff: Staff, rows: list[dict[str, str]]) -> list[str]:
    async with sessions.write.begin() as db:
        report = await imports.import_requests(db, to_csv(rows), actor=staff.officer, zone=LONDON)
    assert report.imported == len(rows), report.summary
    return [row.reference for row in report.rows]


async def _batch(sessions, staff: Staff, title: str = "Older FOI responses, 2024", **kwargs) -> ReleaseBatch:
    async with sessions.write.begin() as db:
        return await batches.create_batch(
            db,
            title=title,
            slug=kwargs.pop("slug", None),
            description=kwargs.pop("description", "Requests answered in 2024."),
            publish_at=kwargs.pop("publish_at", None),
            actor=staff.officer,
            zone=LONDON,
        )


async def _published(sessions, references: list[str]) -> dict[str, str]:
    async with sessions.read() as db:
        rows = await db.execute(select(FoiRequest.reference, FoiRequest.publication_state).where(FoiRequest.reference.in_(references)))
        return dict(rows.tuples().all())


async def _events(sessions, action: str) -> dict[int, int]:
    async with sessions.read() as db:
        rows = await db.execute(
            select(RequestEvent.request_id, func.count()).where(RequestEvent.action == action).group_by(RequestEvent.request_id)
        )
        return dict(rows.tuples().all())


async def _ready_batch(sessions, staff: Staff, count: int = 6) -> tuple[ReleaseBatch, list[str]]:
    references = await _import(sessions, staff, historic_rows(count))
    batch = await _batch(sessions, staff)
    async with sessions.write.begin() as db:
        await batches.add_requests(
            db,
            batch.id,
            spec=batches.RequestFilter(status="responded", responded_from=date(2024, 1, 1), responded_to=date(2024, 12, 31)),
            actor=staff.officer,
            zone=LONDON,
        )
    async with sessions.write.begin() as db:
        await batches.approve_batch(db, batch.id, actor=staff.manager)
    responded = [ref for ref, row in zip(references, historic_rows(count), strict=True) if row["status"] == "responded"]
    return batch, responded


@time_machine.travel(NOW, tick=False)
async def test_a_batch_is_built_by_filter_and_by_reference(sessions, staff: Staff) -> None:
    rows = historic_rows(30)
    rows[3]["responded_on"], rows[3]["received_on"] = "2025-01-10", "2024-12-30"  # answered in 2025: not matched
    references = await _import(sessions, staff, rows)
    async with sessions.write.begin() as db:
        await publication.publish(db, references[0], actor=staff.officer, zone=LONDON)  # already published: not matched
    batch = await _batch(sessions, staff)
    assert (batch.slug, batch.state) == ("older-foi-responses-2024", "draft")

    spec = batches.RequestFilter(status="responded", responded_from=date(2024, 1, 1), responded_to=date(2024, 12, 31))
    async with sessions.read() as db:
        assert await batches.count_matching(db, spec) == 30 - 1 - 1 - 1  # one withdrawn, one of 2025, one published
    async with sessions.write.begin() as db:
        added = await batches.add_requests(db, batch.id, spec=spec, actor=staff.officer, zone=LONDON)
    assert len(added.added) == 27 and references[0] not in added.added and references[3] not in added.added

    async with sessions.write() as db:
        with pytest.raises(InvalidInput) as refused:
            await batches.add_requests(
                db,
                batch.id,
                references=[references[3], references[0], references[24], "FOI-2024-99999", references[5]],
                actor=staff.officer,
                zone=LONDON,
            )
    message = refused.value.message
    assert message.startswith("nothing was added: ")
    assert "FOI-2024-99999: no such request" in message
    assert f"{references[0]} is already published" in message
    assert f"{references[24]} is withdrawn: only answered requests can be published" in message
    assert f"{references[5]} is already in this batch" in message
    async with sessions.write.begin() as db:
        await batches.add_requests(db, batch.id, references=[references[3].lower()], actor=staff.officer, zone=LONDON)
    async with sessions.read() as db:
        detail = await batches.get_batch(db, batch.id)
        history = await request_service.get_request(db, references[3])
    assert len(detail.requests) == 28
    assert history.events[0].action == "add_to_batch" and history.events[0].details["batch"] == batch.slug

    async with sessions.write.begin() as db:
        await batches.remove_request(db, batch.id, references[3], actor=staff.officer, zone=LONDON)
    async with sessions.read() as db:
        assert len((await batches.get_batch(db, batch.id)).requests) == 27
        assert (await request_service.get_request(db, references[3])).events[0].action == "remove_from_batch"

    other = await _batch(sessions, staff, title="Another", slug="another")
    async with sessions.write() as db:
        with pytest.raises(InvalidInput) as elsewhere:
            await batches.add_requests(db, other.id, references=[references[1]], actor=staff.officer, zone=LONDON)
    assert f"{references[1]} is already in batch older-foi-responses-2024" in elsewhere.value.message
    async with sessions.write() as db:
        with pytest.raises(Conflict, match="is in a release batch"):
            await publication.publish(db, references[1], actor=staff.officer, zone=LONDON)


async def test_slugs_titles_and_duplicates(sessions, staff: Staff) -> None:
    for kwargs, field in [
        ({"title": ""}, "title"),
        ({"title": "x", "slug": "Not A Slug"}, "slug"),
        ({"title": "x", "slug": "a" * 81}, "slug"),
    ]:
        with pytest.raises(InvalidInput) as raised:
            await _batch(sessions, staff, **kwargs)
        assert raised.value.field == field
    await _batch(sessions, staff, title="Spring release")
    with pytest.raises(Conflict, match="already a batch with the slug 'spring-release'"):
        await _batch(sessions, staff, title="Spring  Release!")


@time_machine.travel(NOW, tick=False)
async def test_the_preview_shows_the_public_version_with_its_warnings(sessions, staff: Staff) -> None:
    rows = historic_rows(3)
    rows[1].update(
        body="I am Person Number2, please reply to person2@example.org about agency staff.",
        response="Figures attached.",
        exemptions="FOIA-s40;FOIA-s43",
    )
    references = await _import(sessions, staff, rows)
    batch = await _batch(sessions, staff)
    async with sessions.write.begin() as db:
        await batches.add_requests(db, batch.id, references=references[:2], actor=staff.officer, zone=LONDON)
    async with sessions.read() as db:
        preview = await batches.preview_batch(db, batch.id)
    first, second = preview.items
    assert first.version.warnings == [
        "No document is marked for release, although information was released.",
        "There is no public summary.",
    ]
    assert "Person Number2" not in second.version.body and "person2@example.org" not in second.version.body
    assert "[redacted]" in second.version.body
    warnings = " | ".join(second.version.warnings)
    removed = next(w for w in second.version.warnings if "will be replaced by [redacted]" in w)
    assert removed.startswith("2 pieces of personal data") and "name" in removed and "e-mail" in removed, removed
    assert "Exemption applied with no note in the response: s.40 Personal information; s.43 Commercial interests." in warnings
    assert preview.warning_count == 6 and len(preview.with_warnings) == 2


@time_machine.travel(NOW, tick=False)
async def test_only_a_manager_approves_and_any_change_needs_approval_again(sessions, staff: Staff) -> None:
    references = await _import(sessions, staff, historic_rows(3))
    batch = await _batch(sessions, staff)
    async with sessions.write() as db:
        with pytest.raises(Conflict, match="has no requests"):
            await batches.approve_batch(db, batch.id, actor=staff.manager)
    async with sessions.write.begin() as db:
        await batches.add_requests(db, batch.id, references=references[:2], actor=staff.officer, zone=LONDON)
    async with sessions.write() as db:
        with pytest.raises(Forbidden):
            await batches.approve_batch(db, batch.id, actor=staff.officer)
    async with sessions.write() as db:
        with pytest.raises(Conflict, match="a manager approves it before it is published"):
            await batches.publish_batch(db, batch.id, actor=staff.officer, zone=LONDON)
    async with sessions.write.begin() as db:
        approved = await batches.approve_batch(db, batch.id, actor=staff.admin)
    assert (approved.state, approved.approved_by_id) == ("approved", staff.admin.id)
    async with sessions.write.begin() as db:
        await batches.add_requests(db, batch.id, references=[references[2]], actor=staff.officer, zone=LONDON)
    async with sessions.read() as db:
        detail = await batches.get_batch(db, batch.id)
    assert detail.batch.state == "draft" and detail.batch.approved_by_id is None
    async with sessions.write.begin() as db:
        await batches.approve_batch(db, batch.id, actor=staff.manager)
    async with sessions.write.begin() as db:
        await batches.update_batch(db, batch.id, title="Older responses", description="Changed.", publish_at=None, zone=LONDON)
    async with sessions.read() as db:
        assert (await batches.get_batch(db, batch.id)).batch.state == "draft"


@time_machine.travel(NOW, tick=False)
async def test_publishing_now_releases_every_request_at_once_and_fixes_the_batch(sessions, staff: Staff) -> None:
    batch, references = await _ready_batch(sessions, staff)
    async with sessions.read() as db:
        with pytest.raises(NotFound):
            await batches.public_batch(db, batch.slug)  # nothing public before publication
    async with sessions.write.begin() as db:
        published = await batches.publish_batch(db, batch.id, actor=staff.officer, zone=LONDON)
    assert published.state == "published" and published.published_at == NOW
    assert set((await _published(sessions, references)).values()) == {"published"}
    events = await _events(sessions, "publish")
    assert sorted(events.values()) == [1] * len(references)
    async with sessions.read() as db:
        public = await batches.public_batch(db, batch.slug)
        latest = await batches.latest_published_batches(db)
        stamps = set((await db.execute(select(FoiRequest.published_at).where(FoiRequest.batch_id == batch.id))).scalars())
    assert [item.reference for item in public.items] == references
    assert all(item.title and "Person" not in (item.title or "") for item in public.items)
    assert [(hit.slug, hit.request_count) for hit in latest] == [(batch.slug, len(references))]
    assert stamps == {NOW}

    async with sessions.write() as db:
        with pytest.raises(Conflict, match="published and can no longer change"):
            await batches.remove_request(db, batch.id, references[0], actor=staff.officer, zone=LONDON)
    # after publication a request leaves only by takedown; the batch page says so
    async with sessions.write.begin() as db:
        await publication.unpublish(db, references[0], actor=staff.officer, zone=LONDON, reason="Personal data in an annex")
    async with sessions.read() as db:
        public = await batches.public_batch(db, batch.slug)
    assert (public.items[0].state, public.items[0].title) == ("withdrawn", None)


@time_machine.travel(NOW, tick=False)
async def test_a_failure_in_the_middle_of_a_batch_leaves_none_of_it_published(
    sessions, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch, references = await _ready_batch(sessions, staff)
    original = publication.publish_loaded
    calls = 0

    async def failing(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 4:
            raise RuntimeError("the search index is full")
        return await original(*args, **kwargs)

    monkeypatch.setattr(publication, "publish_loaded", failing)
    async with sessions.write() as db:
        with pytest.raises(RuntimeError):
            await batches.publish_batch(db, batch.id, actor=staff.officer, zone=LONDON)
    assert calls == 4
    assert set((await _published(sessions, references)).values()) == {"unpublished"}
    assert await _events(sessions, "publish") == {}
    async with sessions.read() as db:
        assert (await batches.get_batch(db, batch.id)).batch.state == "approved"
        from app.services.search import DisclosureFilters, search_disclosures

        assert (await search_disclosures(db, DisclosureFilters(), LONDON)).total == 0


async def test_a_scheduled_batch_is_published_once_by_runs_racing_each_other(sessions, staff: Staff) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        batch, references = await _ready_batch(sessions, staff, count=12)
        async with sessions.write.begin() as db:
            scheduled = await batches.publish_batch(db, batch.id, actor=staff.officer, zone=LONDON, at=NOW + timedelta(minutes=1))
        assert (scheduled.state, scheduled.publish_at) == ("scheduled", NOW + timedelta(minutes=1))
        single = references.pop()  # a request scheduled on its own, too
        async with sessions.write.begin() as db:
            await batches.remove_request(db, batch.id, single, actor=staff.officer, zone=LONDON)
        async with sessions.write.begin() as db:
            await batches.approve_batch(db, batch.id, actor=staff.manager)
        async with sessions.write.begin() as db:
            await batches.publish_batch(db, batch.id, actor=staff.officer, zone=LONDON, at=NOW + timedelta(minutes=1))
        async with sessions.write.begin() as db:
            await publication.publish(db, single, actor=staff.officer, zone=LONDON, at=NOW + timedelta(minutes=1))

        early = await publish_due(sessions.write, LONDON)
        assert early.nothing
        traveller.shift(timedelta(minutes=2))
        runs = await asyncio.gather(*(publish_due(sessions.write, LONDON) for _ in range(3)))

    assert sorted(len(run.batches) for run in runs) == [0, 0, 1]
    assert sorted(len(run.requests) for run in runs) == [0, 0, 1]
    assert set((await _published(sessions, [*references, single])).values()) == {"published"}
    events = await _events(sessions, "publish")
    assert len(events) == len(references) + 1 and set(events.values()) == {1}
    async with sessions.read() as db:
        assert (await batches.get_batch(db, batch.id)).batch.state == "published"


@time_machine.travel(NOW, tick=False)
async def test_a_batch_that_cannot_go_out_stays_scheduled_and_is_reported(sessions, staff: Staff) -> None:
    batch, references = await _ready_batch(sessions, staff, count=3)
    async with sessions.write.begin() as db:
        await batches.publish_batch(db, batch.id, actor=staff.officer, zone=LONDON, at=NOW + timedelta(seconds=30))
    # a request published on its own meanwhile (the rule refuses this, so reach past it)
    async with sessions.write() as db:
        request = await db.scalar(select(FoiRequest).where(FoiRequest.reference == references[0]))
        request.publication_state = "published"
        await db.commit()
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        result = await publish_due(sessions.write, LONDON)
    assert result.batches == [] and result.failed == [(batch.slug, f"{references[0]} is already published")]
    async with sessions.read() as db:
        assert (await batches.get_batch(db, batch.id)).batch.state == "scheduled"
    assert (await _published(sessions, references[1:2]))[references[1]] == "unpublished"
