"""Crisis phrases: what a search must recognise, in content/help/crisis-phrases.yaml.

Pure logic: no Flask. The file is read and checked once, at start-up; the
matching itself lives with search (server/search/crisis.py and
frontend/js/search-model.mjs), which both read these phrases from the index.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import Field

from .parsing import SLUG_RE, ContentError, Source, Strict, read_model

#: A phrase is plain lower-case words: letters, digits and single spaces.
PHRASE_RE = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*$")


class QuietSection(Strict):
    """A guide section whose text is never shown as a search snippet."""

    article: str = Field(pattern=SLUG_RE.pattern)
    anchor: str = Field(min_length=1)


class CrisisPhrases(Strict):
    """content/help/crisis-phrases.yaml."""

    reviewed: dt.date
    sources: list[Source] = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)
    quiet_sections: list[QuietSection] = Field(default_factory=list)


def load_crisis(path: Path) -> CrisisPhrases:
    """Read and validate the crisis phrases file."""
    crisis = read_model(
        path, CrisisPhrases, missing="the crisis phrases file is missing"
    )
    for phrase in crisis.phrases:
        if not PHRASE_RE.match(phrase):
            raise ContentError(
                path, f"phrase {phrase!r} must be lower-case words and single spaces"
            )
    if len(set(crisis.phrases)) != len(crisis.phrases):
        raise ContentError(path, "a phrase is listed twice")
    return crisis
