"""Migrations: upgrade, downgrade, upgrade again on both engines; models and migrations never drift."""

from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

import app.models  # noqa: F401
from app.db import create_engine
from app.migrations import compare_type, downgrade, upgrade
from app.migrations import include_object as _include_object
from app.models.base import metadata
from app.services import imports, publication, search
from tests.csv_samples import historic_rows, to_csv
from tests.factories import make_staff

LONDON = ZoneInfo("Europe/London")


async def _table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:

            def compare(sync):
                context = MigrationContext.configure(sync, opts={"compare_type": compare_type, "include_object": _include_object})
                return compare_metadata(context, metadata)

            return await connection.run_sync(compare)
    finally:
        await engine.dispose()


async def _count_exemptions(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text("SELECT count(*) FROM exemptions"))).scalar_one()
    finally:
        await engine.dispose()


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    # the fixture's database is already at head
    assert "requests" in asyncio.run(_table_names(database_url))
    downgrade(database_url, "base")
    assert asyncio.run(_table_names(database_url)) <= {"alembic_version"}
    upgrade(database_url)
    tables = asyncio.run(_table_names(database_url))
    assert {"requests", "request_events", "requesters", "users"} <= tables
    # the exemptions are declared with each regime in app/domain/regimes, not copied into a table (0009)
    assert "exemptions" not in tables


async def test_downgrading_0009_keeps_the_codes_in_use_for_the_foreign_key(database_url: str, sessions) -> None:
    staff = await make_staff(sessions)
    rows = historic_rows(3)
    for row in rows:
        row.update(status="responded", outcome="refused_in_full", exemptions="FOIA-s43", response="Withheld: commercial.")
    async with sessions.write.begin() as db:
        report = await imports.import_requests(db, to_csv(rows), actor=staff.officer, zone=LONDON)
    assert report.imported == 3, report.invalid
    await asyncio.to_thread(downgrade, database_url, "0008")
    assert await _count_exemptions(database_url) == 1  # the code in use, so that the foreign key holds
    await asyncio.to_thread(upgrade, database_url)
    assert "exemptions" not in await _table_names(database_url)


def test_models_and_migrations_do_not_drift(database_url: str) -> None:
    differences = asyncio.run(_differences(database_url))
    assert differences == [], f"models and migrations differ; write a migration: {differences}"


async def test_releases_indexed_before_accents_folded_are_found_without_them(database_url: str, sessions) -> None:
    """0005: a release published when PostgreSQL's vectors kept accents is found by "cafe" after the upgrade
    (SQLite's index always folded them)."""
    staff = await make_staff(sessions)
    rows = historic_rows(2)
    rows[0]["title"] = "Café licences on the high street"
    async with sessions.write.begin() as db:
        report = await imports.import_requests(db, to_csv(rows), actor=staff.officer, zone=LONDON)
    reference = report.rows[0].reference
    async with sessions.write.begin() as db:
        await publication.publish(db, reference, actor=staff.officer, zone=LONDON)
    on_postgres = make_url(database_url).get_backend_name() == "postgresql"
    if on_postgres:
        async with sessions.write() as db:  # the vector as 0002 to 0004 wrote it: words with their accents
            await db.execute(text("UPDATE disclosure_search SET search_vector = to_tsvector('english', title || ' ' || body)"))
            await db.commit()

    async def found(query: str) -> list[str]:
        async with sessions.read() as db:
            page = await search.search_disclosures(db, search.DisclosureFilters(q=query), LONDON)
        return [hit.reference for hit in page.hits]

    assert await found("cafe") == ([] if on_postgres else [reference])
    await asyncio.to_thread(downgrade, database_url, "0004")
    await asyncio.to_thread(upgrade, database_url)
    assert await found("cafe") == [reference]
    assert await found("CAFÉ licences") == [reference]
