"""The safety plan's steps and examples, in content/plan/steps.yaml.

Pure logic: no Flask. The file is read and checked once, at start-up. The
steps keep the order of the Safety Planning Intervention (Stanley and Brown),
in our own words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from .parsing import SLUG_RE, ContentError, Source, Strict, read_model

#: The steps, in the method's order; pages and the device's records use these slugs.
STEP_SLUGS = (
    "warning-signs",
    "on-my-own",
    "distraction",
    "ask-for-help",
    "professionals",
    "surroundings",
    "reasons",
)

Text = Annotated[str, Field(min_length=1)]


class Step(Strict):
    """One step of the plan: what it is for and a few answers to tap."""

    slug: Annotated[str, Field(pattern=SLUG_RE.pattern)]
    title: Text
    text: Text
    field: Text
    examples: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(
        max_length=8
    )
    contacts: Literal["people", "services"] | None = None


class PlanSteps(Strict):
    """content/plan/steps.yaml."""

    reviewed: dt.date
    credit: Text
    sources: list[Source] = Field(min_length=1)
    intro: Text
    paper: Text
    steps: list[Step]

    def as_data(self) -> dict:
        """What the page's script needs: the steps as plain values."""
        return {"steps": [s.model_dump() for s in self.steps]}


def load_plan(path: Path) -> PlanSteps:
    """Read and validate the safety plan's steps."""
    plan = read_model(path, PlanSteps, missing="the safety plan's steps are missing")
    slugs = tuple(s.slug for s in plan.steps)
    if slugs != STEP_SLUGS:
        raise ContentError(path, f"the steps must be {', '.join(STEP_SLUGS)}")
    return plan
