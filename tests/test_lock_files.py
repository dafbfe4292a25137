"""The lock files hold what pyproject.toml asks for, each at one version with its hashes (README, "Test it")."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def locked(name: str) -> dict[str, str]:
    """Package name → version, after checking that every pin carries at least one sha256 hash."""
    text = (ROOT / name).read_text()
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{name}: {match.group(1)} is locked without a hash"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        ("requirements-dev.lock", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]),
    ],
)
def test_every_dependency_is_locked_at_a_version_it_accepts(lock: str, requirements: list[str]) -> None:
    pins = locked(lock)
    for line in requirements:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} lacks {requirement.name}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} has {requirement.name}=={pins[name]}, but pyproject.toml asks for {requirement}: run `make lock`"
        )


def test_the_holiday_calendar_is_pinned_to_one_release() -> None:
    (holidays,) = [Requirement(line) for line in PROJECT["dependencies"] if Requirement(line).name == "holidays"]
    (specifier,) = holidays.specifier
    assert specifier.operator == "==", "a new holidays release can move legal due dates: pin it exactly"
    assert locked("requirements.lock")["holidays"] == specifier.version
