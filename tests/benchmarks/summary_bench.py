"""The one-page summary for a long history; print the figures.

Run from the repository root:

    .venv/bin/python tests/benchmarks/summary_bench.py [--rounds 5]

In Debian Chromium, the page's own personal store holds 20 medicine trials,
two therapies, an ECT course, a year of PHQ-9 results (26) and mood
check-ins (tests/browser/appointment_seed.js). It times, per round:

- appointment ready: from navigation to /appointment until its drafts are
  filled in (reading IndexedDB and working out what changed included);
- summary ready: from navigation to /appointment/summary until it is drawn;
- PDF: Chromium's page.pdf of the summary on A4, with its size and pages.

Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import ROOT, chromium, live_site
from pypdf import PdfReader

SEED = (ROOT / "tests" / "browser" / "appointment_seed.js").read_text(encoding="utf-8")
TRIALS = 20


def timed_ready(page, url: str, selector: str) -> float:
    """Milliseconds from navigation to the page's ready marker."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(selector, state="attached")
    return (time.perf_counter() - started) * 1000


def main() -> None:
    """Seed the store once, then time the two pages and the PDF."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"appointment": [], "summary": [], "pdf": []}
    sizes: list[int] = []
    pages: list[int] = []
    with live_site() as base, chromium() as context:
        page = context.pages[0]
        page.goto(f"{base}/appointment")
        page.wait_for_selector("[data-appt-ready]", state="attached")
        page.evaluate(SEED, {"n": TRIALS})
        for _ in range(args.rounds):
            times["appointment"].append(
                timed_ready(page, f"{base}/appointment", "[data-appt-ready=true]")
            )
            times["summary"].append(
                timed_ready(
                    page, f"{base}/appointment/summary", "[data-summary-ready=true]"
                )
            )
            page.emulate_media(media="print")
            started = time.perf_counter()
            pdf = page.pdf(format="A4", print_background=True)
            times["pdf"].append((time.perf_counter() - started) * 1000)
            page.emulate_media(media="screen")
            sizes.append(len(pdf))
            pages.append(len(PdfReader(io.BytesIO(pdf)).pages))
    print(f"{TRIALS} medicine trials, 3 other courses, 26 PHQ-9 results")
    for name, values in times.items():
        print(
            f"{name:12s} median {statistics.median(values):6.0f} ms"
            f"  max {max(values):6.0f} ms  ({len(values)} rounds)"
        )
    print(f"PDF (A4): {statistics.median(sizes) / 1024:.0f} KiB, {max(pages)} page(s)")


if __name__ == "__main__":
    main()
