"""Print words and reading level (Flesch-Kincaid grade) for every guide article.

Works offline: syllables come from dictionaries that ship inside packages
(see tests/readability.py); nothing is downloaded.

Usage: .venv/bin/python tests/benchmarks/content_report.py [CONTENT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from server.content import load_library  # noqa: E402
from tests.readability import flesch_kincaid_grade  # noqa: E402


def report(content: Path) -> list[tuple[str, int, float, int]]:
    """Return (slug, words, Flesch-Kincaid grade, sources) for each article."""
    return [
        (a.slug, a.words, flesch_kincaid_grade(a.text), len(a.meta.sources))
        for a in load_library(content).guide
    ]


def main() -> None:
    """Print the table."""
    content = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
    rows = report(content)
    print(f"{'article':<28} {'words':>6} {'FK grade':>9} {'sources':>8}")
    for slug, words, grade, sources in rows:
        print(f"{slug:<28} {words:>6} {grade:>9.1f} {sources:>8}")
    total = sum(r[1] for r in rows)
    mean = sum(r[2] for r in rows) / len(rows)
    print(f"{'all articles':<28} {total:>6} {mean:>9.1f} (mean)")


if __name__ == "__main__":
    main()
