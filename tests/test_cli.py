"""The `foi` command as scripts use it: clear one-line errors, a token and nothing else on stdout."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.db import create_engine, create_sessionmakers
from app.domain import two_factor as rules
from app.services import two_factor
from app.services.clock import now_utc
from app.services.users import get_user_by_email


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "FOI_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3",
        "FOI_SECRET_KEY": "k" * 40,
        "FOI_STORAGE_DIR": str(tmp_path / "files"),
    }


def test_commands_refuse_an_unmigrated_database_in_one_line(env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["tokens", "create", "someone@council.example", "--label", "script"], env=env)
    assert result.exit_code == 1
    assert re.fullmatch(r"foi: the database is at migration none, not \d{4}: run 'foi db upgrade' first", result.output.strip())


def test_users_tokens_and_migrations(env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    assert "(head)" in runner.invoke(main, ["db", "current"], env=env).output
    optimized = runner.invoke(main, ["optimize"], env=env)
    assert optimized.exit_code == 0 and "merged" in optimized.output
    created = runner.invoke(
        main,
        ["users", "create", "Ann@Council.example", "--name", "Ann Admin", "--role", "admin", "--password-stdin"],
        input="a-long-enough-password\n",
        env=env,
    )
    assert created.exit_code == 0, created.output
    assert "Password:" not in created.output
    generated = runner.invoke(main, ["users", "create", "bob@council.example", "--name", "Bob", "--role", "officer"], env=env)
    assert "Password: " in generated.output
    duplicate = runner.invoke(main, ["users", "create", "ann@council.example", "--name", "Ann", "--role", "admin"], env=env)
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    token = runner.invoke(main, ["tokens", "create", "ann@council.example", "--label", "script"], env=env)
    assert token.exit_code == 0
    lines = token.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("foi_") and len(lines[0]) > 40
    unknown = runner.invoke(main, ["tokens", "create", "nobody@council.example", "--label", "script"], env=env)
    assert unknown.exit_code == 1 and unknown.stdout == ""


def test_tokens_are_named_listed_and_revoked(env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    for email, name in (("ann@council.example", "Ann Admin"), ("bob@council.example", "Bob Officer")):
        created = runner.invoke(
            main,
            ["users", "create", email, "--name", name, "--role", "officer", "--password-stdin"],
            input="a-long-enough-password\n",
            env=env,
        )
        assert created.exit_code == 0, created.output
    nameless = runner.invoke(main, ["tokens", "create", "ann@council.example"], env=env)
    assert nameless.exit_code != 0 and "--label" in nameless.output
    too_long = runner.invoke(
        main, ["tokens", "create", "ann@council.example", "--label", "x", "--days", "400"], env={**env, "FOI_TOKEN_LIFETIME_DAYS": "30"}
    )
    assert too_long.exit_code == 1 and "a token can last from 1 to 30 days" in too_long.output
    long_name = runner.invoke(main, ["tokens", "create", "ann@council.example", "--label", "x" * 101], env=env)
    assert long_name.exit_code == 1 and "Token name must be 100 characters or fewer" in long_name.output
    token = runner.invoke(
        main, ["tokens", "create", "ann@council.example", "--label", "Monthly report", "--days", "7"], env=env
    ).stdout.strip()
    runner.invoke(main, ["tokens", "create", "bob@council.example", "--label", "Bob's script"], env=env)

    listed = runner.invoke(main, ["tokens", "list"], env=env)
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split("\t") == ["ID", "STATE", "CREATED", "LAST USED", "EXPIRES", "WHOSE", "NAME"]
    rows = {line.split("\t")[-1]: line.split("\t") for line in lines[1:]}
    assert set(rows) == {"Monthly report", "Bob's script"}
    assert rows["Monthly report"][1] == "active" and rows["Monthly report"][3] == "never"
    assert token not in listed.stdout  # never shown again
    anns = runner.invoke(main, ["tokens", "list", "ann@council.example"], env=env).stdout
    assert "Monthly report" in anns and "Bob's script" not in anns

    revoked = runner.invoke(main, ["tokens", "revoke", rows["Monthly report"][0]], env=env)
    assert revoked.exit_code == 0 and "Revoked token" in revoked.output
    assert "\trevoked\t" in runner.invoke(main, ["tokens", "list", "ann@council.example"], env=env).stdout
    missing = runner.invoke(main, ["tokens", "revoke", "999"], env=env)
    assert missing.exit_code == 1 and "no API token 999" in missing.output


def test_reset_two_factor(env: dict[str, str]) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    runner.invoke(
        main,
        ["users", "create", "ann@council.example", "--name", "Ann", "--role", "admin", "--password-stdin"],
        input="a-long-enough-password\n",
        env=env,
    )
    off = runner.invoke(main, ["users", "reset-2fa", "ann@council.example"], env=env)
    assert off.exit_code == 1 and "Ann does not have two-factor authentication on" in off.output
    asyncio.run(_switch_on(env["FOI_DATABASE_URL"], "ann@council.example"))
    reset = runner.invoke(main, ["users", "reset-2fa", "Ann@Council.example"], env=env)
    assert reset.exit_code == 0, reset.output
    assert "Two-factor authentication reset for ann@council.example" in reset.output
    unknown = runner.invoke(main, ["users", "reset-2fa", "nobody@council.example"], env=env)
    assert unknown.exit_code == 1 and "no user with email" in unknown.output


async def _switch_on(database_url: str, email: str) -> None:
    engine = create_engine(database_url)
    try:
        _, write = create_sessionmakers(engine)
        async with write.begin() as db:
            user = await get_user_by_email(db, email)
            secret = rules.new_secret()
            await two_factor.enable(db, user, secret, rules.code_at(secret, now_utc()), now_utc())
    finally:
        await engine.dispose()


def test_a_wrong_setting_is_named_in_one_line(env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["db", "current"], env={**env, "FOI_SMTP_PORT": "smtp"})
    assert result.exit_code != 0
    assert "FOI_SMTP_PORT must be a port number, not 'smtp'" in result.output
    assert "Traceback" not in result.output


def test_purge_expired_deletes_ended_sessions_and_finished_sign_in_counters(env: dict[str, str]) -> None:
    from datetime import UTC, datetime, timedelta

    from app.config import Settings
    from app.db import create_engine, create_sessionmakers
    from app.models import SignInCounter, StoreItem

    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    now = datetime.now(UTC)

    async def setup_and_count(add: bool) -> tuple[int, int]:
        engine = create_engine(Settings.from_env(env).database_url)
        try:
            _, write = create_sessionmakers(engine)
            async with write.begin() as db:
                if add:
                    db.add(StoreItem(key="ended", namespace="sessions", value=b"{}", expires_at=now - timedelta(minutes=1)))
                    db.add(StoreItem(key="current", namespace="sessions", value=b"{}", expires_at=now + timedelta(hours=1)))
                    db.add(SignInCounter(key="account:x", attempts=3, window_started_at=now - timedelta(minutes=5)))
                    db.add(SignInCounter(key="account:y", attempts=1, window_started_at=now))
                    await db.flush()
                sessions = len(list(await db.scalars(select(StoreItem.key))))
                counters = len(list(await db.scalars(select(SignInCounter.key))))
            return sessions, counters
        finally:
            await engine.dispose()

    assert asyncio.run(setup_and_count(add=True)) == (2, 2)
    purged = runner.invoke(main, ["purge-expired"], env=env)
    assert purged.exit_code == 0, purged.output
    assert purged.output.strip() == "Deleted 1 ended session and 1 finished sign-in counter."
    assert asyncio.run(setup_and_count(add=False)) == (1, 1)


def test_upgrading_recomputes_due_dates_left_by_another_release_of_the_holiday_calendar(env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(main, ["demo-data"], env=env).exit_code == 0
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        db.execute("UPDATE requests SET calendar_version = 'uk/holidays-0.100+p1', due_on = '2000-01-03' WHERE due_on IS NOT NULL")
        stale = db.execute(
            "SELECT count(*) FROM requests WHERE due_on = '2000-01-03' AND status IN ('new', 'in_progress', 'awaiting_approval')"
        ).fetchone()[0]
    upgraded = runner.invoke(main, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    assert re.search(r"The bank holiday calendar changed .*: \d+ open requests checked, \d+ due dates moved\.", upgraded.output)
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        left = db.execute(
            "SELECT count(*) FROM requests WHERE due_on = '2000-01-03' AND status IN ('new', 'in_progress', 'awaiting_approval')"
        ).fetchone()[0]
    assert stale > 0 and left == 0
    again = runner.invoke(main, ["db", "upgrade"], env=env)
    assert "calendar changed" not in again.output


def test_users_are_put_in_a_department_when_created_and_moved_later(env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        db.execute("INSERT INTO departments (slug, name) VALUES ('housing', 'Housing'), ('parks', 'Parks')")

    def department_of(email: str) -> str | None:
        with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
            row = db.execute(
                "SELECT d.slug FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.email = ?", (email,)
            ).fetchone()
        return row[0]

    created = runner.invoke(
        main, ["users", "create", "olu@council.example", "--name", "Olu", "--role", "officer", "--department", "housing"], env=env
    )
    assert created.exit_code == 0, created.output
    assert department_of("olu@council.example") == "housing"
    unknown = runner.invoke(
        main, ["users", "create", "pat@council.example", "--name", "Pat", "--role", "officer", "--department", "nowhere"], env=env
    )
    assert unknown.exit_code == 1 and "no department 'nowhere' (known: housing, parks)" in unknown.output
    moved = runner.invoke(main, ["users", "set-department", "olu@council.example", "parks"], env=env)
    assert moved.exit_code == 0 and "olu@council.example is now in department parks" in moved.output
    assert department_of("olu@council.example") == "parks"
    assert runner.invoke(main, ["users", "set-department", "olu@council.example"], env=env).exit_code == 0
    assert department_of("olu@council.example") is None
    nobody = runner.invoke(main, ["users", "set-department", "nobody@council.example", "parks"], env=env)
    assert nobody.exit_code == 1
