"""Search: the index built at start-up, the /search page, and that the Python and
JavaScript implementations rank alike."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from server.content.parsing import MARKDOWN
from server.search import build, words
from server.search.rank import Result, SearchIndex
from server.search.tuning import TUNING
from server.views import offline_urls
from server.views import search as search_views

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "search-cases.json").read_text(encoding="utf-8"))
MODEL = ROOT / "frontend" / "js" / "search-model.mjs"
INDEXES = {
    name: SearchIndex({**data, "tuning": CASES["tuning"]})
    for name, data in CASES["corpora"].items()
}
STOP = TUNING.stop_words


def _marks(result: Result) -> list[str]:
    """The marked words of a result, in title, heading and snippet order."""
    parts = result.title_parts + result.heading_parts + result.snippet
    return [p.text for p in parts if p.mark]


@pytest.mark.parametrize(
    "case",
    CASES["cases"],
    ids=[f"{c['corpus']}:{c['query']!r}" for c in CASES["cases"]],
)
def test_shared_cases(case: dict[str, Any]) -> None:
    """The same cases the JavaScript tests run give the same results here."""
    results = INDEXES[case["corpus"]].search(case["query"])
    got = [[r.url, r.section.anchor] for r in results[: len(case["expect"])]]
    assert got == case["expect"]
    if not case["expect"]:
        assert results == []
    if "marks" in case:
        assert _marks(results[0]) == case["marks"]


def test_shared_cases_run_with_the_shipped_tuning() -> None:
    """The tuning the shared cases carry is the one the index ships with."""
    assert CASES["tuning"] == TUNING.as_data()
    assert TUNING.from_data(TUNING.as_data()) == TUNING


def test_shared_stems_and_distances() -> None:
    """Stemming and the bounded edit distance match the shared table."""
    for word, expected in CASES["stems"].items():
        assert words.stem(word) == expected, word
    for a, b, limit, expected in CASES["distances"]:
        assert words.edit_distance(a, b, limit) == expected, (a, b)


def test_words_are_folded() -> None:
    """Case, accents and curly apostrophes do not matter."""
    assert words.normalize_word("Café") == "cafe"
    assert [t.word for t in words.tokenize("Self-care, don’t stop!")] == [
        "self",
        "care",
        "dont",
        "stop",
    ]
    assert words.terms("The therapies and the sleeping", STOP) == ["therapy", "sleep"]


def test_typo_budget_grows_with_word_length() -> None:
    """Short words get no typos, longer ones one, the longest two."""
    budgets = [words.typo_budget(n, TUNING.typo_lengths) for n in (3, 4, 7, 8, 20)]
    assert budgets == [0, 1, 1, 2, 2]


def test_sections_split_at_each_heading_with_their_anchors(app) -> None:
    """Each article is split at its h2 and h3 headings; each anchor is in the
    page, and an h3 section carries its h2 heading as context."""
    for article in app.extensions["wayfinder.content"].guide:
        sections = build.html_sections(article.html)
        anchors = [anchor for _, anchor, _, _ in sections]
        questions = [a for a in anchors if a.startswith("questions-")]
        assert [a for a in anchors if a and a not in questions] == [
            h.anchor for h in article.headings
        ]
        for anchor in anchors:
            assert not anchor or f'id="{anchor}"' in article.html
        assert sections[0][1] == "", "the introduction comes first, without anchor"
        assert all(heading and anchor for heading, anchor, _, _ in sections[1:])
        parent = ""
        by_anchor = {anchor: context for _, anchor, context, _ in sections}
        for heading in article.headings:
            if heading.level == 2:
                parent = heading.text
                assert by_anchor[heading.anchor] == ""
            else:
                assert by_anchor[heading.anchor] == parent


def test_questions_box_is_its_own_section_and_text_after_it_goes_back() -> None:
    """Text after a questions box belongs to the section the box sat in."""
    html = MARKDOWN.render(
        "Intro.\n\n## One\n\nFirst.\n\n::: questions\n- Ask this?\n:::\n\nStill one.\n"
    )
    sections = {anchor: body for _, anchor, _, body in build.html_sections(html)}
    assert sections["one"] == "First. Still one."
    assert sections["questions-1"] == "Ask this?"


def test_every_article_is_found_first_by_its_key_terms(app) -> None:
    """Each article comes first for the terms someone would look it up by."""
    index = search_views.current(app).index
    slugs = {a.slug for a in app.extensions["wayfinder.content"].guide}
    assert set(CASES["key_terms"]) == slugs
    for slug, queries in CASES["key_terms"].items():
        for query in queries:
            results = index.search(query)
            assert results and results[0].url == f"/guide/{slug}", query


def test_index_json_is_compact_and_covers_everything(client, app) -> None:
    """The index is compact JSON listing every article, tool and help section."""
    response = client.get("/search-index.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    raw = response.get_data(as_text=True)
    assert ", " not in raw[:200] and '": ' not in raw[:200]
    data = json.loads(raw)
    assert data["v"] == build.INDEX_VERSION
    assert data["tuning"] == TUNING.as_data()
    assert data["kinds"] == build.KIND_LABELS
    urls = {url for _, url, _ in data["pages"]}
    lib = app.extensions["wayfinder.content"]
    assert {f"/guide/{a.slug}" for a in lib.guide} <= urls
    assert "/help" in urls
    tool_urls = {url for kind, url, _ in data["pages"] if kind == "tool"}
    tools = lib.tools
    assert tool_urls == {f"/tools/breathing/{p.slug}" for p in tools.patterns} | {
        f"/tools/mindfulness/{e.slug}" for e in tools.exercises
    }
    assert len(tool_urls) >= 1
    assert all(len(s) == 5 for s in data["sections"])


def test_every_tool_in_the_index_is_a_page(client, app) -> None:
    """Each coping tool in the index links to a page that exists."""
    pages = search_views.current(app).data["pages"]
    for _, url, title in (p for p in pages if p[0] == "tool"):
        assert client.get(url).status_code == 200, url
        assert title


def test_search_urls_are_precached(app) -> None:
    """The search page and its index are in the offline precache list."""
    with app.app_context():
        urls = offline_urls(app)
    assert "/search" in urls and "/search-index.json" in urls


def test_search_page_renders_results_without_javascript(get_page) -> None:
    """/search?q= lists the article, a link to the section and marked terms."""
    soup = get_page("/search?q=electro+convulsive")
    assert soup.title.get_text().startswith("Search")
    first = soup.select_one(".search-result")
    assert first.select_one(".search-result__title a")["href"] == (
        "/guide/brain-stimulation"
    )
    section = first.select_one(".search-result__section a")
    assert section["href"] == "/guide/brain-stimulation#electroconvulsive-therapy-ect"
    assert section.select_one("mark").get_text() == "Electroconvulsive"
    assert soup.select_one("input[name=q]")["value"] == "electro convulsive"
    assert "results for" in soup.select_one(".search__summary").get_text()


def test_search_page_escapes_the_query(client) -> None:
    """What someone types is never treated as HTML."""
    body = client.get("/search?q=<script>x</script>").get_data(as_text=True)
    assert "<script>x" not in body
    assert "&lt;script&gt;x" in body


def test_search_page_with_no_match_offers_a_way_on(get_page) -> None:
    """No results says so kindly and links to the guide and help."""
    soup = get_page("/search?q=zzzzqqq")
    assert "0 results" in soup.select_one(".search__summary").get_text()
    links = {a["href"] for a in soup.select(".search__empty a")}
    assert links == {"/guide", "/help"}


def test_empty_search_page_and_guide_box(get_page) -> None:
    """/search and /guide both have the search form, which works without JS."""
    for url in ("/search", "/guide"):
        soup = get_page(url)
        form = soup.select_one("form[role=search]")
        assert form["action"] == "/search" and form.get("method") == "get"
        label = soup.select_one("label[for=search-q]")
        assert label is not None and soup.select_one("#search-q")["name"] == "q"
        assert soup.select_one("[data-module=search]") is not None
        assert soup.select_one(".search-result") is None


def test_long_queries_are_cut(client) -> None:
    """A very long query is shortened rather than refused."""
    response = client.get("/search?q=" + "sleep " * 200)
    assert response.status_code == 200


# --- The JavaScript implementation gives exactly the same answers -----------

_NODE_SCRIPT = """
import { readFileSync } from 'node:fs'
import * as model from %(model)s
const input = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const index = model.buildIndex(input.data)
const t = index.tuning
const out = {
  tuning: {
    stop: [...t.stopWords].sort(), weights: t.fieldWeights, b: t.fieldB,
    k1: t.k1, prefix: t.prefixWeight, typos: t.typoWeights, lengths: t.typoLengths,
    expansions: t.maxExpansions, words: t.snippetWords, lead: t.snippetLead,
    more: t.maxMore
  },
  kinds: index.kinds,
  terms: input.texts.map((text) => model.terms(text, t.stopWords)),
  results: input.queries.map((q) => model.search(index, q))
}
process.stdout.write(JSON.stringify(out))
"""

EXTRA_QUERIES = [
    "ket",
    "ketamine esketamine",
    "sleep problems",
    "side effects",
    "anti depressants",
    "self care",
    "depresion",
    "theripy",
    "behavioral",
    "café",
    "don’t stop",
    "988",
    "116 123",
    "box breathing",
    "grounding",
    "breathing",
    "q",
    "ÉCT",
    "electroconvulsive therapy memory loss",
    "psilo",
    "medication",
    "TMS rTMS deep TMS",
    "what should I ask my doctor",
    "suicide",
]


def _as_js(result: Result) -> dict[str, Any]:
    """A Python result in the shape the JavaScript search returns."""
    d = asdict(result)
    return {
        "kind": d["kind"],
        "url": d["url"],
        "title": d["title"],
        "titleParts": d["title_parts"],
        "section": d["section"],
        "headingParts": d["heading_parts"],
        "snippet": d["snippet"],
        "score": d["score"],
        "more": d["more"],
    }


def test_python_and_javascript_search_agree(app, tmp_path: Path) -> None:
    """On the shipped index, both implementations give identical results."""
    node = shutil.which("node")
    assert node, "node is needed to check the JavaScript search"
    built = search_views.current(app)
    data = built.data
    texts = [text for s in data["sections"] for text in s[1:]]
    texts += [title for _, _, title in data["pages"]]
    queries = [c["query"] for c in CASES["cases"]] + EXTRA_QUERIES
    queries += [q for qs in CASES["key_terms"].values() for q in qs]
    script = tmp_path / "run.mjs"
    script.write_text(_NODE_SCRIPT % {"model": json.dumps(MODEL.as_uri())})
    payload = tmp_path / "input.json"
    payload.write_text(json.dumps({"data": data, "texts": texts, "queries": queries}))
    done = subprocess.run(
        [node, str(script), str(payload)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    js = json.loads(done.stdout)
    index = built.index
    tuning = index.tuning
    assert js["tuning"] == {
        "stop": sorted(tuning.stop_words),
        "weights": list(tuning.field_weights),
        "b": list(tuning.field_b),
        "k1": tuning.k1,
        "prefix": tuning.prefix_weight,
        "typos": list(tuning.typo_weights),
        "lengths": list(tuning.typo_lengths),
        "expansions": tuning.max_expansions,
        "words": tuning.snippet_words,
        "lead": tuning.snippet_lead,
        "more": tuning.max_more,
    }
    assert js["kinds"] == data["kinds"]
    assert js["terms"] == [words.terms(t, tuning.stop_words) for t in texts]
    for query, js_results in zip(queries, js["results"], strict=True):
        assert js_results == [_as_js(r) for r in index.search(query)], query
