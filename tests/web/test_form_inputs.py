"""The new request form read into the API's body type (app/web/pages/requests.py): a request logged on
the page is the request the API would log from the same values."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import msgspec

from app.services import requests as service
from app.web.pages.requests import new_request_from_form

LONDON = ZoneInfo("Europe/London")


def test_a_new_request_from_the_form_is_the_api_s_body() -> None:
    body = {
        "regime": "foisa",
        "title": "Gritting routes",
        "body": "Please send the gritting routes.",
        "channel": "post",
        "received_on": "2026-01-05",
        "posted_on": "2026-01-02",
        "department": "roads",
        "requester": {"name": "Rosa Requester", "email": None, "address": "1 High Street"},
    }
    from_api = msgspec.json.decode(msgspec.json.encode(body), type=service.NewRequest)
    form = {key: value for key, value in body.items() if key != "requester"}
    form |= {"requester_name": "Rosa Requester", "requester_email": "", "requester_address": "1 High Street", "assignee": ""}
    assert new_request_from_form(form, LONDON) == from_api
    timed = new_request_from_form({**form, "received_time": "14:30"}, LONDON)
    assert timed.received_at is not None and (timed.received_at.hour, timed.received_at.tzinfo) == (14, LONDON)
