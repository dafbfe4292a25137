"""Department scope in the web layer: the scope of whoever is asking, left on the sessions the
request's handlers read and write through (the rule itself is `app.services.scope`), and the guard
that answers 404 for any staff page or API route naming a request out of the asker's scope."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from app.services.scope import Scope, limit_session, request_in_scope

# the staff side: a request named in the path of anything else (the public disclosure log) is public
_STAFF_PATHS = ("/staff/", "/api/")
_PUBLIC_PATHS = ("/api/v1/disclosures",)


def scope_for(connection: ASGIConnection[Any, Any, Any, Any]) -> Scope:
    """The scope of the signed-in member of staff (everything for the public and when the setting is off)."""
    return Scope.of(connection.scope.get("user"), department_scope=connection.app.state.settings.department_scope)


async def requests_in_scope(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Every route with a `{reference}` in its path (the request's page, its edit, documents,
    correspondence and publication pages, the API's get, PATCH, actions, documents...) answers 404
    for a request out of the officer's department, as for one that does not exist: in one place, so
    a route added later is covered too."""
    reference = connection.path_params.get("reference")
    path = connection.url.path
    if reference is None or not path.startswith(_STAFF_PATHS) or path.startswith(_PUBLIC_PATHS):
        return
    scope = scope_for(connection)
    if not scope.limited:
        return
    async with connection.app.state.read_sessions() as db:
        await request_in_scope(limit_session(db, scope), str(reference))
