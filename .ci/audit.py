"""`make audit`: every locked package checked against the advisories on the package index.

Two sources, in this order:

1. pip-audit, which asks the index's per-release JSON (`https://pypi.org/pypi/<name>/<version>/json`)
   for the advisories of the very version locked: a package it answers for is checked fully.
2. For every package pip-audit could not fetch (or all of them, when pip-audit could not reach its
   service at all: some networks answer 404 to the per-release JSON), the index's project JSON
   (`<AUDIT_INDEX_URL>/<name>/json`, default https://pypi.org/pypi), which lists the advisories of the
   newest release only:
   - locked at the newest release: checked fully by that list;
   - locked behind it: the newest release's advisories (not withdrawn) that no release up to the locked
     one fixes are findings (they affect the newest, so almost surely the locked one too), and the
     package is "partly checked": an advisory fixed between the locked and the newest release is not in
     the list;
   - a locked release the index has yanked is a finding, with the index's reason.

Fails (exit 1) on any finding, naming the package, the advisory and the fixed versions. A package no
source could answer for is listed, never passed over in silence; when none could be checked the audit
says plainly that nothing was checked, and fails only with AUDIT_STRICT=1, so that an outage of the
advisory services does not stop every build while a real finding always does.

Settings: AUDIT_INDEX_URL (the project JSON's base), AUDIT_TIMEOUT (seconds a request may take, default
15), AUDIT_CONCURRENCY (requests at once, default 8), AUDIT_STRICT.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)
DEFAULT_INDEX = "https://pypi.org/pypi"


@dataclass
class Result:
    name: str
    version: str
    checked: str  # "fully", "partly" or "not"
    source: str = ""
    note: str = ""  # why partly or not checked
    findings: list[str] = field(default_factory=list)


def locked_packages(lock: str) -> list[tuple[str, str]]:
    """Each pinned package of the lock file (name as the index spells it canonically, version)."""
    return [(canonicalize_name(name), version) for name, version in PIN.findall(Path(lock).read_text())]


def run_pip_audit(lock: str) -> tuple[dict[str, Result], str]:
    """pip-audit's answer for each package it checked, and why the others (or all) were not."""
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "audit.json"
        try:
            completed = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip_audit",
                    "--require-hashes",
                    "--disable-pip",
                    "--progress-spinner",
                    "off",
                    "-f",
                    "json",
                    "-o",
                    str(report),
                    "-r",
                    lock,
                ],
                check=False,
                capture_output=True,
                text=True,
                timeout=600,
            )
        except subprocess.TimeoutExpired:
            return {}, "pip-audit took more than 10 minutes"
        if not report.exists():
            lines = [line.strip() for line in completed.stderr.splitlines() if line.strip()]
            error = re.match(r"(?:[\w.]+\.)?(\w+(?:Error|Exception))\b", lines[-1]) if lines else None
            cause = error.group(1) if error else (lines[-1][:120] if lines else f"exit status {completed.returncode}")
            return {}, f"pip-audit could not fetch the advisories ({cause})"
        dependencies = json.loads(report.read_text())["dependencies"]
    results: dict[str, Result] = {}
    for dependency in dependencies:
        if "skip_reason" in dependency:
            continue
        name = canonicalize_name(dependency["name"])
        result = Result(name, dependency["version"], "fully", source="pip-audit")
        for vuln in dependency.get("vulns", []):
            result.findings.append(
                advisory_line(name, dependency["version"], vuln["id"], vuln.get("aliases", []), vuln.get("fix_versions", []))
            )
        results[name] = result
    return results, "the index's per-release JSON did not answer pip-audit"


def advisory_line(name: str, version: str, advisory: str, aliases: list[str], fixed: list[str]) -> str:
    also = f" (also {', '.join(aliases)})" if aliases else ""
    fixed_in = f"fixed in {', '.join(fixed)}" if fixed else "no fixed release yet"
    return f"VULNERABLE {name} {version}: {advisory}{also}, {fixed_in}"


def fetch_project(index: str, name: str, timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{index.rstrip('/')}/{name}/json", headers={"Accept": "application/json", "User-Agent": "foi-tracker make audit"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data: dict[str, Any] = json.load(response)
    return data


def check_from_project(index: str, name: str, version: str, timeout: float) -> Result:
    """What the index's project JSON tells about this locked release."""
    try:
        project = fetch_project(index, name, timeout)
    except urllib.error.HTTPError as error:
        return Result(name, version, "not", note=f"the index answered {error.code} for its project data")
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return Result(name, version, "not", note=f"the index could not be reached ({reason})")
    except ValueError:
        return Result(name, version, "not", note="the index's project data was not JSON")
    try:
        locked = Version(version)
        newest_text = str(project["info"]["version"])
        newest = Version(newest_text)
        releases: dict[str, list[dict[str, Any]]] = project.get("releases") or {}
        advisories: list[dict[str, Any]] = [v for v in project.get("vulnerabilities") or [] if not v.get("withdrawn")]
    except (KeyError, TypeError, InvalidVersion) as error:
        return Result(name, version, "not", note=f"the index's project data could not be read ({error})")

    files = next((f for text, f in releases.items() if safe_version(text) == locked), None)
    if files is None:
        return Result(name, version, "not", note=f"the index's project data does not list release {version}")
    result = Result(name, version, "fully", source="the index's project data")
    if files and all(f.get("yanked") for f in files):
        reason = next((f["yanked_reason"] for f in files if f.get("yanked_reason")), None)
        result.findings.append(f"YANKED {name} {version}: the index has withdrawn this release ({reason or 'no reason given'})")

    for advisory in advisories:
        fixed = [str(v) for v in advisory.get("fixed_in") or []]
        # listed for the newest release: it affects the newest; the locked release escapes it only when
        # some release up to the locked one fixes it (a fix on the locked release's own branch)
        if locked != newest and any(v is not None and v <= locked for v in map(safe_version, fixed)):
            continue
        result.findings.append(advisory_line(name, version, str(advisory.get("id")), list(advisory.get("aliases") or []), fixed))

    if locked < newest:
        result.checked = "partly"
        result.note = f"advisories fixed between {version} and {newest_text} cannot be seen from the index's project data"
    elif locked > newest:
        result.checked = "partly"
        result.note = f"the index's project data lists the advisories of {newest_text}, older than the locked {version}"
    return result


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def safe_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def main(lock: str) -> int:
    index = os.environ.get("AUDIT_INDEX_URL") or DEFAULT_INDEX
    try:
        timeout = float(os.environ.get("AUDIT_TIMEOUT") or 15)
        workers = int(os.environ.get("AUDIT_CONCURRENCY") or 8)
    except ValueError:
        print("audit: AUDIT_TIMEOUT must be a number of seconds and AUDIT_CONCURRENCY a whole number", file=sys.stderr)
        return 2
    packages = locked_packages(lock)
    if not packages:
        print(f"audit: {lock} pins no packages (name==version)", file=sys.stderr)
        return 2
    by_pip_audit, why_not = run_pip_audit(lock)
    rest = [(name, version) for name, version in packages if name not in by_pip_audit]
    if rest:
        print(f"audit: {why_not} for {len(rest)} of {len(packages)} packages; checking them against the index's project data")
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        fallback = list(pool.map(lambda package: check_from_project(index, package[0], package[1], timeout), rest))
    results = list(by_pip_audit.values()) + fallback
    results.sort(key=lambda r: r.name)

    for result in results:
        if result.checked == "partly":
            print(f"PARTLY CHECKED {result.name} {result.version}: {result.note}")
    for result in results:
        if result.checked == "not":
            print(f"NOT CHECKED {result.name} {result.version}: {result.note}")
    findings = [line for result in results for line in result.findings]
    for line in findings:
        print(line)

    fully_pip = sum(1 for r in results if r.checked == "fully" and r.source == "pip-audit")
    fully_index = sum(1 for r in results if r.checked == "fully" and r.source != "pip-audit")
    partly = sum(1 for r in results if r.checked == "partly")
    not_checked = sum(1 for r in results if r.checked == "not")
    print(
        f"audit: {plural(len(results), 'locked package')}: {fully_pip + fully_index} fully checked "
        f"({fully_pip} by pip-audit, {fully_index} from the index's project data), {partly} partly checked, "
        f"{not_checked} not checked; {plural(len(findings), 'finding')}"
    )
    if findings:
        return 1
    if fully_pip + fully_index + partly == 0:
        print("audit: NOTHING WAS CHECKED: the advisory data was out of reach", file=sys.stderr)
        return 1 if os.environ.get("AUDIT_STRICT") == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements-dev.lock"))
