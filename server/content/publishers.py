"""Allowed publishers: the reviewed list of hosts a source may come from.

Pure logic: no Flask. content/publishers.yaml lists each host with who runs it
and what kind of publisher it is. After everything else is loaded,
check_sources refuses any source URL (guide articles, crisis lines, coping
tools) whose host is not on the list, so a mirror, a development server or a
news re-telling cannot slip in unreviewed. Adding a host is one reviewed line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field

from .crisis import CrisisPhrases
from .guide import Article
from .help import HelpLines
from .parsing import ContentError, Strict, read_model
from .tools import Tools

#: Where the files that cite sources live, relative to the content folder.
PUBLISHERS_FILE = "publishers.yaml"
HELP_FILE = "help/lines.yaml"
CRISIS_FILE = "help/crisis-phrases.yaml"
BREATHING_FILE = "tools/breathing.yaml"
PLAN_FILE = "plan/steps.yaml"

#: A host name as written in the list: lower case, no scheme, no path.
HOST_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"


class Publisher(Strict):
    """One allowed host and who publishes there."""

    host: str = Field(pattern=HOST_PATTERN)
    name: str = Field(min_length=1)
    kind: Literal[
        "regulator",
        "guideline",
        "government",
        "journal",
        "index",
        "university",
        "health-service",
        "charity",
        "service",
        "professional-body",
        "company",
        "practice",
        "news",
    ]
    note: str | None = None


class Publishers(Strict):
    """content/publishers.yaml."""

    reviewed: dt.date
    publishers: list[Publisher] = Field(min_length=1)

    def allows(self, url: str) -> bool:
        """Whether a URL's host is on the list (a leading www. is ignored)."""
        return normalise_host(url) in self.hosts

    @property
    def hosts(self) -> frozenset[str]:
        """Every allowed host."""
        return frozenset(p.host for p in self.publishers)


def normalise_host(url: str) -> str:
    """The host of a URL in lower case, without a leading www."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def load_publishers(path: Path) -> Publishers:
    """Read and validate the allowed-publishers list."""
    publishers = read_model(
        path, Publishers, missing="the allowed-publishers list is missing"
    )
    seen: set[str] = set()
    for publisher in publishers.publishers:
        if publisher.host.startswith("www."):
            raise ContentError(path, f"write {publisher.host!r} without www.")
        if publisher.host in seen:
            raise ContentError(path, f"host {publisher.host!r} is listed twice")
        seen.add(publisher.host)
    return publishers


@dataclass(frozen=True)
class Cited:
    """One URL a content file cites, with the file it came from."""

    path: str
    url: str


def _help_urls(help_lines: HelpLines) -> Iterator[str]:
    """The crisis lines file's sources, its directory and every line's own link."""
    yield from (str(source.url) for source in help_lines.sources)
    yield str(help_lines.international.url)
    for country in help_lines.countries:
        yield from (str(line.url) for line in country.lines if line.url)


def cited_urls(
    root: Path,
    guide: Iterable[Article],
    help_lines: HelpLines,
    crisis: CrisisPhrases,
    tools: Tools,
) -> Iterator[Cited]:
    """Every source URL in the guide, the help content and the coping tools."""
    for article in guide:
        for source in article.meta.sources:
            yield Cited(article.path, str(source.url))
    yield from (Cited(str(root / HELP_FILE), url) for url in _help_urls(help_lines))
    for source in crisis.sources:
        yield Cited(str(root / CRISIS_FILE), str(source.url))
    breathing = tools.breathing
    breathing_path = str(root / BREATHING_FILE)
    for source in breathing.sources:
        yield Cited(breathing_path, str(source.url))
    for pattern in breathing.patterns:
        for source in pattern.sources:
            yield Cited(breathing_path, str(source.url))
    for exercise in tools.exercises:
        for source in exercise.meta.sources:
            yield Cited(exercise.path, str(source.url))


def check_sources(
    publishers: Publishers, cited: Iterable[Cited], list_path: Path
) -> None:
    """Refuse the first source whose host is not an allowed publisher."""
    for item in cited:
        if not publishers.allows(item.url):
            host = normalise_host(item.url)
            raise ContentError(
                item.path,
                f"source {item.url} is on {host!r}, which is not an allowed "
                f"publisher (add it to {list_path.name} after review)",
            )
