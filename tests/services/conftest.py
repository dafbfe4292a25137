from __future__ import annotations

import pytest

from tests.factories import Staff, make_staff


@pytest.fixture
async def staff(sessions) -> Staff:
    return await make_staff(sessions)
