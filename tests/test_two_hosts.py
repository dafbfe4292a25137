"""Two hosts: two `foi serve` processes, each on its own port, against one PostgreSQL database and one
document store (FOI_STORAGE_DIR), with one FOI_SECRET_KEY, as a large authority runs them behind a
reverse proxy. Over real HTTP they show that a sign-in on one is valid on the other and a sign-out on
one ends it on both; that the sign-in limit counts attempts on both hosts together; that a scheduled
batch, published from both hosts at once, goes out exactly once; and that a takedown through one host
leaves no trace on either host's public pages, which each process keeps in memory.

The processes run with FOI_SCHEDULER=off, as the README advises for several hosts: scheduled
publication is then `foi publish-due` from cron, here started on both hosts at the same moment (it is
the same use case the in-process minute scheduler runs, `app.services.scheduled.publish_due`).

Needs FOI_TEST_POSTGRES_URL (several hosts never share one SQLite file): skipped without it, failing
on CI when PostgreSQL cannot be reached. The test makes its own database and drops it after. Each
test's server logs are printed when it fails.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.migrations import upgrade
from tests.conftest import ON_CI, POSTGRES_URL, _admin_execute
from tests.mail_server import free_port

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[1]
FOI = Path(sys.executable).parent / "foi"
OFFICER = ("olivia.officer@test.example", "Olivia Officer", "officer", "password-officer-1")
MANAGER = ("mina.manager@test.example", "Mina Manager", "manager", "password-manager-1")
TARGET = ("terry.target@test.example", "Terry Target", "officer", "password-target-1")
PER_ACCOUNT = 4  # FOI_LOGIN_ATTEMPTS_PER_ACCOUNT for these hosts
START_SECONDS = 120  # a busy machine starts slowly; a quiet one answers within seconds


@dataclass
class Host:
    name: str
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=15, **kwargs)

    def log(self, since: int = 0) -> str:
        return self.log_path.read_bytes()[since:].decode(errors="replace")


@dataclass
class Hosts:
    a: Host
    b: Host
    env: dict[str, str]
    token: str  # the manager's API token: every step the tests take through the API
    database_url: str

    @property
    def both(self) -> tuple[Host, Host]:
        return (self.a, self.b)

    def api(self, host: Host) -> httpx.Client:
        return host.client(headers={"Authorization": f"Bearer {self.token}"})


def _run_all(commands: list[tuple[list[str], str | None]], env: dict[str, str]) -> list[str]:
    """Runs `foi` commands side by side; returns their outputs (stdout), failing on any error."""
    running = [
        (
            args,
            subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=PROJECT_ROOT, text=True
            ),
            stdin,
        )
        for args, stdin in commands
    ]
    outputs = []
    for args, process, stdin in running:
        out, err = process.communicate(stdin, timeout=60)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(args[1:])} failed ({process.returncode}): {err or out}")
        outputs.append(out)
    return outputs


def _start(name: str, env: dict[str, str], folder: Path) -> Host:
    port = free_port()
    log_path = folder / f"host-{name}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(FOI), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT
        )
    return Host(name, f"http://127.0.0.1:{port}", process, log_path)


def _wait_until_serving(host: Host) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        if host.process.poll() is not None:
            raise RuntimeError(f"host {host.name}: foi serve exited with {host.process.returncode}:\n{host.log()}")
        try:
            if httpx.get(f"{host.base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"host {host.name}: foi serve did not answer /healthz within {START_SECONDS} s:\n{host.log()}")
        time.sleep(0.1)


def _stop(host: Host) -> None:
    if host.process.poll() is None:
        host.process.terminate()
        try:
            host.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            host.process.kill()
            host.process.wait(timeout=10)


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosts]:
    if not POSTGRES_URL:
        message = "FOI_TEST_POSTGRES_URL is not set: two hosts share one PostgreSQL database, never a SQLite file"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    base = make_url(POSTGRES_URL)
    name = f"{base.database}_two_hosts_{os.getpid()}"
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(_admin_execute(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'))
    except Exception as problem:
        message = f"PostgreSQL at FOI_TEST_POSTGRES_URL is not reachable: {problem}"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    started: list[Host] = []
    try:
        upgrade(url)
        home = tmp_path_factory.mktemp("two-hosts")
        env = {
            **{key: value for key, value in os.environ.items() if not key.startswith("FOI_")},
            # one home, one key, one database and one document store for both hosts
            "FOI_HOME": str(home),
            "FOI_DATABASE_URL": url,
            "FOI_SECRET_KEY": secrets.token_urlsafe(48),
            "FOI_STORAGE_DIR": str(home / "shared-files"),
            "FOI_AUTHORITY_NAME": "Test Borough Council",
            "FOI_SCHEDULER": "off",
            "FOI_DB_POOL_SIZE": "3",  # few connections for each host: up to 3 kept and 3 more for a burst
            "FOI_LOGIN_ATTEMPTS_PER_MINUTE": "30",
            "FOI_LOGIN_ATTEMPTS_PER_ACCOUNT": str(PER_ACCOUNT),
        }
        _run_all(
            [
                ([str(FOI), "users", "create", email, "--name", who, "--role", role, "--password-stdin"], password + "\n")
                for email, who, role, password in (OFFICER, MANAGER, TARGET)
            ],
            env,
        )
        (token,) = (out.strip() for out in _run_all([([str(FOI), "tokens", "create", MANAGER[0], "--label", "two hosts"], None)], env))
        for host_name in ("a", "b"):
            folder = home / host_name
            folder.mkdir()
            started.append(_start(host_name, env, folder))
        for host in started:
            _wait_until_serving(host)
        yield Hosts(started[0], started[1], env, token, url)
    finally:
        for host in started:
            _stop(host)
        asyncio.run(_admin_execute(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(autouse=True)
def logs_when_failing(hosts: Hosts) -> Iterator[None]:
    """Prints what each server logged during the test: pytest shows it when the test fails."""
    marks = {host.name: host.log_path.stat().st_size for host in hosts.both}
    yield
    for host in hosts.both:
        print(f"---- host {host.name} ({host.base_url}) log ----\n{host.log(marks[host.name])}")


def _sign_in(client: httpx.Client, email: str, password: str) -> httpx.Response:
    """As a browser does: the CSRF cookie from the sign-in page, then the form posted with it."""
    assert client.get("/login").status_code == 200
    return client.post(
        "/login",
        data={"email": email, "password": password, "next": "/staff/requests"},
        headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
    )


def _answered_request(api: httpx.Client, title: str, body: str) -> str:
    created = api.post(
        "/api/v1/requests",
        json={
            "regime": "foia",
            "title": title,
            "body": body,
            "received_on": (datetime.now(UTC).date() - timedelta(days=14)).isoformat(),
            "channel": "email",
            "requester": {"name": "Rosa Requester", "email": f"{secrets.token_hex(4)}@example.org"},
        },
    )
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    answered = api.post(
        f"/api/v1/requests/{reference}/actions",
        json={"action": "respond", "outcome": "granted_in_full", "exemptions": [], "response": "The figures are attached."},
    )
    assert answered.status_code == 200, answered.text
    return str(reference)


def _approved_batch(hosts: Hosts, title: str, references: list[str]) -> dict[str, Any]:
    """A batch made on host B, filled on A and approved on B."""
    with hosts.api(hosts.b) as on_b, hosts.api(hosts.a) as on_a:
        created = on_b.post("/api/v1/batches", json={"title": title})
        assert created.status_code == 201, created.text
        batch = created.json()
        added = on_a.post(f"/api/v1/batches/{batch['id']}/requests", json={"references": references})
        assert added.status_code == 200 and added.json()["added"] == references, added.text
        approved = on_b.post(f"/api/v1/batches/{batch['id']}/approve")
        assert approved.status_code == 200, approved.text
        return dict(approved.json())


async def _quietly_retitle(url: str, reference: str, title: str) -> None:
    """Changes a release's public title with the database's triggers off (no NOTIFY), as no code path of
    the app ever does: a page shown from memory afterwards shows the old title."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("SET LOCAL session_replication_role = replica"))
            await connection.execute(text("UPDATE requests SET public_title = :t WHERE reference = :r"), {"t": title, "r": reference})
    finally:
        await engine.dispose()


def test_a_sign_in_on_one_host_is_valid_on_the_other_and_a_sign_out_ends_it_on_both(hosts: Hosts) -> None:
    email, name, _, password = OFFICER
    with hosts.a.client() as on_a:
        signed_in = _sign_in(on_a, email, password)
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/staff/requests", signed_in.text
        cookies = dict(on_a.cookies)
        assert on_a.get("/staff/requests").status_code == 200

        with hosts.b.client() as stranger:
            assert stranger.get("/staff/requests").status_code in (302, 303), "host B lets anyone in"
        # the same cookies on host B: the session is in the shared database, the CSRF token signed with the shared key
        with hosts.b.client(cookies=cookies) as on_b:
            page = on_b.get("/staff/requests")
            assert page.status_code == 200, page.text
            assert name in page.text
            # a write on B with the CSRF token issued on A at sign-in: sign-out
            signed_out = on_b.post("/logout", headers={"x-csrftoken": cookies["csrftoken"]})
            assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login", signed_out.text

        # ended on A too, though A's client never signed out itself
        on_a.cookies.clear()
        with hosts.a.client(cookies=cookies) as again_on_a:
            after = again_on_a.get("/staff/requests")
            assert after.status_code in (302, 303) and after.headers["location"].startswith("/login"), after.text


def test_the_sign_in_limit_counts_attempts_on_both_hosts_together(hosts: Hosts) -> None:
    email, _, _, password = TARGET
    clients = [hosts.a.client(), hosts.b.client()]
    try:
        # wrong passwords, one host then the other: neither host alone has seen the limit's worth
        for attempt in range(PER_ACCOUNT):
            answer = _sign_in(clients[attempt % 2], email, f"wrong-password-{attempt}")
            assert answer.status_code == 400, f"attempt {attempt + 1} on host {'ab'[attempt % 2]}: {answer.status_code}"
        # the next one is refused on either host, even with the right password
        for client, host in zip(clients, hosts.both, strict=True):
            refused = _sign_in(client, email, password)
            assert refused.status_code == 429, f"host {host.name} let a sign-in through past the shared limit: {refused.status_code}"
            assert "too many attempts to sign in to this account" in refused.text
            assert int(refused.headers["retry-after"]) > 0
            assert client.get("/staff/requests").status_code in (302, 303), "not signed in"
    finally:
        for client in clients:
            client.close()


def test_a_scheduled_batch_is_published_once_when_both_hosts_publish_at_the_same_moment(hosts: Hosts) -> None:
    with hosts.api(hosts.a) as on_a:
        references = [
            _answered_request(on_a, f"Street lighting faults reported in ward {n}", f"How many street lighting faults in ward {n}?")
            for n in range(1, 7)
        ]
    batch = _approved_batch(hosts, "Street lighting answers", references)
    slug = batch["slug"]
    due = datetime.now(UTC) + timedelta(seconds=5)  # a few seconds ahead, even on a busy machine
    with hosts.api(hosts.a) as on_a:
        scheduled = on_a.post(f"/api/v1/batches/{batch['id']}/publish", json={"at": due.isoformat()})
    assert scheduled.status_code == 200 and scheduled.json()["state"] == "scheduled", scheduled.text
    for host in hosts.both:
        with host.client() as public:
            assert public.get(f"/batches/{slug}").status_code == 404, "not public before its time"

    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 0.2)
    # cron on each host, at the same moment
    outputs = _run_all([([str(FOI), "publish-due"], None) for _ in hosts.both], hosts.env)
    published = [out for out in outputs if f"Published batch '{slug}': 6 requests." in out]
    assert len(published) == 1, f"the batch went out {len(published)} times:\n" + "\n".join(outputs)
    assert sum("Nothing was due." in out for out in outputs) == 1, "\n".join(outputs)

    with hosts.api(hosts.b) as on_b:
        state = on_b.get(f"/api/v1/batches/{batch['id']}").json()
        assert state["state"] == "published" and state["published_at"], state
        for reference in references:
            history = on_b.get(f"/api/v1/requests/{reference}").json()["history"]
            publications = [event for event in history if event["action"] == "publish"]
            assert len(publications) == 1, f"{reference} was published {len(publications)} times"
            assert publications[0]["details"].get("scheduled") is True and publications[0]["details"].get("batch") == slug
    for host in hosts.both:
        with host.client() as public:
            page = public.get(f"/batches/{slug}")
            assert page.status_code == 200, page.text
            assert all(f'href="/disclosures/{reference}"' in page.text for reference in references)
            assert "6 releases" in page.text


def test_a_takedown_through_one_host_leaves_nothing_behind_in_either_hosts_kept_pages(hosts: Hosts) -> None:
    with hosts.api(hosts.a) as on_a:
        taken = _answered_request(on_a, "Pothole repairs in Quenby ward", "How many potholes were repaired in Quenby ward?")
        kept = _answered_request(on_a, "Pothole compensation claims", "How much was paid for pothole claims?")
        # the file goes in through host A, into the store both hosts share
        content = b"Potholes repaired in Quenby ward: 412.\n"
        uploaded = on_a.post(
            f"/api/v1/requests/{taken}/documents",
            data={"for_release": "true", "title": "Repair figures"},
            files={"file": ("repairs.txt", content, "text/plain")},
        )
        assert uploaded.status_code in (200, 201), uploaded.text
    batch = _approved_batch(hosts, "Pothole answers", [taken, kept])
    slug = batch["slug"]
    with hosts.api(hosts.b) as on_b:
        published = on_b.post(f"/api/v1/batches/{batch['id']}/publish", json={})
        assert published.status_code == 200 and published.json()["state"] == "published", published.text
        documents = on_b.get(f"/api/v1/disclosures/{taken}").json()["documents"]
    assert len(documents) == 1
    download = documents[0]["url"]

    surfaces = [
        "/",
        "/disclosures",
        "/disclosures?q=pothole",
        f"/disclosures/{taken}",
        "/disclosures.atom",
        "/api/v1/disclosures",
        "/api/v1/disclosures?q=pothole",
        f"/api/v1/disclosures/{taken}",
        f"/batches/{slug}",
    ]
    publics = {host.name: host.client() for host in hosts.both}
    try:
        etags = {}
        for host in hosts.both:
            public = publics[host.name]
            for path in surfaces:
                first, second = public.get(path), public.get(path)  # the second time, from the process's memory
                for answer in (first, second):
                    assert answer.status_code == 200 and "Quenby" in answer.text, f"host {host.name} {path}: {answer.status_code}"
                assert second.text == first.text and "set-cookie" not in second.headers, f"host {host.name} {path}"
            file = public.get(download)
            assert file.status_code == 200 and file.content == content, f"host {host.name}: the shared store's file"
            etags[host.name] = file.headers["etag"]
        # kept in memory indeed: a change made behind the database's signal (its triggers off) is not seen
        asyncio.run(_quietly_retitle(hosts.database_url, taken, "Pothole repairs in Quenby and Elmsett wards"))
        for host in hosts.both:
            page = publics[host.name].get(f"/disclosures/{taken}").text
            assert "Quenby ward" in page and "Elmsett" not in page, f"host {host.name} kept no page"

        with hosts.api(hosts.a) as on_a:
            withdrawn = on_a.post(f"/api/v1/requests/{taken}/unpublish", json={"reason": "Released in error"})
        assert withdrawn.status_code == 200, withdrawn.text

        # straight after, from both hosts: nothing kept shows it, and its file is refused
        for host in hosts.both:
            public = publics[host.name]
            for path in surfaces:
                answer = public.get(path)
                where = f"host {host.name} {path}"
                assert answer.status_code == 200, f"{where}: {answer.status_code}"
                assert "Quenby" not in answer.text, f"{where} still shows the withdrawn release"
                assert f"/disclosures/{taken}" not in answer.text or path.endswith(taken), f"{where} still links to it"
            assert "Withdrawn from publication" in public.get(f"/disclosures/{taken}").text
            assert public.get(f"/api/v1/disclosures/{taken}").json()["state"] == "withdrawn"
            assert "compensation claims" in public.get("/disclosures?q=pothole").text, f"host {host.name}: the other release"
            for headers in ({}, {"If-None-Match": etags[host.name]}):
                refused = public.get(download, headers=headers)
                assert refused.status_code == 404, f"host {host.name} still serves the withdrawn file: {refused.status_code}"
    finally:
        for client in publics.values():
            client.close()
