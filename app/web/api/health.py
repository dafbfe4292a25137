from __future__ import annotations

from litestar import Response, get
from litestar.datastructures import State
from sqlalchemy import text

from app.web.api.answers import HealthJson, errors


@get("/healthz", tags=["health"], opt={"exclude_from_auth": True}, cache_control=None, responses=errors(503, s503=HealthJson))
async def healthz(state: State) -> Response[HealthJson]:
    try:
        async with state.read_sessions() as db:
            await db.execute(text("SELECT 1"))
    except Exception:
        # the same wait as every other answer while the database is away (app/web/errors.py)
        return Response({"status": "degraded", "database": "unavailable"}, status_code=503, headers={"Retry-After": "60"})
    return Response({"status": "ok", "database": "ok"})
