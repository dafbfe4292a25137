"""Forms read into the API's input types (app/services/inputs.py): the same type whichever sent it,
refusals that name the field."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from app.domain.errors import InvalidInput
from app.services import requests as service
from app.services.batches import RequestFilter
from app.services.inputs import ActionIn, BulkIn, DepartmentIn, declared_params, read_form


def test_a_step_from_the_form_is_the_step_from_the_api() -> None:
    sent = {"action": "extend_pit", "on": "2026-01-02", "working_days": 20, "note": "Complex request."}
    from_api = msgspec.json.decode(msgspec.json.encode(sent), type=ActionIn)
    typed = {"action": "extend_pit", "on": "2026-01-02", "working_days": "20", "note": "Complex request.", "outcome": ""}
    from_form = read_form(ActionIn, {**typed, "_csrf_token": "x"})
    assert from_form == from_api
    assert declared_params(from_form) == {"working_days": 20}
    assert from_form.on == date(2026, 1, 2)


def test_empty_form_fields_take_their_defaults_and_required_ones_stay_to_be_checked() -> None:
    assert read_form(ActionIn, {"action": "", "on": "", "note": ""}) == ActionIn(action="")
    assert read_form(DepartmentIn, {"name": "", "slug": ""}) == DepartmentIn(name="")
    assert read_form(BulkIn, {"action": "withdraw", "references": [], "dry_run": "true"}).dry_run is True
    assert read_form(RequestFilter, {"status": "responded", "responded_from": "2024-01-01", "regime": ""}) == RequestFilter(
        status="responded", responded_from=date(2024, 1, 1)
    )


def test_a_value_that_will_not_convert_is_refused_by_its_field() -> None:
    for values, field, message in (
        ({"action": "extend_pit", "working_days": "twenty"}, "working_days", "must be a whole number"),
        ({"action": "note", "on": "02/01/2026"}, "on", "'02/01/2026' is not a date (use YYYY-MM-DD)"),
        ({"action": "respond", "exemptions": "FOIA-s40"}, "exemptions", "give a list"),
    ):
        with pytest.raises(InvalidInput) as refused:
            read_form(ActionIn, values)
        assert (refused.value.field, refused.value.message) == (field, message)
    with pytest.raises(InvalidInput) as refused:
        read_form(RequestFilter, {"received_to": "2024-02-30"})
    assert refused.value.field == "received_to"


def test_an_edit_from_the_form_is_the_edit_from_the_api() -> None:
    patch = {"version": 3, "title": "Gritting", "received_on": "2026-01-06", "requester": {"email": ""}}
    from_api = msgspec.json.decode(msgspec.json.encode(patch), type=service.DetailsChanges)
    from_form = service.DetailsChanges.from_form({"title": "Gritting", "received_on": "2026-01-06", "requester_email": "", "version": "3"})
    assert from_form.edits() == from_api.edits() == {"title": "Gritting", "received_on": "2026-01-06", "requester_email": ""}
    with pytest.raises(msgspec.ValidationError, match="unknown field `status`"):
        msgspec.json.decode(b'{"version": 3, "status": "responded"}', type=service.DetailsChanges)
