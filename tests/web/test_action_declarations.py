"""Every lifecycle action is offered where its declaration says (app/domain/lifecycle.py): by the API's
request body and its documentation, by the action form on the request page and, when declared for
bulk, by the bulk form. Each is checked from the declaration, so an action whose declaration the web
layer does not read fails here (ARCHITECTURE.md, "Add a lifecycle action")."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from app.domain.action_params import PIT_WORKING_DAYS, Param, ParamKind
from app.domain.lifecycle import ACTION_PARAMETERS, BULK_ACTIONS, Action, Status, Who, allowed_actions
from app.domain.notices import notice_for
from app.domain.regimes import Regime
from tests.factories import Staff, bearer, new_request_body, sign_in, token_for

_JSON_TYPE = {ParamKind.WORKING_DAYS: "integer", ParamKind.EXEMPTIONS: "array"}

# the date a step happened: the GOV.UK date input, day, month and year
ON_PARTS = {"on-day", "on-month", "on-year"}


def _route_to(action: Action) -> tuple[Regime, list[Action]]:
    """A regime that allows the action, and the fewest steps from a new request to a state it is
    taken from, found by reading the declarations."""
    regime = next(regime for regime in Regime if action.spec.allows(regime))
    paths: dict[Status, list[Action]] = {Status.NEW: []}
    frontier = [Status.NEW]
    while frontier:
        status = frontier.pop(0)
        if status in action.spec.leaves:
            return regime, paths[status]
        for step in allowed_actions(status, regime):
            target = step.spec.goes_to
            if target is not None and target not in paths:
                paths[target] = [*paths[status], step]
                frontier.append(target)
    raise AssertionError(f"no state that {action.value} is taken from can be reached")


def _sample(param: Param, staff: Staff) -> Any:
    """A value of the parameter's kind that its checks accept."""
    if param.kind is ParamKind.STAFF:
        return staff.other_officer.email
    if param.kind is ParamKind.WORKING_DAYS:
        return param.minimum
    if param.kind is ParamKind.CHOICE:
        return param.choices[0][0]
    if param.kind is ParamKind.EXEMPTIONS:
        return []
    if param.kind is ParamKind.MONEY:
        return "£12.50"
    return "Words."


def _step(action: Action, staff: Staff) -> dict[str, Any]:
    body: dict[str, Any] = {"action": action.value, **{param.name: _sample(param, staff) for param in action.spec.params}}
    if action.spec.note_required:
        body["note"] = "Why."
    return body


def _form_of(page: str, action: Action) -> str:
    marker = f'<input type="hidden" name="action" value="{action.value}">'
    assert marker in page, f"the request page offers no form for {action.value}"
    start = page.rindex("<form", 0, page.index(marker))
    return page[start : page.index("</form>", start)]


def _field_names(form: str) -> set[str]:
    return {name for name in re.findall(r'name="([^"]+)"', form) if not name.startswith("_csrf")}


async def _request_ready_for(client: AsyncTestClient, staff: Staff, officer: dict[str, str], action: Action) -> tuple[str, Regime]:
    regime, steps = _route_to(action)
    created = await client.post("/api/v1/requests", json=new_request_body(regime=regime.value), headers=officer)
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    for step in steps:  # by an officer (a manager then approves a draft someone else submitted), the day after receipt
        answer = await client.post(
            f"/api/v1/requests/{reference}/actions", json={**_step(step, staff), "on": "2025-09-10"}, headers=officer
        )
        assert answer.status_code == 200, answer.text
    return reference, regime


@pytest.mark.parametrize("action", list(Action), ids=lambda action: action.value)
async def test_each_action_has_its_declared_form_and_api_step(client: AsyncTestClient, staff: Staff, sessions: Any, action: Action) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    manager = bearer(await token_for(sessions, staff.manager))
    reference, _ = await _request_ready_for(client, staff, officer, action)

    # the form: one field per declared parameter, the date only when the step is dated, its wording
    await sign_in(client, staff.manager)
    page = (await client.get(f"/staff/requests/{reference}")).text
    form = _form_of(page, action)
    expected = {"action", "note", *(param.name for param in action.spec.params)} | (ON_PARTS if action.spec.dated else set())
    if notice_for(action.value) is not None:  # a step that sends a notice asks how, and offers its draft
        expected |= {"notice_send", "notice_subject", "notice_text", "draft_notice"}
    assert _field_names(form) == expected
    for param in action.spec.params:
        assert param.label in form
    assert f"<summary>{action.label}</summary>" in page
    assert re.search(rf">\s*{re.escape(action.label)}\s*</button>", form)

    # the API: the same step with its declared parameters, by whoever the declaration allows, today
    # (long after the steps before it: a waiting request may lapse)
    actor = manager if action.spec.by is Who.APPROVER else officer
    answer = await client.post(f"/api/v1/requests/{reference}/actions", json=_step(action, staff), headers=actor)
    assert answer.status_code == 200, answer.text
    status = Status(answer.json()["status"])
    assert status is (action.spec.goes_to or status)
    assert answer.json()["history"][0]["action"] == action.value


async def test_the_form_is_drawn_from_the_declaration(
    client: AsyncTestClient, staff: Staff, sessions: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parameter added to a declaration appears on the form with no edit to the template."""
    officer = bearer(await token_for(sessions, staff.officer))
    reference, _ = await _request_ready_for(client, staff, officer, Action.START)
    added = replace(PIT_WORKING_DAYS, name="grace_days", label="Days of grace", hint="Only in this test.", default="3")
    monkeypatch.setattr(Action.START, "spec", replace(Action.START.spec, params=(added,), label="Start with grace"))
    await sign_in(client, staff.officer)
    form = _form_of((await client.get(f"/staff/requests/{reference}")).text, Action.START)
    assert _field_names(form) == {"action", *ON_PARTS, "note", "grace_days"}
    assert "Days of grace" in form and "Only in this test." in form and 'value="3"' in form and "Start with grace" in form


async def test_the_api_documents_every_action_and_parameter(client: AsyncTestClient) -> None:
    schemas = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]
    body = schemas["ActionIn"]["properties"]
    for action in Action:
        assert f"`{action.value}`" in body["action"]["description"]
    for param in ACTION_PARAMETERS:
        types = {choice.get("type") for choice in body[param.name]["oneOf"]}
        assert types == {_JSON_TYPE.get(param.kind, "string"), "null"}, param.name
    bulk = schemas["BulkIn"]["properties"]
    for action in BULK_ACTIONS:
        assert f"`{action.value}`" in bulk["action"]["description"]
        for param in action.spec.params:
            assert param.name in bulk


async def test_the_bulk_form_offers_every_action_declared_for_bulk(client: AsyncTestClient, staff: Staff, sessions: Any) -> None:
    officer = bearer(await token_for(sessions, staff.officer))
    references = [
        (await client.post("/api/v1/requests", json=new_request_body(title=f"Bulk {n}"), headers=officer)).json()["reference"]
        for n in range(2)
    ]
    await sign_in(client, staff.officer)
    page = (await client.get("/staff/requests?status=all")).text
    panel = page.split('<fieldset class="bulk-panel">', 1)[1].split("</fieldset>", 1)[0]
    offered = re.findall(r'<option value="([a-z_]+)">', panel.split('name="bulk_action"', 1)[1].split("</select>", 1)[0])
    assert offered == [action.value for action in BULK_ACTIONS] + ["add_to_batch"]
    for action in BULK_ACTIONS:
        for param in action.spec.params:
            assert f'name="{param.name}"' in panel
        # the dry run takes each by its name and its declared parameters
        dry = await client.post(
            "/api/v1/requests/bulk",
            json={**_step(action, staff), "references": references, "dry_run": True},
            headers=officer,
        )
        assert dry.status_code == 200, dry.text
        assert dry.json()["description"].startswith(action.spec.bulk)
