"""Alembic, driven from code: the `foi db` commands, the start-up check and the tests use this."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.config import PROJECT_ROOT
from app.db import create_engine


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """What Alembic compares and generates: our tables, not SQLite's bookkeeping."""
    if type_ == "table" and name is not None and name.startswith("sqlite_"):
        return False
    # the search indexes are engine-specific (FTS5 / tsvector; pg_trgm / b-tree) and kept by
    # migrations and the search service, not by the models
    if name is not None and (name.startswith("disclosure_search") or name in ("ix_requests_title_search", "ix_requesters_search")):
        return False
    # SQLite's count of public changes, kept by triggers (migration 0015; PostgreSQL notifies instead)
    if type_ == "table" and name == "public_changes":
        return False
    # advanced-alchemy declares this index for Spanner only (ddl_if); no table of ours has it
    return name != "ix_store_items_key_namespace_unique"


def compare_type(context: Any, inspected_column: Any, metadata_column: Any, inspected_type: Any, metadata_type: Any) -> bool | None:
    """Alembic's type comparison, except for advanced-alchemy's GUID, which SQLite reflects as NUMERIC."""
    if type(metadata_type).__name__ == "GUID":
        return False
    return None


def alembic_config(database_url: str) -> Config:
    config = Config(toml_file=str(PROJECT_ROOT / "pyproject.toml"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
    asyncio.run(refresh_statistics(database_url))


async def refresh_statistics(database_url: str) -> None:
    """Table statistics for the query planner. SQLite has none until ANALYZE and then prefers a
    plain index over the partial indexes the hot queries are built for; PostgreSQL's autovacuum
    keeps its own, but a fresh one after a migration does no harm."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                await connection.exec_driver_sql("PRAGMA analysis_limit=1000")  # bounded time on big tables
            await connection.exec_driver_sql("ANALYZE")
            await connection.commit()
    finally:
        await engine.dispose()


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


async def current_revision(database_url: str) -> str | None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
    finally:
        await engine.dispose()


def is_at_head(database_url: str) -> tuple[bool, str | None, str | None]:
    current = asyncio.run(current_revision(database_url))
    head = head_revision(database_url)
    return current == head, current, head
