"""A signed-in session is read, not written, when staff view pages: its expiry is pushed back at most
every few minutes, so a page view never queues for the database's write lock behind requests being
logged."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import event

from app.web import sessions as session_backend
from tests.factories import Staff, sign_in

_WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b.*\bstore_items\b", re.IGNORECASE | re.DOTALL)
_WRITE_LOCK = re.compile(r"^\s*BEGIN IMMEDIATE", re.IGNORECASE)


@pytest.fixture
def store_writes(client: AsyncTestClient) -> Iterator[list[str]]:
    """The writes to the session store (and, on SQLite, write transactions begun) from now on."""
    engine = client.app.state.engine.sync_engine
    written: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if _WRITES.match(statement) or _WRITE_LOCK.match(statement):
            written.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    yield written
    event.remove(engine, "before_cursor_execute", seen)


async def test_viewing_staff_pages_does_not_write_the_session(client: AsyncTestClient, staff: Staff, store_writes: list[str]) -> None:
    await sign_in(client, staff.officer)
    assert store_writes, "signing in stores the session"
    store_writes.clear()
    cookie = client.cookies.get("session")
    for path in ("/staff/requests", "/staff/requests", "/staff/requests?status=new", "/staff/requests"):
        response = await client.get(path)
        assert response.status_code == 200
        assert "session=" not in response.headers.get("set-cookie", "")
    assert store_writes == []
    assert client.cookies.get("session") == cookie  # still the same session, still signed in
    assert (await client.get("/staff/requests", follow_redirects=False)).status_code == 200


async def test_a_session_viewed_after_a_few_minutes_has_its_expiry_pushed_back_once(
    client: AsyncTestClient, staff: Staff, store_writes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    await sign_in(client, staff.officer)
    store_writes.clear()
    later = time.time() + session_backend.RENEW_EVERY_S + 1
    monkeypatch.setattr(session_backend.time, "time", lambda: later)
    first = await client.get("/staff/requests")
    assert first.status_code == 200
    assert "session=" in first.headers.get("set-cookie", "")  # the browser's cookie lives on too
    renewal = list(store_writes)
    assert any(_WRITES.match(statement) for statement in renewal)
    assert (await client.get("/staff/requests")).status_code == 200
    assert store_writes == renewal  # renewed once, not on every view


async def test_signing_out_still_ends_the_session(client: AsyncTestClient, staff: Staff, store_writes: list[str]) -> None:
    await sign_in(client, staff.officer)
    await client.get("/staff/requests")
    response = await client.post("/logout", headers={"x-csrftoken": client.cookies.get("csrftoken", "")}, follow_redirects=False)
    assert response.status_code in (302, 303)
    assert (await client.get("/staff/requests", follow_redirects=False)).status_code in (302, 303, 401)


async def test_a_session_ended_while_a_page_was_being_made_is_not_written_back(
    client: AsyncTestClient, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An admin's reset (or a deactivation) ends someone's sessions while one of their pages is being made,
    its renewal due: the page's answer does not store the session again, so they are signed out all the same."""
    from app.services import requests as request_service
    from app.services import users as user_service

    await sign_in(client, staff.officer)
    later = time.time() + session_backend.RENEW_EVERY_S + 1
    monkeypatch.setattr(session_backend.time, "time", lambda: later)
    listing = request_service.list_requests

    async def ended_meanwhile(*args: Any, **kwargs: Any) -> Any:
        async with client.app.state.write_sessions.begin() as db:  # the app's own: its event loop, not the test's
            assert await user_service.end_sessions(db, staff.officer.id) == 1
        return await listing(*args, **kwargs)

    monkeypatch.setattr(request_service, "list_requests", ended_meanwhile)
    assert (await client.get("/staff/requests")).status_code == 200  # made before the end was seen
    monkeypatch.setattr(request_service, "list_requests", listing)
    answer = await client.get("/staff/requests", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next="), "signed in again by the renewal"
