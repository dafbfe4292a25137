"""Staff API: import historic requests from a CSV file (multipart), or check it first (dry_run)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.datastructures import UploadFile

from app.domain.errors import InvalidInput
from app.domain.imports import RowResult
from app.services.files.storage import TooLarge
from app.services.imports import ImportReport, import_requests
from app.web.api.answers import ErrorJson, ImportRefusedJson, ImportReportJson, ImportRowJson, errors
from app.web.api.publishing import parse_flag
from app.web.auth import requires_officer
from app.web.dependencies import AppSettings, Db, Uow

CHUNK = 64 * 1024


async def read_upload(upload: UploadFile, limit: int) -> bytes:
    """The whole upload, refused (413) as soon as it passes the size limit."""
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data += chunk
        if len(data) > limit:
            raise TooLarge(limit)
    return bytes(data)


def row_json(row: RowResult) -> ImportRowJson:
    item: ImportRowJson = {"line": row.line, "status": row.state.value}
    if row.file_line and row.file_line != row.line:
        item["file_line"] = row.file_line
    if row.reference:
        item["reference"] = row.reference
    if row.errors:
        item["errors"] = [{"column": error.column, "reason": error.reason} for error in row.errors]
    if row.same_as_line:
        item["same_as_line"] = row.same_as_line
    return item


def report_json(report: ImportReport) -> ImportReportJson:
    return {
        "dry_run": report.dry_run,
        "skip_invalid": report.skip_invalid,
        "refused": report.refused,
        "imported": report.imported,
        "summary": report.summary,
        "counts": report.counts,
        "sha256": report.sha256,
        "rows": [row_json(row) for row in report.rows],
    }


class ImportsApi(Controller):
    path = "/api/v1/imports"
    guards = [requires_officer]
    tags = ["imports"]

    @post("/", status_code=200, responses=errors(400, 401, 413, 415, 422, s422=ImportRefusedJson | ErrorJson))
    async def import_file(self, request: Request[Any, Any, Any], db: Db, uow: Uow, settings: AppSettings) -> Response[ImportReportJson]:
        """Multipart: `file` (CSV, UTF-8, header row), `dry_run` (true: check and report only),
        `skip_invalid` (true: import the valid rows and report the others). Answers the per-row
        report; 422 with the same report when invalid rows stop the import."""
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file", "attach the CSV file as the multipart field 'file'")
        dry_run = parse_flag(form.get("dry_run"), "dry_run")
        skip_invalid = parse_flag(form.get("skip_invalid"), "skip_invalid")
        data = await read_upload(upload, settings.max_upload_bytes)
        # a dry run writes nothing: the read session, no write lock; a file not CSV at all is a 415 (NotCsv)
        session = db if dry_run else uow.session
        report = await import_requests(session, data, actor=uow.staff, zone=uow.zone, dry_run=dry_run, skip_invalid=skip_invalid)
        body = report_json(report)
        if report.refused and not dry_run:
            first = report.invalid[0]
            detail = f"{len(report.invalid)} invalid row{'s' if len(report.invalid) != 1 else ''}: nothing was imported (first: {first.where}: {first.message})"
            refused: ImportRefusedJson = {"status_code": 422, "detail": detail, "field": "file", **body}
            return Response(refused, status_code=422)
        return Response(body, status_code=200)
