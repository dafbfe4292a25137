"""The running server's log: what was asked for, never what anybody typed into a search box."""

from __future__ import annotations

import time

import httpx

from tests.e2e.conftest import LiveServer


def test_the_access_log_keeps_paths_but_not_query_strings(live_server: LiveServer) -> None:
    typed = "Zebediah Quillfeather"
    with httpx.Client(base_url=live_server.base_url, timeout=10) as public:
        assert public.get("/disclosures", params={"q": typed}).status_code == 200
    with live_server.api() as api:
        assert api.get("/api/v1/requests", params={"q": "zebediah.quillfeather@example.org"}).status_code == 200
    time.sleep(0.3)  # the server writes its log as it answers; give it a moment to land
    log = live_server.log_path.read_text()
    assert '"GET /disclosures?… HTTP/1.1" 200' in log
    assert '"GET /api/v1/requests?… HTTP/1.1" 200' in log
    assert "quillfeather" not in log.lower()
