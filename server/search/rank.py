"""Search the index data: BM25F ranking, typo and spacing tolerance, snippets.

Pure logic: no Flask. frontend/js/search-model.mjs takes exactly the same steps
in the browser; the tuning both read comes inside the index data.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from .crisis import crisis_phrase
from .tuning import Tuning
from .words import (
    Token,
    edit_distance,
    is_searchable,
    stem,
    terms,
    tokenize,
    typo_budget,
)


@dataclass(frozen=True)
class Part:
    """A piece of text, highlighted or not."""

    text: str
    mark: bool


@dataclass(frozen=True)
class Alternative:
    """An index term a query word may stand for, and how much it counts."""

    term: str
    weight: float


@dataclass(frozen=True)
class Group:
    """One word the person meant, as weighted alternative index terms."""

    word: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Link:
    """A section of a page, with its URL."""

    heading: str
    anchor: str
    url: str


@dataclass
class Result:
    """A page that matches, with its best section and a highlighted snippet."""

    kind: str
    url: str
    title: str
    title_parts: list[Part]
    section: Link
    heading_parts: list[Part]
    snippet: list[Part]
    score: float
    more: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class _IndexedSection:
    """A section with its field lengths, ready to score."""

    page: int
    heading: str
    anchor: str
    body: str
    url: str
    lengths: tuple[int, int, int]


def round_score(score: float) -> float:
    """Round a score so that both implementations order ties the same way."""
    return math.floor(score * 1e6 + 0.5) / 1e6


def highlight(
    text: str,
    matched: Collection[str],
    stop_words: Collection[str],
    start: int = 0,
    end: int | None = None,
) -> list[Part]:
    """Split text into plain and highlighted parts for the matched index terms."""
    end = len(text) if end is None else end
    parts = []
    at = start
    for token in tokenize(text):
        if token.start < start:
            continue
        if token.end > end:
            break
        if is_searchable(token.word, stop_words) and stem(token.word) in matched:
            if token.start > at:
                parts.append(Part(text[at : token.start], False))
            parts.append(Part(text[token.start : token.end], True))
            at = token.end
    if at < end:
        parts.append(Part(text[at:end], False))
    return parts


def _merge(parts: list[Part]) -> list[Part]:
    """Join neighbouring plain parts."""
    out: list[Part] = []
    for part in parts:
        if out and not out[-1].mark and not part.mark:
            out[-1] = Part(out[-1].text + part.text, False)
        else:
            out.append(part)
    return out


def _best_window(words: list[str], hit: list[bool], tuning: Tuning) -> int:
    """The first word of the snippet window with the most distinct matched terms."""
    size = tuning.snippet_words
    start = 0
    best = (-1, -1)
    for h in range(len(words)):
        if not hit[h]:
            continue
        lo = max(0, h - tuning.snippet_lead)
        hi = min(len(words), lo + size)
        lo = max(0, hi - size)
        distinct = {stem(words[i]) for i in range(lo, hi) if hit[i]}
        count = sum(1 for i in range(lo, hi) if hit[i])
        if (len(distinct), count) > best:
            best = (len(distinct), count)
            start = lo
    return start


def _has_digit(token: Token) -> bool:
    """Whether a word is (part of) a figure."""
    return any(c.isdigit() for c in token.word)


def _keep_figures(
    tokens: list[Token], start: int, end: int, reach: int
) -> tuple[int, int]:
    """Widen a snippet window so that it neither starts nor ends inside a figure."""
    for _ in range(reach):
        if start > 0 and (_has_digit(tokens[start]) or _has_digit(tokens[start - 1])):
            start -= 1
    for _ in range(reach):
        if end < len(tokens) and (
            _has_digit(tokens[end - 1]) or _has_digit(tokens[end])
        ):
            end += 1
    return start, end


def snippet(text: str, matched: Collection[str], tuning: Tuning) -> list[Part]:
    """The passage of text with the most distinct matched terms, highlighted."""
    tokens = tokenize(text)
    if not tokens:
        return []
    stop = tuning.stop_words
    hit = [is_searchable(t.word, stop) and stem(t.word) in matched for t in tokens]
    start = _best_window([t.word for t in tokens], hit, tuning)
    end = min(len(tokens), start + tuning.snippet_words)
    start, end = _keep_figures(tokens, start, end, tuning.snippet_figure_reach)
    lo = tokens[start].start if start > 0 else 0
    hi = tokens[end - 1].end if end < len(tokens) else len(text)
    parts = highlight(text, matched, stop, lo, hi)
    if start > 0:
        parts.insert(0, Part("… ", False))
    if end < len(tokens):
        parts.append(Part(" …", False))
    return _merge(parts)


class SearchIndex:
    """The index data made searchable: postings, vocabulary and statistics."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        """Read the tuning, then index every section's title, heading and body."""
        self.tuning = Tuning.from_data(data["tuning"])
        self.pages = [tuple(p) for p in data["pages"]]
        self.quiet = frozenset(data.get("quiet", ()))
        self.crisis_phrases = tuple(data.get("crisis", ()))
        self.postings: dict[str, dict[int, list[int]]] = {}
        sums = [0, 0, 0]
        self.sections = []
        for sid, (page, heading, anchor, sub, body) in enumerate(data["sections"]):
            fields = (self.pages[page][2], f"{heading}\n{sub}", body)
            lengths = self._add(sid, fields)
            for f, length in enumerate(lengths):
                sums[f] += length
            url = self.pages[page][1] + (f"#{anchor}" if anchor else "")
            self.sections.append(
                _IndexedSection(page, heading, anchor, body, url, lengths)
            )
        count = len(self.sections)
        self.averages = [s / count if count and s else 1 for s in sums]
        self.vocab = sorted(self.postings)
        self.by_length: dict[int, list[str]] = {}
        for term in self.vocab:
            self.by_length.setdefault(len(term), []).append(term)
        self.idf = {
            term: math.log(1 + (count - len(docs) + 0.5) / (len(docs) + 0.5))
            for term, docs in self.postings.items()
        }

    def _add(self, sid: int, fields: tuple[str, str, str]) -> tuple[int, int, int]:
        """Post one section's terms, field by field; return each field's length."""
        lengths = []
        for f, text in enumerate(fields):
            found = terms(text, self.tuning.stop_words)
            lengths.append(len(found))
            for term in found:
                counts = self.postings.setdefault(term, {})
                counts.setdefault(sid, [0, 0, 0])[f] += 1
        return lengths[0], lengths[1], lengths[2]

    def _known(self, word: str) -> bool:
        """Whether a word is searchable and its stem is in the index."""
        return is_searchable(word, self.tuning.stop_words) and (
            stem(word) in self.postings
        )

    def _split(self, word: str) -> list[str] | None:
        """Split a word into two known words, if it can be."""
        for i in range(3, len(word) - 2):
            left, right = word[:i], word[i:]
            if self._known(left) and self._known(right):
                return [left, right]
        return None

    def parse_query(self, query: str) -> list[Group]:
        """Turn a query into groups of weighted alternative index terms."""
        words = [t.word for t in tokenize(query) if t.word]
        wanted: list[str] = []
        i = 0
        while i < len(words):
            if i + 1 < len(words) and stem(words[i] + words[i + 1]) in self.postings:
                wanted.append(words[i] + words[i + 1])
                i += 2
                continue
            if is_searchable(words[i], self.tuning.stop_words):
                split = (
                    None if stem(words[i]) in self.postings else self._split(words[i])
                )
                wanted.extend(split or [words[i]])
            i += 1
        return [
            Group(word, self._expand(stem(word), n == len(wanted) - 1))
            for n, word in enumerate(wanted)
        ]

    def _typos(self, term: str, budget: int, found: dict[str, float]) -> None:
        """Add vocabulary terms within the typo budget of term, weighted by distance."""
        weights = self.tuning.typo_weights
        for length in range(len(term) - budget, len(term) + budget + 1):
            for other in self.by_length.get(length, ()):
                distance = edit_distance(term, other, budget)
                if 0 < distance <= budget and found.get(other, 0) < weights[distance]:
                    found[other] = weights[distance]

    def _expand(self, term: str, last: bool) -> tuple[Alternative, ...]:
        """The index terms a query term may stand for, best first."""
        found: dict[str, float] = {}
        exact = term in self.postings
        if exact:
            found[term] = 1
        if len(term) >= (3 if last else 4):
            for other in self.vocab[bisect.bisect_left(self.vocab, term) :]:
                if not other.startswith(term):
                    break
                found.setdefault(other, self.tuning.prefix_weight)
        budget = 0 if exact else typo_budget(len(term), self.tuning.typo_lengths)
        if budget:
            self._typos(term, budget, found)
        ranked = sorted(
            found.items(), key=lambda kv: (-kv[1], -len(self.postings[kv[0]]), kv[0])
        )
        return tuple(Alternative(t, w) for t, w in ranked[: self.tuning.max_expansions])

    def _value(self, alt: Alternative, sid: int, tf: list[int]) -> float:
        """BM25F score of one alternative term in one section."""
        t = self.tuning
        lengths = self.sections[sid].lengths
        weighted = 0.0
        for f in range(3):
            norm = 1 - t.field_b[f] + t.field_b[f] * lengths[f] / self.averages[f]
            weighted += t.field_weights[f] * tf[f] / norm
        idf = self.idf[alt.term]
        return alt.weight * idf * weighted * (t.k1 + 1) / (weighted + t.k1)

    def score_sections(
        self, groups: list[Group]
    ) -> list[tuple[int, float, frozenset[str]]]:
        """Score sections (BM25F, scaled by the share of query words matched)."""
        best: dict[int, list[float]] = {}
        matched: dict[int, set[str]] = {}
        for g, group in enumerate(groups):
            for alt in group.alternatives:
                for sid, tf in self.postings[alt.term].items():
                    value = self._value(alt, sid, tf)
                    row = best.setdefault(sid, [0.0] * len(groups))
                    if value > row[g]:
                        row[g] = value
                    matched.setdefault(sid, set()).add(alt.term)
        scored = []
        for sid, row in best.items():
            total = 0.0
            hits = 0
            for value in row:
                total += value
                if value > 0:
                    hits += 1
            score = round_score(total * hits / len(groups))
            scored.append((sid, score, frozenset(matched[sid])))
        scored.sort(key=lambda s: (-s[1], s[0]))
        return scored

    def crisis(self, query: str) -> str | None:
        """The crisis phrase a query expresses, if any (the results lead with help)."""
        return crisis_phrase(self.crisis_phrases, query, self.tuning.typo_lengths)

    def _result(
        self, sid: int, score: float, matched: frozenset[str], quiet: bool
    ) -> Result:
        """A result for the best section of its page (no snippet if quiet)."""
        section = self.sections[sid]
        kind, url, title = self.pages[section.page]
        stop = self.tuning.stop_words
        return Result(
            kind=kind,
            url=url,
            title=title,
            title_parts=highlight(title, matched, stop),
            section=Link(section.heading, section.anchor, section.url),
            heading_parts=highlight(section.heading, matched, stop),
            snippet=[]
            if quiet or sid in self.quiet
            else snippet(section.body, matched, self.tuning),
            score=score,
        )

    def search(self, query: str, limit: int = 10) -> list[Result]:
        """Search: pages best first, each with its best section and a snippet.

        A crisis query, and a quiet section, get no snippet: the results then
        never quote a list of warning signs or means.
        """
        groups = self.parse_query(query)
        if not groups:
            return []
        quiet = self.crisis(query) is not None
        results: list[Result] = []
        by_page: dict[int, Result] = {}
        for sid, score, matched in self.score_sections(groups):
            section = self.sections[sid]
            existing = by_page.get(section.page)
            if existing is not None:
                if len(existing.more) < self.tuning.max_more and section.heading:
                    existing.more.append(
                        Link(section.heading, section.anchor, section.url)
                    )
            elif len(results) < limit:
                by_page[section.page] = self._result(sid, score, matched, quiet)
                results.append(by_page[section.page])
        return results
