"""`foi serve --port P` without FOI_BASE_URL: the links the app writes name the port it serves, never the
Host a request names (the live server runs on a free port and leaves FOI_BASE_URL unset)."""

from __future__ import annotations

import httpx

from tests.e2e.conftest import LiveServer


def test_feed_links_name_the_port_served_whatever_the_host_header_says(live_server: LiveServer) -> None:
    assert not live_server.base_url.endswith(":8000")
    feed = httpx.get(live_server.url("/disclosures.atom"), headers={"host": "attacker.example"}, timeout=10)
    assert feed.status_code == 200, feed.text
    assert f'href="{live_server.base_url}/disclosures"' in feed.text
    assert f'href="{live_server.base_url}/disclosures.atom"' in feed.text
    assert "attacker.example" not in feed.text and ":8000" not in feed.text
