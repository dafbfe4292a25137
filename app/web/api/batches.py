"""Staff API: release batches (create, fill, preview, approve, publish now or schedule)."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from msgspec import Struct

from app.domain.batches import BatchState
from app.models import ReleaseBatch
from app.services import batches as service
from app.web.api.answers import (
    BatchAddedJson,
    BatchDetailJson,
    BatchJson,
    BatchListItemJson,
    BatchPreviewJson,
    errors,
)
from app.web.auth import requires_manager, requires_officer
from app.web.dependencies import Db, Uow


class BatchIn(Struct):
    title: str
    slug: str | None = None
    description: str | None = None
    publish_at: datetime | None = None


class BatchChangeIn(Struct):
    title: str
    description: str | None = None
    publish_at: datetime | None = None


class AddRequestsIn(Struct):
    references: list[str] | None = None
    filter: service.RequestFilter | None = None


class BatchPublishIn(Struct):
    at: datetime | None = None


def batch_json(batch: ReleaseBatch) -> BatchJson:
    return {
        "id": batch.id,
        "slug": batch.slug,
        "title": batch.title,
        "description": batch.description,
        "state": batch.state,
        "publish_at": batch.publish_at.isoformat() if batch.publish_at else None,
        "approved_at": batch.approved_at.isoformat() if batch.approved_at else None,
        "published_at": batch.published_at.isoformat() if batch.published_at else None,
        "created_at": batch.created_at.isoformat(),
        "url": f"/batches/{batch.slug}" if batch.state == BatchState.PUBLISHED else None,
    }


def _counted(batch: ReleaseBatch, request_count: int) -> BatchListItemJson:
    return {**batch_json(batch), "request_count": request_count}


async def _detail_json(db: Db, batch_id: int) -> BatchDetailJson:
    detail = await service.get_batch(db, batch_id)
    references = [request.reference for request in detail.requests]
    return {
        **batch_json(detail.batch),
        "requests": references,
        "request_count": len(references),
        "created_by": detail.created_by.email if detail.created_by else None,
        "approved_by": detail.approved_by.email if detail.approved_by else None,
    }


class BatchesApi(Controller):
    path = "/api/v1/batches"
    guards = [requires_officer]
    tags = ["release batches"]

    @get("/", responses=errors(401))
    async def list_batches(self, db: Db) -> list[BatchListItemJson]:
        return [_counted(item.batch, item.request_count) for item in await service.list_batches(db)]

    @post("/", responses=errors(400, 401, 409, 422))
    async def create_batch(self, uow: Uow, data: JSONBody[BatchIn]) -> BatchDetailJson:
        """A draft batch: `title`, `slug` (made from the title if left out), `description`, `publish_at` (planned)."""
        batch = await service.create_batch(
            uow.session,
            title=data.title,
            slug=data.slug,
            description=data.description,
            publish_at=data.publish_at,
            actor=uow.staff,
            zone=uow.zone,
        )
        return await _detail_json(uow.session, batch.id)

    @get("/{batch_id:int}", responses=errors(400, 401, 404))
    async def get_batch(self, db: Db, batch_id: FromPath[int]) -> BatchDetailJson:
        return await _detail_json(db, batch_id)

    @patch("/{batch_id:int}", responses=errors(400, 401, 404, 409, 422))
    async def change_batch(self, uow: Uow, batch_id: FromPath[int], data: JSONBody[BatchChangeIn]) -> BatchDetailJson:
        """Edits a batch until it is published (an approved batch goes back to draft)."""
        await service.update_batch(
            uow.session, batch_id, title=data.title, description=data.description, publish_at=data.publish_at, zone=uow.zone
        )
        return await _detail_json(uow.session, batch_id)

    @post("/{batch_id:int}/requests", status_code=200, responses=errors(400, 401, 404, 409, 422))
    async def add_requests(self, uow: Uow, batch_id: FromPath[int], data: JSONBody[AddRequestsIn]) -> BatchAddedJson:
        """`{"references": [...]}` (all must be able to join, or none is added), or `{"filter": {"status":
        "responded", "responded_from": "2024-01-01", "responded_to": "2024-12-31", ...}}` (every answered,
        unpublished request in no batch that matches)."""
        result = await service.add_requests(
            uow.session, batch_id, references=data.references, spec=data.filter, actor=uow.staff, zone=uow.zone
        )
        return {"added": result.added, "batch": await _detail_json(uow.session, batch_id)}

    @delete("/{batch_id:int}/requests/{reference:str}", status_code=200, responses=errors(400, 401, 404, 409))
    async def remove_request(self, uow: Uow, batch_id: FromPath[int], reference: FromPath[str]) -> BatchDetailJson:
        await service.remove_request(uow.session, batch_id, reference, actor=uow.staff, zone=uow.zone)
        return await _detail_json(uow.session, batch_id)

    @get("/{batch_id:int}/preview", responses=errors(400, 401, 404))
    async def preview(self, db: Db, batch_id: FromPath[int]) -> BatchPreviewJson:
        """Exactly what each request will show the public, with warnings to check first."""
        preview = await service.preview_batch(db, batch_id)
        return {
            "batch": _counted(preview.batch, len(preview.items)),
            "warning_count": preview.warning_count,
            "unreviewed_count": preview.unreviewed_count,
            # the batch as the public will see it: every requester's data out of its texts and address
            "public": {"title": preview.public_title, "description": preview.public_description, "url": f"/batches/{preview.public_slug}"},
            "requests": [
                {
                    "reference": item.request.reference,
                    "title": item.version.title,
                    "summary": item.version.summary or None,
                    "request": item.version.body,
                    "response": item.version.response or None,
                    "documents": [
                        {"id": d.id, "title": item.version.document_title(d), "filename": item.version.document_filename(d)}
                        for d in item.version.released_documents
                    ],
                    "warnings": item.version.warnings,
                    "suspicions": [
                        {"id": s.id, "field": s.field, "text": s.text, "reason": s.reason} for s in item.version.review.unreviewed
                    ],
                }
                for item in preview.items
            ],
        }

    @post("/{batch_id:int}/approve", status_code=200, guards=[requires_manager], responses=errors(400, 401, 403, 404, 409))
    async def approve(self, uow: Uow, batch_id: FromPath[int]) -> BatchDetailJson:
        """A manager approves the batch as it stands; any later change needs approval again."""
        await service.approve_batch(uow.session, batch_id, actor=uow.staff)
        return await _detail_json(uow.session, batch_id)

    @post("/{batch_id:int}/publish", status_code=200, responses=errors(400, 401, 404, 409, 422))
    async def publish(self, uow: Uow, batch_id: FromPath[int], data: JSONBody[BatchPublishIn | None] = None) -> BatchDetailJson:
        """`{}` publishes an approved batch now, every request at once; `{"at": datetime}` schedules it."""
        await service.publish_batch(uow.session, batch_id, actor=uow.staff, zone=uow.zone, at=(data or BatchPublishIn()).at)
        return await _detail_json(uow.session, batch_id)
