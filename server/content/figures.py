"""Figures in the guide must be attributed: the rule, as pure functions.

A *figure* is a number a reader might quote: a percentage ("55%"), a rate
("1 in 4", "29 out of 100"), a year ("2019"), or any other number of 10 or
more written in digits ("1,475 people", "25 mg"). Not figures: numbers under
10 ("step 2", "4 to 6 weeks"), numbers joined to letters ("NG222", "CYP2D6"),
clock times ("10 a.m."), "24/7", and the phone and text numbers listed in
content/help/lines.yaml (988, 116 123 ...).

The rule: every figure is *attributed within its section*. The paragraph or
list item that holds it, or an earlier one under the same heading, must name
one of the sources the article lists, by one of that source's keys. A
source's keys are the first word of its title when the title starts with a
short name and a comma (an author's surname or the publisher, such as "Rush"
in "Rush AJ et al., ..." or "Mayo" in "Mayo Clinic, ..."), the last
comma-separated part of its title without its year (the journal, such as
"World Psychiatry"), and every acronym in its title (a word with two or more
capital letters, such as "NICE", "STAR*D", "FDA", "TA854").

docs/content-style.md explains the rule to writers;
tests/server/test_figures.py applies it to every article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markdown_it.token import Token

from .guide import ArticleMeta
from .parsing import MARKDOWN

_PERCENT = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:%|per ?cent)")
_RATE = re.compile(r"(?<![\w.,])\d+\s+(?:in|out of)\s+(?:every\s+)?\d+(?![\w.,]\d)")
_YEAR = re.compile(r"(?<![\w.,/-])(?:19|20)\d\d(?![\w%])")
_COUNT = re.compile(r"(?<![\w.,/-])(?:\d{1,3}(?:,\d{3})+|\d{2,})(?:\.\d+)?(?![\w/])")
_NOT_FIGURES = re.compile(r"\b24/7\b|\b\d{1,2}(?::\d\d)?\s?[ap]\.m\.")
#: A title starts with a name (author or publisher) if its part before the first
#: comma has at most this many words.
MAX_LEAD_WORDS = 4
_TITLE_WORD = re.compile(r"[A-Za-z][\w*&'-]*")


@dataclass(frozen=True)
class Unattributed:
    """A figure with no source named before it in its section."""

    figure: str
    block: str


def source_keys(meta: ArticleMeta) -> set[str]:
    """The names by which an article's text may point at its sources."""
    keys: set[str] = set()
    for source in meta.sources:
        words = _TITLE_WORD.findall(source.title)
        lead = source.title.split(",", 1)[0]
        if words and "," in source.title and len(lead.split()) <= MAX_LEAD_WORDS:
            keys.add(words[0])
        journal = _YEAR.sub("", source.title.rsplit(",", 1)[-1]).strip(" .")
        if "," in source.title and journal:
            keys.add(journal)
        keys.update(w for w in words if sum(c.isupper() for c in w) >= 2)
    return keys


def _number_pattern(number: str) -> re.Pattern[str]:
    """Match a phone number however it is spaced or hyphenated."""
    digits = re.sub(r"\D", "", number)
    return re.compile(r"(?<!\d)" + r"[ \-]?".join(digits) + r"(?!\d)")


def figures(text: str, contact_numbers: Iterable[str] = ()) -> list[str]:
    """Every figure in a piece of text, in order of appearance."""
    text = _NOT_FIGURES.sub(" ", text)
    for number in sorted(set(contact_numbers), key=len, reverse=True):
        text = _number_pattern(number).sub(" ", text)
    found: list[tuple[int, str]] = []
    for pattern in (_PERCENT, _RATE, _YEAR, _COUNT):
        for match in pattern.finditer(text):
            found.append((match.start(), match.group()))
            blank = " " * len(match.group())
            text = text[: match.start()] + blank + text[match.end() :]
    return [figure for _, figure in sorted(found)]


def _sections(tokens: list[Token]) -> Iterator[list[str]]:
    """The text blocks (paragraphs, list items) under each heading, in order."""
    section: list[str] = []
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            if section:
                yield section
            section, in_heading = [], True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading:
            section.append(token.content)
    if section:
        yield section


def _named(block: str, keys: set[str]) -> bool:
    """Whether a block names one of the keys as a whole word."""
    return any(re.search(rf"(?<!\w){re.escape(k)}(?!\w)", block) for k in keys)


def unattributed(
    body: str, meta: ArticleMeta, contact_numbers: Iterable[str] = ()
) -> list[Unattributed]:
    """Figures in an article's Markdown body that no source is named for."""
    keys = source_keys(meta)
    numbers = list(contact_numbers)
    problems = []
    for section in _sections(MARKDOWN.parse(body, {})):
        attributed = False
        for block in section:
            attributed = attributed or _named(block, keys)
            if not attributed:
                problems.extend(Unattributed(f, block) for f in figures(block, numbers))
    return problems
