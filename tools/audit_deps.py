"""Known vulnerabilities in the locked dependencies (constraints.txt), by pip-audit, in a venv of its own.

    python tools/audit_deps.py            # exit 1 if any locked release has a published vulnerability
    python tools/audit_deps.py --strict   # also exit 1 when the vulnerability service could not be reached

pip-audit asks PyPI's JSON API (or OSV) about each release. Where the machine cannot reach either, every package
comes back "could not be audited": that is reported as NOT AUDITED, loudly, never as "no vulnerabilities".
pip-audit lives in .venv-audit (made on the first run): its own dependencies stay out of the app's .venv.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUDIT_VENV = ROOT / ".venv-audit"
PIP_AUDIT = "pip-audit==2.10.1"


def pip_audit() -> Path:
    exe = AUDIT_VENV / "bin" / "pip-audit"
    if not exe.exists():
        venv.create(AUDIT_VENV, with_pip=True)
        subprocess.run([AUDIT_VENV / "bin" / "pip", "install", "--quiet", PIP_AUDIT], check=True)
    return exe


def summarize(report: dict) -> tuple[list[str], list[str], int]:
    """(vulnerabilities found, packages that could not be audited, packages audited)."""
    found, skipped, audited = [], [], 0
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.append(dep["name"])
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            found.append(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    return found, skipped, audited


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="fail when the service cannot be reached")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "audit.json"
        run = subprocess.run(
            [pip_audit(), "-r", ROOT / "constraints.txt", "--no-deps", "--disable-pip", "--progress-spinner", "off",
             "-f", "json", "-o", output],
            capture_output=True, text=True,
        )
        if not output.exists():
            print(run.stdout, run.stderr, sep="\n", file=sys.stderr)
            return 2
        found, skipped, audited = summarize(json.loads(output.read_text()))
    for line in found:
        print(f"VULNERABLE  {line}")
    if skipped and not audited:
        print(f"NOT AUDITED: the vulnerability service could not be reached for any of the {len(skipped)} locked "
              "packages (pip-audit asks https://pypi.org/pypi/<name>/<version>/json or OSV).")
        return 1 if args.strict or found else 0
    if skipped:
        print(f"not audited ({len(skipped)}): {', '.join(skipped)}")
    print(f"{audited} locked packages audited, {len(found)} known vulnerabilities")
    return 1 if found or (args.strict and skipped) else 0


if __name__ == "__main__":
    sys.exit(main())
