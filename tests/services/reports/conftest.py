"""The reports' tests run on a frozen clock where they ask for it (`frozen`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from tests.services.reports.cases import NOW


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
