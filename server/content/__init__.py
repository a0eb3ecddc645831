"""The words in content/, loaded once at start-up into one typed Library.

Pure logic: no Flask. Any problem raises ContentError naming the file, so bad
content stops the app. One module per content type (guide, help, crisis,
tools, publishers, plan, medicines), each with its models and a load
function; shared pieces live in parsing. After loading, every cited source
must be on an allowed host.

To add a content type: write its module here (models built on parsing.Strict,
a ``load_*`` function raising ContentError), add a field to Library and load it
in load_library. Pages, search and the precache list then reach it through the
Library they are given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .crisis import CrisisPhrases, load_crisis
from .guide import Article, load_guide
from .help import HelpLines, load_help
from .medicines import MEDICINES_FILE, Medicines, load_medicines
from .parsing import ContentError
from .plan import PlanSteps, load_plan
from .publishers import (
    CRISIS_FILE,
    HELP_FILE,
    PLAN_FILE,
    PUBLISHERS_FILE,
    Cited,
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
    crisis: CrisisPhrases
    tools: Tools
    publishers: Publishers
    plan: PlanSteps
    medicines: Medicines

    def article(self, slug: str) -> Article | None:
        """Return the article with this slug, if any."""
        return next((a for a in self.guide if a.slug == slug), None)

    @property
    def updated(self) -> dt.date:
        """The newest review date of any content: the version people see."""
        dates = [a.meta.reviewed for a in self.guide]
        dates += [e.meta.reviewed for e in self.tools.exercises]
        dates += [self.help.reviewed, self.crisis.reviewed]
        return max([*dates, self.tools.breathing.reviewed])


def load_library(root: Path) -> Library:
    """Load everything under a content folder; every source must be allowed."""
    library = Library(
        guide=load_guide(root / "guide"),
        help=load_help(root / HELP_FILE),
        crisis=load_crisis(root / CRISIS_FILE),
        tools=load_tools(root / "tools"),
        publishers=load_publishers(root / PUBLISHERS_FILE),
        plan=load_plan(root / PLAN_FILE),
        medicines=load_medicines(root / MEDICINES_FILE),
    )
    _check_quiet_sections(root / CRISIS_FILE, library)
    cited = [
        *cited_urls(root, library.guide, library.help, library.crisis, library.tools),
        *(Cited(str(root / PLAN_FILE), str(s.url)) for s in library.plan.sources),
        *(Cited(str(root / MEDICINES_FILE), u) for u in library.medicines.urls()),
    ]
    check_sources(library.publishers, cited, root / PUBLISHERS_FILE)
    return library


def _check_quiet_sections(path: Path, library: Library) -> None:
    """Refuse a quiet section that names no article section."""
    for quiet in library.crisis.quiet_sections:
        article = library.article(quiet.article)
        if article is None or quiet.anchor not in {h.anchor for h in article.headings}:
            raise ContentError(
                path, f"quiet section {quiet.article}#{quiet.anchor} does not exist"
            )
