"""What every content type shares: strict models, sources, errors, YAML, Markdown.

Pure logic: no Flask. Each content module builds on these, so a problem in any
file is reported the same way: one ContentError naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

ModelT = TypeVar("ModelT", bound=BaseModel)


class ContentError(ValueError):
    """A content file is malformed; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        """Remember the file and the problem."""
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class Strict(BaseModel):
    """A model that rejects unknown keys."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(Strict):
    """One source a piece of content cites."""

    title: str = Field(min_length=1)
    url: HttpUrl


def error_line(exc: ValidationError) -> str:
    """Squash a pydantic error into one readable clause."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    if err["type"] == "missing":
        return f"missing {where}"
    if err["type"] == "extra_forbidden":
        return f"unknown field {where}"
    return f"{where}: {err['msg']}"


def first_line(exc: Exception) -> str:
    """The first line of an exception's message, or 'unreadable' if it has none."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else "unreadable"


def read_yaml(path: Path, missing: str = "the file is missing") -> object:
    """Parse a YAML file, turning every failure into a ContentError."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(path, missing) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(path, f"malformed YAML ({first_line(exc)})") from None


def read_model(path: Path, model: type[ModelT], missing: str) -> ModelT:
    """Parse a YAML file into a strict model; every failure is a ContentError."""
    data = read_yaml(path, missing=missing)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(path, error_line(exc)) from None


def check_slug(path: Path, slug: str) -> None:
    """Refuse a file whose name (or slug) cannot be part of a URL."""
    if not SLUG_RE.match(slug):
        raise ContentError(path, f"file name {path.name!r} is not a valid slug")


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


#: The one Markdown renderer every content type uses.
MARKDOWN = make_markdown()
