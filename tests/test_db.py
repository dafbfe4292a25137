"""The database connection: what a failure may say."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from app.models import User


async def test_a_failed_statement_never_carries_the_values_it_wrote(engine) -> None:
    row = {
        "email": "rosa.private@example.org",
        "name": "Rosa Private",
        "role": "officer",
        "password_hash": "x",
        "is_active": True,
        "created_at": datetime.now(UTC),
    }
    async with engine.begin() as connection:
        await connection.execute(insert(User.__table__), row)
    with pytest.raises(IntegrityError) as caught:
        async with engine.begin() as connection:
            await connection.execute(insert(User.__table__), row)
    assert "rosa" not in str(caught.value).lower()
    assert "hidden due to hide_parameters" in str(caught.value)


def test_each_process_keeps_foi_db_pool_size_connections_to_postgresql_and_as_many_again_for_a_burst(tmp_path) -> None:
    from app.asgi import create_app
    from app.config import Settings

    url = "postgresql+asyncpg://foi@127.0.0.1:1/foi"  # never connected to: the pool is only made
    default = Settings.from_env({"FOI_HOME": str(tmp_path), "FOI_SECRET_KEY": "k", "FOI_DATABASE_URL": url})
    assert default.db_pool_size == 10
    app = create_app(
        Settings.from_env({"FOI_HOME": str(tmp_path), "FOI_SECRET_KEY": "k", "FOI_DATABASE_URL": url, "FOI_DB_POOL_SIZE": "4"})
    )
    pool = app.state.engine.pool
    # none open yet; 4 kept once opened, and up to 4 more for a burst
    assert (pool.size(), pool.checkedout(), pool._max_overflow) == (4, 0, 4), pool.status()
    for wrong in ("0", "lots", "-2", "1001"):
        with pytest.raises(ValueError, match=f"FOI_DB_POOL_SIZE must be a whole number of connections from 1 to 1000, not '{wrong}'"):
            Settings.from_env({"FOI_HOME": str(tmp_path), "FOI_SECRET_KEY": "k", "FOI_DB_POOL_SIZE": wrong})
