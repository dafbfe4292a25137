"""/schema/openapi.json describes what the API answers (issue 13: "the OpenAPI document lists none of the
4xx answers the API gives"): every /api/v1 operation documents a 2xx body with its properties and the
error statuses it returns, with the error body's shape (app/web/errors.py, docs/contract.md "HTTP");
the HTML pages are left out. Real answers are checked against the document, so it cannot drift from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, new_request_body, token_for

FROZEN = datetime.fromisoformat("2025-10-01T10:00:00+01:00")
JSON = "application/json"

# The error statuses each operation returns, besides its success. A new route fails
# `test_every_api_operation_is_in_the_table` until it is added here, with the statuses it can give:
# 400 malformed input (Litestar refuses a body or parameter of the wrong type), 401 no credentials,
# 403 a role too low, 404 unknown, 409 a conflict with the state, 413/415 an upload refused,
# 422 a value refused by a rule (docs/contract.md, "HTTP").
ERRORS: dict[tuple[str, str], set[int]] = {
    ("GET", "/api/v1/requests"): {400, 401, 422},
    ("POST", "/api/v1/requests"): {400, 401, 422},
    ("GET", "/api/v1/requests/{reference}"): {401, 404},
    ("PATCH", "/api/v1/requests/{reference}"): {400, 401, 404, 409, 422},
    ("POST", "/api/v1/requests/{reference}/actions"): {400, 401, 403, 404, 409, 422},
    ("POST", "/api/v1/requests/{reference}/legal-hold"): {400, 401, 403, 404, 409, 422},
    ("POST", "/api/v1/requests/{reference}/legal-hold/lift"): {400, 401, 403, 404, 409, 422},
    ("GET", "/api/v1/requests/{reference}/correspondence/{item}"): {400, 401, 404, 410},
    ("POST", "/api/v1/requests/bulk"): {400, 401, 409, 422},
    ("GET", "/api/v1/requests/{reference}/documents"): {401, 404},
    ("POST", "/api/v1/requests/{reference}/documents"): {401, 404, 409, 413, 415, 422, 503, 507},
    ("GET", "/api/v1/requests/{reference}/documents/{document_id}"): {401, 404},
    ("GET", "/api/v1/requests/{reference}/publication"): {401, 404},
    ("POST", "/api/v1/requests/{reference}/publication"): {400, 401, 404, 409, 422},
    ("POST", "/api/v1/requests/{reference}/publish"): {400, 401, 404, 409, 422},
    ("POST", "/api/v1/requests/{reference}/unpublish"): {400, 401, 404, 409, 422},
    ("GET", "/api/v1/batches"): {401},
    ("POST", "/api/v1/batches"): {400, 401, 409, 422},
    ("GET", "/api/v1/batches/{batch_id}"): {401, 404},
    ("PATCH", "/api/v1/batches/{batch_id}"): {400, 401, 404, 409, 422},
    ("POST", "/api/v1/batches/{batch_id}/requests"): {400, 401, 404, 409, 422},
    ("DELETE", "/api/v1/batches/{batch_id}/requests/{reference}"): {401, 404, 409},
    ("GET", "/api/v1/batches/{batch_id}/preview"): {401, 404},
    ("POST", "/api/v1/batches/{batch_id}/approve"): {401, 403, 404, 409},
    ("POST", "/api/v1/batches/{batch_id}/publish"): {400, 401, 404, 409, 422},
    ("POST", "/api/v1/imports"): {401, 413, 415, 422},
    ("GET", "/api/v1/departments"): {401},
    ("POST", "/api/v1/departments"): {400, 401, 403, 409, 422},
    ("GET", "/api/v1/calendar/corrections"): {401},
    ("POST", "/api/v1/calendar/corrections"): {400, 401, 403, 422},
    ("DELETE", "/api/v1/calendar/corrections/{correction_id}"): {401, 403, 404},
    ("GET", "/api/v1/disclosures"): {422},
    ("GET", "/api/v1/disclosures/{reference}"): {404},
    ("GET", "/api/v1/reports/overdue"): {401, 403, 422},
    ("GET", "/api/v1/reports/timeliness"): {401, 403, 422},
    ("POST", "/api/v1/deadlines/calculate"): {400, 422},
    ("GET", "/api/v1/tokens"): {401},
    ("DELETE", "/api/v1/tokens/{token_id}"): {400, 401, 404},
}
# answers that are files, not JSON
FILES = {("GET", "/api/v1/requests/{reference}/documents/{document_id}")}


@pytest.fixture
async def document(client: AsyncTestClient) -> dict[str, Any]:
    answer = await client.get("/schema/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _objects(schema: dict[str, Any], document: dict[str, Any]) -> list[dict[str, Any]]:
    """The object schemas a (possibly list or union) schema stands for."""
    schema = _resolve(schema, document)
    if "oneOf" in schema or "anyOf" in schema:
        return [found for choice in schema.get("oneOf", schema.get("anyOf")) for found in _objects(choice, document)]
    if schema.get("type") == "array":
        return _objects(schema["items"], document)
    return [schema]


def problems(value: Any, schema: dict[str, Any], document: dict[str, Any], where: str = "$") -> list[str]:
    """Where a JSON value departs from a schema of the document: a wrong type, a required key missing,
    or a key the document does not name (the answer says more than the document)."""
    schema = _resolve(schema, document)
    choices = schema.get("oneOf") or schema.get("anyOf")
    if choices:
        found = [problems(value, choice, document, where) for choice in choices]
        return [] if any(not p for p in found) else min(found, key=len)
    kinds = schema.get("type")
    if kinds is None:
        return []
    kinds = kinds if isinstance(kinds, list) else [kinds]
    actual = {
        type(None): "null",
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "array",
        dict: "object",
    }[type(value)]
    if actual not in kinds and not (actual == "integer" and "number" in kinds):
        return [f"{where}: {actual}, documented as {'|'.join(kinds)}"]
    found: list[str] = []
    if actual == "array" and "items" in schema:
        for index, item in enumerate(value):
            found += problems(item, schema["items"], document, f"{where}[{index}]")
    if actual == "object":
        properties = schema.get("properties", {})
        found += [f"{where}.{key}: missing" for key in schema.get("required", []) if key not in value]
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                found += problems(item, properties[key], document, f"{where}.{key}")
            elif isinstance(extra, dict):
                found += problems(item, extra, document, f"{where}.{key}")
            elif properties or extra is False:
                found.append(f"{where}.{key}: not documented")
    return found


def _documented(document: dict[str, Any], method: str, path: str, status: int) -> dict[str, Any]:
    operation = _operations(document)[(method, path)]
    assert str(status) in operation["responses"], f"{method} {path} answered {status}, which its documentation does not list"
    return operation["responses"][str(status)]["content"][JSON]["schema"]


async def test_every_api_operation_is_in_the_table_and_no_page_is_documented(document: dict[str, Any]) -> None:
    operations = _operations(document)
    assert {key for key in operations if key[1].startswith("/api/")} == set(ERRORS)
    # the HTML pages are for people; the document is the API's (docs/contract.md lists the pages)
    assert {path for _, path in operations if not path.startswith("/api/")} == {"/healthz"}


async def test_every_success_has_a_body_with_its_properties(document: dict[str, Any]) -> None:
    for (method, path), operation in _operations(document).items():
        successes = [status for status in operation["responses"] if status.startswith("2")]
        assert len(successes) == 1, (method, path)
        content = operation["responses"][successes[0]]["content"]
        if (method, path) in FILES:
            assert JSON not in content, (method, path)
            continue
        for schema in _objects(content[JSON]["schema"], document):
            assert schema.get("type") == "object" and schema.get("properties"), (method, path, schema)


async def test_every_error_an_operation_returns_is_documented_with_the_error_body(document: dict[str, Any]) -> None:
    error = document["components"]["schemas"]["ErrorJson"]
    assert set(error["required"]) == {"status_code", "detail"} and {"field", "allowed_actions"} <= set(error["properties"])
    for (method, path), operation in _operations(document).items():
        documented = {int(status) for status in operation["responses"] if not status.startswith("2")}
        # any operation may find the database away: 503 with Retry-After (app/web/unavailable.py)
        assert ERRORS.get((method, path), set()) | {503} <= documented, (method, path, documented)
        for status in documented:
            names = {schema.get("title") for schema in _objects(operation["responses"][str(status)]["content"][JSON]["schema"], document)}
            # every error has the one shape; a refused import adds its report, and /healthz says what is down
            assert "ErrorJson" in names or names == {"HealthJson"}, (method, path, status, names)


async def test_the_bodies_the_api_takes_are_documented_with_their_fields(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for (method, path), operation in _operations(document).items():
        body = operation.get("requestBody", {}).get("content", {}).get(JSON)
        if body is not None:
            for schema in _objects(body["schema"], document):
                assert schema.get("type") == "null" or schema.get("properties"), (method, path)  # null: the body is optional
    # the edit's fields are checked by the service (all problems at once) yet documented by their types
    edit = schemas["DetailsChanges"]["properties"]
    assert (edit["version"]["type"], edit["title"]["type"], edit["received_on"]["format"]) == ("integer", "string", "date")
    assert edit["department"]["type"] == ["string", "null"]
    assert set(schemas["NewRequest"]["required"]) == {"regime", "title", "body", "requester"}


async def _call(client: AsyncTestClient, method: str, url: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
    return await client.request(method, url, headers=headers or {}, **kwargs)


@time_machine.travel(FROZEN, tick=False)
async def test_real_answers_match_the_document(client: AsyncTestClient, document: dict[str, Any], staff: Staff, sessions: Any) -> None:
    """A sample of real calls, one per error status at least: each status answered is documented for its
    operation, and each body (success or error) has the documented shape."""
    officer = bearer(await token_for(sessions, staff.officer))
    manager = bearer(await token_for(sessions, staff.manager))
    admin = bearer(await token_for(sessions, staff.admin))
    created = await client.post("/api/v1/requests", json=new_request_body(body="Please send the spending figures."), headers=officer)
    reference = created.json()["reference"]
    one = f"/api/v1/requests/{reference}"
    for action in (
        {"action": "start", "on": "2025-09-10"},
        {"action": "respond", "on": "2025-09-20", "outcome": "granted_in_full", "response": "The figures are attached."},
    ):
        assert (await client.post(f"{one}/actions", json=action, headers=officer)).status_code == 200
    drafted = (await client.post("/api/v1/requests", json=new_request_body(), headers=officer)).json()["reference"]
    for action in ({"action": "start"}, {"action": "submit_for_approval", "outcome": "not_held", "response": "We hold none."}):
        assert (await client.post(f"/api/v1/requests/{drafted}/actions", json=action, headers=officer)).status_code == 200
    batch = (await client.post("/api/v1/batches", json={"title": "Autumn release"}, headers=officer)).json()
    batch_url = f"/api/v1/batches/{batch['id']}"

    calls: list[tuple[int, str, str, str, dict[str, str] | None, dict[str, Any]]] = [
        # (status expected, method, documented path, url, credentials, request arguments)
        (201, "POST", "/api/v1/requests", "/api/v1/requests", officer, {"json": new_request_body()}),
        (400, "POST", "/api/v1/requests", "/api/v1/requests", officer, {"json": new_request_body(title=42)}),
        (422, "POST", "/api/v1/requests", "/api/v1/requests", officer, {"json": new_request_body(regime="gdpr")}),
        (401, "POST", "/api/v1/requests", "/api/v1/requests", None, {"json": new_request_body()}),
        (200, "GET", "/api/v1/requests", "/api/v1/requests", officer, {}),
        (400, "GET", "/api/v1/requests", "/api/v1/requests?page=first", officer, {}),
        (422, "GET", "/api/v1/requests", "/api/v1/requests?regime=gdpr", officer, {}),
        (200, "GET", "/api/v1/requests/{reference}", one, officer, {}),
        (404, "GET", "/api/v1/requests/{reference}", "/api/v1/requests/FOI-2020-99999", officer, {}),
        (401, "GET", "/api/v1/requests/{reference}", one, {"Authorization": "Bearer not-a-token"}, {}),
        (409, "PATCH", "/api/v1/requests/{reference}", one, officer, {"json": {"version": 1, "title": "Stale"}}),
        (422, "PATCH", "/api/v1/requests/{reference}", one, officer, {"json": {"version": 3, "title": 42}}),
        (200, "PATCH", "/api/v1/requests/{reference}", one, officer, {"json": {"version": 3, "title": "Consultants' fees"}}),
        (400, "PATCH", "/api/v1/requests/{reference}", one, officer, {"json": {"version": 4, "status": "responded"}}),
        (
            403,
            "POST",
            "/api/v1/requests/{reference}/actions",
            f"/api/v1/requests/{drafted}/actions",
            officer,
            {"json": {"action": "approve"}},
        ),
        (409, "POST", "/api/v1/requests/{reference}/actions", f"{one}/actions", officer, {"json": {"action": "start"}}),
        (400, "POST", "/api/v1/requests/{reference}/actions", f"{one}/actions", officer, {"json": {"on": "2025-09-10"}}),
        (
            422,
            "POST",
            "/api/v1/requests/{reference}/actions",
            f"{one}/actions",
            officer,
            {"json": {"action": "note", "on": "2026-01-01", "note": "From the future"}},
        ),
        (
            200,
            "POST",
            "/api/v1/requests/bulk",
            "/api/v1/requests/bulk",
            officer,
            {"json": {"action": "withdraw", "references": [reference], "dry_run": True}},
        ),
        (
            409,
            "POST",
            "/api/v1/requests/bulk",
            "/api/v1/requests/bulk",
            officer,
            {"json": {"action": "withdraw", "references": [reference]}},
        ),
        (200, "GET", "/api/v1/requests/{reference}/publication", f"{one}/publication", officer, {}),
        (200, "GET", "/api/v1/requests/{reference}/documents", f"{one}/documents", officer, {}),
        (
            415,
            "POST",
            "/api/v1/requests/{reference}/documents",
            f"{one}/documents",
            officer,
            {"files": {"file": ("run.exe", b"MZ\x90\x00" + bytes(200), "application/octet-stream")}, "data": {"for_release": "false"}},
        ),
        (200, "POST", "/api/v1/requests/{reference}/publish", f"{one}/publish", officer, {"json": {}}),
        (409, "POST", "/api/v1/requests/{reference}/publish", f"{one}/publish", officer, {"json": {}}),
        (200, "GET", "/api/v1/disclosures", "/api/v1/disclosures", None, {}),
        (422, "GET", "/api/v1/disclosures", "/api/v1/disclosures?from=31/12/2024", None, {}),
        (200, "GET", "/api/v1/disclosures/{reference}", f"/api/v1/disclosures/{reference}", None, {}),
        (404, "GET", "/api/v1/disclosures/{reference}", "/api/v1/disclosures/FOI-2020-99999", None, {}),
        (200, "GET", "/api/v1/batches", "/api/v1/batches", officer, {}),
        (409, "POST", "/api/v1/batches", "/api/v1/batches", officer, {"json": {"title": "Autumn release", "slug": batch["slug"]}}),
        (200, "GET", "/api/v1/batches/{batch_id}", batch_url, officer, {}),
        (404, "GET", "/api/v1/batches/{batch_id}", "/api/v1/batches/999999", officer, {}),
        (200, "GET", "/api/v1/batches/{batch_id}/preview", f"{batch_url}/preview", officer, {}),
        (403, "POST", "/api/v1/batches/{batch_id}/approve", f"{batch_url}/approve", officer, {}),
        (
            422,
            "POST",
            "/api/v1/batches/{batch_id}/requests",
            f"{batch_url}/requests",
            officer,
            {"json": {"references": ["FOI-2020-99999"]}},
        ),
        (200, "GET", "/api/v1/departments", "/api/v1/departments", officer, {}),
        (403, "POST", "/api/v1/departments", "/api/v1/departments", officer, {"json": {"name": "Parks"}}),
        (201, "POST", "/api/v1/departments", "/api/v1/departments", admin, {"json": {"name": "Parks"}}),
        (200, "GET", "/api/v1/calendar/corrections", "/api/v1/calendar/corrections", officer, {}),
        (404, "DELETE", "/api/v1/calendar/corrections/{correction_id}", "/api/v1/calendar/corrections/999999", admin, {}),
        (200, "GET", "/api/v1/reports/overdue", "/api/v1/reports/overdue", manager, {}),
        (403, "GET", "/api/v1/reports/overdue", "/api/v1/reports/overdue", officer, {}),
        (422, "GET", "/api/v1/reports/overdue", "/api/v1/reports/overdue?limit=0", manager, {}),
        (200, "GET", "/api/v1/reports/timeliness", "/api/v1/reports/timeliness?group_by=month", manager, {}),
        (200, "GET", "/api/v1/reports/timeliness", "/api/v1/reports/timeliness?group_by=department", manager, {}),
        (422, "GET", "/api/v1/reports/timeliness", "/api/v1/reports/timeliness?from=2025-13-01", manager, {}),
        (
            200,
            "POST",
            "/api/v1/deadlines/calculate",
            "/api/v1/deadlines/calculate",
            None,
            {"json": {"regime": "foia", "received_on": "2025-09-09"}},
        ),
        (
            422,
            "POST",
            "/api/v1/deadlines/calculate",
            "/api/v1/deadlines/calculate",
            None,
            {"json": {"regime": "foia", "received_on": "09/09/2025"}},
        ),
        (200, "GET", "/healthz", "/healthz", None, {}),
    ]
    for expected, method, path, url, headers, arguments in calls:
        answer = await _call(client, method, url, headers, **arguments)
        assert answer.status_code == expected, (method, url, answer.text)
        assert answer.status_code == 200 or answer.status_code in ERRORS.get((method, path), set()) | {201}, (method, path)
        schema = _documented(document, method, path, answer.status_code)
        assert problems(answer.json(), schema, document) == [], (method, url, answer.json())


async def test_the_check_of_answers_sees_what_the_document_leaves_out(document: dict[str, Any]) -> None:
    schema = _documented(document, "GET", "/api/v1/departments", 200)
    assert problems([{"slug": "parks", "name": "Parks"}], schema, document) == []
    assert problems([{"slug": "parks", "name": "Parks", "budget": 3}], schema, document) == ["$[0].budget: not documented"]
    assert problems([{"slug": "parks"}], schema, document) == ["$[0].name: missing"]
    assert problems({"slug": "parks", "name": None}, schema["items"], document) == ["$.name: null, documented as string"]
    error = _documented(document, "GET", "/api/v1/requests/{reference}", 404)
    assert problems({"status_code": 404, "detail": "no request", "field": "reference"}, error, document) == []
    assert problems({"status_code": 404, "detail": "no request", "extra": {}}, error, document) == ["$.extra: not documented"]
