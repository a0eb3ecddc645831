"""Coping tools: content loading and validation, pages, links and offline URLs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from server import create_app
from server.content import ContentError
from server.content.tools import MAX_PHASE_SECONDS, Tools, load_tools
from server.views import offline_urls

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"

PATTERNS = ["box", "4-7-8", "resonance", "cyclic-sighing"]
EXERCISES = [
    "grounding",
    "body-scan",
    "mindful-minute",
    "self-compassion",
    "muscle-relaxation",
]
PAGES = (
    ["/tools", "/tools/breathing", "/tools/breathing/custom", "/tools/mindfulness"]
    + [f"/tools/breathing/{p}" for p in PATTERNS]
    + [f"/tools/mindfulness/{e}" for e in EXERCISES]
)


@pytest.fixture()
def tools(app) -> Tools:
    """The tools content the session app loaded."""
    return app.extensions["wayfinder.content"].tools


# --- Pages ---------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_tool_pages_are_well_formed(get_page, client, url):
    """Each page parses as strict HTML5, has one h1, and uses no style
    attributes (a saved copy links its styles; a navigation's inline ones are
    allowed by hash: tests/server/test_first_paint.py)."""
    soup = get_page(url)
    html = client.get(url).get_data(as_text=True)
    assert soup.find(style=True) is None, "inline style attribute"
    assert soup.find_all("style") == [], "<style> block"
    assert "data:" not in html
    assert soup.select_one("link[href*='/static/gen/tools.']") is not None


def test_tools_index_lists_every_pattern_and_exercise(get_page, tools):
    """/tools links every breathing pattern, the custom maker and every exercise."""
    soup = get_page("/tools")
    links = {a["href"] for a in soup.select("main a[href]")}
    for pattern in tools.patterns:
        assert f"/tools/breathing/{pattern.slug}" in links
    for exercise in tools.exercises:
        assert f"/tools/mindfulness/{exercise.slug}" in links
    assert "/tools/breathing#custom-heading" in links
    text = soup.select_one("main").get_text(" ")
    for item in [*tools.patterns, *(e.meta for e in tools.exercises)]:
        assert item.summary in text
    summary = soup.select_one("[data-module='tools-summary']")
    assert summary is not None
    assert "streak" not in summary.get_text().lower()


def test_guide_links_to_tools_all_resolve(client, app):
    """Every /tools link in the guide articles and templates lands on a real page."""
    texts = [p.read_text() for p in (CONTENT / "guide").glob("*.md")]
    texts += [p.read_text() for p in (ROOT / "frontend" / "templates").glob("*.html")]
    found = set()
    for text in texts:
        found.update(re.findall(r"\((/tools[^)#\s]*)", text))
        found.update(re.findall(r'href="(/tools[^"#{]*)"', text))
    assert "/tools/mindfulness/grounding" in found
    assert "/tools/breathing/cyclic-sighing" in found
    for url in sorted(found):
        assert client.get(url).status_code == 200, url


def test_unknown_tools_are_friendly_404s(get_page):
    """An unknown pattern or exercise is a 404 page, not an error."""
    get_page("/tools/breathing/fast-panting", status=404)
    get_page("/tools/mindfulness/levitation", status=404)


def test_every_tool_page_is_in_the_offline_list(app, tools):
    """The offline precache list includes every pattern and exercise page."""
    with app.app_context():
        urls = set(offline_urls(app))
    expected = set(PAGES)
    assert expected <= urls, sorted(expected - urls)
    assert {f"/tools/breathing/{p.slug}" for p in tools.patterns} <= urls
    assert {f"/tools/mindfulness/{e.slug}" for e in tools.exercises} <= urls


@pytest.mark.parametrize("slug", PATTERNS)
def test_breathing_page_has_pattern_note_and_controls(get_page, tools, slug):
    """A pattern page carries its timing, a readable script and an honest note."""
    pattern = tools.pattern(slug)
    soup = get_page(f"/tools/breathing/{slug}")
    assert soup.h1.get_text(strip=True) == pattern.title
    root = soup.select_one("[data-module='breathing']")
    data = json.loads(root["data-pattern"])
    assert [(p["kind"], p["seconds"]) for p in data["phases"]] == [
        (p.kind, p.seconds) for p in pattern.phases
    ]
    assert root["data-tool"] == f"breathing/{slug}"
    # Without JavaScript: the steps in words; the JS-only controls start hidden.
    script = [li.get_text(strip=True) for li in soup.select(".breather__script li")]
    assert script == pattern.steps_in_words()
    for selector in ("[data-stage]", "[data-setup]", "[data-controls]"):
        assert soup.select_one(selector).has_attr("hidden"), selector
    # The phase words are a polite live region; the start button is a real button.
    live = soup.select_one("[data-phase]")
    assert live["aria-live"] == "polite"
    assert soup.select_one("button[data-start]").get_text(strip=True) == "Start"
    # Cues are optional checkboxes, none ticked in the HTML.
    boxes = soup.select("[data-setup] input[type=checkbox]")
    assert {b["data-pref"] for b in boxes} == {"tones", "vibration", "speech"}
    assert not any(b.has_attr("checked") for b in boxes)
    # Every offered length, and the pattern's own default.
    lengths = {i["value"] for i in soup.select("input[name=length]")}
    assert lengths == {"minutes:1", "minutes:3", "minutes:5", "minutes:10"} | {
        "cycles",
        "open",
    }
    assert root["data-length"] == pattern.length.token
    # The note: what it is for, the evidence with its source, and the safety line.
    note = soup.select_one(".tool-note").get_text(" ", strip=True)
    assert "Stop and breathe normally if you feel dizzy or light-headed." in note
    assert pattern.evidence.split(".")[0] in note
    sources = {a["href"] for a in soup.select(".tool-note a[href]")}
    assert {str(s.url) for s in pattern.sources} <= sources
    # The feeling check is there for after a session, offering /help kindly.
    feeling = soup.select_one("[data-feeling]")
    assert feeling.has_attr("hidden")
    choices = [b.get_text(strip=True) for b in feeling.select("[data-feeling-choice]")]
    assert choices == ["A little better", "About the same", "Worse"]
    assert feeling.select_one("[data-feeling-worse] a[href='/help']") is not None


def test_4_7_8_says_its_evidence_is_weak(get_page, tools):
    """4-7-8 is labelled as weak evidence, on its page and in the list."""
    assert tools.pattern("4-7-8").evidence_strength == "weak"
    note = get_page("/tools/breathing/4-7-8").select_one(".tool-note").get_text(" ")
    assert "Weak evidence." in note and "evidence is weak" not in note
    index = get_page("/tools/breathing").get_text(" ")
    assert "The evidence for this one is weak." in index


def test_shipped_patterns_match_the_issue(tools):
    """Box 4-4-4-4, 4-7-8, resonance about 5.5 s each way, cyclic sighing two ins."""
    seconds = {p.slug: [ph.seconds for ph in p.phases] for p in tools.patterns}
    assert seconds["box"] == [4, 4, 4, 4]
    assert seconds["4-7-8"] == [4, 7, 8]
    assert seconds["resonance"] == [5.5, 5.5]
    assert tools.pattern("resonance").breaths_per_minute == 5.5
    kinds = [ph.kind for ph in tools.pattern("cyclic-sighing").phases]
    assert kinds == ["in", "in", "out"]
    sigh = tools.pattern("cyclic-sighing").phases
    assert sigh[2].seconds > sigh[0].seconds + sigh[1].seconds


def test_custom_page_needs_js_and_offers_the_maker(get_page):
    """The custom page explains it needs JS; the maker form is on /tools/breathing."""
    soup = get_page("/tools/breathing/custom")
    assert soup.h1.get_text(strip=True) == "Your own breathing pattern"
    assert soup.select_one("[data-module='breathing'][data-custom]") is not None
    assert "need JavaScript" in soup.select_one(".nojs-only").get_text()
    maker = get_page("/tools/breathing").select_one("[data-module='breathing-custom']")
    for name in ("name", "inhale", "holdIn", "exhale", "holdOut"):
        field = maker.select_one(f"input[name={name}]")
        assert field is not None
        assert maker.select_one(f"label[for={field['id']}]") is not None
        if name != "name":
            assert (field["min"], field["max"]) == ("0", "20")


@pytest.mark.parametrize("slug", EXERCISES)
def test_exercise_page_is_a_readable_script(get_page, tools, slug):
    """Every step is on the page in order, with its pace, before any JavaScript."""
    exercise = tools.exercise(slug)
    soup = get_page(f"/tools/mindfulness/{slug}")
    steps = soup.select("[data-step]")
    assert len(steps) == len(exercise.steps) >= 3
    for li, step in zip(steps, exercise.steps, strict=True):
        assert step.title in li.select_one(".step__title").get_text()
        assert li["data-seconds"] == (str(step.seconds) if step.seconds else "")
        assert ("data-bell" in li.attrs) == step.bell
    for selector in ("[data-setup]", "[data-controls]", "[data-now]"):
        assert soup.select_one(selector).has_attr("hidden"), selector
    assert soup.select_one("[data-live]")["aria-live"] == "polite"
    for control in ("pause", "resume", "back", "next", "stop"):
        assert soup.select_one(f"button[data-{control}]") is not None
    note = soup.select_one(".tool-note")
    assert exercise.meta.evidence in note.get_text(" ", strip=True)
    assert note.select_one("time[datetime]") is not None
    assert note.select("a[href^='http']")


def test_grounding_is_interactive_and_stores_nothing_by_default(get_page, tools):
    """Grounding has 5-4-3-2-1 labelled boxes, no autocomplete; it asks to keep."""
    soup = get_page("/tools/mindfulness/grounding")
    counts = [len(li.select("input[data-notice]")) for li in soup.select("[data-step]")]
    assert [c for c in counts if c] == [5, 4, 3, 2, 1]
    for field in soup.select("input[data-notice]"):
        assert field["autocomplete"] == "off"
        assert soup.select_one(f"label[for='{field['id']}']") is not None
    sense_steps = [s for s in tools.exercise("grounding").steps if s.notice]
    assert all(s.seconds is None for s in sense_steps), "senses wait for Next"
    notes = soup.select_one("[data-notes]")
    assert notes.has_attr("hidden")
    assert "Nothing has been saved" in notes.get_text()


def test_mindful_minute_has_a_bell_and_one_minute(tools):
    """The mindful minute rings at the start and end of a 60-second step."""
    steps = tools.exercise("mindful-minute").steps
    assert any(s.seconds == 60 and s.bell for s in steps)
    assert steps[-1].bell


# --- Content -------------------------------------------------------------------


def test_content_is_stored_on_the_library(tools):
    """Tools content is loaded once into the typed Library."""
    assert [p.slug for p in tools.patterns] == PATTERNS
    assert {e.slug for e in tools.exercises} == set(EXERCISES)
    assert all(p.sources and p.helps_with and p.evidence for p in tools.patterns)
    assert all(e.meta.sources and e.meta.reviewed for e in tools.exercises)


def test_nothing_unverified_is_published():
    """No content file carries a working tag (UNVERIFIED, [S] or [P])."""
    for path in (CONTENT / "tools").rglob("*.yaml"):
        text = path.read_text()
        assert "UNVERIFIED" not in text and "[S]" not in text and "[P]" not in text


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def _edit_yaml(path: Path, change) -> None:
    """Load a YAML file, change it, write it back."""
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _phase_too_long(d):
    """Make box breathing's first phase longer than allowed."""
    d["patterns"][0]["phases"][0]["seconds"] = MAX_PHASE_SECONDS + 1


def _no_breath_out(d):
    """Remove every out phase from box breathing."""
    d["patterns"][0]["phases"] = [
        p for p in d["patterns"][0]["phases"] if p["kind"] != "out"
    ]


BREATHING_PROBLEMS = [
    (_phase_too_long, "less than or equal to 20"),
    (_no_breath_out, "at least one in and one out"),
    (lambda d: d["patterns"][1].update(slug="box"), "duplicate pattern slug 'box'"),
    (lambda d: d["patterns"][0].update(slug="custom"), "kept for patterns made"),
    (lambda d: d["patterns"].pop(2), "missing pattern(s) the guide links to"),
    (lambda d: d["patterns"][0].update(sources=[]), "sources"),
    (
        lambda d: d["patterns"][0].update(colour="blue"),
        "unknown field patterns.0.colour",
    ),
    (lambda d: d.pop("safety"), "missing safety"),
    (
        lambda d: d["patterns"][0].update(length={"kind": "minutes", "value": 7}),
        "one of",
    ),
    (lambda d: d["patterns"][1].update(evidence_strength="great"), "evidence_strength"),
]


@pytest.mark.parametrize(("change", "problem"), BREATHING_PROBLEMS)
def test_bad_breathing_content_stops_start_up(content_copy, tmp_path, change, problem):
    """A bad breathing file raises ContentError naming the file and the problem."""
    path = content_copy / "tools" / "breathing.yaml"
    _edit_yaml(path, change)
    with pytest.raises(ContentError) as caught:
        create_app({"INSTANCE_PATH": tmp_path / "i", "CONTENT_DIR": content_copy})
    assert caught.value.path == str(path)
    assert problem in caught.value.problem


EXERCISE_PROBLEMS = [
    (lambda d: d["steps"][0].update(seconds=2), "steps.0.seconds"),
    (lambda d: d["steps"][0].update(text="  "), "steps.0.text"),
    (lambda d: d["steps"][0].update(text="## A heading"), "headings are not allowed"),
    (lambda d: d.update(steps=d["steps"][:2]), "steps"),
    (lambda d: d.update(sources=[]), "sources"),
    (lambda d: d.pop("reviewed"), "missing reviewed"),
    (lambda d: d["steps"][1].update(notice={"count": 0, "label": "x"}), "count"),
]


@pytest.mark.parametrize(("change", "problem"), EXERCISE_PROBLEMS)
def test_bad_exercise_content_stops_start_up(content_copy, change, problem):
    """A bad exercise file raises ContentError naming the file and the problem."""
    path = content_copy / "tools" / "mindfulness" / "grounding.yaml"
    _edit_yaml(path, change)
    with pytest.raises(ContentError) as caught:
        load_tools(content_copy / "tools")
    assert caught.value.path == str(path)
    assert problem in caught.value.problem


def test_malformed_and_missing_tools_files_are_named(content_copy):
    """Broken YAML, a bad file name, a missing exercise or folder are all reported."""
    tools_dir = content_copy / "tools"
    breathing = tools_dir / "breathing.yaml"
    breathing.write_text("patterns: [unclosed\n")
    with pytest.raises(ContentError, match="malformed YAML"):
        load_tools(tools_dir)
    shutil.copy(CONTENT / "tools" / "breathing.yaml", breathing)

    odd = tools_dir / "mindfulness" / "Body Scan.yaml"
    shutil.copy(tools_dir / "mindfulness" / "body-scan.yaml", odd)
    with pytest.raises(ContentError, match="not a valid slug"):
        load_tools(tools_dir)
    odd.unlink()

    (tools_dir / "mindfulness" / "self-compassion.yaml").unlink()
    with pytest.raises(ContentError, match="self-compassion"):
        load_tools(tools_dir)

    shutil.rmtree(tools_dir / "mindfulness")
    with pytest.raises(ContentError, match="folder is missing"):
        load_tools(tools_dir)
    breathing.unlink()
    with pytest.raises(ContentError, match="file is missing"):
        load_tools(tools_dir)
