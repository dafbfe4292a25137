"""Officer pages for a request's documents and its place in the public disclosure log."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from app.domain.dates import parse_local_datetime
from app.domain.errors import InvalidInput
from app.domain.publication import PublicationState
from app.domain.publication_review import PublicReview
from app.models import Document
from app.services import documents as document_service
from app.services import publication
from app.services import publication_review as review_service
from app.services.errors import Conflict
from app.services.files.storage import StorageFailure, TooLarge
from app.services.files.types import RefusedType
from app.web.api.publishing import upload_chunks
from app.web.auth import requires_officer
from app.web.dependencies import CurrentUser, Db, Store, Uow
from app.web.errors import Refusal
from app.web.pages.forms import PUBLISH_AT, date_value, form_data


def _public_name(document: Document) -> str:
    """When a released document is already public under other words, the officer is told which."""
    public = (document.public_title, document.public_filename)
    if document.for_release and document.public_title and public != (document.title, document.filename):
        return f". On the disclosure log it is '{document.public_title}' ({document.public_filename})."
    return ""


def _back(reference: str, message: str, anchor: str = "") -> Redirect:
    return Redirect(f"/staff/requests/{reference.upper()}?done={quote_plus(message)}{anchor}", status_code=303)


class PublishingPages(Controller):
    path = "/staff/requests/{reference:str}"
    guards = [requires_officer]

    @post("/documents")
    async def upload(self, request: HTMXRequest, uow: Uow, store: Store, reference: FromPath[str]) -> Response[Any]:
        form = await request.form()
        upload = form.get("file")
        try:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput("file", "choose a file to upload")
            document = await document_service.add_document(
                uow.session,
                store,
                reference,
                chunks=upload_chunks(upload),
                filename=upload.filename,
                title=form.get("title"),
                for_release=form.get("for_release") == "true",
                actor=uow.staff,
                zone=uow.zone,
            )
        except StorageFailure as problem:
            # the store is full or cannot be written: said as it is, for the officer to pass on
            raise Refusal(self._document_error(request, reference, str(problem))) from problem
        except (InvalidInput, TooLarge, RefusedType, Conflict) as problem:
            message = f"The document was not added: {problem.message if isinstance(problem, InvalidInput) else problem}."
            raise Refusal(self._document_error(request, reference, message)) from problem
        done = f"Document added: {document.title}{_public_name(document)}"
        if request.htmx:
            # the progress bar has done its job: load the page afresh, with the new document listed
            target = f"/staff/requests/{reference.upper()}?done={quote_plus(done)}#documents"
            return Response(b"", status_code=200, media_type="text/plain", headers={"HX-Redirect": target})
        return _back(reference, done, "#documents")

    def _document_error(self, request: HTMXRequest, reference: str, message: str) -> Response[Any]:
        if request.htmx:
            # shown above the upload form; htmx swaps only 2xx answers by default
            return Template("staff/requests/_upload_error.html", context={"message": message}, status_code=200)
        return Redirect(f"/staff/requests/{reference.upper()}?problem={quote_plus(message)}#documents", status_code=303)

    @post("/documents/{document_id:int}/release")
    async def release(self, request: Request[Any, Any, Any], uow: Uow, reference: FromPath[str], document_id: FromPath[int]) -> Redirect:
        values = await form_data(request)
        release = values.get("for_release") == "true"
        try:
            document = await document_service.set_for_release(uow.session, reference, document_id, release, actor=uow.staff, zone=uow.zone)
        except Conflict as problem:
            back = Redirect(f"/staff/requests/{reference.upper()}?problem={quote_plus(str(problem))}#documents", status_code=303)
            raise Refusal(back) from problem
        state = "will be released" if release else "is now internal only"
        return _back(reference, f"{document.title} {state}{_public_name(document) or '.'}", "#documents")

    @get("/publish")
    async def preview(self, db: Db, user: CurrentUser, reference: FromPath[str], done: FromQuery[str | None] = None) -> Template:
        return await self._review_page(db, user, reference, notice=done)

    async def _review_page(
        self,
        db: Db,
        user: CurrentUser,
        reference: str,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        notice: str | None = None,
        htmx: bool = False,
    ) -> Template:
        version = await publication.preview(db, reference)
        return Template(
            "staff/requests/publish.html",
            context={
                "reference": reference.upper(),
                "version": version,
                "review": version.review,
                "values": values or {},
                "errors": errors or {},
                "notice": notice,
                "user": user,
            },
            # htmx swaps only 2xx answers: a refused save it sent is shown with 200
            status_code=422 if errors and not htmx else 200,
        )

    @post("/publication")
    async def review(self, request: HTMXRequest, db: Db, uow: Uow, user: CurrentUser, reference: FromPath[str]) -> Template | Redirect:
        """Saves the officer's public wording and decisions (the whole form, or one change with htmx)."""
        values = await form_data(request)
        fields = {name.removeprefix("field:"): text for name, text in values.items() if name.startswith("field:") and isinstance(text, str)}
        decisions = {name.removeprefix("decision:"): value for name, value in values.items() if name.startswith("decision:")}
        try:
            current = (await review_service.inputs_for(uow.session, reference)).review()
            decisions = self._changed_decisions(current, decisions)
            review = await review_service.update_review(
                uow.session,
                reference,
                actor=uow.staff,
                fields=self._changed_fields(current, fields),
                redact=[key for key, value in decisions.items() if value == "redact"],
                accept=[key for key, value in decisions.items() if value == "accept"],
            )
        except (InvalidInput, Conflict) as problem:
            field_name = getattr(problem, "field", "review")
            page = await self._review_page(
                db,
                user,
                reference,
                values=values,
                errors={field_name: getattr(problem, "message", str(problem))},
                htmx=bool(request.htmx),
            )
            raise Refusal(page) from problem
        left = len(review.unreviewed)
        notice = "Review saved. " + (f"{left} item{'s' if left != 1 else ''} left to review." if left else "Nothing is left to review.")
        if request.htmx:
            # read through the unit of work: the review just saved is not committed yet
            return await self._review_page(uow.session, user, reference, notice=notice)
        return Redirect(f"/staff/requests/{reference.upper()}/publish?done={quote_plus(notice)}#review", status_code=303)

    @staticmethod
    def _changed_decisions(current: PublicReview, decisions: dict[str, Any]) -> dict[str, Any]:
        """Only the choices the officer changed: the form sends every radio back, and one on words
        reworded away since (on this page or another) has nothing left to decide."""
        shown = {s.id: s.decision for s in current.suspicions}
        return {key: value for key, value in decisions.items() if key in shown and shown[key] != value}

    @staticmethod
    def _changed_fields(current: PublicReview, fields: dict[str, str]) -> dict[str, str | None]:
        """Only the fields whose wording the officer changed: a textarea sent back as it was shown
        is not an edit, and one emptied of an optional text puts the record's own text back."""
        changed: dict[str, str | None] = {}
        for name, text in fields.items():
            shown = current.field(name)
            if shown is None or text.strip() != shown.source.replace("\r\n", "\n").strip():
                # an emptied title is refused by the service; any other emptied field is the record's own text again
                changed[name] = text if text.strip() or name == "title" else None
        return changed

    @post("/publish")
    async def publish(self, request: Request[Any, Any, Any], db: Db, uow: Uow, user: CurrentUser, reference: FromPath[str]) -> Redirect:
        values = await form_data(request)
        at = None
        try:
            if values.get("when") == "later":
                at = parse_local_datetime(
                    date_value(values, PUBLISH_AT),
                    "at",
                    uow.zone,
                    required=True,
                    missing="Enter the date and time to publish, like 2026-12-01 09:00",
                )
            published = await publication.publish(uow.session, reference, actor=uow.staff, zone=uow.zone, at=at)
        except (InvalidInput, Conflict) as problem:
            errors = {getattr(problem, "field", "publish"): getattr(problem, "message", str(problem))}
            raise Refusal(await self._review_page(db, user, reference, values=values, errors=errors)) from problem
        if published.publication_state == PublicationState.SCHEDULED:
            return _back(reference, f"Publication scheduled for {at:%-d %B %Y at %H:%M}.", "#publication")
        return _back(reference, "Published to the disclosure log.", "#publication")

    @post("/unpublish")
    async def unpublish(self, request: Request[Any, Any, Any], uow: Uow, reference: FromPath[str]) -> Redirect:
        values = await form_data(request)
        try:
            await publication.unpublish(uow.session, reference, actor=uow.staff, zone=uow.zone, reason=values.get("reason", ""))
        except (InvalidInput, Conflict) as problem:
            back = Redirect(f"/staff/requests/{reference.upper()}?problem={quote_plus(str(problem))}#publication", status_code=303)
            raise Refusal(back) from problem
        return _back(reference, "Withdrawn from the disclosure log.", "#publication")
