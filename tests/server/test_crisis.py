"""Crisis phrases: the reviewed list, the matcher both sides share, and /search
leading with help (and never quoting a warning-signs list)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from server.content import ContentError, load_library
from server.search.crisis import crisis_phrase
from server.search.tuning import TUNING
from server.views import search as search_views

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "crisis-cases.json").read_text("utf-8"))
PHRASES_FILE = Path("help") / "crisis-phrases.yaml"


@pytest.mark.parametrize(
    "case", CASES["cases"], ids=[repr(c["query"]) for c in CASES["cases"]]
)
def test_shared_cases(case: dict[str, Any]) -> None:
    """The cases the JavaScript tests run give the same answers here."""
    found = crisis_phrase(CASES["phrases"], case["query"], CASES["typo_lengths"])
    assert (found is not None) == case["crisis"], found


def test_cases_use_the_shipped_phrases_and_tuning(app) -> None:
    """The shared cases carry the reviewed list and the search tuning."""
    lib = app.extensions["wayfinder.content"]
    assert CASES["phrases"] == lib.crisis.phrases
    assert tuple(CASES["typo_lengths"]) == TUNING.typo_lengths
    assert sum(c["crisis"] for c in CASES["cases"]) >= 40
    assert sum(not c["crisis"] for c in CASES["cases"]) >= 30


def test_the_index_carries_the_phrases_and_quiet_sections(app) -> None:
    """The browser gets the phrases, and which sections never become snippets."""
    data = search_views.current(app).data
    lib = app.extensions["wayfinder.content"]
    assert data["crisis"] == lib.crisis.phrases
    quiet = [data["sections"][i] for i in data["quiet"]]
    assert [(s[2]) for s in quiet] == [q.anchor for q in lib.crisis.quiet_sections]


@pytest.mark.parametrize(
    "query",
    ["I want to die", "kill myself", "KILL MY SELF", "suicidality warning", "sucidal"],
)
def test_crisis_search_leads_with_help_and_shows_no_snippet(get_page, query) -> None:
    """Without JavaScript, the help block comes before any result."""
    soup = get_page("/search?q=" + query.replace(" ", "+"))
    block = soup.select_one("[data-crisis-help]")
    assert block is not None and not block.has_attr("hidden")
    results = soup.select_one(".search__results")
    assert block.find_all_next(class_="search__results")[0] is results
    card = block.select_one(".help-card")
    first_link = card.select("a[href]")[0]
    assert first_link["href"] == "tel:988"
    assert card.select_one("a[href='tel:911']") is not None
    assert soup.select(".search-result") and not soup.select(".search-result__snippet")
    assert query.lower() not in block.get_text().lower()


@pytest.mark.parametrize("query", ["die-hard", "deadline", "sleep", "self care"])
def test_other_searches_have_the_block_hidden(get_page, query) -> None:
    """A benign query keeps the help block hidden and shows snippets."""
    soup = get_page("/search?q=" + query)
    assert soup.select_one("[data-crisis-help]").has_attr("hidden")


def test_warning_signs_are_never_a_snippet(app) -> None:
    """The warning-signs list is found, but its text is never quoted."""
    index = search_views.current(app).index
    results = index.search("warning signs")
    hit = next(r for r in results if r.url == "/guide/supporting-someone")
    assert hit.section.anchor == "warning-signs-that-need-urgent-help"
    assert hit.snippet == []
    assert any(r.snippet for r in index.search("sleep"))


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.mark.parametrize(
    ("replace", "by", "problem"),
    [
        ("  - suicidal\n", "  - Suicidal!\n", "must be lower-case words"),
        ("  - suicidal\n", "  - suicide\n", "listed twice"),
        ("reviewed: 2026-11-26\n", "", "missing reviewed"),
        ("phrases:\n", "phrase:\n", "missing phrases"),
        ("quiet_sections:\n", "quiet:\n", "unknown field quiet"),
        (
            "anchor: warning-signs-that-need-urgent-help",
            "anchor: no-such-section",
            "quiet section supporting-someone#no-such-section does not exist",
        ),
    ],
)
def test_bad_phrases_file_names_the_file(content_copy, replace, by, problem) -> None:
    """Loading refuses a bad phrases file and says what is wrong."""
    path = content_copy / PHRASES_FILE
    text = path.read_text("utf-8")
    assert replace in text
    path.write_text(text.replace(replace, by, 1), "utf-8")
    with pytest.raises(ContentError) as caught:
        load_library(content_copy)
    assert caught.value.path == str(path)
    assert problem in caught.value.problem


def test_missing_phrases_file(content_copy) -> None:
    """Without the file the app does not start."""
    (content_copy / PHRASES_FILE).unlink()
    with pytest.raises(ContentError, match="crisis phrases file is missing"):
        load_library(content_copy)
