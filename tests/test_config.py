"""Settings: relative paths are anchored at FOI_HOME (or the project), never at the current directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT, Settings, served_base_url


def test_the_database_store_and_key_live_under_foi_home(tmp_path: Path) -> None:
    settings = Settings.from_env({"FOI_HOME": str(tmp_path), "FOI_STORAGE_DIR": "documents"})
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path}/var/foi.sqlite3"
    assert settings.storage_dir == tmp_path / "documents"
    assert (tmp_path / "var" / "secret_key").exists()
    again = Settings.from_env({"FOI_HOME": str(tmp_path)})
    assert again.secret_key == settings.secret_key  # the same key, kept


def test_running_from_another_directory_finds_the_same_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({"FOI_SECRET_KEY": "k"})
    assert settings.database_url == f"sqlite+aiosqlite:///{PROJECT_ROOT}/var/foi.sqlite3"
    assert settings.storage_dir == PROJECT_ROOT / "var" / "files"
    assert not (tmp_path / "var").exists() and os.listdir(tmp_path) == []


def test_absolute_and_server_urls_are_kept_as_given(tmp_path: Path) -> None:
    for url in (f"sqlite+aiosqlite:///{tmp_path}/x.sqlite3", "postgresql+asyncpg://postgres@127.0.0.1:5432/foi"):
        assert Settings.from_env({"FOI_DATABASE_URL": url, "FOI_SECRET_KEY": "k"}).database_url == url


def test_mail_settings_are_read_once_with_the_others() -> None:
    settings = Settings.from_env({"FOI_SECRET_KEY": "k", "FOI_SMTP_HOST": "mail.council.example", "FOI_SMTP_STARTTLS": "true"})
    assert settings.mail.host == "mail.council.example"
    assert settings.mail.port == 587 and settings.mail.starttls
    with pytest.raises(ValueError, match="FOI_SMTP_PORT must be a port number"):
        Settings.from_env({"FOI_SECRET_KEY": "k", "FOI_SMTP_PORT": "smtp"})


def test_department_scope_is_off_unless_turned_on_and_a_wrong_value_names_the_setting(tmp_path: Path) -> None:
    home = {"FOI_HOME": str(tmp_path), "FOI_SECRET_KEY": "k"}
    assert Settings.from_env(home).department_scope is False
    assert Settings.from_env({**home, "FOI_DEPARTMENT_SCOPE": "on"}).department_scope is True
    with pytest.raises(ValueError, match="FOI_DEPARTMENT_SCOPE must be on or off"):
        Settings.from_env({**home, "FOI_DEPARTMENT_SCOPE": "sometimes"})


def test_the_public_page_memory_is_a_number_of_megabytes_and_0_turns_it_off(tmp_path: Path) -> None:
    home = {"FOI_HOME": str(tmp_path), "FOI_SECRET_KEY": "k"}
    assert Settings.from_env(home).public_cache_bytes == 64 * 1024 * 1024
    assert Settings.from_env({**home, "FOI_PUBLIC_CACHE_MB": "8"}).public_cache_bytes == 8 * 1024 * 1024
    assert Settings.from_env({**home, "FOI_PUBLIC_CACHE_MB": "0"}).public_cache_bytes == 0
    with pytest.raises(ValueError, match="FOI_PUBLIC_CACHE_MB must be a number of megabytes, not 'lots'"):
        Settings.from_env({**home, "FOI_PUBLIC_CACHE_MB": "lots"})
    with pytest.raises(ValueError, match="FOI_PUBLIC_CACHE_MB must be 0 or more"):
        Settings.from_env({**home, "FOI_PUBLIC_CACHE_MB": "-1"})


def test_the_accessibility_statement_settings_name_themselves_when_wrong(tmp_path: Path) -> None:
    home = {"FOI_HOME": str(tmp_path), "FOI_SECRET_KEY": "k"}
    statement = Settings.from_env(home).accessibility
    assert (statement.contact, statement.enforcement, statement.reviewed) == ("", "ehrc", "")
    chosen = Settings.from_env(
        {
            **home,
            "FOI_ACCESSIBILITY_CONTACT": "028 9000 0000",
            "FOI_ACCESSIBILITY_ENFORCEMENT": "ECNI",
            "FOI_ACCESSIBILITY_REVIEWED": "2027-03-01",
        }
    ).accessibility
    assert (chosen.contact, chosen.enforcement, chosen.reviewed) == ("028 9000 0000", "ecni", "2027-03-01")
    with pytest.raises(ValueError, match=r"FOI_ACCESSIBILITY_ENFORCEMENT must be ehrc .* or ecni"):
        Settings.from_env({**home, "FOI_ACCESSIBILITY_ENFORCEMENT": "wales"})
    for wrong in ("1/3/2027", "2027-02-30"):
        with pytest.raises(ValueError, match="FOI_ACCESSIBILITY_REVIEWED must be a date written YYYY-MM-DD"):
            Settings.from_env({**home, "FOI_ACCESSIBILITY_REVIEWED": wrong})


def test_the_token_lifetime_and_the_two_factor_requirement_name_themselves_when_wrong(tmp_path: Path) -> None:
    home = {"FOI_HOME": str(tmp_path), "FOI_SECRET_KEY": "k"}
    default = Settings.from_env(home)
    assert (default.token_lifetime_days, default.require_2fa_for_admins) == (90, False)
    chosen = Settings.from_env({**home, "FOI_TOKEN_LIFETIME_DAYS": "30", "FOI_REQUIRE_2FA_FOR_ADMINS": "on"})
    assert (chosen.token_lifetime_days, chosen.require_2fa_for_admins) == (30, True)
    with pytest.raises(ValueError, match="FOI_TOKEN_LIFETIME_DAYS must be a whole number of days, not 'ninety'"):
        Settings.from_env({**home, "FOI_TOKEN_LIFETIME_DAYS": "ninety"})
    with pytest.raises(ValueError, match="FOI_TOKEN_LIFETIME_DAYS must be between 1 and 3650 days, not 0"):
        Settings.from_env({**home, "FOI_TOKEN_LIFETIME_DAYS": "0"})
    with pytest.raises(ValueError, match="FOI_REQUIRE_2FA_FOR_ADMINS must be on or off, not 'maybe'"):
        Settings.from_env({**home, "FOI_REQUIRE_2FA_FOR_ADMINS": "maybe"})


def test_foi_serve_names_the_address_it_serves_for_links_when_foi_base_url_is_not_set() -> None:
    assert served_base_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert served_base_url("foi.council.internal", 8080) == "http://foi.council.internal:8080"
    # every interface is reached, on this machine, at the loopback address; IPv6 in brackets
    assert served_base_url("0.0.0.0", 8123) == "http://127.0.0.1:8123"
    assert served_base_url("::", 8123) == "http://[::1]:8123"
    assert served_base_url("::1", 9000) == "http://[::1]:9000"
    assert Settings.from_env({"FOI_SECRET_KEY": "k"}).mail.base_url == "http://127.0.0.1:8000"
