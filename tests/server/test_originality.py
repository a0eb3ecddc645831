"""Every word is ours: the shared originality check passes on the project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT.parent / "shared" / "tools" / "check-originality"


def test_no_sentence_repeats_the_reference_article() -> None:
    """check-originality finds no run of 8 words shared with the reference."""
    assert CHECK.is_file(), f"expected the shared tool at {CHECK}"
    done = subprocess.run(
        [sys.executable, str(CHECK)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
