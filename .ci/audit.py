"""`make audit`: every locked package checked against the advisories on the package index (pip-audit).

Fails (exit 1) on any known vulnerability, naming the package, the advisory and the fixed versions.
A package the advisory data could not be fetched for is listed, never passed over in silence; when
none could be fetched (the index's per-release JSON is out of reach from this network), the audit
says plainly that nothing was checked, and fails only with AUDIT_STRICT=1, so that an outage of the
advisory service does not stop every build while a real finding always does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main(lock: str) -> int:
    with tempfile.TemporaryDirectory() as directory:
        report = Path(directory) / "audit.json"
        subprocess.run(
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
            stdout=subprocess.DEVNULL,
        )
        if not report.exists():
            print("audit: pip-audit did not run; see its message above", file=sys.stderr)
            return 2
        dependencies = json.loads(report.read_text())["dependencies"]
    found = [(d["name"], d["version"], v) for d in dependencies for v in d.get("vulns", [])]
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = len(dependencies) - len(skipped)
    for name, version, vuln in found:
        fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
        print(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixed})")
    if skipped:
        print(
            f"audit: {len(skipped)} of {len(dependencies)} locked packages could not be checked: " + ", ".join(d["name"] for d in skipped)
        )
    print(f"audit: {checked} packages checked against the index's advisories, {len(found)} known vulnerabilities")
    if found:
        return 1
    if checked == 0:
        print("audit: NOTHING WAS CHECKED: the advisory data was out of reach", file=sys.stderr)
        return 1 if os.environ.get("AUDIT_STRICT") == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements-dev.lock"))
