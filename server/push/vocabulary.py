"""Reminder kinds and weekdays, defined once in vocabulary.json.

The API's validation, the notification payloads, the reminders page (its
form and, through a JSON data block, its JavaScript) and the JavaScript
tests all read that one file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).with_name("vocabulary.json")


@dataclass(frozen=True)
class Kind:
    """One kind of reminder: its words on the page, in a notification, and its link."""

    id: str
    #: The reminder's name in the page's list ("Breathing break").
    label: str
    #: The kind's choice in the form ("A breathing break").
    option: str
    #: The path on this site that tapping the notification opens.
    navigate: str
    #: Seconds the notification stays useful; the push service drops it after.
    ttl: int
    #: Plain (not discreet) notification title and body.
    title: str
    body: str


@dataclass(frozen=True)
class Day:
    """A weekday: its spelling in the API and its name for people."""

    id: str
    name: str


@dataclass(frozen=True)
class Vocabulary:
    """Every reminder kind in the form's order, and the weekdays from Monday."""

    kinds: tuple[Kind, ...]
    days: tuple[Day, ...]

    def page_data(self) -> dict[str, Any]:
        """What the page's JavaScript needs: ids, labels and day names."""
        return {
            "kinds": [{"id": k.id, "label": k.label} for k in self.kinds],
            "days": [{"id": d.id, "name": d.name} for d in self.days],
        }


def load(path: Path = SOURCE) -> Vocabulary:
    """Read the vocabulary file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Vocabulary(
        kinds=tuple(Kind(**item) for item in data["kinds"]),
        days=tuple(Day(**item) for item in data["days"]),
    )


VOCABULARY = load()
#: Kind ids in the form's order, as the API spells them.
KIND_IDS = tuple(kind.id for kind in VOCABULARY.kinds)
#: Day ids from Monday; a day's position is its weekday number (date.weekday()).
DAY_IDS = tuple(day.id for day in VOCABULARY.days)
