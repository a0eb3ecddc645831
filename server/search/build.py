"""Build the search index data from the typed Library: pages, sections, tuning.

Pure logic: no Flask. URLs come from the url_for callable passed in, so the
index links to whatever the routes say.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from ..content import Library
from ..content.help import HelpLines
from .tuning import TUNING

INDEX_VERSION = 3
#: The help page's title, as its h1 says.
HELP_TITLE = "Get help now"
#: What each kind of page is called in the results.
KIND_LABELS = {"guide": "Guide article", "tool": "Coping tool", "help": "Get help now"}

#: Builds a URL from an endpoint and its values, like flask.url_for.
UrlFor = Callable[..., str]
#: (heading, anchor, context heading, body) of one section of a page.
Section = tuple[str, str, str, str]

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
            self._open(tag, values.get("id") or "")
        elif tag in _BLOCK_TAGS:
            self._text(" ")

    def _open(self, tag: str, anchor: str) -> None:
        """Start a section at a heading; an h3 keeps its h2's heading as context."""
        self.capture, self.captured_tag = [], tag
        self.current = _Section("", anchor)
        if tag == "h2":
            self.parent = self.current
        elif self.parent is not None:
            self.current.sub.append(self.parent.heading)
        self.sections.append(self.current)

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


def html_sections(html: str) -> list[Section]:
    """Split rendered article HTML into sections at each h2 and h3 heading."""
    splitter = _SectionSplitter()
    splitter.feed(html)
    splitter.close()
    out = []
    for section in splitter.sections:
        body = " ".join("".join(section.body).split())
        if body or section.heading:
            out.append((section.heading, section.anchor, "\n".join(section.sub), body))
    return out


def tool_rows(library: Library, url_for: UrlFor) -> list[tuple[str, str, str]]:
    """One (url, title, description) row per breathing pattern and exercise."""
    tools = library.tools
    rows = [
        (
            url_for("tools.breathing", slug=p.slug),
            p.title,
            f"{p.summary} {p.helps_with}",
        )
        for p in tools.patterns
    ]
    rows += [
        (url_for("tools.mindfulness", slug=e.slug), e.title, e.meta.summary)
        for e in tools.exercises
    ]
    return [(url, title, " ".join(words.split())) for url, title, words in rows]


def help_sections(lines: HelpLines) -> list[Section]:
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


def build_index_data(library: Library, url_for: UrlFor) -> dict[str, Any]:
    """Build the compact search index data: tuning, labels, pages, sections, crisis.

    ``quiet`` lists the sections whose text is never shown as a snippet, and
    ``crisis`` the phrases that make the results lead with the help block.
    """
    pages: list[list[Any]] = []
    sections: list[list[Any]] = []

    def add(kind: str, url: str, title: str, parts: list[Section]) -> None:
        """Add a page and its sections."""
        pages.append([kind, url, title])
        for heading, anchor, sub, body in parts:
            sections.append([len(pages) - 1, heading, anchor, sub, body])

    quiet = {(q.article, q.anchor) for q in library.crisis.quiet_sections}
    quiet_ids: list[int] = []
    for article in library.guide:
        url = url_for("guide.article", slug=article.slug)
        parts = html_sections(article.html)
        quiet_ids += [
            len(sections) + n
            for n, part in enumerate(parts)
            if (article.slug, part[1]) in quiet
        ]
        add("guide", url, article.title, parts)
    for url, title, description in tool_rows(library, url_for):
        add("tool", url, title, [("", "", "", description)])
    add("help", url_for("help.index"), HELP_TITLE, help_sections(library.help))
    return {
        "v": INDEX_VERSION,
        "tuning": TUNING.as_data(),
        "kinds": KIND_LABELS,
        "pages": pages,
        "sections": sections,
        "quiet": quiet_ids,
        "crisis": list(library.crisis.phrases),
    }


def index_json(data: Mapping[str, Any]) -> str:
    """Serialise index data as compact JSON."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
