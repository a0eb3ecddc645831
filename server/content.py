"""Load and validate the words in content/: guide articles and crisis lines.

Pure logic: no Flask. Everything is parsed and rendered once, at start-up; any
problem raises ContentError naming the file, so bad content stops the app.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import frontmatter
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

WORDS_PER_MINUTE = 200
# An article with at least this many sections gets a table of contents.
TOC_MIN_SECTIONS = 4
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        """Remember the file and the problem."""
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class _Strict(BaseModel):
    """A model that rejects unknown keys."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(_Strict):
    """One source an article cites."""

    title: str = Field(min_length=1)
    url: HttpUrl


class ArticleMeta(_Strict):
    """The front matter every guide article must have."""

    title: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1, max_length=300)
    order: int
    reviewed: dt.date
    sources: list[Source] = Field(min_length=1)
    slug: str | None = Field(default=None, pattern=SLUG_RE.pattern)


@dataclass(frozen=True)
class Heading:
    """A section heading, for the table of contents."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Article:
    """A guide article, rendered once."""

    slug: str
    meta: ArticleMeta
    html: str
    text: str
    words: int
    headings: tuple[Heading, ...]
    path: str

    @property
    def title(self) -> str:
        """The article's title."""
        return self.meta.title

    @property
    def reading_minutes(self) -> int:
        """Estimated reading time in whole minutes (at least one)."""
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    @property
    def toc(self) -> tuple[Heading, ...]:
        """Level-2 headings when the article is long enough to need a contents list."""
        sections = tuple(h for h in self.headings if h.level == 2)
        return sections if len(sections) >= TOC_MIN_SECTIONS else ()


def _render_questions(self, tokens: list[Token], idx: int, _options, env) -> str:
    """Render a ::: questions container as a labelled aside."""
    if tokens[idx].nesting == 1:
        env["questions"] = env.get("questions", 0) + 1
        anchor = f"questions-{env['questions']}"
        return (
            f'<aside class="questions" aria-labelledby="{anchor}">'
            f'<h2 id="{anchor}">Questions to ask your clinician</h2>\n'
        )
    return "</aside>\n"


def _slugify(text: str) -> str:
    """Make a heading anchor from its text."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def make_markdown() -> MarkdownIt:
    """Build the Markdown renderer: CommonMark, no raw HTML, anchored headings."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "replacements", "smartquotes"])
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=_slugify)
    md.use(container_plugin, name="questions", render=_render_questions)
    return md


_MD = make_markdown()


def _headings(tokens: list[Token]) -> tuple[Heading, ...]:
    """Collect h2/h3 headings with their anchors from parsed tokens."""
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in {"h2", "h3"}:
            found.append(
                Heading(
                    level=int(token.tag[1]),
                    text=tokens[i + 1].content,
                    anchor=str(token.attrs.get("id", "")),
                )
            )
    return tuple(found)


def _plain_text(tokens: list[Token]) -> str:
    """Return the visible text of parsed Markdown."""
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.extend(child.content for child in token.children or [])
            parts.append("\n")
    return "".join(parts)


def _error_line(exc: ValidationError) -> str:
    """Squash a pydantic error into one readable clause."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    if err["type"] == "missing":
        return f"missing {where}"
    if err["type"] == "extra_forbidden":
        return f"unknown field {where}"
    return f"{where}: {err['msg']}"


def parse_article(path: Path) -> Article:
    """Read, validate and render one guide article."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        raise ContentError(path, f"malformed front matter ({first})") from None
    if not post.metadata:
        raise ContentError(path, "missing front matter (title, summary, ...)")
    try:
        meta = ArticleMeta.model_validate(post.metadata)
    except ValidationError as exc:
        raise ContentError(path, _error_line(exc)) from None
    slug = meta.slug or path.stem
    if not SLUG_RE.match(slug):
        raise ContentError(path, f"file name {path.name!r} is not a valid slug")
    env: dict = {}
    tokens = _MD.parse(post.content, env)
    html = _MD.renderer.render(tokens, _MD.options, env)
    text = _plain_text(tokens)
    if not text.strip():
        raise ContentError(path, "the article has no body text")
    return Article(
        slug=slug,
        meta=meta,
        html=html,
        text=text,
        words=len(text.split()),
        headings=_headings(tokens),
        path=str(path),
    )


def load_guide(folder: Path) -> tuple[Article, ...]:
    """Load every article in a folder, sorted by order; reject duplicate slugs."""
    if not folder.is_dir():
        raise ContentError(folder, "the guide folder is missing")
    articles: dict[str, Article] = {}
    for path in sorted(folder.glob("*.md")):
        article = parse_article(path)
        if article.slug in articles:
            other = Path(articles[article.slug].path).name
            raise ContentError(path, f"duplicate slug {article.slug!r} (also {other})")
        articles[article.slug] = article
    if not articles:
        raise ContentError(folder, "no guide articles found")
    return tuple(sorted(articles.values(), key=lambda a: (a.meta.order, a.slug)))


# --- Crisis lines --------------------------------------------------------------


class Contact(_Strict):
    """A way to reach a line: a number to call or text."""

    kind: Literal["call", "text"]
    label: str = Field(min_length=1)
    number: str = Field(pattern=r"^\+?[0-9][0-9 \-]*$")
    body: str | None = None

    @property
    def href(self) -> str:
        """The tel: or sms: link for this contact."""
        digits = re.sub(r"[ \-]", "", self.number)
        if self.kind == "call":
            return f"tel:{digits}"
        return f"sms:{digits}" + (f"?body={self.body}" if self.body else "")


class Line(_Strict):
    """One helpline."""

    name: str = Field(min_length=1)
    purpose: Literal["crisis", "referral", "support"]
    description: str = Field(min_length=1)
    hours: str = Field(min_length=1)
    url: HttpUrl | None = None
    contacts: list[Contact] = Field(min_length=1)


class Country(_Strict):
    """The help available in one country."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1)
    emergency: str = Field(pattern=r"^[0-9]{3}$")
    emergency_alt: str | None = Field(default=None, pattern=r"^[0-9]{3}$")
    lines: list[Line] = Field(min_length=1)


class Directory(_Strict):
    """The international directory for everywhere else."""

    name: str = Field(min_length=1)
    url: HttpUrl
    description: str = Field(min_length=1)


class HelpLines(_Strict):
    """content/help/lines.yaml."""

    reviewed: dt.date
    sources: list[Source] = Field(min_length=1)
    international: Directory
    countries: list[Country] = Field(min_length=1)

    def country(self, code: str) -> Country | None:
        """Return the country with this ISO code, if listed."""
        return next((c for c in self.countries if c.code == code.upper()), None)


def load_help(path: Path) -> HelpLines:
    """Read and validate the crisis lines file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(path, "the crisis lines file is missing") from None
    except yaml.YAMLError as exc:
        raise ContentError(
            path, f"malformed YAML ({str(exc).splitlines()[0]})"
        ) from None
    try:
        lines = HelpLines.model_validate(data)
    except ValidationError as exc:
        raise ContentError(path, _error_line(exc)) from None
    codes = [c.code for c in lines.countries]
    if len(set(codes)) != len(codes):
        raise ContentError(path, "a country is listed twice")
    for country in lines.countries:
        if not any(line.purpose == "crisis" for line in country.lines):
            raise ContentError(path, f"{country.code} has no crisis line")
    return lines


@dataclass
class Library:
    """All content, loaded once at start-up."""

    guide: tuple[Article, ...]
    help: HelpLines
    extra: dict[str, object] = field(default_factory=dict)

    def article(self, slug: str) -> Article | None:
        """Return the article with this slug, if any."""
        return next((a for a in self.guide if a.slug == slug), None)


def load_library(root: Path) -> Library:
    """Load everything under a content folder."""
    return Library(
        guide=load_guide(root / "guide"), help=load_help(root / "help" / "lines.yaml")
    )
