"""One unit of work per request: committed before the answer goes out, nothing kept when refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import time_machine
from litestar.testing import AsyncTestClient
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.models import Department, FoiRequest, RequestEvent
from app.services import batches
from tests.factories import Staff, bearer, sign_in, token_for
from tests.services.test_batches import _published, _ready_batch

NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)
_INSERTS_A_DEPARTMENT = re.compile(r"^\s*INSERT INTO departments\b", re.IGNORECASE)


@contextmanager
def commits_refused_after_a_department_is_written(engine: AsyncEngine) -> Iterator[list[str]]:
    """The database refuses to commit any transaction that wrote a department (as when the server
    goes away at that moment): everything else, the sign-in and the session store, commits as usual."""
    refused: list[str] = []

    def note(connection: Any, cursor: Any, statement: str, *_: Any) -> None:
        if _INSERTS_A_DEPARTMENT.match(statement):
            connection.info["wrote_department"] = True

    def commit(connection: Any) -> None:
        if connection.info.pop("wrote_department", False):
            refused.append("COMMIT")
            raise OperationalError("COMMIT", None, ConnectionError("the database server went away"))

    def rollback(connection: Any) -> None:
        connection.info.pop("wrote_department", None)

    listeners = (("before_cursor_execute", note), ("commit", commit), ("rollback", rollback))
    for name, listener in listeners:
        event.listen(engine.sync_engine, name, listener)
    try:
        yield refused
    finally:
        for name, listener in listeners:
            event.remove(engine.sync_engine, name, listener)


async def _departments(sessions) -> set[str]:
    async with sessions.read() as db:
        return set(await db.scalars(select(Department.name)))


async def test_a_commit_that_fails_is_answered_as_an_error_never_as_done(client: AsyncTestClient, staff: Staff, sessions) -> None:
    admin = bearer(await token_for(sessions, staff.admin))
    assert (await client.get("/api/v1/departments", headers=admin)).status_code == 200  # the token's use recorded
    with commits_refused_after_a_department_is_written(client.app.state.engine) as refused:
        answer = await client.post("/api/v1/departments", json={"name": "Finance"}, headers=admin)
        assert refused == ["COMMIT"]
        assert answer.status_code == 500 and answer.json()["status_code"] == 500  # not the 201 the handler returned

        await sign_in(client, staff.admin)
        page = await client.post(
            "/staff/admin/departments",
            data={"_csrf_token": client.cookies.get("csrftoken", ""), "name": "Parks", "slug": ""},
            follow_redirects=False,
        )
        assert refused == ["COMMIT", "COMMIT"]
        assert page.status_code == 500 and "location" not in page.headers  # no redirect to "Parks added"
        assert "Sorry, there is a problem with the service" in page.text
    assert not {"Finance", "Parks"} & await _departments(sessions)

    created = await client.post("/api/v1/departments", json={"name": "Finance"}, headers=admin)  # the database is back
    assert created.status_code == 201 and "Finance" in await _departments(sessions)


@time_machine.travel(NOW, tick=False)
async def test_a_page_refused_after_the_use_case_started_writing_keeps_nothing(client: AsyncTestClient, staff: Staff, sessions) -> None:
    batch, references = await _ready_batch(sessions, staff)
    # the last request was published on its own since the approval (the rule refuses this, so reach
    # past it): publishing the batch claims it and publishes the first requests before that one refuses
    async with sessions.write.begin() as db:
        await db.execute(update(FoiRequest).where(FoiRequest.reference == references[-1]).values(publication_state="published"))
    await sign_in(client, staff.officer)
    page = await client.post(
        f"/staff/batches/{batch.id}/publish",
        data={"_csrf_token": client.cookies.get("csrftoken", ""), "when": "now"},
        follow_redirects=False,
    )
    assert page.status_code == 422
    assert f"{references[-1]} is already published" in page.text  # the page, read afresh, says why
    async with sessions.read() as db:
        assert (await batches.get_batch(db, batch.id)).batch.state == "approved"
        assert await db.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.action == "publish")) == 0
    assert set((await _published(sessions, references[:-1])).values()) == {"unpublished"}
