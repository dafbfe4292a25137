"""Request-scoped dependencies: a read session, the unit of work, the settings, the signed-in user."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.models import User
from app.services.files.storage import ContentStore
from app.services.scope import limit_session
from app.services.unit_of_work import UnitOfWork, unit_of_work
from app.web.scope import scope_for


async def provide_db(state: State, request: Request) -> AsyncGenerator[AsyncSession, None]:
    """A read session: for pages and answers that only read, and for the page that answers a refused
    use case (a fresh read, apart from the unit of work that is being rolled back). It never commits.
    It carries the asker's department scope (app/services/scope.py), as the unit of work's does."""
    async with state.read_sessions() as session:
        yield limit_session(session, scope_for(request))


async def provide_uow(state: State, request: Request) -> AsyncGenerator[UnitOfWork, None]:
    """The request's unit of work (a write session, BEGIN IMMEDIATE on SQLite), committed once when
    the handler returns and rolled back when it raises.

    Litestar runs this cleanup after the handler has returned and its response has been built, but
    before anything is sent (docs/stack.md, gotcha 10): a commit that fails raises here, and the
    client gets the error answer (500), never the redirect or page the handler built for success.
    A handler that answers a refused use case with a page of its own raises it (`Refusal`), so that
    this rolls back.
    """
    async with unit_of_work(
        state.write_sessions, zone=state.settings.zone, actor=request.scope.get("user"), after_commit_in_background=True
    ) as uow:
        limit_session(uow.session, scope_for(request))
        yield uow


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_store(state: State) -> ContentStore:
    return state.content_store


def provide_user(request: Request) -> User | None:
    return request.scope.get("user")


DEPENDENCIES: dict[str, Callable[..., Any]] = {
    "db": provide_db,
    "uow": provide_uow,
    "settings": provide_settings,
    "user": provide_user,
    "store": provide_store,
}


# Annotations for handler parameters filled by the dependencies above
Db = NamedDependency[AsyncSession]
Uow = NamedDependency[UnitOfWork]
AppSettings = NamedDependency[Settings]
CurrentUser = NamedDependency[User]
OptionalUser = NamedDependency[User | None]
Store = NamedDependency[ContentStore]
