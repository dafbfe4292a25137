"""Importing historic requests: all or nothing, full history, due dates from the engine, idempotent."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from app.domain.errors import InvalidInput
from app.domain.imports import RowState
from app.domain.regimes import Regime
from app.models import FoiRequest, Requester, RequestEvent, RequestExemption
from app.services import imports
from app.services import requests as request_service
from app.services.deadlines import Calendars, compute_for, working_days_taken
from tests.csv_samples import historic_rows, to_csv
from tests.factories import Staff

LONDON = ZoneInfo("Europe/London")
FROZEN = "2025-11-20 10:00:00 +00:00"


async def _count(sessions, model) -> int:
    async with sessions.read() as db:
        return await db.scalar(select(func.count()).select_from(model)) or 0


async def _import(sessions, data: bytes, staff: Staff, **options):
    async with sessions.write.begin() as db:
        return await imports.import_requests(db, data, actor=staff.officer, zone=LONDON, **options)


@time_machine.travel(FROZEN, tick=False)
async def test_two_hundred_rows_with_one_bad_row_are_refused_then_imported_once(sessions, staff: Staff) -> None:
    rows = historic_rows(200)
    rows[136]["responded_on"] = "2024-13-40"  # line 138: the header is line 1
    refused = await _import(sessions, to_csv(rows), staff)
    assert refused.refused and refused.imported == 0
    [bad] = refused.invalid
    assert (bad.line, [(e.column, e.reason) for e in bad.errors]) == (
        138,
        [("responded_on", "'2024-13-40' is not a date (use YYYY-MM-DD, or DD/MM/YYYY)")],
    )
    assert "1 invalid: nothing was imported" in refused.summary
    assert await _count(sessions, FoiRequest) == 0 and await _count(sessions, Requester) == 0

    rows[136]["responded_on"] = "2024-06-20"
    done = await _import(sessions, to_csv(rows), staff)
    assert done.imported == 200 and not done.refused
    assert done.counts["imported"] == 200
    assert await _count(sessions, FoiRequest) == 200

    again = await _import(sessions, to_csv(rows), staff)
    assert again.imported == 0 and again.counts["already_imported"] == 200
    assert {row.reference for row in again.rows} == {row.reference for row in done.rows}
    assert await _count(sessions, FoiRequest) == 200


@time_machine.travel(FROZEN, tick=False)
async def test_each_row_becomes_a_full_request_with_imported_history(sessions, staff: Staff) -> None:
    rows = historic_rows(2)
    rows[1].update(received_on="2024-12-20", responded_on="2025-01-31", exemptions="FOIA-s40;FOIA-s43")
    report = await _import(sessions, to_csv(rows), staff)
    reference = report.rows[1].reference
    assert reference == "FOI-2024-00002"
    async with sessions.read() as db:
        detail = await request_service.get_request(db, reference)
        request = detail.request
        calendars = await Calendars.load(db)
    assert (request.status, request.outcome, request.responded_on) == ("responded", "granted_in_part", date(2025, 1, 31))
    assert detail.exemptions == ["FOIA-s40", "FOIA-s43"]
    assert request.requester.name == "Person Number2" and request.requester.email == "person2@example.org"
    assert request.department.slug == "corporate-services" and request.channel == "email"
    assert request.received_on == date(2024, 12, 20) and request.import_key and request.version == 2
    # the due date is the engine's, over Christmas and New Year
    expected = compute_for(Regime.FOIA, date(2024, 12, 20), [], calendars)
    assert request.due_on == expected.due_on == date(2025, 1, 23)
    assert request.clock_state == "closed" and request.response_due_on == expected.due_on
    taken = working_days_taken(expected, date(2025, 1, 31), calendars.for_regime(Regime.FOIA))
    assert request.response_working_days == taken == 26  # answered late
    events = list(reversed(detail.events))
    assert [(e.action, e.from_status, e.to_status, e.occurred_on, e.imported) for e in events] == [
        ("log", None, "new", date(2024, 12, 20), True),
        ("respond", "new", "responded", date(2025, 1, 31), True),
    ]
    assert events[1].details["exemptions"] == ["FOIA-s40", "FOIA-s43"] and events[0].details["import"]["line"] == 3
    assert all(e.actor_id == staff.officer.id for e in events)


@time_machine.travel(FROZEN, tick=False)
async def test_withdrawn_lapsed_and_open_rows(sessions, staff: Staff) -> None:
    rows = historic_rows(4)
    rows[0].update(status="withdrawn", outcome="", exemptions="", response="", responded_on="2024-01-12")
    rows[1].update(status="lapsed", outcome="", exemptions="", response="", responded_on="2024-04-15")
    rows[2].update(status="in_progress", outcome="", exemptions="", response="", responded_on="", received_on="2025-11-10")
    rows[3].update(status="new", outcome="", exemptions="", response="", responded_on="", received_on="2025-11-19")
    report = await _import(sessions, to_csv(rows), staff)
    async with sessions.read() as db:
        found = {row.reference: await request_service.get_request(db, row.reference) for row in report.rows}
    withdrawn, lapsed, in_progress, new = found.values()
    assert [e.action for e in reversed(withdrawn.events)] == ["log", "withdraw"]
    assert withdrawn.request.responded_on is None and withdrawn.events[0].occurred_on == date(2024, 1, 12)
    assert [e.action for e in reversed(lapsed.events)] == ["log", "request_clarification", "lapse"]
    assert lapsed.request.status == "lapsed" and lapsed.request.clock_state == "closed"
    assert in_progress.request.status == "in_progress" and in_progress.request.due_on == date(2025, 12, 9)  # St Andrew's Day counts
    assert new.request.status == "new" and new.request.clock_state == "running"


@time_machine.travel(FROZEN, tick=False)
async def test_references_are_kept_and_new_ones_never_collide(sessions, staff: Staff) -> None:
    kept = historic_rows(3, first_reference=41)
    report = await _import(sessions, to_csv(kept), staff)
    assert [row.reference for row in report.rows] == ["FOI-2024-00041", "FOI-2024-00042", "FOI-2024-00043"]
    fresh = historic_rows(2)  # no references: numbered after the largest kept one
    for row in fresh:
        row["title"] += " (new)"
    report = await _import(sessions, to_csv(fresh), staff)
    assert [row.reference for row in report.rows] == ["FOI-2024-00044", "FOI-2024-00045"]
    async with sessions.write.begin() as db:
        logged = await request_service.create_request(
            db,
            request_service.NewRequest(
                regime="foia",
                title="Logged by hand",
                body="?",
                requester=request_service.RequesterDetails(name="R", email="r@example.org"),
                received_on=date(2024, 5, 1),
            ),
            staff.officer,
            LONDON,
        )
    assert logged.reference == "FOI-2024-00046"

    taken = historic_rows(1, first_reference=45)
    taken[0]["title"] = "Something else entirely"
    refused = await _import(sessions, to_csv(taken), staff)
    assert refused.refused
    assert str(refused.invalid[0].errors[0]) == "reference: FOI-2024-00045 is already used by another request in the tracker"


@time_machine.travel(FROZEN, tick=False)
async def test_dry_run_writes_nothing_and_skip_invalid_imports_the_rest(sessions, staff: Staff) -> None:
    rows = historic_rows(5)
    rows[2]["regime"] = "fola"
    rows[4]["requester_email"] = "person5-at-example.org"
    dry = await _import(sessions, to_csv(rows), staff, dry_run=True)
    assert dry.dry_run and dry.refused and [r.line for r in dry.invalid] == [4, 6]
    dry_skip = await _import(sessions, to_csv(rows), staff, dry_run=True, skip_invalid=True)
    assert not dry_skip.refused and dry_skip.to_import == 3
    assert "3 would be imported, 2 invalid (would be skipped)" in dry_skip.summary
    assert await _count(sessions, FoiRequest) == 0

    skipped = await _import(sessions, to_csv(rows), staff, skip_invalid=True)
    assert skipped.imported == 3 and skipped.counts["invalid"] == 2
    assert [r.state for r in skipped.rows] == [RowState.IMPORTED, RowState.IMPORTED, RowState.INVALID, RowState.IMPORTED, RowState.INVALID]
    assert "person5-at-example.org" not in skipped.summary + " ".join(r.message for r in skipped.rows)
    # fixed, the two skipped rows come in; the three others are already there
    rows[2]["regime"], rows[4]["requester_email"] = "foia", "person5@example.org"
    rest = await _import(sessions, to_csv(rows), staff)
    assert (rest.imported, rest.counts["already_imported"]) == (2, 3)
    assert await _count(sessions, FoiRequest) == 5


@time_machine.travel(FROZEN, tick=False)
async def test_a_failure_while_writing_leaves_nothing_behind(sessions, staff: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "CHUNK", 10)
    calls = 0
    original = imports._event_rows

    def failing(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 25:  # in the third chunk, after two chunks were written
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(imports, "_event_rows", failing)
    with pytest.raises(RuntimeError):
        await _import(sessions, to_csv(historic_rows(40)), staff)
    for model in (FoiRequest, Requester, RequestEvent, RequestExemption):
        assert await _count(sessions, model) == 0


async def test_a_file_that_is_not_a_csv_of_requests_names_the_problem(sessions, staff: Staff) -> None:
    with pytest.raises(imports.NotCsv, match="UTF-16"):
        await _import(sessions, "regime,title".encode("utf-16"), staff)
    for data, message in [
        ("regime,title\nfoia,Caf\xe9".encode("latin-1"), "the file is not UTF-8 text (line 2, byte 22)"),
        (b"reference,regime,received_on,title,body,requester_name,colour\n", "unknown column 'colour'"),
    ]:
        with pytest.raises(InvalidInput) as raised:
            await _import(sessions, data, staff)
        assert raised.value.field == "file" and message in raised.value.message


@time_machine.travel(FROZEN, tick=False)
async def test_addresses_are_imported_and_no_report_repeats_them(sessions, staff: Staff) -> None:
    rows = historic_rows(3)
    rows[0]["requester_address"] = "Flat 2\n14 Orchard Row\nLeeds LS6 2AB"
    rows[1].update(requester_email="", requester_address="Rose Cottage, Mill Lane\r\nHebden Bridge\r\nHX7 8QQ")
    rows[2]["requester_address"] = "77 Quince Terrace LS7 4ZZ\n" * 60  # too long
    refused = await _import(sessions, to_csv(rows), staff)
    [bad] = refused.invalid
    assert [str(e) for e in bad.errors] == ["requester_address: is 1,559 characters long; at most 1,000"]
    said = refused.summary + " ".join(r.message for r in refused.rows)
    assert "Quince" not in said and "Orchard" not in said and "HX7" not in said
    assert await _count(sessions, Requester) == 0

    rows[2]["requester_address"] = ""
    done = await _import(sessions, to_csv(rows), staff)
    assert done.imported == 3
    assert not any(word in done.summary + " ".join(r.message for r in done.rows) for word in ("Orchard", "Rose Cottage", "LS6"))
    async with sessions.read() as db:
        first, by_post, none = [(await request_service.get_request(db, r.reference)).request for r in done.rows]
    assert first.requester.address == "Flat 2\n14 Orchard Row\nLeeds LS6 2AB"
    assert by_post.requester.address == "Rose Cottage, Mill Lane\nHebden Bridge\nHX7 8QQ" and by_post.channel == "post"
    assert none.requester.address is None
