"""Browser tests: the real app served by `foi serve` on a temporary SQLite database, driven by headless Chromium.

Everything here is synchronous (Playwright's sync API): the rest of the suite runs its coroutine tests on
anyio, and a sync test never shares an event loop with them. The server and the browser live for the
tests/e2e package only, so nothing is left running while the other tests go on.

Chromium is Debian's package (`apt-get install chromium`; .ci/run installs it): Playwright cannot download
its own build here. Without it the tests skip locally, but fail on CI, which must never skip silently.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from tests.mail_server import Mailbox, free_port

CHROMIUM = Path(os.environ.get("FOI_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ON_CI = os.environ.get("CI", "").lower() == "true"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
# axe-core from npm, vendored (tests/e2e/vendor/README.md): injected through the DevTools protocol, which the
# app's Content-Security-Policy (no inline scripts) does not govern, so the page is tested as served
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the Public Sector Bodies Accessibility Regulations ask
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FAILING = ("serious", "critical")
BIN = Path(sys.executable).parent
FOI = BIN / "foi"

# every test a person would notice takes a few seconds at most; a hung page fails rather than stalls
ACTION_TIMEOUT_MS = 10_000

STAFF = {
    "officer": ("officer@test.example", "Olivia Officer", "officer", "password-officer-1"),
    "officer2": ("officer2@test.example", "Oscar Second", "officer", "password-officer-2"),
    "manager": ("manager@test.example", "Mina Manager", "manager", "password-manager-1"),
    "admin": ("admin@test.example", "Ada Admin", "admin", "password-admin-01"),
}
DEPARTMENTS = [("Corporate Services", "corporate-services"), ("Adult Social Care", "adult-social-care")]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # every browser test carries the e2e marker, so `-m "not e2e"` leaves them all out
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def recent_weekday(days_back: int = 0) -> date:
    """Today (or `days_back` days before), moved back to a Monday–Friday."""
    day = date.today() - timedelta(days=days_back)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_all(commands: list[tuple[list[str], str | None]], env: dict[str, str]) -> list[str]:
    """Runs `foi` commands side by side (each is mostly Python start-up) and returns their outputs."""
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
            raise RuntimeError(f"{' '.join(args)} failed ({process.returncode}): {err or out}")
        outputs.append(out)
    return outputs


@dataclass
class LiveServer:
    base_url: str
    admin_token: str
    officer_token: str
    log_path: Path
    mailbox: Mailbox = field(default_factory=Mailbox)  # what the server's SMTP server (aiosmtpd) received
    created: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def api(self, token: str | None = None) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {token or self.officer_token}"}, timeout=10)

    def create_request(
        self,
        title: str,
        *,
        regime: str = "foia",
        department: str = "corporate-services",
        received_on: date | None = None,
        requester: str = "Rita Requester",
        email: str | None = None,
        address: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Logs a request through the JSON API (as the officer) and returns the API's answer."""
        body = {
            "regime": regime,
            "title": title,
            "body": f"Please send me everything about {title.lower()}.",
            "received_on": (received_on or recent_weekday()).isoformat(),
            "channel": "email",
            "department": department,
            "requester": {"name": requester, "email": email or f"{secrets.token_hex(4)}@example.org", "address": address},
            **extra,
        }
        with self.api() as client:
            answer = client.post("/api/v1/requests", json=body)
        assert answer.status_code == 201, answer.text
        data = answer.json()
        self.created.append(data["reference"])
        return data

    def respond(
        self,
        reference: str,
        *,
        outcome: str = "granted_in_part",
        exemptions: tuple[str, ...] = ("FOIA-s40",),
        response: str = "Please find the information attached.",
        on: date | None = None,
    ) -> dict[str, Any]:
        """Answers a request through the API (received_on must be on or before `on`, today by default)."""
        with self.api() as client:
            answer = client.post(
                f"/api/v1/requests/{reference}/actions",
                json={
                    "action": "respond",
                    "outcome": outcome,
                    "exemptions": list(exemptions),
                    "response": response,
                    "on": (on or recent_weekday()).isoformat(),
                },
            )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def upload(self, reference: str, content: bytes, filename: str, *, for_release: bool, title: str | None = None) -> dict[str, Any]:
        """Adds a document to a request through the API's multipart upload."""
        data = {"for_release": "true" if for_release else "false", **({"title": title} if title else {})}
        with self.api() as client:
            answer = client.post(f"/api/v1/requests/{reference}/documents", data=data, files={"file": (filename, content)})
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    def publish(self, reference: str, summary: str | None = None) -> dict[str, Any]:
        with self.api() as client:
            answer = client.post(f"/api/v1/requests/{reference}/publish", json={"summary": summary} if summary else {})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def unpublish(self, reference: str, reason: str) -> dict[str, Any]:
        with self.api() as client:
            answer = client.post(f"/api/v1/requests/{reference}/unpublish", json={"reason": reason})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def count_requests(self, **params: Any) -> int:
        with self.api() as client:
            answer = client.get("/api/v1/requests", params={"per_page": 1, **params})
        assert answer.status_code == 200, answer.text
        return int(answer.json()["total"])


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"
        if ON_CI:
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("e2e")
    mailbox = Mailbox()
    smtp_port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = {
        **os.environ,
        "FOI_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/foi.sqlite3",
        "FOI_SECRET_KEY": secrets.token_urlsafe(48),
        "FOI_STORAGE_DIR": str(tmp / "files"),
        "FOI_AUTHORITY_NAME": "Test Borough Council",
        "FOI_SMTP_HOST": "127.0.0.1",
        "FOI_SMTP_PORT": str(smtp_port),
        "FOI_SMTP_FROM": "foi@test-borough.example",
        "FOI_REQUEST_EMAIL": "foi@test-borough.example",
        "FOI_POSTAL_ADDRESS": "FOI Team\nTown Hall\nTestbury\nTB1 1AA",
    }
    env.pop("FOI_DEBUG", None)
    _run_all([([str(FOI), "db", "upgrade"], None)], env)
    _run_all(
        [
            ([str(FOI), "users", "create", email, "--name", name, "--role", role, "--password-stdin"], password + "\n")
            for email, name, role, password in STAFF.values()
        ],
        env,
    )
    admin_token, officer_token = (
        out.strip()
        for out in _run_all([([str(FOI), "tokens", "create", STAFF[who][0], "--label", "e2e"], None) for who in ("admin", "officer")], env)
    )

    port = _free_port()
    log_path = tmp / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(FOI), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(f"http://127.0.0.1:{port}", admin_token, officer_token, log_path, mailbox)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"foi serve exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                if httpx.get(server.url("/healthz"), timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"foi serve did not answer /healthz within 30 s:\n{log_path.read_text()}")
            time.sleep(0.1)
        with server.api(admin_token) as client:
            for name, slug in DEPARTMENTS:
                answer = client.post("/api/v1/departments", json={"name": name, "slug": slug})
                assert answer.status_code == 201, answer.text
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        smtp.stop()


@pytest.fixture(scope="package")
def browser(live_server: LiveServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def log_in(page: Any, server: LiveServer, who: str) -> None:
    """Signs in through the login form, as a person would."""
    email, _, _, password = STAFF[who]
    page.goto(server.url("/login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/staff/"))


@pytest.fixture(scope="package")
def storage_states(browser: Any, live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """One sign-in per role for the whole package, kept as cookies.

    The server allows 10 password attempts a minute from one address (all of these come from 127.0.0.1), and
    the whole package runs within a minute: sign in through the form only where the test is about signing in
    (7 attempts today), and use `pages.new(who)` everywhere else.
    """
    folder = tmp_path_factory.mktemp("states")
    states: dict[str, str] = {}

    def state_for(who: str) -> str:
        if who not in states:
            context = browser.new_context()
            page = context.new_page()
            log_in(page, live_server, who)
            path = folder / f"{who}.json"
            context.storage_state(path=str(path))
            context.close()
            states[who] = str(path)
        return states[who]

    return state_for


# Runs axe on the page as it stands, unless nothing has been added to or taken out of it since the last run
# (a MutationObserver notes changes), and returns its serious and critical violations.
_AXE_RUN = """async ([tags, failing]) => {
  if (window.__axeChecked && !window.__axeChanged) return null;
  if (!window.__axeObserver) {
    window.__axeObserver = new MutationObserver(() => { window.__axeChanged = true; });
    window.__axeObserver.observe(document, {childList: true, subtree: true, characterData: true});
  }
  window.__axeChanged = false;
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  window.__axeChecked = true;
  return results.violations.filter((v) => failing.includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
}"""
# With JavaScript off the page's timers never fire (promises still settle), and axe waits on setTimeout: the
# page runs no script of its own, so its timers are replaced by promise callbacks for axe's sake.
_TIMERS_FOR_AXE = """() => {
  window.setTimeout = (fn, ms, ...args) => { Promise.resolve().then(() => fn(...args)); return 0; };
  window.clearTimeout = () => {};
}"""


def axe_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands, one line each (rule, where, help)."""
    if page.is_closed() or not page.url.startswith("http"):
        return []
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        if getattr(page, "_foi_javascript", True) is False:
            page.evaluate(_TIMERS_FOR_AXE)
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    found = page.evaluate(_AXE_RUN, [AXE_TAGS, list(AXE_FAILING)]) or []
    path = page.url.split("/", 3)[-1]
    return [f"/{path}: {v['id']} ({v['impact']}) {v['help']} at {', '.join(v['targets'])}: {v['helpUrl']}" for v in found]


def check_accessibility(page: Any, state: str = "") -> None:
    """Fails on any serious or critical axe violation now (for a state the test wants checked at once)."""
    found = axe_violations(page)
    assert not found, f"axe found accessibility problems{' on ' + state if state else ''}:\n" + "\n".join(found)


# What leaves a page state: a navigation, or an action that may submit, follow a link or start an htmx request.
# Before each, on a page opened by `Pages.new`, the state still showing is checked with axe.
_PAGE_LEAVERS = ("goto", "reload", "go_back", "go_forward", "click", "press")
_LOCATOR_LEAVERS = ("click", "dblclick", "press", "check", "uncheck", "set_checked", "select_option", "set_input_files", "tap")


def _checked_first(method: Callable[..., Any], page_of: Callable[[Any], Any]) -> Callable[..., Any]:
    def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
        page = page_of(self)
        owner = getattr(page, "_foi_pages", None)
        if owner is not None and not owner.paused:
            owner.check_state(page)
        return method(self, *args, **kwargs)

    checked.__wrapped__ = method  # type: ignore[attr-defined]
    return checked


@pytest.fixture(scope="package", autouse=True)
def axe_before_every_action() -> Iterator[None]:
    from playwright.sync_api import Locator, Page

    patched = [(Page, name, getattr(Page, name)) for name in _PAGE_LEAVERS]
    patched += [(Locator, name, getattr(Locator, name)) for name in _LOCATOR_LEAVERS]
    for cls, name, method in patched:
        setattr(cls, name, _checked_first(method, (lambda page: page) if cls is Page else (lambda locator: locator.page)))
    yield
    for cls, name, method in patched:
        setattr(cls, name, method)


class Pages:
    """Opens pages in fresh browser contexts (signed in or not, with or without JavaScript).

    Every page state a test visits is checked with axe-core as it is left (before a `goto`, a click, a key
    press, a choice: anything that may navigate or start an htmx request) and when the test ends; a state
    unchanged since its last check is not checked again. Serious or critical violations fail the test at its
    end, each listed with its rule, element and help address. A state the test changes in place and then
    leaves by another route can be checked at once with `check_accessibility(page)`.
    """

    def __init__(self, browser: Any, server: LiveServer, states: Callable[[str], str]) -> None:
        self.browser, self.server, self.states = browser, server, states
        self.contexts: list[Any] = []
        self.pages: list[Any] = []
        self.problems: list[str] = []
        self.accessibility: list[str] = []
        self.paused = False

    @contextmanager
    def unchecked(self) -> Iterator[None]:
        """Actions inside are not preceded by axe (a test of timing: a form sent at once, as a robot would)."""
        self.paused = True
        try:
            yield
        finally:
            self.paused = False

    def new(self, who: str | None = None, *, javascript: bool = True, width: int = 1280) -> Any:
        context = self.browser.new_context(
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
            storage_state=self.states(who) if who else None,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        # a JavaScript error or a failed asset is something a person would notice: the test fails on it
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on(
            "console", lambda message: self.problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None
        )
        page._foi_pages, page._foi_javascript = self, javascript
        self.pages.append(page)
        return page

    def check_state(self, page: Any) -> None:
        if not page.url.startswith(self.server.base_url):
            return
        try:
            found = axe_violations(page)
        except Exception as error:  # the page went away while axe ran (closed, or a navigation already under way)
            if any(word in str(error) for word in ("closed", "destroyed", "navigat")):
                return
            raise
        self.accessibility.extend(line for line in found if line not in self.accessibility)

    def close(self) -> None:
        for page in self.pages:
            self.check_state(page)  # the last state of each page
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser: Any, live_server: LiveServer, storage_states: Callable[[str], str]) -> Iterator[Pages]:
    opened = Pages(browser, live_server, storage_states)
    yield opened
    opened.close()
    assert not opened.accessibility, "axe found serious or critical accessibility problems:\n" + "\n".join(opened.accessibility)
    # 4xx answers to form posts are expected (validation); anything else in the console is not
    unexpected = [p for p in opened.problems if "status of 4" not in p]
    assert not unexpected, "the browser reported problems:\n" + "\n".join(unexpected)


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def screenshot_of(locator: Any, name: str) -> Path:
    """A screenshot of one part of a page (a section, a panel)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    locator.screenshot(path=str(path))
    return path


def make_pdf(*paragraphs: str) -> bytes:
    """A small real PDF (fpdf2, core Helvetica font) whose text the server can extract and index."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
