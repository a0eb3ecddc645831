"""Words: tokenising, folding, light stemming and a bounded edit distance.

Pure logic, mirrored step for step by frontend/js/search-model.mjs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_MARKS_RE = re.compile("[\u0300-\u036f]")
_APOSTROPHES_RE = re.compile("['\u2019]")
_DIGIT_RE = re.compile("[0-9]")
_UNDOUBLE_RE = re.compile(r"([bcdfghjkmnpqrtvwxy])\1$")


@dataclass(frozen=True)
class Token:
    """A word and where it sits in the original text."""

    word: str
    start: int
    end: int


def normalize_word(word: str) -> str:
    """Fold a word to its search form: lower case, accents and apostrophes removed."""
    folded = unicodedata.normalize("NFKD", word.lower())
    return _APOSTROPHES_RE.sub("", _MARKS_RE.sub("", folded))


def tokenize(text: str) -> list[Token]:
    """Split text into words with their positions in the original string."""
    return [
        Token(normalize_word(m.group()), m.start(), m.end())
        for m in _WORD_RE.finditer(text)
    ]


def is_searchable(word: str, stop_words: Collection[str]) -> bool:
    """Whether a normalised word is worth indexing or searching for."""
    return (len(word) > 1 or bool(_DIGIT_RE.search(word))) and word not in stop_words


def _undouble(word: str) -> str:
    """Drop a doubled final consonant ("stopp" becomes "stop")."""
    return word[:-1] if _UNDOUBLE_RE.search(word) else word


def _strip_plural(w: str) -> str:
    """Drop a plural ending: -ies becomes -y, -es and -s go."""
    if w.endswith("ies") and not w.endswith(("eies", "aies")):
        return w[:-3] + "y"
    if w.endswith("es") and not w.endswith(("aes", "ees", "oes")):
        return w[:-1]
    if w.endswith("s") and not w.endswith(("us", "ss")):
        return w[:-1]
    return w


def _strip_suffix(w: str) -> str:
    """Drop one of -ing, -ied (to -y), -ed and -ly from a long enough word."""
    if w.endswith("ing") and len(w) >= 7:
        return _undouble(w[:-3])
    if w.endswith("ied") and len(w) >= 5:
        return w[:-3] + "y"
    if w.endswith("ed") and len(w) >= 6:
        return _undouble(w[:-2])
    if w.endswith("ly") and len(w) >= 6:
        return w[:-2]
    return w


def stem(word: str) -> str:
    """Light English stemming: -iour/-isation, plurals, -ing, -ed, -ly, final e."""
    if len(word) <= 3 or _DIGIT_RE.search(word):
        return word
    w = word.replace("iour", "ior").replace("isation", "ization")
    w = _strip_suffix(_strip_plural(w))
    if w.endswith("e") and len(w) >= 5:
        w = w[:-1]
    return w


def terms(text: str, stop_words: Collection[str]) -> list[str]:
    """The index terms of a text, in order (stop words left out)."""
    return [stem(t.word) for t in tokenize(text) if is_searchable(t.word, stop_words)]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or limit + 1 once it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d = min(d, prev2[j - 2] + 1)
            row.append(d)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[len(b)]


def typo_budget(length: int, typo_lengths: Collection[int]) -> int:
    """How many typos a query word of this length may carry."""
    return sum(1 for at_least in typo_lengths if length >= at_least)
