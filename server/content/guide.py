"""The guide: Markdown articles with front matter, in content/guide/.

Pure logic: no Flask. Each article is parsed and rendered once, at start-up.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml
from markdown_it.token import Token
from pydantic import Field, ValidationError

from .parsing import (
    MARKDOWN,
    SLUG_RE,
    ContentError,
    Source,
    Strict,
    check_slug,
    error_line,
    first_line,
)

WORDS_PER_MINUTE = 200
# An article with at least this many sections gets a table of contents.
TOC_MIN_SECTIONS = 4


class ArticleMeta(Strict):
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
class QuestionBox:
    """One "Questions to ask your clinician" box: its anchor and its questions."""

    anchor: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """A guide article, rendered once."""

    slug: str
    meta: ArticleMeta
    html: str
    lead_html: str
    body_html: str
    text: str
    words: int
    headings: tuple[Heading, ...]
    path: str
    question_boxes: tuple[QuestionBox, ...] = ()

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


def _question_boxes(tokens: list[Token]) -> tuple[QuestionBox, ...]:
    """Collect each ::: questions box's list items, numbered as the renderer does."""
    boxes: list[QuestionBox] = []
    inside, depth, found = False, 0, []
    for token in tokens:
        if token.type.startswith("container_questions"):
            inside = token.nesting == 1
            if not inside:
                boxes.append(QuestionBox(f"questions-{len(boxes) + 1}", tuple(found)))
            found = []
        elif inside and token.type.startswith("list_item"):
            depth += token.nesting
        elif inside and depth and token.type == "inline":
            found.append("".join(c.content for c in token.children or []).strip())
    return tuple(boxes)


def _first_section(tokens: list[Token]) -> int:
    """Return the index of the first level-2 heading (the end of the lead)."""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            return i
    return len(tokens)


def _plain_text(tokens: list[Token]) -> str:
    """Return the visible text of parsed Markdown."""
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.extend(child.content for child in token.children or [])
            parts.append("\n")
    return "".join(parts)


def parse_article(path: Path) -> Article:
    """Read, validate and render one guide article."""
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError, UnicodeDecodeError) as exc:
        problem = f"malformed front matter ({first_line(exc)})"
        raise ContentError(path, problem) from None
    if not post.metadata:
        raise ContentError(path, "missing front matter (title, summary, ...)")
    try:
        meta = ArticleMeta.model_validate(post.metadata)
    except ValidationError as exc:
        raise ContentError(path, error_line(exc)) from None
    slug = meta.slug or path.stem
    check_slug(path, slug)
    env: dict = {}
    tokens = MARKDOWN.parse(post.content, env)
    html = MARKDOWN.renderer.render(tokens, MARKDOWN.options, dict(env))
    split, parts_env = _first_section(tokens), dict(env)  # the same anchors as html
    lead_html = MARKDOWN.renderer.render(tokens[:split], MARKDOWN.options, parts_env)
    body_html = MARKDOWN.renderer.render(tokens[split:], MARKDOWN.options, parts_env)
    text = _plain_text(tokens)
    if not text.strip():
        raise ContentError(path, "the article has no body text")
    return Article(
        slug=slug,
        meta=meta,
        html=html,
        lead_html=lead_html,
        body_html=body_html,
        text=text,
        words=len(text.split()),
        headings=_headings(tokens),
        path=str(path),
        question_boxes=_question_boxes(tokens),
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
