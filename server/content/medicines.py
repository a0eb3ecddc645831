"""The medicines list for the treatment log, in content/medicines.yaml.

Pure logic: no Flask. Read and checked once, at start-up: ids are unique
slugs, every medicine's class and every cited source exist, and a usual
minimum dose is only accepted with the published source that gives it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from .parsing import SLUG_RE, ContentError, Source, Strict, read_model

#: Where the list lives, under the content folder.
MEDICINES_FILE = "medicines.yaml"

Slug = Annotated[str, Field(pattern=SLUG_RE.pattern, max_length=60)]
Text = Annotated[str, Field(min_length=1, max_length=120)]


class MinimumDose(Strict):
    """A usual minimum effective dose, with the source that states it."""

    amount: Annotated[float, Field(gt=0)]
    unit: Annotated[str, Field(min_length=1, max_length=20)]
    source: Source


class MedicineClass(Strict):
    """A class of medicine and the sources that name its members."""

    id: Slug
    name: Text
    sources: list[Slug] = Field(min_length=1)


class Medicine(Strict):
    """One medicine: generic name, brand names, class."""

    id: Slug
    name: Text
    brands: list[Text] = Field(default_factory=list, max_length=8)
    class_: Slug = Field(alias="class")
    sources: list[Slug] = Field(default_factory=list)
    minimumDose: MinimumDose | None = None


class SideEffect(Strict):
    """A common side effect to tap."""

    id: Slug
    label: Annotated[str, Field(min_length=1, max_length=40)]


class Medicines(Strict):
    """content/medicines.yaml."""

    reviewed: dt.date
    sources: dict[Slug, Source] = Field(min_length=1)
    classes: list[MedicineClass] = Field(min_length=1)
    medicines: list[Medicine] = Field(min_length=1)
    sideEffects: list[SideEffect] = Field(min_length=1)

    def class_of(self, medicine: Medicine) -> MedicineClass:
        """The class a medicine belongs to."""
        return next(c for c in self.classes if c.id == medicine.class_)

    def sources_of(self, medicine: Medicine) -> list[Source]:
        """The sources for a medicine: its own, then its class's."""
        ids = [*medicine.sources, *self.class_of(medicine).sources]
        return [self.sources[i] for i in dict.fromkeys(ids)]

    def as_data(self) -> list[dict[str, Any]]:
        """The list as the page's script reads it (JSON in the page)."""
        return [self._entry(m) for m in self.medicines]

    def side_effects_data(self) -> list[dict[str, str]]:
        """The common side effects to tap, as {id, label}."""
        return [s.model_dump() for s in self.sideEffects]

    def _entry(self, medicine: Medicine) -> dict[str, Any]:
        """One medicine as plain values."""
        entry: dict[str, Any] = {
            "id": medicine.id,
            "name": medicine.name,
            "brands": list(medicine.brands),
            "class": self.class_of(medicine).name,
            "classId": medicine.class_,
            "sources": [
                {"title": s.title, "url": str(s.url)} for s in self.sources_of(medicine)
            ],
        }
        if medicine.minimumDose is not None:
            dose = medicine.minimumDose
            entry["minimumDose"] = {
                "amount": dose.amount,
                "unit": dose.unit,
                "source": {"title": dose.source.title, "url": str(dose.source.url)},
            }
        return entry

    def urls(self) -> Iterator[str]:
        """Every source URL the list cites."""
        yield from (str(s.url) for s in self.sources.values())
        for medicine in self.medicines:
            if medicine.minimumDose is not None:
                yield str(medicine.minimumDose.source.url)


def load_medicines(path: Path) -> Medicines:
    """Read and validate the medicines list."""
    medicines = read_model(path, Medicines, missing="the medicines list is missing")
    problem = _first_problem(medicines)
    if problem:
        raise ContentError(path, problem)
    return medicines


def _duplicate(ids: list[str]) -> str | None:
    """The first id that appears twice, if any."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            return i
        seen.add(i)
    return None


def _first_problem(m: Medicines) -> str | None:
    """The first thing wrong across entries, or None."""
    for what, ids in (
        ("class", [c.id for c in m.classes]),
        ("medicine", [x.id for x in m.medicines]),
        ("side effect", [s.id for s in m.sideEffects]),
    ):
        if (dup := _duplicate(ids)) is not None:
            return f"{what} id {dup!r} appears twice"
    classes = {c.id for c in m.classes}
    for cls in m.classes:
        if missing := [s for s in cls.sources if s not in m.sources]:
            return f"class {cls.id!r} cites unknown source {missing[0]!r}"
    for medicine in m.medicines:
        if medicine.class_ not in classes:
            return f"medicine {medicine.id!r} has unknown class {medicine.class_!r}"
        if missing := [s for s in medicine.sources if s not in m.sources]:
            return f"medicine {medicine.id!r} cites unknown source {missing[0]!r}"
    return None
