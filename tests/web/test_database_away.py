"""With the database away, every page is a 503 in the site's design and every API answer a JSON 503,
both with `Retry-After`; when the database is back, the same app serves again with no restart.

The database really goes away: on PostgreSQL its connections are ended and it stops accepting new ones
(`ALLOW_CONNECTIONS false`, as an administrator would during a restore); on SQLite its file (with its
journal) is moved away and the app's idle connections are closed, as after a restart of the process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.asgi import create_app
from app.config import Settings
from app.web.unavailable import database_unavailable
from tests.factories import Staff, bearer, new_request_body, sign_in, token_for
from tests.mail_server import free_port


async def _postgres_admin(url: str, *statements: str) -> None:
    engine = create_async_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def database_away(client: AsyncTestClient, settings: Settings) -> AsyncIterator[None]:
    url = make_url(settings.database_url)
    app = client.app
    if url.get_backend_name() == "sqlite":
        path = Path(str(url.database))
        files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
        away = path.parent / "moved-away"
        away.mkdir()
        for file in files:
            shutil.move(file, away / file.name)
        await app.state.engine.dispose()  # the open connections would still read the moved file
        try:
            yield
        finally:
            for file in files:
                shutil.move(away / file.name, file)
    else:
        name = url.database
        await _postgres_admin(
            settings.database_url,
            f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()",
        )
        try:
            yield
        finally:
            await _postgres_admin(settings.database_url, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def assert_unavailable_page(response, path: str) -> None:
    assert response.status_code == 503, (path, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html"), path
    assert response.headers["retry-after"] == "60", path
    assert "no-store" in response.headers["cache-control"], path
    assert "Sorry, the service is unavailable" in response.text and "Try again in a few minutes" in response.text, path
    assert 'href="/static/app.css"' in response.text, path  # the site's design, not a bare error


def assert_unavailable_json(response, path: str) -> None:
    assert response.status_code == 503, (path, response.status_code, response.text[:300])
    assert response.headers["retry-after"] == "60", path
    body = response.json()
    assert body["status_code"] == 503 and "try again in a few minutes" in body["detail"], path


async def test_database_away_gives_503_pages_and_json_then_recovers_without_a_restart(
    client: AsyncTestClient, staff: Staff, sessions, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    created = await client.post("/api/v1/requests", json=new_request_body(), headers=headers)
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    await sign_in(client, staff.officer)  # the session lives in the database too
    pages = ["/", "/disclosures", "/staff/requests", f"/staff/requests/{reference}", "/login"]
    api = ["/api/v1/requests", f"/api/v1/requests/{reference}", "/api/v1/disclosures"]
    for path in pages + api:
        assert (await client.get(path, headers=headers if path in api else None)).status_code == 200, path

    with caplog.at_level(logging.WARNING, logger="app.web"):
        async with database_away(client, settings):
            for path in pages:
                assert_unavailable_page(await client.get(path), path)
            for path in api:
                assert_unavailable_json(await client.get(path, headers=headers), path)
            write = await client.post("/api/v1/requests", json=new_request_body(title="Written while away"), headers=headers)
            assert_unavailable_json(write, "POST /api/v1/requests")
            # a page asked for as JSON (htmx, scripts) gets JSON
            assert_unavailable_json(await client.get("/staff/requests", headers={"Accept": "application/json"}), "Accept: json")
            health = await client.get("/healthz")
            assert health.status_code == 503 and health.headers["retry-after"] == "60"
    outages = [
        m for m in (r.getMessage() for r in caplog.records) if m.startswith("database unavailable on GET") and "/staff/requests" in m
    ]
    assert outages and "Traceback" not in caplog.text  # one line for the administrator, not a bug report

    # back: the same app, signed in as before, with nothing written while it was away
    for path in pages + api:
        again = await client.get(path, headers=headers if path in api else None)
        assert again.status_code == 200, (path, again.status_code)
    listed = (await client.get("/api/v1/requests", headers=headers)).json()
    assert listed["total"] == 1


async def test_a_bug_in_a_query_stays_a_500_and_is_not_taken_for_an_outage(settings: Settings) -> None:
    engine = create_async_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            with pytest.raises(Exception) as missing_table:
                await connection.execute(text("SELECT * FROM no_such_table"))
        async with engine.connect() as connection:
            with pytest.raises(Exception) as bad_syntax:
                await connection.execute(text("SELEKT 1"))
    finally:
        await engine.dispose()
    assert database_unavailable(missing_table.value) is None
    assert database_unavailable(bad_syntax.value) is None
    assert database_unavailable(ValueError("no database here")) is None


async def test_nothing_listening_on_the_database_port_is_a_503(settings: Settings) -> None:
    if not settings.database_url.startswith("postgresql"):
        pytest.skip("a server port: PostgreSQL only")
    url = make_url(settings.database_url).set(port=free_port()).render_as_string(hide_password=False)
    app = create_app(dataclasses.replace(settings, database_url=url))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        assert_unavailable_page(await client.get("/disclosures"), "/disclosures")
        assert_unavailable_json(await client.get("/api/v1/disclosures"), "/api/v1/disclosures")


async def test_sqlite_still_locked_after_its_busy_timeout_is_busy_not_a_bug(settings: Settings) -> None:
    if not settings.is_sqlite:
        pytest.skip("SQLite's lock")
    holder = create_async_engine(settings.database_url)
    waiter = create_async_engine(settings.database_url, connect_args={"timeout": 0})  # the 30 s, run out at once
    try:
        async with holder.connect() as writing:
            await writing.exec_driver_sql("BEGIN IMMEDIATE")
            async with waiter.connect() as blocked:
                with pytest.raises(Exception) as locked:
                    await blocked.exec_driver_sql("BEGIN IMMEDIATE")
            await writing.rollback()
    finally:
        await holder.dispose()
        await waiter.dispose()
    assert "database is locked" in str(locked.value)
    assert database_unavailable(locked.value) == "SQLite SQLITE_BUSY (database is locked)"
