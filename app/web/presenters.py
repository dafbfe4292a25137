"""Shapes domain objects for the API and the pages (no queries here)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import inspect

from app.domain.exemptions import BY_CODE
from app.domain.lifecycle import Status, allowed_actions
from app.domain.regimes import Regime
from app.models import Correspondence, FoiRequest, RequestEvent
from app.services.requests import RequestDetail, limit_extended
from app.web.api.answers import CorrespondenceItemJson, CorrespondenceJson, EventJson, RequestJson, RequestSummaryJson


def request_summary(request: FoiRequest) -> RequestSummaryJson:
    return {
        "reference": request.reference,
        "regime": request.regime,
        "title": request.title,
        "received_on": request.received_on.isoformat(),
        "received_at": request.received_at.isoformat(),
        "posted_on": _iso(request.posted_on),
        "channel": request.channel,
        "department": request.department.slug if request.department else None,
        "assignee": request.assignee.email if request.assignee else None,
        "status": request.status,
        "due_on": _iso(request.due_on),
        "original_due_on": _iso(request.original_due_on),
        "working_days_limit": request.working_days_limit,
        "clock_stopped": request.clock_stopped,
        "clock_state": request.clock_state,
        "deadline_flags": [flag for flag in request.deadline_flags.split(",") if flag],
        "calendar_version": request.calendar_version,
        "outcome": request.outcome,
        "responded_on": _iso(request.responded_on),
        "review_outcome": request.review_outcome,
        "publication": {
            "state": request.publication_state,
            "published_at": request.published_at.isoformat() if request.published_at else None,
            "publish_at": request.publish_at.isoformat() if request.publish_at else None,
            "batch": _batch_slug(request),
        },
        "version": request.version,
    }


def request_detail(detail: RequestDetail) -> RequestJson:
    request, requester = detail.request, detail.request.requester
    return {
        **request_summary(request),
        "requester": {"name": requester.name, "email": requester.email, "address": requester.address},
        "body": request.body,
        "response": request.response,
        "preferred_format": request.preferred_format,
        "exemptions": detail.exemptions,
        "allowed_actions": [
            a.value for a in allowed_actions(Status(request.status), Regime(request.regime), limit_extended=limit_extended(request))
        ],
        "history": [event_json(event) for event in detail.events],
        "correspondence": [correspondence_item(item) for item in detail.correspondence],
        "legal_hold": (
            {"reason": request.legal_hold_reason or "", "since": request.legal_hold_at.isoformat()} if request.legal_hold_at else None
        ),
        "anonymised_at": request.anonymised_at.isoformat() if request.anonymised_at else None,
    }


def correspondence_item(item: Correspondence) -> CorrespondenceItemJson:
    answer: dict[str, Any] = {
        "id": item.id,
        "direction": item.direction,
        "kind": item.kind,
        "at": item.at.isoformat(),
        "subject": item.subject,
        "by": item.by,
        ("to" if item.direction == "out" else "from"): item.address,
        "delivery": item.delivery,
    }
    return cast(CorrespondenceItemJson, answer)


def correspondence_json(item: Correspondence, reference: str) -> CorrespondenceJson:
    letter = item.direction == "out" and item.by == "post"
    return cast(
        CorrespondenceJson,
        {
            **correspondence_item(item),
            "body": item.body,
            "message_id": item.message_id,
            "in_reply_to": item.in_reply_to,
            "error": item.error,
            "attempts": item.attempts,
            "sent_at": item.sent_at.isoformat() if item.sent_at else None,
            "documents": list(item.documents or []),
            "event_id": item.event_id,
            "pdf": f"/api/v1/requests/{reference}/correspondence/{item.id}.pdf" if letter else None,
        },
    )


def event_json(event: RequestEvent) -> EventJson:
    return {
        "id": event.id,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "on": event.occurred_on.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "by": event.actor.email if event.actor else None,
        "note": event.note,
        "details": event.details,
        "imported": event.imported,
    }


def exemption_label(code: str) -> str:
    exemption = BY_CODE.get(code)
    return exemption.label if exemption else code


def _batch_slug(request: FoiRequest) -> str | None:
    """The release batch's slug, when the query loaded it (get_request and list_requests do)."""
    if request.batch_id is None or "batch" in inspect(request).unloaded:
        return None
    return request.batch.slug if request.batch else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
