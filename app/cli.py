"""The `foi` command: serve, migrate, manage users and tokens, load the demo authority."""

from __future__ import annotations

import asyncio
import secrets
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from app.config import Settings
from app.db import create_engine, create_sessionmakers
from app.domain.errors import DomainError

T = TypeVar("T")


def _settings() -> Settings:
    return Settings.from_env()


def _with_session(work: Callable[[Any], Awaitable[T]]) -> T:
    """Runs `work(session)` on a write session of the configured database, then disposes the engine."""

    async def run() -> T:
        engine = create_engine(_settings().database_url)
        try:
            _, write_sessions = create_sessionmakers(engine)
            async with write_sessions() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _require_migrated() -> None:
    """A one-line reason instead of a traceback when the schema is missing or old."""
    from app.migrations import is_at_head

    try:
        at_head, current, head = is_at_head(_settings().database_url)
    except Exception as problem:  # noqa: BLE001  (any failure to reach the database stops here)
        _fail(f"cannot reach the database ({type(problem).__name__}); check FOI_DATABASE_URL")
        return
    if not at_head:
        _fail(f"the database is at migration {current or 'none'}, not {head}: run 'foi db upgrade' first")


def _fail(message: str) -> None:
    click.echo(f"foi: {message}", err=True)
    sys.exit(1)


@click.group()
def main() -> None:
    """Freedom of Information case tracker."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the app (refuses to start on a database that is not at the newest migration)."""
    import uvicorn

    settings = _settings()
    _require_migrated()
    click.echo(f"Serving {settings.authority_name} on http://{host}:{port}")
    uvicorn.run("app.asgi:_app_factory", factory=True, host=host, port=port, workers=workers, log_level="info")


@main.group()
def db() -> None:
    """Database migrations (Alembic) on the configured database."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    from app.migrations import upgrade

    upgrade(_settings().database_url, revision)
    click.echo(f"Database upgraded to {revision}.")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    from app.migrations import downgrade

    downgrade(_settings().database_url, revision)
    click.echo(f"Database downgraded to {revision}.")


@db.command("current")
def db_current() -> None:
    from app.migrations import is_at_head

    at_head, current, head = is_at_head(_settings().database_url)
    click.echo(f"{current or 'none'}{' (head)' if at_head else f' (newest is {head})'}")


@main.group()
def users() -> None:
    """Staff accounts."""


@users.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["officer", "manager", "admin"]), required=True)
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def users_create(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create a user; prints a generated password unless one is given on stdin."""
    from app.services.users import create_user

    _require_migrated()
    password = sys.stdin.readline().rstrip("\n") if password_stdin else secrets.token_urlsafe(12)
    try:
        user = _with_session(lambda session: create_user(session, email=email, name=name, role=role, password=password))
    except DomainError as problem:
        _fail(str(problem))
        return
    click.echo(f"Created {user.role} {user.email}")
    if not password_stdin:
        click.echo(f"Password: {password}")


@main.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--label", default="", help="what the token is for")
def tokens_create(email: str, label: str) -> None:
    """Print a new API token for EMAIL (and nothing else) on stdout."""
    from app.services.users import create_token

    _require_migrated()
    try:
        token = _with_session(lambda session: create_token(session, email, label))
    except DomainError as problem:
        _fail(str(problem))
        return
    click.echo(token)


@main.command("demo-data")
@click.option("--if-empty", is_flag=True, help="do nothing (quietly) if the database already has users")
def demo_data(if_empty: bool) -> None:
    """Load the demo authority into an empty database and print its logins."""
    from app.services.demo import DatabaseNotEmpty, load_demo_authority
    from app.services.files.storage import ContentStore

    _require_migrated()
    settings = _settings()
    try:
        store = ContentStore(settings.storage_dir, settings.max_upload_bytes)
        result = _with_session(lambda session: load_demo_authority(session, settings.zone, store=store))
    except DatabaseNotEmpty:
        if if_empty:
            click.echo("Demo data already loaded (the database has users).")
            _print_logins()
            return
        _fail("the database is not empty: demo data goes into an empty database only")
        return
    click.echo(
        f"Loaded the demo authority: {result.requests} requests ({result.published} published), "
        f"{result.users} users, {result.departments} departments."
    )
    _print_logins()


@main.command()
def optimize() -> None:
    """Merge the search index and refresh the query planner's statistics (nightly, from cron)."""
    import asyncio

    from app.migrations import refresh_statistics
    from app.services.search import optimize_index

    _require_migrated()
    _with_session(optimize_index)
    asyncio.run(refresh_statistics(_settings().database_url))
    click.echo("Search index merged and statistics refreshed.")


def _print_logins() -> None:
    from app.demo.plan import DEMO_USERS

    click.echo("Demo logins (email / password):")
    for user in DEMO_USERS:
        click.echo(f"  {user.role:<8} {user.email} / {user.password}")


if __name__ == "__main__":
    main()
