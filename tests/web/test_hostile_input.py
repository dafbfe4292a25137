"""Hostile input never gets a server error: every route the app has, as each role, on each engine, is sent
a table of values past what it expects (integers past 64 bits, dates at the ends of the calendar, NUL
bytes, line breaks, JSON nested 100,000 deep) in its path, its query string and its body, and answers
with a 4xx (or a success) every time. The routes are read from the app, so a new route is covered
without an edit here; the values that matter most are also checked to be refused naming their field."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from app.asgi import create_app
from app.config import Settings
from app.domain.lifecycle import ACTION_PARAMETERS
from tests.factories import Staff, bearer, make_staff, new_request_body, sign_in, token_for
from tests.web.test_disclosure_log import responded_request

HUGE = "99999999999999999999999"

# value shown in a failure -> the value sent
HOSTILE: dict[str, str] = {
    "an integer past 64 bits": HUGE,
    "a negative integer past 64 bits": "-9223372036854775809",
    "the first day of year 1": "0001-01-01",
    "the last day of year 9999": "9999-12-31",
    "a NUL byte": "FOI-2025\x00-00001",
    "a line break": "x\r\nforged: line",
    "not a number": "NaN",
    "a long text": "x" * 500,
}

# every name the pages and the API read from a query string or a form (a handler reading a new name is
# still called, with the others: what it reads is then only left out of this table)
FIELDS = sorted(
    {
        *("page", "per_page", "limit", "from", "to", "q", "due_before", "status", "regime", "department", "assignee"),
        *("requester", "outcome", "exemption", "batch", "batch_id", "sort", "group_by", "overdue", "format", "part"),
        *("stage", "received_on", "posted_on", "received_time", "event_type", "event_on", "event_days", "done", "next"),
        *("on", "note", "action", "bulk_action", "title", "body", "name", "email", "password", "role", "slug", "version"),
        *("reference", "references", "description", "publish_at", "at", "when", "reason", "subject", "notice_text"),
        *("notice_subject", "notice_send", "notice_documents", "draft_notice", "requester_name", "requester_email"),
        *("requester_address", "address", "channel", "day", "nation", "change", "for_release", "filename", "active"),
        *("dry_run", "skip_invalid", "how", "request", "environmental", "preferred_format", "format_other", "form_token"),
        *("received_from", "received_to", "responded_from", "responded_to", "failed", "summary", "fields", "redact"),
        *("accept", "dates", "working_days", "fee", "kind"),
        *(param.name for param in ACTION_PARAMETERS),
    }
)
# fields a JSON body gives as numbers, objects or lists
NUMBERS = ("version", "batch_id", "working_days", "page", "per_page", "limit", "id")
LISTS = ("references", "exemptions", "redact", "accept", "documents", "events", "status")
OBJECTS = ("requester", "notice", "fields")

DEEP_JSON = b'{"a": ' * 100_000 + b"1" + b"}" * 100_000
DEEP_ARRAY = b"[" * 100_000 + b"]" * 100_000


def _routes(app: Litestar) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(method, path template, path parameter types) for every route and method the app answers."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(("/static", "/schema")):
            continue
        types = {name: parameter.type.__name__ for name, parameter in route.path_parameters.items()}
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            yield method, route.path, types


def _path(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda found: quote(values[found.group(1)], safe=""), template)


def _json_body(value: str) -> dict[str, Any]:
    body: dict[str, Any] = dict.fromkeys(FIELDS, value)
    body.update({key: [value] for key in LISTS})
    body.update(dict.fromkeys(OBJECTS, dict.fromkeys(("name", "email", "address", "send", "by", "text", "title", "body"), value)))
    body["events"] = [{"type": value, "on": value, "working_days": value}]
    return body


def _json_numbers() -> dict[str, Any]:
    body: dict[str, Any] = dict.fromkeys(NUMBERS, int(HUGE))
    body.update({key: [int(HUGE)] for key in LISTS})
    body["notice"] = {"send": True, "documents": [int(HUGE)]}
    body["events"] = [{"type": "pit_extension", "on": "2025-01-01", "working_days": int(HUGE)}]
    body.update({"action": "extend_pit", "regime": "foia", "received_on": "2025-01-01"})
    return body


async def _known_ids(client: AsyncTestClient, headers: dict[str, str]) -> dict[str, str]:
    """Values for path parameters that find something, so that a hostile value elsewhere reaches the handler."""
    created = await client.post("/api/v1/requests", json=new_request_body(), headers=headers)
    assert created.status_code == 201, created.text
    batch = await client.post("/api/v1/batches", json={"title": "Quarterly release", "slug": "quarterly-release"}, headers=headers)
    assert batch.status_code in (200, 201), batch.text
    return {
        "reference": created.json()["reference"],
        "slug": "quarterly-release",
        "kind": "acknowledgement",
        "regime": "foia",
        "item": "1",
        "str": "1",
        "int": str(batch.json()["id"]),
    }


async def _signed_in(client: AsyncTestClient, staff: Staff, sessions: Any, role: str) -> dict[str, str]:
    if role == "anonymous":
        await client.get("/login")  # a CSRF cookie, so that forms reach their handlers
        return {"x-csrftoken": client.cookies.get("csrftoken", "")}
    user = staff.officer if role == "officer" else staff.admin
    await sign_in(client, user)
    return {**bearer(await token_for(sessions, user)), "x-csrftoken": client.cookies.get("csrftoken", "")}


async def _server_errors(
    client: AsyncTestClient, app: Litestar, headers: dict[str, str], known: dict[str, str], everything: bool
) -> list[str]:
    """Every hostile value at every route; `everything` false leaves out the routes this caller is turned
    away from with normal values (the checks before that point are the same for every caller: the
    caller who may do everything goes through them all)."""
    found: list[str] = []

    async def send(method: str, url: str, what: str, **kwargs: Any) -> Any:
        answer = await client.request(method, url, headers={**headers, **kwargs.pop("headers", {})}, follow_redirects=False, **kwargs)
        if answer.status_code >= 500:
            found.append(f"{method} {url[:120]!r} with {what}: {answer.status_code}")
        return answer

    for method, template, types in _routes(app):
        normal = {name: known.get(name, known[kind]) for name, kind in types.items()}
        url = _path(template, normal)
        probe = await send(method, url, "nothing hostile")
        if not everything and (probe.status_code in (401, 403) or probe.headers.get("location", "").startswith("/login")):
            continue
        for name in types:
            for label in ("an integer past 64 bits", "a negative integer past 64 bits", "a NUL byte", "a line break"):
                await send(method, _path(template, {**normal, name: HOSTILE[label]}), f"{label} as {name}")
        for label, value in HOSTILE.items():
            if label not in ("a negative integer past 64 bits", "a long text"):  # overflow and length: in bodies
                await send(method, url, f"{label} in the query", params=dict.fromkeys(FIELDS, value))
        if method in ("GET", "DELETE"):
            continue
        # the API reads JSON, the pages forms: each is sent every value in what it reads, and one in the other
        api = template.startswith("/api/")
        for label, value in HOSTILE.items():
            if label == "a negative integer past 64 bits":  # past 64 bits is tried in JSON as numbers below
                continue
            if api:
                await send(method, url, f"{label} in JSON", json=_json_body(value))
            else:
                await send(method, url, f"{label} in a form", data=dict.fromkeys(FIELDS, value))
        if api:
            await send(method, url, "a NUL byte in a form", data=dict.fromkeys(FIELDS, HOSTILE["a NUL byte"]))
            await send(method, url, "integers past 64 bits in JSON", json=_json_numbers())
        else:
            await send(method, url, "a NUL byte in JSON", json=_json_body(HOSTILE["a NUL byte"]))
        for label, raw in (("JSON nested 100,000 deep", DEEP_JSON), ("a JSON array nested 100,000 deep", DEEP_ARRAY)):
            await send(method, url, label, content=raw, headers={"content-type": "application/json"})
    return found


@pytest.mark.slow
@pytest.mark.parametrize("role", ["anonymous", "officer", "admin"])
async def test_no_hostile_value_anywhere_gets_a_server_error(
    settings: Settings, sessions: Any, role: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="httpx")  # a line per request would bury the answer
    staff = await make_staff(sessions)
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        known = await _known_ids(client, bearer(await token_for(sessions, staff.officer)))
        headers = await _signed_in(client, staff, sessions, role)
        errors = await _server_errors(client, app, headers, known, everything=role == "admin")
    assert not errors, "\n".join(errors)


# ---------------------------------------------------------------- the values that matter most, by name


async def test_integers_past_64_bits_are_refused_naming_the_field(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    for url, field in (
        (f"/disclosures?page={HUGE}", "page"),
        (f"/api/v1/disclosures?page={HUGE}", "page"),
        (f"/api/v1/requests?page={HUGE}", "page"),
        (f"/api/v1/batches/{HUGE}", "batch_id"),
        (f"/disclosures/FOI-2025-00001/documents/{HUGE}", "document_id"),
    ):
        answer = await client.get(url, headers=headers)
        assert answer.status_code in (400, 422), (url, answer.status_code)
        if url.startswith("/api/"):
            assert answer.json()["field"] == field, (url, answer.text)
        else:
            assert field.replace("_", " ") in answer.text.lower(), (url, answer.text)
    # the staff list, lenient with its filters as typed, shows the first page
    await sign_in(client, staff.officer)
    assert (await client.get(f"/staff/requests?page={HUGE}")).status_code == 200
    # a reference made of digits is only a reference that does not exist
    assert (await client.get(f"/api/v1/requests/{HUGE}", headers=headers)).status_code == 404


async def test_dates_at_the_ends_of_the_calendar_are_answered(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    headers = bearer(await token_for(sessions, staff.manager))
    await sign_in(client, staff.manager)
    for url in (
        "/disclosures?from=0001-01-01&to=9999-12-31",
        "/api/v1/disclosures?from=0001-01-01&to=9999-12-31",
        "/api/v1/requests?due_before=9999-12-31",
        "/api/v1/requests?due_before=0001-01-01",
        "/staff/requests?due_before=9999-12-31",
        "/api/v1/reports/timeliness?from=0001-01-01&to=9999-12-31",
        "/staff/reports/timeliness?from=0001-01-01&to=9999-12-31",
        "/staff/reports/overdue?as_of=9999-12-31",
    ):
        answer = await client.get(url, headers=headers)
        assert answer.status_code in (200, 400, 422), (url, answer.status_code)
        if answer.status_code != 200:
            assert re.search(r"\b(from|to|due_before)\b", answer.text), (url, answer.text)


async def test_json_nested_too_deep_is_refused_before_it_is_read(client: AsyncTestClient) -> None:
    for raw in (DEEP_JSON, DEEP_ARRAY):
        answer = await client.post("/api/v1/deadlines/calculate", content=raw, headers={"content-type": "application/json"})
        assert answer.status_code == 400
        assert "nested" in answer.json()["detail"]


async def test_a_nul_byte_is_refused_naming_the_field(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    headers = bearer(await token_for(sessions, staff.officer))
    created = await client.post("/api/v1/requests", json=new_request_body(title="Bins\x00 collected"), headers=headers)
    assert created.status_code == 422
    assert created.json()["field"] == "title" and "NUL" in created.json()["detail"]
    searched = await client.get("/api/v1/disclosures", params={"q": "bins\x00"})
    assert searched.status_code in (200, 400, 422)
    if searched.status_code != 200:
        assert searched.json()["field"] == "q"


# ---------------------------------------------------------------- the error log


async def test_a_line_break_in_an_erroring_path_cannot_forge_a_log_line(
    client: AsyncTestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.web.api import disclosures

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a fault of ours")

    monkeypatch.setattr(disclosures, "get_disclosure", broken)
    with caplog.at_level(logging.ERROR, logger="app.web"):
        answer = await client.get("/api/v1/disclosures/FOI%0A2025-01-01 ERROR forged entry%0D%1B[31m")
    assert answer.status_code == 500
    written = "\n".join(record.getMessage() for record in caplog.records if record.name == "app.web")
    first_line = written.splitlines()[0]
    assert first_line == "unhandled RuntimeError on GET /api/v1/disclosures/FOI\\n2025-01-01 ERROR forged entry\\r\\x1b[31m"
    assert not any(line.startswith("2025-01-01") for line in written.splitlines())


# ---------------------------------------------------------------- a forged Host


async def test_feed_links_come_from_the_configured_address_never_from_the_host_header(
    settings: Settings, staff: Staff, sessions: Any
) -> None:
    configured = replace(settings, mail=replace(settings.mail, base_url="https://foi.council.example"))
    async with AsyncTestClient(app=create_app(configured), base_url="http://testserver.local") as client:
        headers = bearer(await token_for(sessions, staff.officer))
        reference = await responded_request(client, headers, title="Road resurfacing programme")
        assert (await client.post(f"/api/v1/requests/{reference}/publish", json={}, headers=headers)).status_code == 200
        feed = await client.get("/disclosures.atom", headers={"host": "attacker.example"})
    assert feed.status_code == 200
    assert f'href="https://foi.council.example/disclosures/{reference}"' in feed.text
    assert "attacker.example" not in feed.text and "testserver.local" not in feed.text
