"""Plain language: guide articles and coping tools read at grade 8 or below."""

from __future__ import annotations

import pytest

from server.content import Library
from tests.readability import flesch_kincaid_grade, syllables

#: The most a text may score (Flesch-Kincaid grade).
MAX_GRADE = 8


def test_syllables_come_from_the_bundled_dictionary() -> None:
    """Known words use the CMU dictionary; unknown ones fall back to pyphen."""
    assert syllables("variability") == 6
    assert syllables("breathe") == 1
    assert syllables("esketamine") >= 3


def test_grade_rises_with_long_sentences_and_long_words() -> None:
    """The measure tells plain text from dense text."""
    plain = "I feel tired. I sleep a lot. My friend helps me."
    dense = (
        "Pharmacological augmentation strategies demonstrate considerable "
        "heterogeneity regarding comparative effectiveness across populations."
    )
    assert flesch_kincaid_grade(plain) < 3 < MAX_GRADE < flesch_kincaid_grade(dense)


def test_guide_articles_read_at_grade_8_or_below(library: Library) -> None:
    """Every article's body text is at grade 8 or below."""
    grades = {a.slug: flesch_kincaid_grade(a.text) for a in library.guide}
    assert grades and all(g <= MAX_GRADE for g in grades.values()), grades


def test_tools_words_are_plain(library: Library) -> None:
    """The notes and scripts read at about grade 8 or below."""
    tools = library.tools
    for exercise in tools.exercises:
        text = " ".join(
            [exercise.meta.summary, exercise.meta.evidence, exercise.meta.intro]
            + [f"{s.title}. {s.text}" for s in exercise.steps]
        )
        assert flesch_kincaid_grade(text) <= MAX_GRADE, exercise.slug
    for pattern in tools.patterns:
        text = " ".join([pattern.summary, pattern.helps_with, pattern.evidence])
        assert flesch_kincaid_grade(text) <= MAX_GRADE, pattern.slug


def test_safety_plan_words_are_plain(library: Library) -> None:
    """The safety plan's introduction and each step's explanation: grade 8 or below."""
    plan = library.plan
    assert flesch_kincaid_grade(f"{plan.intro} {plan.paper}") <= MAX_GRADE
    for step in plan.steps:
        text = f"{step.title}. {step.text} {step.field}."
        assert flesch_kincaid_grade(text) <= MAX_GRADE, step.slug


@pytest.fixture(scope="module")
def library(app) -> Library:
    """The content the session app loaded."""
    return app.extensions["wayfinder.content"]
