"""`make audit` (`.ci/audit.py`, README "Test it"): when pip-audit cannot fetch the index's per-release
advisories, each locked package is checked against the index's project JSON, served here by a real HTTP
server on this machine; pip-audit is kept off the network by a proxy that nothing listens on."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
HASH = "--hash=sha256:" + "0" * 64


def project(newest: str, releases: dict[str, dict[str, Any]], vulnerabilities: list[dict[str, Any]]) -> dict[str, Any]:
    """The index's project JSON, as PyPI answers `/pypi/<name>/json`, with what the audit reads."""
    return {
        "info": {"version": newest},
        "releases": {
            version: [{"filename": f"x-{version}.tar.gz", "yanked": bool(r.get("yanked")), "yanked_reason": r.get("reason")}]
            for version, r in releases.items()
        },
        "urls": [{"filename": f"x-{newest}.tar.gz", "yanked": False, "yanked_reason": None}],
        "vulnerabilities": vulnerabilities,
    }


def advisory(id: str, fixed_in: list[str], withdrawn: str | None = None) -> dict[str, Any]:
    return {
        "id": id,
        "aliases": [f"CVE-{id[-4:]}"],
        "details": "…",
        "fixed_in": fixed_in,
        "link": f"https://osv.dev/vulnerability/{id}",
        "source": "osv",
        "summary": None,
        "withdrawn": withdrawn,
    }


PROJECTS = {
    "foi-fixture-clean": project("2.0", {"1.0": {}, "2.0": {}}, []),
    "foi-fixture-newest": project("2.0", {"1.0": {}, "2.0": {}}, [advisory("PYSEC-2026-1001", ["2.0.1"])]),
    "foi-fixture-behind": project(
        "1.4",
        {"0.9.5": {}, "1.0": {}, "1.4": {}},
        [
            advisory("GHSA-2026-2002", ["1.5"]),
            advisory("GHSA-2026-2003", []),
            advisory("GHSA-2026-2004", ["0.9.5", "1.5"]),  # fixed on the line before the locked release
            advisory("GHSA-2026-2005", ["1.5"], withdrawn="2026-06-01T00:00:00Z"),
        ],
    ),
    "foi-fixture-yanked": project("3.2", {"3.1": {"yanked": True, "reason": "Broke installs on Windows"}, "3.2": {}}, []),
}


class Index(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "pypi" and parts[2] == "json" and parts[1] in PROJECTS:
            body = json.dumps(PROJECTS[parts[1]]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        else:
            body = b'{"message": "Not Found"}'
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def index_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/pypi"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def audit(tmp_path: Path, index: str, pins: dict[str, str], **env: str) -> subprocess.CompletedProcess[str]:
    lock = tmp_path / "requirements-dev.lock"
    lock.write_text("".join(f"{name}=={version} \\\n    {HASH}\n    # via test\n" for name, version in pins.items()))
    offline = f"http://127.0.0.1:{closed_port()}"
    environment = {
        **os.environ,
        "AUDIT_INDEX_URL": index,
        "HTTPS_PROXY": offline,
        "HTTP_PROXY": offline,
        "https_proxy": offline,
        "http_proxy": offline,
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "AUDIT_STRICT": "",
        **env,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "audit.py"), str(lock)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_package_locked_at_its_newest_release_with_an_advisory_fails(tmp_path: Path, index_url: str) -> None:
    run = audit(tmp_path, index_url, {"foi-fixture-newest": "2.0", "foi-fixture-clean": "2.0"})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "VULNERABLE foi-fixture-newest 2.0: PYSEC-2026-1001 (also CVE-1001), fixed in 2.0.1" in run.stdout
    assert "foi-fixture-clean" not in run.stdout.replace("VULNERABLE foi-fixture-newest", "")
    assert (
        "2 locked packages: 2 fully checked (0 by pip-audit, 2 from the index's project data), 0 partly checked, 0 not checked; 1 finding"
        in run.stdout
    )


def test_a_package_behind_its_newest_release_fails_on_its_advisories_and_says_it_is_partly_checked(tmp_path: Path, index_url: str) -> None:
    run = audit(tmp_path, index_url, {"foi-fixture-behind": "1.0"})
    assert run.returncode == 1, run.stdout + run.stderr
    assert (
        "PARTLY CHECKED foi-fixture-behind 1.0: advisories fixed between 1.0 and 1.4 cannot be seen from the index's project data"
        in run.stdout
    )
    assert "VULNERABLE foi-fixture-behind 1.0: GHSA-2026-2002 (also CVE-2002), fixed in 1.5" in run.stdout
    assert "VULNERABLE foi-fixture-behind 1.0: GHSA-2026-2003 (also CVE-2003), no fixed release yet" in run.stdout
    assert "GHSA-2026-2004" not in run.stdout  # 0.9.5, before the locked 1.0, fixed it
    assert "GHSA-2026-2005" not in run.stdout  # withdrawn
    assert (
        "1 locked package: 0 fully checked (0 by pip-audit, 0 from the index's project data), 1 partly checked, 0 not checked; 2 findings"
        in run.stdout
    )


def test_a_yanked_release_fails_with_the_index_reason(tmp_path: Path, index_url: str) -> None:
    run = audit(tmp_path, index_url, {"foi-fixture-yanked": "3.1"})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "YANKED foi-fixture-yanked 3.1: the index has withdrawn this release (Broke installs on Windows)" in run.stdout
    assert "1 partly checked, 0 not checked; 1 finding" in run.stdout
    assert "pip-audit could not fetch the advisories (ProxyError) for 1 of 1 packages" in run.stdout


def test_clean_packages_pass_and_one_the_index_does_not_know_is_listed(tmp_path: Path, index_url: str) -> None:
    run = audit(tmp_path, index_url, {"Foi_Fixture.Clean": "2.0", "foi-fixture-missing": "1.0"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "NOT CHECKED foi-fixture-missing 1.0: the index answered 404 for its project data" in run.stdout
    assert (
        "2 locked packages: 1 fully checked (0 by pip-audit, 1 from the index's project data), 0 partly checked, 1 not checked; 0 findings"
        in run.stdout
    )
    assert "VULNERABLE" not in run.stdout
    assert "NOTHING WAS CHECKED" not in run.stderr


def test_an_unreachable_index_says_nothing_was_checked_and_fails_only_when_strict(tmp_path: Path) -> None:
    unreachable = f"http://127.0.0.1:{closed_port()}/pypi"
    run = audit(tmp_path, unreachable, {"foi-fixture-clean": "2.0"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "NOT CHECKED foi-fixture-clean 2.0: the index could not be reached" in run.stdout
    assert "0 fully checked (0 by pip-audit, 0 from the index's project data), 0 partly checked, 1 not checked; 0 findings" in run.stdout
    assert "audit: NOTHING WAS CHECKED: the advisory data was out of reach" in run.stderr

    strict = audit(tmp_path, unreachable, {"foi-fixture-clean": "2.0"}, AUDIT_STRICT="1")
    assert strict.returncode == 1
    assert "NOTHING WAS CHECKED" in strict.stderr
