"""The numbers and words search ranks by, sent to the browser inside the index.

Defined once, here. build puts them in the index data; rank and
frontend/js/search-model.mjs both read them back from that data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Tuning:
    """How search tokenises, expands, scores and shows matches."""

    #: Words too common to search on.
    stop_words: frozenset[str]
    #: Weights of a match in the title, a heading and the body.
    field_weights: tuple[float, ...]
    #: BM25 length normalisation per field (titles and headings are short).
    field_b: tuple[float, ...]
    #: BM25 term-frequency saturation.
    k1: float
    #: How much a prefix match counts compared with an exact match.
    prefix_weight: float
    #: How much a match counts with 0, 1 or 2 typos.
    typo_weights: tuple[float, ...]
    #: A query word this long or longer may carry one more typo, per entry.
    typo_lengths: tuple[int, ...]
    #: At most this many vocabulary terms stand in for one query word.
    max_expansions: int
    #: Snippet length in words, and words shown before the first match.
    snippet_words: int
    snippet_lead: int
    #: A snippet grows by up to this many words at either end rather than cut
    #: a figure from its context ("30 in 100 responded", not "in 100 responded").
    snippet_figure_reach: int
    #: At most this many other matching sections are listed under a result.
    max_more: int

    def as_data(self) -> dict[str, Any]:
        """The tuning as JSON-ready index data (stop words sorted)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Tuning:
        """Read the tuning back from index data."""
        values = {f.name: _typed(data[f.name]) for f in fields(cls)}
        values["stop_words"] = frozenset(values["stop_words"])
        return cls(**values)


def _plain(value: Any) -> Any:
    """A tuning value as JSON has it: sets sorted, tuples as lists."""
    if isinstance(value, frozenset):
        return sorted(value)
    return list(value) if isinstance(value, tuple) else value


def _typed(value: Any) -> Any:
    """A tuning value read from JSON: lists become tuples."""
    return tuple(value) if isinstance(value, list) else value


TUNING = Tuning(
    stop_words=frozenset(
        (
            "a about an and are as at be been but by can could did do does for from "
            "had has have how i if in into is it its me my of on or our she so than "
            "that the their them then there these they this those to too was we were "
            "what when where which who will with would you your"
        ).split()
    ),
    field_weights=(4, 3, 1),
    field_b=(0, 0, 0.75),
    k1=1.2,
    prefix_weight=0.75,
    typo_weights=(1, 0.6, 0.4),
    typo_lengths=(4, 8),
    max_expansions=24,
    snippet_words=24,
    snippet_lead=4,
    snippet_figure_reach=4,
    max_more=2,
)
