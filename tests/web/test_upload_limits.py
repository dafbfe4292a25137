"""Uploads over FOI_MAX_UPLOAD_MB: a 413 naming the limit, as a page in the site's design or as JSON, that
reaches even a client sending its whole body before reading the answer (through a real uvicorn server,
as `foi serve` runs it: before, such a client got "connection reset by peer" instead).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import http.client
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from litestar import Litestar
from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import Settings
from tests.factories import Staff, bearer, new_request_body, sign_in, token_for
from tests.mail_server import free_port

LIMIT = 1024 * 1024  # FOI_MAX_UPLOAD_MB=1
SENT = 16 * LIMIT  # far more than the socket buffers hold: the client is still sending when the answer comes


@pytest.fixture
def small_limit(settings: Settings) -> Settings:
    return dataclasses.replace(settings, max_upload_bytes=LIMIT)


@contextlib.contextmanager
def serving(app: Litestar) -> Iterator[int]:
    """The app under uvicorn (httptools, as `foi serve`), in a thread of its own."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def _multipart(size: int) -> tuple[bytes, bytes, bytes]:
    head = b'--limit\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    return head, b"%PDF" + b"\0" * (size - 4), b"\r\n--limit--\r\n"


def _send_whole_then_read(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """What http.client does (and many scripts): the whole body first, then the answer."""
    head, file, tail = _multipart(SENT)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "multipart/form-data; boundary=limit", "Connection": "close", **headers}
    try:
        connection.request("POST", path, body=head + file + tail, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


async def test_a_client_sending_the_whole_body_first_reads_the_413(small_limit: Settings, staff: Staff, sessions) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    app = create_app(small_limit)
    with serving(app) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(
                "POST", "/api/v1/requests", body=json.dumps(new_request_body()), headers={**headers, "Content-Type": "application/json"}
            )
            created = connection.getresponse()
            body = created.read()
        finally:
            connection.close()
        assert created.status == 201, body
        reference = json.loads(body)["reference"]

        status, body = _send_whole_then_read(port, f"/api/v1/requests/{reference}/documents", headers)
        assert status == 413
        assert b"a file must be smaller than 1 MB" in body
        # the same from a page's address, not signed in (refused before any handler reads the body)
        status, _ = _send_whole_then_read(port, f"/staff/requests/{reference}/documents", {})
        assert status in (303, 401, 413)


async def test_without_javascript_a_file_over_the_limit_gets_a_page_naming_the_limit(small_limit: Settings, staff: Staff, sessions) -> None:
    app = create_app(small_limit)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        headers = bearer(await token_for(sessions, staff.officer))
        reference = (await client.post("/api/v1/requests", json=new_request_body(), headers=headers)).json()["reference"]
        await sign_in(client, staff.officer)
        form_page = f"http://testserver.local/staff/requests/{reference}"
        head, file, tail = _multipart(2 * LIMIT)
        page = await client.post(
            f"/staff/requests/{reference}/documents",
            content=head + file + tail,
            headers={
                "Content-Type": "multipart/form-data; boundary=limit",
                "x-csrftoken": client.cookies.get("csrftoken", ""),
                "Referer": form_page,
            },
        )
        assert page.status_code == 413
        assert page.headers["content-type"].startswith("text/html")
        assert "<h1>The file is too large</h1>" in page.text
        assert "The file must be smaller than 1 MB." in page.text and "Nothing was saved." in page.text
        assert f'<a href="/staff/requests/{reference}">Go back to the form</a>' in page.text
        assert 'href="/static/app.css"' in page.text
        listed = await client.get(f"/api/v1/requests/{reference}/documents", headers=headers)
        assert listed.json() == []


def _spooled(directory: Path) -> list[str]:
    """What this process holds open in `directory` (a spooled upload rolled to disk is an unnamed file
    there, still taking space until it is closed) and what is named there."""
    held = []
    for descriptor in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{descriptor}")
            if target.startswith(str(directory)):
                held.append(target)
    return held + [path.name for path in directory.iterdir()]


@pytest.mark.parametrize("path", ["/api/v1/requests/{reference}/documents", "/staff/requests/{reference}/documents"])
async def test_a_chunked_upload_over_the_limit_leaves_no_temporary_file_behind(
    small_limit: Settings, staff: Staff, sessions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    """Sent without a length (Transfer-Encoding: chunked), an upload is only known to be too large once
    its file is being spooled to disk: that file is closed (and its space given back) when the 413 is
    answered, not whenever the garbage collector comes by."""
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))  # where Litestar's spooled uploads roll over to
    headers = bearer(await token_for(sessions, staff.officer))
    app = create_app(small_limit)
    with serving(app) as port:
        created = await _created(port, headers)
        head, _, tail = _multipart(0)

        def body() -> Iterator[bytes]:
            yield head
            for _ in range(4 * LIMIT // 65536):
                yield b"\0" * 65536
            yield tail

        gc.disable()  # what is left to the collector stays unclosed
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request(
                    "POST",
                    path.format(reference=created),
                    body=body(),
                    headers={"Content-Type": "multipart/form-data; boundary=limit", **headers},
                    encode_chunked=True,
                )
                answer = connection.getresponse()
                answer.read()
            finally:
                connection.close()
            assert answer.status == 413
            assert _spooled(spool) == []
        finally:
            gc.enable()


async def _created(port: int, headers: dict[str, str]) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST", "/api/v1/requests", body=json.dumps(new_request_body()), headers={**headers, "Content-Type": "application/json"}
        )
        created = connection.getresponse()
        body = created.read()
    finally:
        connection.close()
    assert created.status == 201, body
    return str(json.loads(body)["reference"])
