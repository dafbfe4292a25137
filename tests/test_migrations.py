"""Migrations: upgrade, downgrade, upgrade again on both engines; models and migrations never drift."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import app.models  # noqa: F401
from app.db import create_engine
from app.migrations import downgrade, upgrade
from app.models.base import metadata
from app.migrations import compare_type
from app.migrations import include_object as _include_object


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
            def compare(sync):  # noqa: ANN001, ANN202
                context = MigrationContext.configure(
                    sync, opts={"compare_type": compare_type, "include_object": _include_object}
                )
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
    assert {"requests", "request_events", "requesters", "users", "exemptions"} <= asyncio.run(_table_names(database_url))
    assert asyncio.run(_count_exemptions(database_url)) > 50


def test_models_and_migrations_do_not_drift(database_url: str) -> None:
    differences = asyncio.run(_differences(database_url))
    assert differences == [], f"models and migrations differ; write a migration: {differences}"
