"""The words in content/, loaded once at start-up into one typed Library.

Pure logic: no Flask. Any problem raises ContentError naming the file, so bad
content stops the app. One module per content type (guide, help, tools,
publishers), each with its models and a load function; shared pieces live in
parsing. After loading, every cited source must be on an allowed host.

To add a content type: write its module here (models built on parsing.Strict,
a ``load_*`` function raising ContentError), add a field to Library and load it
in load_library. Pages, search and the precache list then reach it through the
Library they are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .guide import Article, load_guide
from .help import HelpLines, load_help
from .parsing import ContentError
from .publishers import (
    HELP_FILE,
    PUBLISHERS_FILE,
    Publishers,
    check_sources,
    cited_urls,
    load_publishers,
)
from .tools import Tools, load_tools

__all__ = ["ContentError", "Library", "load_library"]


@dataclass(frozen=True)
class Library:
    """All content, loaded once at start-up."""

    guide: tuple[Article, ...]
    help: HelpLines
    tools: Tools
    publishers: Publishers

    def article(self, slug: str) -> Article | None:
        """Return the article with this slug, if any."""
        return next((a for a in self.guide if a.slug == slug), None)


def load_library(root: Path) -> Library:
    """Load everything under a content folder; every source must be allowed."""
    library = Library(
        guide=load_guide(root / "guide"),
        help=load_help(root / HELP_FILE),
        tools=load_tools(root / "tools"),
        publishers=load_publishers(root / PUBLISHERS_FILE),
    )
    cited = cited_urls(root, library.guide, library.help, library.tools)
    check_sources(library.publishers, cited, root / PUBLISHERS_FILE)
    return library
