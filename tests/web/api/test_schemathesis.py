"""The API fuzzed from its own OpenAPI document (schemathesis): for every operation, values that fit the
document and values that do not, sent anonymously and as an officer with a Bearer token, never get a
server error, and every status answered is one the document lists for that operation.

Bounded so that it runs in CI on each engine: a few examples per operation and mode, no shrinking, no
example database (each run starts from the same empty authority, with one request and one batch)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from app.asgi import create_app
from app.config import Settings
from app.db import create_engine, create_sessionmakers
from app.services import departments as department_service
from app.services import users as user_service

EXAMPLES = 6  # per operation, mode and caller: about 40 operations × 2 × 2 × 6 requests
CHECKS = [not_a_server_error, status_code_conformance]


async def _officer_token(settings: Settings) -> str:
    engine = create_engine(settings.database_url)
    try:
        _, write = create_sessionmakers(engine)
        async with write.begin() as db:
            await user_service.create_user(
                db, email="olivia.officer@council.example", name="Olivia Officer", role="officer", password="x" * 16
            )
        async with write.begin() as db:
            await department_service.create_department(db, name="Corporate Services", slug="corporate-services")
        async with write.begin() as db:
            return await user_service.create_token(db, "olivia.officer@council.example", "schemathesis")
    finally:
        await engine.dispose()


def _failures(operation: Any, headers: dict[str, str], mode: schemathesis.GenerationMode, answered: list[int]) -> list[str]:
    found: list[str] = []

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        answered.append(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as failure:  # schemathesis's failures: note them, go on
            said = [line.strip(" -|") for line in str(failure).splitlines() if line.strip(" -|")]
            found.append(
                f"{case.method} {case.path} ({mode.value}, {'officer' if headers else 'anonymous'}): {response.status_code} {said[1:3]}"
            )

    with contextlib.suppress(hypothesis.errors.Unsatisfiable):  # nothing to send wrong: no parameters or body
        run()
    return found


@pytest.mark.slow
def test_the_api_gives_no_server_error_and_no_undocumented_status(settings: Settings) -> None:
    token = asyncio.run(_officer_token(settings))
    app = create_app(settings)
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    found: list[str] = []
    answered: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    # revoking tokens last: the officer's own token may be the one revoked
    for operation in sorted(operations, key=lambda operation: operation.path.startswith("/api/v1/tokens/")):
        for headers in ({}, {"Authorization": f"Bearer {token}"}):
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                found += _failures(operation, headers, mode, answered)
    assert not found, "\n".join(sorted(set(found)))
    # the run reached the handlers: successes, refusals of values, and the officer's calls got past sign-in
    assert len(answered) > 10 * len(operations) and {200, 422} <= set(answered), sorted(set(answered))
