"""The public disclosure log API: published requests only, never any requester data."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath

from app.domain.publication import PublicationState
from app.services.disclosures import Disclosure, get_disclosure
from app.services.search import DisclosureHit, search_disclosures
from app.web.api.answers import DisclosureHitJson, DisclosureJson, DisclosureSearchJson, WithdrawnDisclosureJson, errors
from app.web.dependencies import AppSettings, Db
from app.web.pages.public import parse_disclosure_filters


def _hit_json(hit: DisclosureHit) -> DisclosureHitJson:
    return {
        "reference": hit.reference,
        "regime": hit.regime,
        "title": hit.title,
        "summary": hit.summary,
        "outcome": hit.outcome,
        "department": hit.department,
        "received_on": hit.received_on.isoformat(),
        "responded_on": hit.responded_on.isoformat() if hit.responded_on else None,
        "published_at": hit.published_at.isoformat(),
        "snippet": str(hit.snippet) if hit.snippet else None,
        "url": f"/disclosures/{hit.reference}",
    }


def _disclosure_json(d: Disclosure) -> DisclosureJson | WithdrawnDisclosureJson:
    if d.state == PublicationState.WITHDRAWN:
        return {
            "reference": d.reference,
            "state": PublicationState.WITHDRAWN.value,
            "withdrawn_at": d.withdrawn_at.isoformat() if d.withdrawn_at else None,
        }
    return {
        "reference": d.reference,
        "state": d.state,
        "regime": d.regime,
        "title": d.title,
        "summary": d.summary,
        "request": d.body,
        "response": d.response,
        "outcome": d.outcome,
        "exemptions": d.exemptions,
        "department": d.department,
        "received_on": d.received_on.isoformat() if d.received_on else None,
        "responded_on": d.responded_on.isoformat() if d.responded_on else None,
        "published_at": d.published_at.isoformat() if d.published_at else None,
        "documents": [
            {
                "id": doc.id,
                "title": doc.title,
                "filename": doc.filename,
                "content_type": doc.content_type,
                "size": doc.size,
                "sha256": doc.sha256,
                "url": f"/disclosures/{d.reference}/documents/{doc.id}",
            }
            for doc in d.documents
        ],
    }


class DisclosuresApi(Controller):
    path = "/api/v1/disclosures"
    tags = ["disclosure log"]
    opt = {"exclude_from_auth": True}

    @get("/", responses=errors(422))
    async def search(self, request: Request[Any, Any, Any], db: Db, settings: AppSettings) -> DisclosureSearchJson:
        """Search published requests: q (words, "phrases", -exclusions), from, to, outcome, department, exemption, sort, page."""
        result = await search_disclosures(db, parse_disclosure_filters(request.query_params), settings.zone)
        return {
            "items": [_hit_json(hit) for hit in result.hits],
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "pages": result.pages,
            "sort": result.sort,
        }

    @get("/{reference:str}", responses=errors(400, 404))
    async def one(self, db: Db, reference: FromPath[str]) -> DisclosureJson | WithdrawnDisclosureJson:
        return _disclosure_json(await get_disclosure(db, reference))
