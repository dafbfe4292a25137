"""Which errors mean "the database cannot be reached (or is too busy) just now", answered 503 with
`Retry-After` rather than 500, so people are told to try again and monitoring sees an outage, not a bug.

Only failures of the connection or of the database server's state count: the server refusing or not
answering, a dropped connection, the database missing or not accepting connections, the pool
exhausted, SQLite unable to open, read or write its file, or still locked after its busy timeout.
Everything else a driver raises (a missing table, a syntax error, a constraint) stays a 500: a bug
must never pass for an outage.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType

from sqlalchemy import exc as sa

# SQLite result codes (their names, as Python's sqlite3 gives them; extended codes share the prefix):
# busy or locked past the busy timeout, the file that cannot be opened, read, written or is full
_SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_READONLY", "SQLITE_PERM")
# PostgreSQL SQLSTATE classes and codes: connection exception, bad credentials, database missing,
# insufficient resources (too many connections, disk full), operator intervention (shutdown,
# starting up, cancelled by a timeout), system error (I/O), a lock not obtained in time
_POSTGRES_CLASSES = ("08", "28", "3D", "53", "57", "58")
_POSTGRES_CODES = ("55P03",)
# raised while connecting: "database is not currently accepting connections" (ALLOW_CONNECTIONS false)
_POSTGRES_AT_CONNECT = ("55000",)
_DRIVERS = ("sqlalchemy", "asyncpg", "aiosqlite", "psycopg", "sqlite3")


def database_unavailable(exc: BaseException) -> str | None:
    """A short description of the outage for the log (no statement, no values), or None if `exc`
    (or what it wraps) is not one."""
    for error in _chain(exc):
        if isinstance(error, sa.TimeoutError):
            return "no database connection free in the pool in time"
        if isinstance(error, sa.DisconnectionError):
            return "the database connection was lost"
        if isinstance(error, sa.DBAPIError):
            return _driver_error(error)
        if isinstance(error, OSError) and _raised_by_driver(error.__traceback__):
            # asyncpg's own connect: refused, unreachable, name not found, timed out
            return f"cannot connect to the database server: {type(error).__name__} {error.errno or ''}".rstrip()
    return None


def _driver_error(error: sa.DBAPIError) -> str | None:
    original = error.orig
    name = type(original).__name__ if original is not None else type(error).__name__
    sqlite_code = getattr(original, "sqlite_errorname", None)
    if isinstance(sqlite_code, str):
        return f"SQLite {sqlite_code} ({_first_line(original)})" if sqlite_code.startswith(_SQLITE_UNAVAILABLE) else None
    state = _sqlstate(original)
    if state:
        at_connect = error.statement is None
        if state[:2] in _POSTGRES_CLASSES or state in _POSTGRES_CODES or (at_connect and state in _POSTGRES_AT_CONNECT):
            return f"PostgreSQL {state} ({_first_line(original)})"
        return None
    if error.connection_invalidated:
        return f"the database connection was lost ({name})"
    if isinstance(error, (sa.OperationalError, sa.InterfaceError)) and error.statement is None:
        # a driver's failure to connect that carries no code (psycopg's OperationalError)
        return f"cannot connect to the database ({name})"
    return None


def _sqlstate(original: BaseException | None) -> str:
    for candidate in (original, getattr(original, "__cause__", None), getattr(original, "orig", None)):
        state = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if isinstance(state, str) and state:
            return state
    return ""


def _first_line(original: BaseException | None) -> str:
    # the server's own words about the connection or the database (a name, a host), never a statement's values
    text = str(original).strip().splitlines()[0] if original is not None and str(original).strip() else ""
    return text[:200]


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it was raised from (a repository wraps the driver's error); not what it was raised
    while handling, so that a bug in an `except` block is never taken for the outage it was handling."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending and len(seen) < 20:
        error = pending.pop(0)
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        if isinstance(error, BaseExceptionGroup):
            pending.extend(error.exceptions)
        if error.__cause__ is not None:
            pending.append(error.__cause__)


def _raised_by_driver(traceback: TracebackType | None) -> bool:
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if isinstance(module, str) and module.split(".")[0] in _DRIVERS:
            return True
        traceback = traceback.tb_next
    return False
