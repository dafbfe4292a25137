"""Officer pages: import historic requests from CSV: upload, preview the per-row report, confirm.

Between the preview and the confirmation the uploaded file is kept on the server under its
SHA-256 (FOI_STORAGE_DIR/imports), and the confirmation names that hash. So the officer uploads
once, the rows imported are byte for byte the rows previewed (a changed file has another hash
and needs its own preview), and nothing of the file travels back and forth through the browser.
The file is deleted once imported; one nobody confirms is swept away after a day.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import UploadFile
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from app.domain.errors import InvalidInput
from app.domain.imports import COLUMNS, REQUIRED_COLUMNS, RowState
from app.domain.regimes import Regime
from app.services import imports as service
from app.services.errors import Conflict
from app.services.files.storage import StorageFailure, TooLarge
from app.web.api.publishing import upload_chunks
from app.web.auth import requires_officer
from app.web.dependencies import AppSettings, CurrentUser, Db, Uow
from app.web.errors import Refusal
from app.web.pages.forms import form_data

SHOWN_ROWS = 500
COLUMN_HINTS = {
    "reference": "kept if given (FOI-2019-00042); a new one is given otherwise",
    "regime": ", ".join(Regime) + " (the law the request was made under)",
    "received_on": "2024-03-31 or 31/03/2024",
    "title": "a short summary",
    "body": "what was asked",
    "requester_name": "kept private",
    "requester_email": "kept private; optional",
    "requester_address": "kept private; optional; a postal address, on several lines in one quoted cell",
    "department": "a department's slug; optional",
    "status": "new, in_progress, responded, withdrawn or lapsed (responded if there is an outcome)",
    "outcome": "for a responded request: granted_in_full, granted_in_part, refused_in_full, not_held…",
    "responded_on": "the date of the response (or of the withdrawal or lapse)",
    "exemptions": "codes separated by ;, like FOIA-s40;FOIA-s43",
    "response": "the text of the response",
    "posted_on": "a letter's posting date; optional (received_on stays the day it arrived)",
}


class ImportPages(Controller):
    path = "/staff/import"
    guards = [requires_officer]

    def _page(self, user: Any, settings: Any, *, status_code: int = 200, **context: Any) -> Template:
        return Template(
            "staff/imports/import.html",
            context={
                "user": user,
                "columns": [(c, c in REQUIRED_COLUMNS, COLUMN_HINTS[c]) for c in COLUMNS],
                "shown_rows": SHOWN_ROWS,
                "max_upload_mb": settings.max_upload_bytes // (1024 * 1024),
                "RowState": RowState,
                "errors": {},
                **context,
            },
            status_code=status_code,
        )

    @get("/")
    async def form(self, settings: AppSettings, user: CurrentUser) -> Template:
        return self._page(user, settings)

    @post("/")
    async def check(self, request: HTMXRequest, db: Db, settings: AppSettings, user: CurrentUser) -> Template:
        """Keeps the upload by its hash and shows what importing it would do (a dry run)."""
        form = await request.form()
        upload = form.get("file")
        skip_invalid = form.get("skip_invalid") == "true"
        store = service.pending_store(settings.storage_dir, settings.max_upload_bytes)
        try:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput("file", "choose a CSV file to upload")
            sha256 = await service.keep_pending(store, upload_chunks(upload))
            data = service.read_pending(store, sha256)
            # a dry run writes nothing: a read session, no write lock
            report = await service.import_requests(db, data, actor=user, zone=settings.zone, dry_run=True, skip_invalid=skip_invalid)
        except StorageFailure as problem:
            # the store is full or cannot be written: said on the form, for the officer to pass on (logged where it happened)
            message = (
                f"The document store {problem.problem}: the file could not be kept to check it, and nothing was imported. "
                "Tell your system administrator."
            )
            status = 200 if request.htmx else problem.status_code
            return self._page(user, settings, errors={"file": message}, skip_invalid=skip_invalid, status_code=status)
        except (InvalidInput, TooLarge, service.NotCsv) as problem:
            message = problem.message if isinstance(problem, (InvalidInput, service.NotCsv)) else str(problem)
            return self._page(user, settings, errors={"file": message}, skip_invalid=skip_invalid, status_code=200 if request.htmx else 422)
        return self._page(user, settings, report=report, filename=upload.filename, skip_invalid=skip_invalid)

    @post("/confirm")
    async def confirm(self, request: Request[Any, Any, Any], uow: Uow, settings: AppSettings, user: CurrentUser) -> Template:
        values = await form_data(request)
        sha256 = str(values.get("sha256", ""))
        skip_invalid = values.get("skip_invalid") == "true"
        filename = str(values.get("filename", ""))[:200]
        store = service.pending_store(settings.storage_dir, settings.max_upload_bytes)
        try:
            data = service.read_pending(store, sha256)
            report = await service.import_requests(uow.session, data, actor=uow.staff, zone=uow.zone, skip_invalid=skip_invalid)
        except (InvalidInput, Conflict, service.NotCsv) as problem:
            page = self._page(
                user,
                settings,
                errors={"file": getattr(problem, "message", str(problem))},
                status_code=409 if isinstance(problem, Conflict) else 422,
            )
            raise Refusal(page) from problem
        if report.refused:
            # the database changed since the preview (a reference taken meanwhile): show why
            return self._page(user, settings, report=report, filename=filename, skip_invalid=skip_invalid, status_code=422)
        page = self._page(user, settings, report=report, filename=filename, done=True)
        # once the import is committed and answered: a failed commit keeps the file for another try
        page.background = BackgroundTask(service.discard_pending, store, sha256)
        return page
