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
