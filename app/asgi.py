"""The one composition root: create_app(settings) wires the database, sessions, security and routes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
import logging
import uuid
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from datetime import date

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import PROJECT_ROOT, Settings
from app.db import WRITE_OPTION, create_engine, create_sessionmakers
from app.models import StoreItem
from app.public_changes import public_changes_for
from app.services.clock import today_in
from app.services.files.storage import ContentStore, describe_limit
from app.services.scheduled import run_periodically
from app.services.users import SESSION_NAMESPACE
from app.web import template_helpers
from app.web.api.batches import BatchesApi
from app.web.api.bulk import BulkApi
from app.web.api.calendar import CalendarApi
from app.web.api.deadlines import calculate_deadline
from app.web.api.departments import DepartmentsApi
from app.web.api.disclosures import DisclosuresApi
from app.web.api.health import healthz
from app.web.api.imports import ImportsApi
from app.web.api.publishing import PublishingApi
from app.web.api.reports import ReportsApi
from app.web.api.requests import RequestsApi
from app.web.api.tokens import TokensApi
from app.web.auth import AuthenticationMiddleware
from app.web.confirmations import SignedConfirmations
from app.web.dependencies import DEPENDENCIES
from app.web.errors import EXCEPTION_HANDLERS
from app.web.input_bounds import BoundedRequest, InputBounds, document_refusals
from app.web.pages.account import AccountPages
from app.web.pages.admin import AdminPages, CalendarPages
from app.web.pages.auth import AuthPages
from app.web.pages.batches import BatchPages, PublicBatchPages
from app.web.pages.bulk import BulkPages
from app.web.pages.calculator import deadline_calculator
from app.web.pages.correspondence import AttentionPages, CorrespondencePages
from app.web.pages.home import HomePages
from app.web.pages.imports import ImportPages
from app.web.pages.legal_hold import LegalHoldPages
from app.web.pages.notice_templates import NoticeTemplatePages
from app.web.pages.outbox import OutboxPages
from app.web.pages.public import STATEMENT_PREPARED, PublicPages
from app.web.pages.publishing import PublishingPages
from app.web.pages.reports import DashboardPages, ReportPages
from app.web.pages.request_details import RequestDetailsPages
from app.web.pages.request_form import RequestFormPages
from app.web.pages.requests import RequestPages
from app.web.pages.sign_in_code import SignInCodePages
from app.web.public_cache import PublicPageCache
from app.web.request_body import DrainBeforeAnswering
from app.web.response_headers import PUBLIC_PATHS, ResponseHeadersMiddleware
from app.web.scope import requests_in_scope
from app.web.sessions import SessionStore, SignedInOnlySessionConfig
from app.web.transport import around_app

HTMX_FILE = "vendor/htmx-2.0.11.min.js"
HTMX_INTEGRITY = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"
logger = logging.getLogger("app")


def _store_config(engine: AsyncEngine) -> SQLAlchemyAsyncConfig:
    """The configuration a session store reads and writes through. advanced-alchemy records every
    configuration's keys for the whole process and makes a repeated key unique by counting up through
    the ones taken, one call deeper each: a process that builds many apps (the tests build thousands)
    would run out of stack. Keys of its own for each avoid the count."""
    unique = uuid.uuid4().hex
    return SQLAlchemyAsyncConfig(
        engine_instance=engine,
        create_all=False,
        session_scope_key=f"foi_store_session_{unique}",
        engine_app_state_key=f"foi_store_engine_{unique}",
        session_maker_app_state_key=f"foi_store_sessionmaker_{unique}",
    )


def accessibility_warnings(settings: Settings) -> list[str]:
    """What the accessibility statement lacks from the settings, as each process says at start-up."""
    warnings = []
    if not (settings.accessibility.contact or settings.correspondence.request_email):
        by_post = " and the postal address (FOI_POSTAL_ADDRESS)" if settings.correspondence.postal_lines else ""
        warnings.append(
            "the accessibility statement (/accessibility) gives no e-mail address or telephone number for asking for "
            f"another format or reporting a problem, only the online request form (/request){by_post}: set "
            "FOI_ACCESSIBILITY_CONTACT (or FOI_REQUEST_EMAIL)"
        )
    if settings.accessibility.reviewed and date.fromisoformat(settings.accessibility.reviewed) < STATEMENT_PREPARED:
        warnings.append(
            f"FOI_ACCESSIBILITY_REVIEWED ({_long_date(date.fromisoformat(settings.accessibility.reviewed))}) is before this version's "
            f"accessibility statement was prepared ({_long_date(STATEMENT_PREPARED)}), so the statement gives that date as its "
            "last review: review /accessibility and set the date you did"
        )
    return warnings


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    engine = create_engine(settings.database_url, existing_file=True, pool_size=settings.db_pool_size)
    read_sessions, write_sessions = create_sessionmakers(engine)
    public_changes = public_changes_for(engine)
    writing_alchemy = _store_config(engine.execution_options(**{WRITE_OPTION: True}))

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        # scheduled publication, every minute in each process (FOI_SCHEDULER=off leaves it to cron: foi publish-due)
        scheduler = (
            asyncio.create_task(run_periodically(read_sessions, write_sessions, settings.zone, settings=settings))
            if settings.scheduler
            else None
        )
        # What start-up loaded (modules, templates, the calendars) lives as long as the process: keep it
        # out of the collector's full passes, which otherwise add tens of milliseconds to a large page.
        gc.collect()
        gc.freeze()
        for warning in accessibility_warnings(settings):
            logger.warning(warning)
        await public_changes.start()
        try:
            yield
        finally:
            await public_changes.stop()
            if scheduler is not None:
                scheduler.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await scheduler
            await engine.dispose()

    def configure_templates(jinja: JinjaTemplateEngine) -> None:
        environment = jinja.engine
        environment.globals.update(
            authority_name=settings.authority_name,
            htmx_src=f"/static/{HTMX_FILE}",
            htmx_integrity=HTMX_INTEGRITY,
            today=lambda: today_in(settings.zone),
            # app.js refuses a file over the limit before sending it, naming the limit (FOI_MAX_UPLOAD_MB)
            max_upload_bytes=settings.max_upload_bytes,
            max_upload_words=describe_limit(settings.max_upload_bytes),
        )
        template_helpers.register(environment, settings.zone)

    session_config = SignedInOnlySessionConfig(
        store="sessions",
        max_age=settings.session_max_age_seconds,
        samesite="lax",
        httponly=True,
        # Secure with an https:// FOI_BASE_URL, or FOI_SECURE_COOKIES=on
        secure=settings.cookies_secure,
        # a page view reads the session (read_store, no write lock); its expiry is pushed back when it is
        # stored, at most every few minutes for an unchanged one (app/web/sessions.py)
        read_store="sessions-read",
        # the public side never needs a session: no lookups there at all
        exclude=["^/static/", *PUBLIC_PATHS],
    )

    # the HTML pages are for people: /schema/openapi.json describes the JSON API only (docs/contract.md)
    pages = Router(
        path="/",
        include_in_schema=False,
        route_handlers=[
            HomePages,
            PublicPages,
            PublicBatchPages,
            RequestFormPages,
            AuthPages,
            SignInCodePages,
            AccountPages,
            RequestPages,
            CorrespondencePages,
            AttentionPages,
            RequestDetailsPages,
            LegalHoldPages,
            PublishingPages,
            BulkPages,
            ImportPages,
            BatchPages,
            AdminPages,
            CalendarPages,
            DashboardPages,
            ReportPages,
            OutboxPages,
            NoticeTemplatePages,
            deadline_calculator,
        ],
    )
    app = Litestar(
        route_handlers=[
            healthz,
            pages,
            RequestsApi,
            BulkApi,
            BatchesApi,
            ImportsApi,
            DepartmentsApi,
            CalendarApi,
            PublishingApi,
            DisclosuresApi,
            ReportsApi,
            TokensApi,
            calculate_deadline,
            create_static_files_router(path="/static", directories=[PROJECT_ROOT / "static"], cache_control=None),
        ],
        # department scope: a staff route naming a request out of the officer's department is a 404
        guards=[requests_in_scope],
        dependencies={
            key: Provide(provider) if inspect.isasyncgenfunction(provider) else Provide(provider, sync_to_thread=False)
            for key, provider in DEPENDENCIES.items()
        },
        middleware=[
            session_config.middleware,
            DefineMiddleware(AuthenticationMiddleware, exclude=["^/static/", "^/healthz$", "^/schema"]),
            InputBounds,
        ],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_samesite="lax",
            cookie_secure=settings.cookies_secure,
            # public pages set no cookie; the API takes Bearer tokens or a SameSite=Lax cookie with JSON
            exclude=["^/api/", "^/static/", *PUBLIC_PATHS],
        ),
        stores={
            # storing a session (a sign-in, a change, a renewal every few minutes) is a write transaction from
            # its start, so that a writer committing in between makes it wait, not fail with "database is
            # locked"; a page view only reads it, through "sessions-read" (app/web/sessions.py)
            "sessions": SessionStore(writing_alchemy, model=StoreItem, namespace=SESSION_NAMESPACE),
            "sessions-read": SQLAlchemyStore(_store_config(engine), model=StoreItem, namespace=SESSION_NAMESPACE),
        },
        template_config=TemplateConfig(
            directory=PROJECT_ROOT / "templates", engine=JinjaTemplateEngine, engine_callback=configure_templates
        ),
        plugins=[HTMXPlugin()],
        request_class=BoundedRequest,  # htmx's request, refusing JSON nested too deep (app/web/input_bounds.py)
        openapi_config=OpenAPIConfig(
            title=f"{settings.authority_name} FOI tracker API",
            version="1",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
        ),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=[lifespan],
        debug=settings.debug,
        # uploads stream through the multipart parser: leave room for the form around the file
        request_max_body_size=settings.max_upload_bytes + 1024 * 1024,
    )
    # outermost, around Litestar's own exception handling: answers made there (a path or method that
    # does not exist, an error raised by a middleware: 401, 404, 405, 413, 429) get the headers too
    app.asgi_handler = ResponseHeadersMiddleware(app.asgi_handler, public_paths=(*PUBLIC_PATHS, "^/static/"))
    document_refusals(app)  # /schema/openapi.json lists what the input bounds refuse
    # the client's address behind FOI_TRUSTED_PROXIES, and HSTS with Secure cookies (app/web/transport.py)
    app.asgi_handler = around_app(app.asgi_handler, settings)
    # an answer given before the body was read (a 413) waits for the rest of it, so that a client sending
    # its whole body first reads the answer instead of a connection reset (app/web/request_body.py)
    app.asgi_handler = DrainBeforeAnswering(app.asgi_handler, bound=max(4 * settings.max_upload_bytes, 256 * 1024 * 1024))
    # a confirmation in a redirect's address is shown only if this app signed it (app/web/confirmations.py)
    app.asgi_handler = SignedConfirmations(app.asgi_handler, settings.secret_key)
    # public pages kept in memory until the database says something public changed (docs/performance.md)
    app.state.public_changes = public_changes
    app.state.public_cache = app.asgi_handler = PublicPageCache(
        app.asgi_handler,
        changes=public_changes,
        public_paths=PUBLIC_PATHS,
        # the calculator follows the calendar and today's date; downloads stream; the health check must ask
        excluded_paths=("^/deadline-calculator", "^/api/v1/deadlines", "^/healthz$", "^/disclosures/[^/]+/documents/"),
        max_bytes=settings.public_cache_bytes,
        today=lambda: today_in(settings.zone),
    )
    app.state.settings = settings
    app.state.session_config = session_config  # an error page under /staff reads who is signed in (app/web/errors.py)
    app.state.engine = engine
    app.state.read_sessions = read_sessions
    app.state.write_sessions = write_sessions
    app.state.content_store = ContentStore(settings.storage_dir, settings.max_upload_bytes)
    return app


def _app_factory() -> Litestar:
    return create_app()
