"""Offline full-text search over the guide, the coping tools and the help page.

Pure logic: no Flask. The index data is built once at start-up from the loaded
content and served as JSON; frontend/js/search-core.mjs searches it in the
browser, and SearchIndex here searches it on the server (for /search without
JavaScript) with exactly the same steps, so both rank alike. Keep them in step.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from .content import Article, HelpLines, Library

INDEX_VERSION = 1
STOP_WORDS = frozenset(
    (
        "a about an and are as at be been but by can could did do does for from "
        "had has have how i if in into is it its me my of on or our she so than "
        "that the their them then there these they this those to too was we were "
        "what when where which who will with would you your"
    ).split()
)
FIELD_WEIGHTS = (4, 3, 1)
FIELD_B = (0, 0, 0.75)
K1 = 1.2
PREFIX_WEIGHT = 0.75
TYPO_WEIGHTS = (1, 0.6, 0.4)
MAX_EXPANSIONS = 24
SNIPPET_WORDS = 24
SNIPPET_LEAD = 4
MAX_MORE = 2

_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_MARKS_RE = re.compile("[\u0300-\u036f]")
_APOSTROPHES_RE = re.compile("['\u2019]")
_DIGIT_RE = re.compile("[0-9]")
_UNDOUBLE_RE = re.compile(r"([bcdfghjkmnpqrtvwxy])\1$")


# --- Words -----------------------------------------------------------------


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


def is_searchable(word: str) -> bool:
    """Whether a normalised word is worth indexing or searching for."""
    return (len(word) > 1 or bool(_DIGIT_RE.search(word))) and word not in STOP_WORDS


def _undouble(word: str) -> str:
    """Drop a doubled final consonant ("stopp" becomes "stop")."""
    return word[:-1] if _UNDOUBLE_RE.search(word) else word


def stem(word: str) -> str:
    """Light English stemming: -iour/-isation, plurals, -ing, -ed, -ly, final e."""
    w = word
    if len(w) <= 3 or _DIGIT_RE.search(w):
        return w
    w = w.replace("iour", "ior").replace("isation", "ization")
    if w.endswith("ies") and not w.endswith(("eies", "aies")):
        w = w[:-3] + "y"
    elif w.endswith("es") and not w.endswith(("aes", "ees", "oes")):
        w = w[:-1]
    elif w.endswith("s") and not w.endswith(("us", "ss")):
        w = w[:-1]
    if w.endswith("ing") and len(w) >= 7:
        w = _undouble(w[:-3])
    elif w.endswith("ied") and len(w) >= 5:
        w = w[:-3] + "y"
    elif w.endswith("ed") and len(w) >= 6:
        w = _undouble(w[:-2])
    elif w.endswith("ly") and len(w) >= 6:
        w = w[:-2]
    if w.endswith("e") and len(w) >= 5:
        w = w[:-1]
    return w


def terms(text: str) -> list[str]:
    """The index terms of a text, in order (stop words left out)."""
    return [stem(t.word) for t in tokenize(text) if is_searchable(t.word)]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or limit + 1 once it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i]
        best = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if (
                prev2 is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                d = min(d, prev2[j - 2] + 1)
            row.append(d)
            best = min(best, d)
        if best > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[len(b)]


def typo_budget(length: int) -> int:
    """How many typos a query word of this length may carry."""
    if length < 4:
        return 0
    return 1 if length < 8 else 2


def round_score(score: float) -> float:
    """Round a score so that both implementations order ties the same way."""
    return math.floor(score * 1e6 + 0.5) / 1e6


# --- Building the index data from content ------------------------------------

_BLOCK_TAGS = frozenset(
    "p li ul ol h1 h2 h3 h4 h5 h6 tr td th br blockquote pre aside div table "
    "section dt dd hr".split()
)


@dataclass
class _Section:
    """A section of an article while it is being collected."""

    heading: str
    anchor: str
    sub: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)


class _SectionSplitter(HTMLParser):
    """Split rendered article HTML into sections at each h2 and h3 heading.

    An h3 section keeps its h2's heading as context, so a search for the h2's
    words still finds it, and a result can link straight to the subsection.
    """

    def __init__(self) -> None:
        """Start with an untitled introduction section."""
        super().__init__(convert_charrefs=True)
        self.sections = [_Section("", "")]
        self.current = self.sections[0]
        self.parent: _Section | None = None
        self.capture: list[str] | None = None
        self.captured_tag = ""
        self.asides: list[_Section | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a section at h2 and h3; remember where a questions box sat."""
        values = dict(attrs)
        if tag == "aside":
            questions = "questions" in (values.get("class") or "").split()
            self.asides.append(self.current if questions else None)
        if tag in ("h2", "h3"):
            self.capture, self.captured_tag = [], tag
            self.current = _Section("", values.get("id") or "")
            if tag == "h2":
                self.parent = self.current
            elif self.parent is not None:
                self.current.sub.append(self.parent.heading)
            self.sections.append(self.current)
        elif tag in _BLOCK_TAGS:
            self._text(" ")

    def handle_endtag(self, tag: str) -> None:
        """Close a heading, or go back to the section a questions box sat in."""
        if tag == self.captured_tag and self.capture is not None:
            self.current.heading = " ".join("".join(self.capture).split())
            self.capture, self.captured_tag = None, ""
        elif tag == "aside" and self.asides:
            outer = self.asides.pop()
            if outer is not None:
                self.current = outer
        if tag in _BLOCK_TAGS:
            self._text(" ")

    def handle_data(self, data: str) -> None:
        """Collect text into the heading being read or the section body."""
        if self.capture is not None:
            self.capture.append(data)
        else:
            self._text(data)

    def _text(self, data: str) -> None:
        """Append body text to the current section."""
        self.current.body.append(data)


def article_sections(article: Article) -> list[tuple[str, str, str, str]]:
    """Split an article into (heading, anchor, context heading, body) sections."""
    splitter = _SectionSplitter()
    splitter.feed(article.html)
    splitter.close()
    out = []
    for section in splitter.sections:
        body = " ".join("".join(section.body).split())
        if body or section.heading:
            out.append((section.heading, section.anchor, "\n".join(section.sub), body))
    return out


def _field(item: Any, *names: str) -> Any:
    """Read the first present attribute or key of a tool description."""
    for name in names:
        if isinstance(item, Mapping):
            value = item.get(name)
        else:
            value = getattr(item, name, None)
        if value:
            return value
    return None


def _tool_row(item: Any, folder: str) -> tuple[str, str, str] | None:
    """One (url, title, description) row for a tool, or None if it has no title."""
    title = _field(item, "title", "name")
    slug = _field(item, "slug", "key", "id")
    url = _field(item, "url", "href") or (f"{folder}/{slug}" if slug else None)
    if not title or not url:
        return None
    meta = _field(item, "meta")
    words = [
        _field(item, "summary", "description") or _field(meta, "summary") or "",
        _field(item, "helps_with") or "",
    ]
    return str(url), str(title), " ".join(" ".join(map(str, words)).split())


def tool_entries(tools: Any) -> list[tuple[str, str, str]]:
    """Turn the loaded coping tools into (url, title, description) rows.

    Understands the tools area's shape (breathing ``patterns`` and mindfulness
    ``exercises``) and, failing that, any list or mapping of tool records.
    """
    if not tools:
        return []
    groups: list[tuple[Iterable[Any], str]]
    if hasattr(tools, "patterns") or hasattr(tools, "exercises"):
        groups = [
            (getattr(tools, "patterns", None) or (), "/tools/breathing"),
            (getattr(tools, "exercises", None) or (), "/tools/mindfulness"),
        ]
    else:
        groups = [(tools.values() if isinstance(tools, Mapping) else tools, "/tools")]
    rows = []
    for items, folder in groups:
        for item in items:
            row = _tool_row(item, folder)
            if row is not None:
                rows.append(row)
    return rows


def help_sections(lines: HelpLines) -> list[tuple[str, str, str, str]]:
    """One section per country of the help page, plus the international directory."""
    out = []
    for country in lines.countries:
        numbers = " or ".join(
            n for n in (country.emergency, country.emergency_alt) if n
        )
        parts = [f"Emergency number {numbers}."]
        for line in country.lines:
            labels = ", ".join(c.label for c in line.contacts)
            parts.append(f"{line.name}: {line.description} {labels}.")
        out.append(
            (country.name, f"country-{country.code.lower()}", "", " ".join(parts))
        )
    directory = lines.international
    out.append(
        (
            "Somewhere else",
            "country-other",
            "",
            f"{directory.name}: {directory.description}",
        )
    )
    return out


def build_index_data(
    library: Library, tools: Any = None, *, help_title: str = "Get help now"
) -> dict[str, Any]:
    """Build the compact search index data: pages and their sections."""
    pages: list[list[Any]] = []
    sections: list[list[Any]] = []

    def add(kind: str, url: str, title: str, parts: list[tuple[str, ...]]) -> None:
        """Add a page and its sections."""
        pages.append([kind, url, title])
        for heading, anchor, sub, body in parts:
            sections.append([len(pages) - 1, heading, anchor, sub, body])

    for article in library.guide:
        add("guide", f"/guide/{article.slug}", article.title, article_sections(article))
    for url, title, description in tool_entries(tools):
        add("tool", url, title, [("", "", "", description)])
    add("help", "/help", help_title, help_sections(library.help))
    return {"v": INDEX_VERSION, "pages": pages, "sections": sections}


def index_json(data: Mapping[str, Any]) -> str:
    """Serialise index data as compact JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# --- Searching ---------------------------------------------------------------


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


def highlight(
    text: str,
    matched: set[str] | frozenset[str],
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
        if is_searchable(token.word) and stem(token.word) in matched:
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


def snippet(text: str, matched: set[str] | frozenset[str]) -> list[Part]:
    """The passage of text with the most distinct matched terms, highlighted."""
    tokens = tokenize(text)
    if not tokens:
        return []
    hit = [is_searchable(t.word) and stem(t.word) in matched for t in tokens]
    start = 0
    best = (-1, -1)
    for h in range(len(tokens)):
        if not hit[h]:
            continue
        lo = max(0, h - SNIPPET_LEAD)
        hi = min(len(tokens), lo + SNIPPET_WORDS)
        lo = max(0, hi - SNIPPET_WORDS)
        distinct = {stem(tokens[i].word) for i in range(lo, hi) if hit[i]}
        count = sum(1 for i in range(lo, hi) if hit[i])
        if (len(distinct), count) > best:
            best = (len(distinct), count)
            start = lo
    end = min(len(tokens), start + SNIPPET_WORDS)
    lo = tokens[start].start if start > 0 else 0
    hi = tokens[end - 1].end if end < len(tokens) else len(text)
    parts = highlight(text, matched, lo, hi)
    if start > 0:
        parts.insert(0, Part("… ", False))
    if end < len(tokens):
        parts.append(Part(" …", False))
    return _merge(parts)


class SearchIndex:
    """The index data made searchable: postings, vocabulary and statistics."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        """Index every section's title, heading and body terms."""
        self.pages = [tuple(p) for p in data["pages"]]
        self.postings: dict[str, dict[int, list[int]]] = {}
        sums = [0, 0, 0]
        sections = []
        for sid, (page, heading, anchor, sub, body) in enumerate(data["sections"]):
            fields = (self.pages[page][2], f"{heading}\n{sub}", body)
            lengths = []
            for f, text in enumerate(fields):
                found = terms(text)
                lengths.append(len(found))
                sums[f] += len(found)
                for term in found:
                    counts = self.postings.setdefault(term, {})
                    counts.setdefault(sid, [0, 0, 0])[f] += 1
            url = self.pages[page][1] + (f"#{anchor}" if anchor else "")
            sections.append(
                _IndexedSection(page, heading, anchor, body, url, tuple(lengths))
            )
        self.sections = sections
        count = len(sections)
        self.averages = [s / count if count and s else 1 for s in sums]
        self.vocab = sorted(self.postings)
        self.by_length: dict[int, list[str]] = {}
        for term in self.vocab:
            self.by_length.setdefault(len(term), []).append(term)
        self.idf = {
            term: math.log(1 + (count - len(docs) + 0.5) / (len(docs) + 0.5))
            for term, docs in self.postings.items()
        }

    def _split(self, word: str) -> list[str] | None:
        """Split a word into two known words, if it can be."""
        for i in range(3, len(word) - 2):
            left, right = word[:i], word[i:]
            if (
                is_searchable(left)
                and is_searchable(right)
                and stem(left) in self.postings
                and stem(right) in self.postings
            ):
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
            if is_searchable(words[i]):
                split = (
                    None if stem(words[i]) in self.postings else self._split(words[i])
                )
                wanted.extend(split or [words[i]])
            i += 1
        return [
            Group(word, self._expand(stem(word), n == len(wanted) - 1))
            for n, word in enumerate(wanted)
        ]

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
                found.setdefault(other, PREFIX_WEIGHT)
        budget = 0 if exact else typo_budget(len(term))
        if budget:
            for length in range(len(term) - budget, len(term) + budget + 1):
                for other in self.by_length.get(length, ()):
                    distance = edit_distance(term, other, budget)
                    if (
                        0 < distance <= budget
                        and found.get(other, 0) < TYPO_WEIGHTS[distance]
                    ):
                        found[other] = TYPO_WEIGHTS[distance]
        ranked = sorted(
            found.items(), key=lambda kv: (-kv[1], -len(self.postings[kv[0]]), kv[0])
        )
        return tuple(Alternative(t, w) for t, w in ranked[:MAX_EXPANSIONS])

    def score_sections(
        self, groups: list[Group]
    ) -> list[tuple[int, float, frozenset[str]]]:
        """Score sections (BM25F, scaled by the share of query words matched)."""
        best: dict[int, list[float]] = {}
        matched: dict[int, set[str]] = {}
        for g, group in enumerate(groups):
            for alt in group.alternatives:
                idf = self.idf[alt.term]
                for sid, tf in self.postings[alt.term].items():
                    section = self.sections[sid]
                    weighted = 0.0
                    for f in range(3):
                        norm = (
                            1
                            - FIELD_B[f]
                            + FIELD_B[f] * section.lengths[f] / self.averages[f]
                        )
                        weighted += FIELD_WEIGHTS[f] * tf[f] / norm
                    value = alt.weight * idf * weighted * (K1 + 1) / (weighted + K1)
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

    def search(self, query: str, limit: int = 10) -> list[Result]:
        """Search: pages best first, each with its best section and a snippet."""
        groups = self.parse_query(query)
        if not groups:
            return []
        results: list[Result] = []
        by_page: dict[int, Result] = {}
        for sid, score, matched in self.score_sections(groups):
            section = self.sections[sid]
            existing = by_page.get(section.page)
            if existing is not None:
                if len(existing.more) < MAX_MORE and section.heading:
                    existing.more.append(
                        Link(section.heading, section.anchor, section.url)
                    )
                continue
            if len(results) >= limit:
                continue
            kind, url, title = self.pages[section.page]
            result = Result(
                kind=kind,
                url=url,
                title=title,
                title_parts=highlight(title, matched),
                section=Link(section.heading, section.anchor, section.url),
                heading_parts=highlight(section.heading, matched),
                snippet=snippet(section.body, matched),
                score=score,
            )
            by_page[section.page] = result
            results.append(result)
        return results
