"""Staff API: documents on a request, publishing to the disclosure log, and takedown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, JSONBody
from msgspec import Struct

from app.domain.errors import InvalidInput
from app.domain.publication_review import PublicReview
from app.models import Document
from app.services import documents as document_service
from app.services import publication
from app.services import publication_review as review_service
from app.services import requests as request_service
from app.web.api.answers import FILE, DocumentJson, PublicationJson, RequestJson, errors
from app.web.auth import requires_officer
from app.web.dependencies import Db, Store, Uow
from app.web.downloads import file_response
from app.web.presenters import request_detail

CHUNK = 64 * 1024


async def upload_chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK):
        yield chunk


def document_json(document: Document, reference: str) -> DocumentJson:
    return {
        "id": document.id,
        "title": document.title,
        "filename": document.filename,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        # the copy the public downloads: a PDF without its metadata (the same file otherwise)
        "public_sha256": document.public_sha256 or document.sha256,
        "for_release": document.for_release,
        "uploaded_at": document.uploaded_at.isoformat(),
        "url": f"/api/v1/requests/{reference}/documents/{document.id}",
    }


def parse_flag(value: Any, field: str) -> bool:
    text = str(value if value is not None else "").strip().lower()
    if text in {"true", "1", "yes", "on"}:
        return True
    if text in {"false", "0", "no", "off", ""}:
        return False
    raise InvalidInput(field, "must be true or false")


class PublishIn(Struct):
    summary: str | None = None
    at: datetime | None = None


class UnpublishIn(Struct):
    reason: str


class PublicationIn(Struct):
    fields: dict[str, str | None] = {}  # a field's public wording; null puts the record's own text back
    redact: list[str] = []  # suspicion ids to replace by [redacted]
    accept: list[str] = []  # suspicion ids that are safe to publish


def publication_json(reference: str, state: str, review: PublicReview) -> PublicationJson:
    """The public version as it would be published, for the officer reviewing it (staff only)."""
    return {
        "reference": reference,
        "publication_state": state,
        "fields": {f.field: {"label": f.label, "public": f.public, "edited": f.edited, "editable": f.editable} for f in review.fields},
        "redactions": [{"field": name, "text": finding.text, "reason": finding.reason} for name, finding in review.redactions],
        "suspicions": [{"id": s.id, "field": s.field, "text": s.text, "reason": s.reason} for s in review.unreviewed],
        "reviewed": [
            {"id": s.id, "field": s.field, "text": s.text, "reason": s.reason, "decision": s.decision.value}
            for s in review.suspicions
            if s.decision is not None
        ],
        "ready": not review.blocking(),
    }


class PublishingApi(Controller):
    path = "/api/v1/requests/{reference:str}"
    guards = [requires_officer]
    tags = ["documents and publication"]

    @post("/documents", responses=errors(400, 401, 404, 409, 413, 415, 422, 503, 507))
    async def upload(self, request: Request[Any, Any, Any], uow: Uow, store: Store, reference: FromPath[str]) -> DocumentJson:
        """Multipart upload: `file`, `for_release` (true for the version the public may see), `title`."""
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file", "attach the document as the multipart field 'file'")
        document = await document_service.add_document(
            uow.session,
            store,
            reference,
            chunks=upload_chunks(upload),
            filename=upload.filename,
            title=form.get("title"),
            for_release=parse_flag(form.get("for_release"), "for_release"),
            actor=uow.staff,
            zone=uow.zone,
        )
        return document_json(document, reference.upper())

    @get("/documents", responses=errors(400, 401, 404))
    async def list_documents(self, db: Db, reference: FromPath[str]) -> list[DocumentJson]:
        detail = await request_service.get_request(db, reference, with_history=False)
        return [document_json(d, detail.request.reference) for d in await document_service.list_documents(db, detail.request.id)]

    @get("/documents/{document_id:int}", responses={200: FILE, **errors(400, 401, 404)})
    async def download(
        self, request: Request[Any, Any, Any], db: Db, store: Store, reference: FromPath[str], document_id: FromPath[int]
    ) -> Response[Any]:
        document = await document_service.get_document(db, reference, document_id)
        return file_response(
            request,
            store.path_for(document.sha256),
            content_type=document.content_type,
            filename=document.filename,
            sha256=document.sha256,
            public=False,
        )

    @get("/publication", responses=errors(400, 401, 404))
    async def publication_review(self, db: Db, reference: FromPath[str]) -> PublicationJson:
        """The public version as it would be published: each field's public text, the automatic
        redactions, and the `suspicions` not yet reviewed (publishing is refused while any is left)."""
        inputs = await review_service.inputs_for(db, reference)
        return publication_json(inputs.request.reference, inputs.request.publication_state, inputs.review())

    @post("/publication", status_code=200, responses=errors(400, 401, 404, 409, 422))
    async def review_publication(self, uow: Uow, reference: FromPath[str], data: JSONBody[PublicationIn]) -> PublicationJson:
        """Edits the public wording of fields and decides suspicions (`redact` or `accept` their ids),
        all or nothing; answers as the GET."""
        review = await review_service.update_review(
            uow.session, reference, fields=data.fields, redact=data.redact, accept=data.accept, actor=uow.staff
        )
        inputs = await review_service.inputs_for(uow.session, reference)
        return publication_json(inputs.request.reference, inputs.request.publication_state, review)

    @post("/publish", status_code=200, responses=errors(400, 401, 404, 409, 422))
    async def publish(self, uow: Uow, reference: FromPath[str], data: JSONBody[PublishIn | None] = None) -> RequestJson:
        """Publish now, or `{"at": ISO datetime}` to schedule; `summary` is the public summary."""
        body = data or PublishIn()
        await publication.publish(uow.session, reference, actor=uow.staff, zone=uow.zone, summary=body.summary, at=body.at)
        return request_detail(await request_service.get_request(uow.session, reference))

    @post("/unpublish", status_code=200, responses=errors(400, 401, 404, 409, 422))
    async def unpublish(self, uow: Uow, reference: FromPath[str], data: JSONBody[UnpublishIn]) -> RequestJson:
        await publication.unpublish(uow.session, reference, actor=uow.staff, zone=uow.zone, reason=data.reason)
        return request_detail(await request_service.get_request(uow.session, reference))
