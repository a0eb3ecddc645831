"""Lighthouse 12 mobile scores for / and an article, against Debian Chromium."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server

HERE = Path(__file__).resolve().parent
TOOL = HERE / ".lighthouse"
VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def ensure_lighthouse() -> Path:
    """Install lighthouse@12.2.3 from npm into tests/benchmarks/.lighthouse once."""
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOL.mkdir(exist_ok=True)
        (TOOL / "package.json").write_text('{"private": true}\n')
        subprocess.run(
            ["npm", "i", "-E", f"lighthouse@{VERSION}", "--no-audit", "--no-fund"],
            cwd=TOOL,
            check=True,
        )
    return binary


def audit(
    binary: Path, url: str, tries: int = 3, blocked: tuple[str, ...] = ()
) -> dict:
    """Run Lighthouse (mobile preset, simulated throttling) and return its report.

    Lighthouse now and then fails to record a trace (NO_NAVSTART); such a run
    is tried again, up to `tries` times.
    """
    for attempt in range(tries):
        try:
            return _audit_once(binary, url, blocked)
        except subprocess.CalledProcessError:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


def _audit_once(binary: Path, url: str, blocked: tuple[str, ...] = ()) -> dict:
    """One Lighthouse run; requests matching the blocked patterns are refused."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run(
            [
                str(binary),
                url,
                "--output=json",
                f"--output-path={out}",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                *(f"--blocked-url-patterns={pattern}" for pattern in blocked),
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                "--disable-background-networking --disable-component-update "
                "--disable-sync",
            ],
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            check=True,
        )
        return json.loads(out.read_text())


def main() -> None:
    """Print category scores and the main timings for each page."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", default=["/", "/guide/what-is-trd"])
    args = parser.parse_args()
    binary = ensure_lighthouse()
    with running_server() as base:
        for path in args.paths:
            report = audit(binary, base + path)
            scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
            audits = report["audits"]
            print(f"\n{path}: " + ", ".join(f"{k} {v:.2f}" for k, v in scores.items()))
            for key in (
                "first-contentful-paint",
                "largest-contentful-paint",
                "total-blocking-time",
                "cumulative-layout-shift",
            ):
                print(f"  {key}: {audits[key]['displayValue']}")
            failing = [
                a["id"]
                for c in CATEGORIES
                for ref in report["categories"][c]["auditRefs"]
                if (a := audits[ref["id"]])["score"] is not None
                and a["score"] < 1
                and ref["weight"] > 0
            ]
            if failing:
                print("  not full marks: " + ", ".join(failing))


if __name__ == "__main__":
    main()
