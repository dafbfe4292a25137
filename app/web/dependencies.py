"""Request-scoped dependencies: a database session, the settings, the signed-in user."""

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

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


async def provide_db(state: State, request: Request) -> AsyncGenerator[AsyncSession, None]:
    """A read session for safe methods, a write session (BEGIN IMMEDIATE on SQLite) otherwise.

    Services commit their own unit of work; anything left open is rolled back on the way out.
    """
    maker = state.read_sessions if request.method in _SAFE_METHODS else state.write_sessions
    async with maker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_store(state: State) -> ContentStore:
    return state.content_store


def provide_user(request: Request) -> User | None:
    return request.scope.get("user")


DEPENDENCIES: dict[str, Callable[..., Any]] = {
    "db": provide_db,
    "settings": provide_settings,
    "user": provide_user,
    "store": provide_store,
}


# Annotations for handler parameters filled by the dependencies above
Db = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
CurrentUser = NamedDependency[User]
OptionalUser = NamedDependency[User | None]
Store = NamedDependency[ContentStore]
