"""The treatment log's facts and timeline for a long history; print the figures.

Run from the repository root:

    .venv/bin/python tests/benchmarks/treatment_bench.py

In node (no browser), for 60 treatments over ten years (48 medicine trials,
some linked as add-ons, plus therapies, ECT courses and hospital stays), it
times, over 200 rounds: every entry's facts (treatmentFacts), the history's
facts (historyFacts), the timeline's rows, and its SVG markup at 390 px.
Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: The node script that does the timing, next to this file.
SCRIPT = Path(__file__).with_suffix(".mjs")


def main() -> int:
    """Run the script in node and print what it prints."""
    result = subprocess.run(["node", str(SCRIPT)], check=False, cwd=ROOT)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
