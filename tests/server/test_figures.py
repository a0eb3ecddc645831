"""Every figure in the guide is attributed to a source the article lists.

The rule is defined in server/content/figures.py and explained to writers in
docs/content-style.md.
"""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest

from server.content.figures import figures, source_keys, unattributed
from server.content.guide import ArticleMeta

ROOT = Path(__file__).resolve().parents[2]
META = ArticleMeta.model_validate(
    {
        "title": "T",
        "summary": "S",
        "order": 1,
        "reviewed": "2026-12-01",
        "sources": [
            {
                "title": "Rush AJ et al., A STAR*D report, Am J Psychiatry 2006",
                "url": "https://psychiatryonline.org/x",
            },
            {
                "title": "NICE, Depression in adults (NG222), 2022",
                "url": "https://www.nice.org.uk/guidance/ng222",
            },
            {
                "title": "Fang Y et al., Sleep and mood, npj Digital Medicine 2021",
                "url": "https://doi.org/10.1038/x",
            },
        ],
    }
)


def _contacts(app) -> list[str]:
    """Every phone and text number on the help page."""
    lines = app.extensions["wayfinder.content"].help
    numbers = [c.emergency for c in lines.countries]
    numbers += [c.emergency_alt for c in lines.countries if c.emergency_alt]
    numbers += [
        contact.number
        for country in lines.countries
        for line in country.lines
        for contact in line.contacts
    ]
    return numbers


def test_figures_are_percentages_rates_years_and_counts() -> None:
    """What counts as a figure, and what does not."""
    text = (
        "About 55.4% responded, 1 in 4 remitted, 29 out of every 100 had it, "
        "approved in 2019, 1,475 people, 25 mg. Not figures: step 2, 4 to 6 weeks, "
        "NG222, CYP2D6, 24/7, 10 a.m., call 988 or 116 123."
    )
    assert figures(text, ["988", "116123"]) == [
        "55.4%",
        "1 in 4",
        "29 out of every 100",
        "2019",
        "1,475",
        "25",
    ]


def test_source_keys_are_lead_names_journals_and_acronyms() -> None:
    """Names a paragraph can use to point at a source."""
    keys = source_keys(META)
    assert {"Rush", "STAR*D", "NICE", "NG222", "Fang", "npj Digital Medicine"} <= keys
    assert "Depression" not in keys


def test_a_figure_needs_a_named_source_before_it_in_its_section() -> None:
    """Named in the paragraph, or earlier under the same heading: fine.
    Named only under another heading, or not at all: reported."""
    body = (
        "STAR*D was large.\n\n"
        "About 37% remitted.\n\n"
        "## Another section\n\n"
        "About 67% remitted, and 2023 brought a reanalysis.\n\n"
        "- In 2022, NICE said so.\n"
    )
    found = unattributed(body, META)
    assert [u.figure for u in found] == ["67%", "2023"]
    assert found[0].block.startswith("About 67%")


@pytest.mark.parametrize(
    "path", sorted((ROOT / "content" / "guide").glob("*.md")), ids=lambda p: p.stem
)
def test_every_figure_in_the_guide_is_attributed(app, path: Path) -> None:
    """Each shipped article passes the rule."""
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    meta = ArticleMeta.model_validate(post.metadata)
    problems = unattributed(post.content, meta, _contacts(app))
    assert not problems, [(u.figure, u.block[:80]) for u in problems]
