"""The `foi` command: serve, migrate, manage users and tokens, load the demo authority."""

from __future__ import annotations

import asyncio
import secrets
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from app.config import Settings
from app.db import create_engine, create_sessionmakers
from app.domain.dates import spoken_date
from app.domain.errors import DomainError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from app.services.unit_of_work import UnitOfWork

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ValueError as problem:  # a setting's name and what is wrong with it
        raise click.ClickException(str(problem)) from None


def _with_write_sessions(work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    """Runs `work(write_sessions)` on the configured database, then disposes the engine (for a command
    that opens its own units of work: one per release, or one each side of sending mail)."""

    async def run() -> T:
        engine = create_engine(_settings().database_url)
        try:
            _, write_sessions = create_sessionmakers(engine)
            return await work(write_sessions)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _in_unit_of_work(work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Runs `work(uow)` in one unit of work on the configured database: committed once when it
    succeeds, rolled back (nothing kept) when it raises."""

    from app.services.unit_of_work import unit_of_work

    async def run(write_sessions: async_sessionmaker[AsyncSession]) -> T:
        async with unit_of_work(write_sessions, zone=_settings().zone) as uow:
            return await work(uow)

    return _with_write_sessions(run)


def _require_migrated() -> None:
    """A one-line reason instead of a traceback when the schema is missing or old."""
    from app.migrations import is_at_head

    try:
        at_head, current, head = is_at_head(_settings().database_url)
    except Exception as problem:
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
    """Serve the app (refuses to start on a database that is not at the newest migration). Without
    FOI_BASE_URL, the links it writes start with the address it serves (http://HOST:PORT; a wildcard host
    as 127.0.0.1)."""
    import os

    import uvicorn

    from app.config import served_base_url

    if not os.environ.get("FOI_BASE_URL", "").strip():
        # links the app writes (the feed, e-mails) name the address it is served on; every worker reads it
        os.environ["FOI_BASE_URL"] = served_base_url(host, port)
    settings = _settings()
    _require_migrated()
    click.echo(f"Serving {settings.authority_name} on http://{host}:{port} (links start with {settings.mail.base_url})")
    from app.access_log import log_config

    uvicorn.run(
        "app.asgi:_app_factory",
        factory=True,
        # the app reads X-Forwarded-For itself, from FOI_TRUSTED_PROXIES only (app/web/transport.py)
        proxy_headers=False,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=log_config(),
    )


@main.group()
def db() -> None:
    """Database migrations (Alembic) on the configured database."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    from app.migrations import upgrade

    upgrade(_settings().database_url, revision)
    click.echo(f"Database upgraded to {revision}.")
    if revision == "head":
        _recompute_after_package_change()


def _recompute_after_package_change() -> None:
    """After an upgrade of the pinned `holidays` package, the open due dates computed on the old
    calendar are worked out again (each one that moves gets a history event)."""
    from app.services.calendar import recompute_after_package_change

    async def work(uow: UnitOfWork) -> Any:
        return await recompute_after_package_change(uow.session, zone=uow.zone)

    report = _in_unit_of_work(work)
    if report is not None:
        click.echo(
            f"The bank holiday calendar changed ({', '.join(report.calendar_versions)}): "
            f"{report.checked} open requests checked, {report.moved} due dates moved."
        )


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
@click.option("--department", default=None, help="the slug of the department they work for (department scope)")
def users_create(email: str, name: str, role: str, password_stdin: bool, department: str | None) -> None:
    """Create a user; prints a generated password unless one is given on stdin."""
    from app.services.users import create_user

    _require_migrated()
    password = sys.stdin.readline().rstrip("\n") if password_stdin else secrets.token_urlsafe(12)
    try:
        user = _in_unit_of_work(
            lambda uow: create_user(uow.session, email=email, name=name, role=role, password=password, department=department)
        )
    except DomainError as problem:
        _fail(str(problem))
        return
    click.echo(f"Created {user.role} {user.email}")
    if not password_stdin:
        click.echo(f"Password: {password}")


@users.command("set-department")
@click.argument("email")
@click.argument("department", required=False, default="")
def users_set_department(email: str, department: str) -> None:
    """Put EMAIL in DEPARTMENT (a department's slug), or in none when it is left out. With
    FOI_DEPARTMENT_SCOPE on, an officer sees their department's requests only."""
    from app.services.users import get_user_by_email, set_department

    _require_migrated()

    async def work(uow: UnitOfWork) -> Any:
        user = await get_user_by_email(uow.session, email)
        return await set_department(uow.session, user.id, department)

    try:
        _in_unit_of_work(work)
    except DomainError as problem:
        _fail(str(problem))
        return
    click.echo(f"{email.strip().lower()} is now in {f'department {department.strip()}' if department.strip() else 'no department'}")


@users.command("reset-2fa")
@click.argument("email")
def users_reset_two_factor(email: str) -> None:
    """Turn off EMAIL's two-factor authentication (a lost phone and no recovery codes) and end every
    session of theirs; they sign in with their password and set it up again. Recorded as done by the
    foi command."""
    from app.services.two_factor import reset_by_email

    _require_migrated()
    try:
        user = _in_unit_of_work(lambda uow: reset_by_email(uow.session, email, by=None, now=uow.now))
    except DomainError as problem:
        _fail(str(problem))
        return
    click.echo(
        f"Two-factor authentication reset for {user.email}: they are signed out everywhere, sign in with their password and can set it up again."
    )


@main.group()
def tokens() -> None:
    """API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--label", required=True, help="its name: what the token is for (shown in lists)")
@click.option("--days", type=int, default=None, help="how many days it lasts (default and most: FOI_TOKEN_LIFETIME_DAYS, 90)")
def tokens_create(email: str, label: str, days: int | None) -> None:
    """Print a new API token for EMAIL (and nothing else) on stdout."""
    from app.services.users import create_token

    settings = _settings()
    _require_migrated()
    try:
        token = _in_unit_of_work(lambda uow: create_token(uow.session, email, label, days=days, lifetime_days=settings.token_lifetime_days))
    except DomainError as problem:
        _fail(str(problem))
        return
    click.echo(token)


@tokens.command("list")
@click.argument("email", required=False)
def tokens_list(email: str | None) -> None:
    """List API tokens (everyone's, or EMAIL's): id, state, created, last used, expires, whose, name.
    The tokens themselves are never shown again."""
    from app.services.users import get_user_by_email, list_tokens

    _require_migrated()

    async def work(uow: UnitOfWork) -> list[Any]:
        user_id = (await get_user_by_email(uow.session, email)).id if email else None
        return await list_tokens(uow.session, user_id=user_id)

    try:
        found = _in_unit_of_work(work)
    except DomainError as problem:
        _fail(str(problem))
        return
    if not found:
        click.echo("No API tokens.")
        return
    click.echo("ID\tSTATE\tCREATED\tLAST USED\tEXPIRES\tWHOSE\tNAME")
    for token in found:
        when = [f"{moment:%Y-%m-%d %H:%M}" if moment else "never" for moment in (token.created_at, token.last_used_at, token.expires_at)]
        click.echo("\t".join([str(token.id), token.state.value, *when, token.owner_email, token.label]))


@tokens.command("revoke")
@click.argument("token_id", type=int)
def tokens_revoke(token_id: int) -> None:
    """Revoke the API token TOKEN_ID (from 'foi tokens list'): it stops working at once."""
    from app.services.users import revoke_token

    _require_migrated()
    try:
        token = _in_unit_of_work(lambda uow: revoke_token(uow.session, token_id, by=None))
    except DomainError as problem:
        _fail(str(problem))
        return
    click.echo(f"Revoked token {token.id} ('{token.label}').")


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
        result = _in_unit_of_work(lambda uow: load_demo_authority(uow.session, settings.zone, store=store))
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
    _in_unit_of_work(lambda uow: optimize_index(uow.session))
    asyncio.run(refresh_statistics(_settings().database_url))
    click.echo("Search index merged and statistics refreshed.")


@main.command("purge-expired")
def purge_expired_command() -> None:
    """Delete ended sessions and finished sign-in counters (the web app does it every minute itself;
    for cron where FOI_SCHEDULER=off)."""
    from app.services.sign_in_throttle import purge_expired

    _require_migrated()
    purged = _in_unit_of_work(lambda uow: purge_expired(uow.session, uow.now))
    click.echo(
        f"Deleted {purged.sessions} ended session{'' if purged.sessions == 1 else 's'} and "
        f"{purged.counters} finished sign-in counter{'' if purged.counters == 1 else 's'}."
    )


@main.group("import")
def import_() -> None:
    """Bring in historic data."""


@import_.command("requests")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--dry-run", is_flag=True, help="check every row and report, write nothing")
@click.option("--skip-invalid", is_flag=True, help="import the valid rows and report the invalid ones as skipped")
@click.option("--by", "by_email", default=None, help="the member of staff recorded as having imported (an email)")
@click.option("--verbose", "-v", is_flag=True, help="list every row, not only the ones that were not imported")
def import_requests_command(file: str, dry_run: bool, skip_invalid: bool, by_email: str | None, verbose: bool) -> None:
    """Import historic requests from a CSV file (UTF-8, header row; columns in docs/contract.md).

    Nothing is imported unless every row is valid (or --skip-invalid). Importing the same file
    again imports nothing. The report goes to stdout, the progress bar to stderr.
    """
    from pathlib import Path

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from sqlalchemy import select

    from app.domain.imports import RowState
    from app.models import User
    from app.services.imports import import_requests

    _require_migrated()
    settings = _settings()
    data = Path(file).read_bytes()
    labels = {"checking": "Checking rows", "writing": "Writing requests"}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        async def work(uow: UnitOfWork) -> Any:
            session = uow.session
            actor = None
            if by_email:
                actor = await session.scalar(select(User).where(User.email == by_email.strip().lower(), User.is_active.is_(True)))
                if actor is None:
                    raise DomainError(f"--by: no active member of staff with the email {by_email}")
            return await import_requests(
                session,
                data,
                actor=actor,
                zone=settings.zone,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                progress=progress,
            )

        try:
            report = _in_unit_of_work(work)
        except DomainError as problem:
            bar.stop()
            _fail(str(problem))
            return
    # every invalid and repeated row; rows imported earlier one by one only when few (or --verbose)
    already = [row for row in report.rows if row.state is RowState.ALREADY_IMPORTED]
    shown = {RowState.INVALID, RowState.DUPLICATE} | ({RowState.ALREADY_IMPORTED} if len(already) <= 20 else set())
    for row in report.rows:
        if verbose or row.state in shown:
            label = "skipped, " if row.state is RowState.INVALID and skip_invalid else ""
            if row.state is RowState.READY:
                message = f"would be imported{f' as {row.reference}' if row.reference else ''}"
            else:
                message = row.message
            click.echo(f"{row.where}: {label}{message}")
    if len(already) > 20 and not verbose:
        click.echo(f"{len(already):,} rows were already imported (--verbose lists them with their references).")
    if len(report.invalid) > 10:
        click.echo("Most common problems:")
        for common, count in report.common_problems():
            click.echo(f"  {common} ({count:,} rows)")
    click.echo(("Dry run: " if dry_run else "") + report.summary + ".")
    if report.refused:
        sys.exit(1)


@main.command("publish-due")
@click.option("--verbose", "-v", is_flag=True, help="report progress through a large batch, every 100 requests")
def publish_due_command(verbose: bool) -> None:
    """Publish every release (single request or batch) whose scheduled time has passed.

    Safe to run from cron on several hosts at once: each release is published exactly once.
    """
    from app.services.scheduled import publish_due

    _require_migrated()
    settings = _settings()

    def started(slug: str, count: int) -> None:
        click.echo(f"Publishing batch '{slug}' ({count} request{'s' if count != 1 else ''})…")

    def progress(done: int, total: int) -> None:
        if done % 100 == 0 and done < total:
            click.echo(f"  {done} of {total} requests…")

    result = _with_write_sessions(
        lambda write_sessions: publish_due(write_sessions, settings.zone, on_batch_start=started, on_request=progress if verbose else None)
    )
    for reference in result.requests:
        click.echo(f"Published {reference}.")
    for batch in result.batches:
        click.echo(f"Published batch '{batch.slug}': {batch.requests} request{'s' if batch.requests != 1 else ''}.")
    for slug, why in result.failed:
        click.echo(f"foi: batch '{slug}' was not published: {why}", err=True)
    if result.nothing:
        click.echo("Nothing was due.")
    if result.failed:
        sys.exit(1)


@main.command("send-reminders")
@click.option("--dry-run", is_flag=True, help="list who would get what, and send and keep nothing")
@click.option("--force", is_flag=True, help="send even to those already sent a message of the same kind today")
@click.option("--as-of", "as_of", default=None, help="the day to remind about (YYYY-MM-DD; default today)")
def send_reminders_command(dry_run: bool, force: bool, as_of: str | None) -> None:
    """E-mail each officer their requests due within 3 working days or overdue, and each manager a digest.

    For cron (once a working day). SMTP comes from FOI_SMTP_HOST, FOI_SMTP_PORT, FOI_SMTP_USER,
    FOI_SMTP_PASSWORD, FOI_SMTP_FROM and FOI_SMTP_STARTTLS; links start with FOI_BASE_URL. Every
    message is kept in the outbox (staff/admin/outbox) with the time it went or the error.
    """
    from app.domain.dates import parse_date
    from app.services.clock import today_in
    from app.services.reminders import send_reminders

    _require_migrated()
    settings = _settings()
    mail_settings = settings.mail
    try:
        day = parse_date(as_of, "--as-of") or today_in(settings.zone)
    except (DomainError, ValueError) as problem:
        _fail(str(problem))
        return
    if not mail_settings.configured and not dry_run:
        click.echo("foi: FOI_SMTP_HOST is not set: the messages are kept in the outbox as not sent", err=True)
    result = _with_write_sessions(
        lambda write_sessions: send_reminders(write_sessions, day, settings.zone, mail_settings, dry_run=dry_run, force=force)
    )
    for outgoing in result.planned:
        click.echo(f"{'Would send' if dry_run else 'To'} {outgoing.mail.to}: {outgoing.mail.subject}")
    if result.skipped:
        click.echo(f"Skipped {len(result.skipped)} already sent a message of the same kind today (--force sends again).")
    if dry_run:
        click.echo(f"{len(result.planned)} message{'s' if len(result.planned) != 1 else ''} would be sent.")
        return
    reminders = sum(1 for o in result.planned if o.kind == "officer_reminder")
    click.echo(
        f"Sent {result.sent} of {len(result.planned)} message{'s' if len(result.planned) != 1 else ''} "
        f"({reminders} reminder{'s' if reminders != 1 else ''}, {len(result.planned) - reminders} digest{'s' if len(result.planned) - reminders != 1 else ''})."
    )
    for outbox_id, error in result.errors.items():
        click.echo(f"foi: message {outbox_id} was not sent: {error}", err=True)
    if result.errors:
        sys.exit(1)


@main.command("send-notices")
def send_notices_command() -> None:
    """Send the notices to requesters that are waiting: new ones, and those the mail server did not take
    (tried again after 5 minutes, then waits that double, up to 4 hours, 8 tries in all).

    The web app does this every minute itself; run it from cron where FOI_SCHEDULER=off. Each notice
    is sent once however many hosts run it. Exit 1 when one was not sent (the reason is on the case).
    """
    from app.services.correspondence import deliver

    _require_migrated()
    settings = _settings()
    if not settings.mail.configured:
        click.echo("foi: FOI_SMTP_HOST is not set: the notices wait until it is", err=True)
    results = _with_write_sessions(lambda write_sessions: deliver(write_sessions, settings))
    failed = [result for result in results if result.error is not None]
    click.echo(f"Sent {len(results) - len(failed)} of {len(results)} notice{'' if len(results) == 1 else 's'} waiting.")
    for result in failed:
        # the notice's number only: the error may quote the requester's address
        click.echo(f"foi: notice {result.correspondence_id} was not sent; the reason is on its request", err=True)
    if failed:
        sys.exit(1)


# sysexits.h, which a mail server's pipe reads: 65 bounces the message, 75 keeps it and tries again
EX_DATAERR = 65
EX_TEMPFAIL = 75


@main.command("mail-in")
def mail_in_command() -> None:
    """File one e-mail (RFC 5322) read from standard input: a new request, a reply on one, a bounce, or
    nothing (an automatic reply). For a mail server's pipe; one line says what became of it.

    Exit status 0 when filed or rightly ignored (or filed before: idempotent by Message-ID); 65 for
    input that is not an e-mail, or a message that cannot be filed (tried again if it comes in again);
    75 when the database cannot be reached (the mail server keeps the message and tries again).
    """
    from sqlalchemy.exc import SQLAlchemyError

    from app.domain.inbound import UnreadableMessage
    from app.migrations import is_at_head
    from app.services.files.storage import StorageFailure
    from app.services.intake import Outcome, take_message

    settings = _settings()
    raw = sys.stdin.buffer.read()
    try:
        at_head, current, head = is_at_head(settings.database_url)
    except Exception as problem:
        click.echo(f"foi: cannot reach the database ({type(problem).__name__}); try again later", err=True)
        sys.exit(EX_TEMPFAIL)
    if not at_head:
        click.echo(f"foi: the database is at migration {current or 'none'}, not {head}: run 'foi db upgrade' first", err=True)
        sys.exit(EX_TEMPFAIL)
    try:
        result = _with_write_sessions(lambda write_sessions: take_message(write_sessions, raw, settings))
    except UnreadableMessage as problem:
        click.echo(f"foi: {problem}", err=True)
        sys.exit(EX_DATAERR)
    except (SQLAlchemyError, OSError, StorageFailure) as problem:
        click.echo(f"foi: the message was not filed ({type(problem).__name__}); try again later", err=True)
        sys.exit(EX_TEMPFAIL)
    if result.outcome == Outcome.FAILED:
        click.echo(f"foi: {result.line}", err=True)
        sys.exit(EX_DATAERR)
    click.echo(result.line)


@main.command("fetch-mail")
@click.option("--once", is_flag=True, help="one pass over the folder, then stop (for cron)")
def fetch_mail_command(once: bool) -> None:
    """Take in the mail waiting in the IMAP mailbox (FOI_IMAP_*), then again every 60 seconds.

    Each message is filed as `foi mail-in` files it and moved to FOI_IMAP_DONE_FOLDER; one that
    cannot be filed stays in the folder with a line saying why, and is tried again each pass. Safe to
    run from cron on several hosts at once. Exit status 1 when the mailbox cannot be read (with --once).
    """
    from app.services.imap import MailboxError, fetch_mail

    settings = _settings()
    if not settings.imap.configured:
        _fail("FOI_IMAP_HOST is not set: say which IMAP server to read (see FOI_IMAP_* in the README)")
    _require_migrated()
    try:
        result = _with_write_sessions(lambda write_sessions: fetch_mail(settings, write_sessions, once=once, report=click.echo))
    except MailboxError as problem:
        _fail(str(problem))
        return
    except KeyboardInterrupt:
        return
    click.echo(f"{result.summary[:1].upper()}{result.summary[1:]}.")


@main.command("retention")
@click.option("--dry-run", is_flag=True, help="list what would be done (counts and references), and write nothing")
def retention_command(dry_run: bool) -> None:
    """Remove requester data from requests closed more than FOI_RETENTION_YEARS (default 6) ago.

    Keeps the public record and the history (marked anonymised); deletes the requests' internal
    documents and their files; passes over requests under a legal hold and every open request. Works
    in chunks, each its own transaction; safe to run from cron on several hosts at once; a second run
    does nothing.
    """
    from app.services.files.storage import ContentStore
    from app.services.retention import run_retention

    settings = _settings()
    _require_migrated()
    store = ContentStore(settings.storage_dir, settings.max_upload_bytes)
    report = _with_write_sessions(
        lambda write_sessions: run_retention(write_sessions, store, zone=settings.zone, years=settings.retention_years, dry_run=dry_run)
    )
    would = "Would anonymise" if dry_run else "Anonymised"
    click.echo(
        f"{'Dry run: ' if dry_run else ''}requests closed before {spoken_date(report.cutoff)} "
        f"(more than {report.years} year{'s' if report.years != 1 else ''} ago)."
    )
    click.echo(f"{would} {len(report.anonymised)} request{'s' if len(report.anonymised) != 1 else ''}{': ' if report.anonymised else '.'}")
    for reference in report.anonymised:
        click.echo(f"  {reference}")
    click.echo(
        f"{'Would delete' if dry_run else 'Deleted'} {report.documents_deleted} internal document{'s' if report.documents_deleted != 1 else ''} "
        f"and {report.files_deleted} stored file{'s' if report.files_deleted != 1 else ''}."
    )
    if report.reminders_deleted:
        click.echo(f"{'Would delete' if dry_run else 'Deleted'} {report.reminders_deleted} staff reminder(s) sent before then.")
    if report.held:
        click.echo(f"Kept under a legal hold: {len(report.held)} ({', '.join(report.held)}).")
    if report.taken_elsewhere:
        click.echo(f"Done by another run meanwhile: {report.taken_elsewhere}.")


@main.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def backup_command(directory: Path) -> None:
    """Back up the database and the document store into DIRECTORY (new or empty), while the app runs.

    SQLite: the online backup API; PostgreSQL: pg_dump (on PATH). Then every document file the copy
    names, with a manifest (time, app version, migration, files and checksums).
    """
    from app.services.backup import BackupError, backup

    settings = _settings()
    try:
        result = backup(settings, directory)
    except BackupError as problem:
        _fail(str(problem))
        return
    click.echo(
        f"Backed up the {result.engine} database (migration {result.migration or 'none'}) and {result.files} "
        f"document file{'s' if result.files != 1 else ''} ({result.bytes:,} bytes) into {result.directory}."
    )
    if result.gone_meanwhile:
        click.echo(f"{result.gone_meanwhile} file(s) removed by the retention policy during the backup were left out.")


@main.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(directory: Path) -> None:
    """Restore a backup made by `foi backup` into an empty database (FOI_DATABASE_URL) and an empty
    document store (FOI_STORAGE_DIR); every checksum is verified first."""
    from app.services.backup import BackupError, restore

    settings = _settings()
    try:
        result = restore(settings, directory)
    except BackupError as problem:
        _fail(str(problem))
        return
    click.echo(
        f"Restored the {result.engine} database (migration {result.migration or 'none'}) and "
        f"{result.files} document file{'s' if result.files != 1 else ''}."
    )
    from app.migrations import head_revision

    if result.migration != head_revision(settings.database_url):
        click.echo(f"The backup is at migration {result.migration or 'none'}: run 'foi db upgrade' before 'foi serve'.")


def _print_logins() -> None:
    from app.demo.plan import DEMO_USERS

    click.echo("Demo logins (email / password):")
    for user in DEMO_USERS:
        click.echo(f"  {user.role:<8} {user.email} / {user.password}")


if __name__ == "__main__":
    main()
