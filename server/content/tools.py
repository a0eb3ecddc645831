"""The coping tools: breathing patterns and guided exercises, in content/tools/.

Pure logic: no Flask. Everything is read and rendered once, at start-up.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from .parsing import (
    MARKDOWN,
    SLUG_RE,
    ContentError,
    Source,
    Strict,
    check_slug,
    error_line,
    read_yaml,
)

#: Custom patterns live on the device, at /tools/breathing/custom.
CUSTOM_SLUG = "custom"
#: The longest phase a shipped or custom pattern may have, in seconds.
MAX_PHASE_SECONDS = 20
#: Session lengths offered in minutes.
MINUTE_CHOICES = (1, 3, 5, 10)
#: Guide articles link to these; they must always exist.
REQUIRED_PATTERNS = ("box", "4-7-8", "resonance", "cyclic-sighing")
REQUIRED_EXERCISES = (
    "grounding",
    "body-scan",
    "mindful-minute",
    "self-compassion",
    "muscle-relaxation",
)

Slug = Annotated[str, Field(pattern=SLUG_RE.pattern)]
Text = Annotated[str, Field(min_length=1)]


class Phase(Strict):
    """One phase of a breathing pattern."""

    kind: Literal["in", "hold", "out"]
    seconds: float = Field(gt=0, le=MAX_PHASE_SECONDS)
    label: Text
    level: float | None = Field(default=None, ge=0, le=1)


class SessionLength(Strict):
    """The session length a pattern starts with."""

    kind: Literal["minutes", "cycles", "open"]
    value: int | None = None

    @model_validator(mode="after")
    def _check_value(self) -> SessionLength:
        """Minutes come from the offered choices; cycles from 1 to 100."""
        if self.kind == "minutes" and self.value not in MINUTE_CHOICES:
            raise ValueError(f"minutes must be one of {MINUTE_CHOICES}")
        if self.kind == "cycles" and not (self.value and 1 <= self.value <= 100):
            raise ValueError("cycles must be 1 to 100")
        if self.kind == "open" and self.value is not None:
            raise ValueError("an open-ended session has no value")
        return self

    @property
    def token(self) -> str:
        """The form value for this length, e.g. 'minutes:3', 'cycles' or 'open'."""
        return f"minutes:{self.value}" if self.kind == "minutes" else self.kind


class Pattern(Strict):
    """A breathing pattern with its honest note."""

    slug: Slug
    title: Text
    summary: str = Field(min_length=1, max_length=200)
    phases: list[Phase] = Field(min_length=2)
    length: SessionLength
    helps_with: Text
    evidence: Text
    evidence_strength: Literal["some", "weak"]
    sources: list[Source] = Field(min_length=1)
    caution: str | None = None

    @model_validator(mode="after")
    def _check_breath(self) -> Pattern:
        """A pattern breathes both in and out and is not the reserved custom slug."""
        kinds = {p.kind for p in self.phases}
        if not {"in", "out"} <= kinds:
            raise ValueError("a pattern needs at least one in and one out phase")
        if self.slug == CUSTOM_SLUG:
            raise ValueError(f"{CUSTOM_SLUG!r} is kept for patterns made on the device")
        return self

    @property
    def cycle_seconds(self) -> float:
        """Length of one breath cycle in seconds."""
        return sum(p.seconds for p in self.phases)

    @property
    def breaths_per_minute(self) -> float:
        """Breaths (cycles) per minute, to one decimal place."""
        return round(60 / self.cycle_seconds, 1)

    def steps_in_words(self) -> list[str]:
        """Each phase as words, e.g. 'Breathe in for 4 seconds'."""
        return [f"{p.label} for {_seconds(p.seconds)}" for p in self.phases]

    def as_json(self) -> str:
        """The pattern as the browser's breathing engine wants it."""
        phases = [
            {"kind": p.kind, "seconds": p.seconds, "label": p.label}
            | ({"level": p.level} if p.level is not None else {})
            for p in self.phases
        ]
        return json.dumps(
            {"slug": self.slug, "title": self.title, "phases": phases},
            separators=(",", ":"),
        )


class BreathingFile(Strict):
    """content/tools/breathing.yaml."""

    reviewed: dt.date
    safety: Text
    intro: Text
    sources: list[Source] = Field(min_length=1)
    patterns: list[Pattern] = Field(min_length=1)


class Notice(Strict):
    """Optional boxes for writing down what you notice (grounding)."""

    count: int = Field(ge=1, le=10)
    label: Text


class StepInput(Strict):
    """One step of a guided exercise, as written."""

    title: Text
    text: Text
    seconds: int | None = Field(default=None, ge=5, le=600)
    bell: bool = False
    notice: Notice | None = None


class ExerciseMeta(Strict):
    """A guided exercise file, as written."""

    title: str = Field(min_length=1, max_length=80)
    summary: str = Field(min_length=1, max_length=200)
    order: int
    reviewed: dt.date
    evidence: Text
    sources: list[Source] = Field(min_length=1)
    intro: Text
    steps: list[StepInput] = Field(min_length=3)
    closing: Text


@dataclass(frozen=True)
class Step:
    """A step, rendered."""

    title: str
    html: str
    text: str
    seconds: int | None
    bell: bool
    notice: Notice | None


@dataclass(frozen=True)
class Exercise:
    """A guided exercise, rendered once."""

    slug: str
    meta: ExerciseMeta
    intro_html: str
    closing_html: str
    steps: tuple[Step, ...]
    path: str

    @property
    def title(self) -> str:
        """The exercise's title."""
        return self.meta.title

    @property
    def has_bell(self) -> bool:
        """Whether any step rings the bell."""
        return any(step.bell for step in self.steps)

    @property
    def self_paced(self) -> bool:
        """Whether any step waits for the person to tap Next."""
        return any(step.seconds is None for step in self.steps)

    @property
    def minutes(self) -> int:
        """Rough length in whole minutes (a self-paced step counts as 30 s)."""
        total = sum(30 if s.seconds is None else s.seconds for s in self.steps)
        return max(1, int(total / 60 + 0.5))


@dataclass(frozen=True)
class Tools:
    """Every coping tool, loaded once at start-up."""

    breathing: BreathingFile
    exercises: tuple[Exercise, ...]

    @property
    def patterns(self) -> list[Pattern]:
        """The shipped breathing patterns, in order."""
        return self.breathing.patterns

    def pattern(self, slug: str) -> Pattern | None:
        """Return the breathing pattern with this slug, if any."""
        return next((p for p in self.breathing.patterns if p.slug == slug), None)

    def exercise(self, slug: str) -> Exercise | None:
        """Return the guided exercise with this slug, if any."""
        return next((e for e in self.exercises if e.slug == slug), None)


def _seconds(value: float) -> str:
    """'4 seconds', '5.5 seconds', '1 second'."""
    text = f"{value:g}"
    return f"{text} second" if value == 1 else f"{text} seconds"


def _render(path: Path, where: str, markdown: str) -> tuple[str, str]:
    """Render Markdown to HTML and plain text; refuse headings and empty text."""
    tokens = MARKDOWN.parse(markdown, {})
    if any(t.type == "heading_open" for t in tokens):
        raise ContentError(path, f"{where}: headings are not allowed here")
    text = "".join(
        c.content for t in tokens if t.type == "inline" for c in t.children or []
    )
    if not text.strip():
        raise ContentError(path, f"{where}: the text is empty")
    return MARKDOWN.renderer.render(tokens, MARKDOWN.options, {}), text.strip()


def load_breathing(path: Path) -> BreathingFile:
    """Read and validate the breathing patterns file."""
    try:
        breathing = BreathingFile.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise ContentError(path, error_line(exc)) from None
    slugs = [p.slug for p in breathing.patterns]
    for slug in slugs:
        if slugs.count(slug) > 1:
            raise ContentError(path, f"duplicate pattern slug {slug!r}")
    missing = [s for s in REQUIRED_PATTERNS if s not in slugs]
    if missing:
        raise ContentError(path, f"missing pattern(s) the guide links to: {missing}")
    return breathing


def parse_exercise(path: Path) -> Exercise:
    """Read, validate and render one guided exercise."""
    slug = path.stem
    check_slug(path, slug)
    try:
        meta = ExerciseMeta.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise ContentError(path, error_line(exc)) from None
    steps = []
    for i, step in enumerate(meta.steps, start=1):
        html, text = _render(path, f"steps.{i}.text", step.text)
        steps.append(Step(step.title, html, text, step.seconds, step.bell, step.notice))
    return Exercise(
        slug=slug,
        meta=meta,
        intro_html=_render(path, "intro", meta.intro)[0],
        closing_html=_render(path, "closing", meta.closing)[0],
        steps=tuple(steps),
        path=str(path),
    )


def load_exercises(folder: Path) -> tuple[Exercise, ...]:
    """Load every guided exercise in a folder, sorted by order."""
    if not folder.is_dir():
        raise ContentError(folder, "the mindfulness folder is missing")
    exercises = tuple(
        sorted(
            (parse_exercise(p) for p in sorted(folder.glob("*.yaml"))),
            key=lambda e: (e.meta.order, e.slug),
        )
    )
    slugs = {e.slug for e in exercises}
    missing = [s for s in REQUIRED_EXERCISES if s not in slugs]
    if missing:
        raise ContentError(folder, f"missing exercise(s) the guide links to: {missing}")
    return exercises


def load_tools(root: Path) -> Tools:
    """Load content/tools/: breathing.yaml and mindfulness/*.yaml."""
    return Tools(
        breathing=load_breathing(root / "breathing.yaml"),
        exercises=load_exercises(root / "mindfulness"),
    )
