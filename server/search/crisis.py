"""Recognise a search that expresses a crisis, with search's typo and spacing tolerance.

Pure logic: no Flask. frontend/js/search-model.mjs (crisisPhrase) takes exactly
the same steps in the browser; tests/crisis-cases.json holds the cases both
must agree on. The phrases come from content/help/crisis-phrases.yaml through
the index data, so the list is written once.

A phrase matches a run of whole query words, in order. Each phrase word is met
by one query word within search's typo budget (after light stemming, for the
shorter of the two words, so "diet" is no typo of "die"), or, with no typos,
by two query words typed apart ("my self") or by one query word that joins two
or three phrase words ("killmyself", "selfharm").
"""

from __future__ import annotations

from collections.abc import Sequence

from .words import edit_distance, stem, tokenize, typo_budget

#: At most this many phrase words may be typed as one query word.
MAX_JOINED = 3


def phrase_words(text: str) -> list[str]:
    """The folded words of a phrase or a query."""
    return [t.word for t in tokenize(text) if t.word]


def _close(typed: str, wanted: str, typo_lengths: Sequence[int]) -> bool:
    """Whether a typed word stands for a phrase word, allowing typos."""
    term, target = stem(typed), stem(wanted)
    budget = typo_budget(min(len(term), len(target)), typo_lengths)
    return edit_distance(term, target, budget) <= budget


def _matches_at(
    query: list[str], q: int, phrase: list[str], p: int, typo_lengths: Sequence[int]
) -> bool:
    """Whether phrase[p:] is met by the query words from q on."""
    if p == len(phrase):
        return True
    if q == len(query):
        return False
    if _close(query[q], phrase[p], typo_lengths) and _matches_at(
        query, q + 1, phrase, p + 1, typo_lengths
    ):
        return True
    if (
        q + 1 < len(query)
        and stem(query[q] + query[q + 1]) == stem(phrase[p])
        and _matches_at(query, q + 2, phrase, p + 1, typo_lengths)
    ):
        return True
    for k in range(2, MAX_JOINED + 1):
        if p + k <= len(phrase) and stem(query[q]) == stem("".join(phrase[p : p + k])):
            if _matches_at(query, q + 1, phrase, p + k, typo_lengths):
                return True
    return False


def crisis_phrase(
    phrases: Sequence[str], query: str, typo_lengths: Sequence[int]
) -> str | None:
    """The first crisis phrase the query expresses, or None."""
    words = phrase_words(query)
    for phrase in phrases:
        wanted = phrase_words(phrase)
        if any(
            _matches_at(words, q, wanted, 0, typo_lengths) for q in range(len(words))
        ):
            return phrase
    return None
