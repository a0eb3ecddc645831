"""Run every benchmark script in this folder and print its figures."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run each script in turn; return non-zero if any failed."""
    scripts = sorted(
        p
        for p in HERE.glob("*.py")
        if not p.name.startswith("_") and p.name != "run_all.py"
    )
    failed = []
    for script in scripts:
        print(f"\n===== {script.name} " + "=" * (60 - len(script.name)), flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parents[1])
        print(
            f"----- {script.name}: exit {result.returncode}, "
            f"{time.monotonic() - started:.0f} s",
            flush=True,
        )
        if result.returncode:
            failed.append(script.name)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
