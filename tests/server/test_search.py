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

from server import search
from server.views import offline_urls
from server.views import search as search_views

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "search-cases.json").read_text(encoding="utf-8"))
CORE = ROOT / "frontend" / "js" / "search-core.mjs"
INDEXES = {name: search.SearchIndex(data) for name, data in CASES["corpora"].items()}


def _marks(result: search.Result) -> list[str]:
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


def test_shared_stems_and_distances() -> None:
    """Stemming and the bounded edit distance match the shared table."""
    for word, expected in CASES["stems"].items():
        assert search.stem(word) == expected, word
    for a, b, limit, expected in CASES["distances"]:
        assert search.edit_distance(a, b, limit) == expected, (a, b)


def test_words_are_folded() -> None:
    """Case, accents and curly apostrophes do not matter."""
    assert search.normalize_word("Café") == "cafe"
    assert [t.word for t in search.tokenize("Self-care, don’t stop!")] == [
        "self",
        "care",
        "dont",
        "stop",
    ]
    assert search.terms("The therapies and the sleeping") == ["therapy", "sleep"]


def test_sections_split_at_each_heading_with_their_anchors(app) -> None:
    """Each article is split at its h2 and h3 headings; each anchor is in the
    page, and an h3 section carries its h2 heading as context."""
    for article in app.extensions["wayfinder.content"].guide:
        sections = search.article_sections(article)
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
    from server.content import _MD

    html = _MD.render(
        "Intro.\n\n## One\n\nFirst.\n\n::: questions\n- Ask this?\n:::\n\nStill one.\n"
    )
    splitter = search._SectionSplitter()
    splitter.feed(html)
    sections = {s.anchor: " ".join("".join(s.body).split()) for s in splitter.sections}
    assert sections["one"] == "First. Still one."
    assert sections["questions-1"] == "Ask this?"


def test_every_article_is_found_first_by_its_key_terms(app) -> None:
    """Each article comes first for the terms someone would look it up by."""
    index = search_views.current(app)["index"]
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
    assert data["v"] == search.INDEX_VERSION
    urls = {url for _, url, _ in data["pages"]}
    lib = app.extensions["wayfinder.content"]
    assert {f"/guide/{a.slug}" for a in lib.guide} <= urls
    assert "/help" in urls
    tool_urls = {url for kind, url, _ in data["pages"] if kind == "tool"}
    assert tool_urls == {url for url, _, _ in search.tool_entries(lib.extra["tools"])}
    assert len(tool_urls) >= 1
    assert all(len(s) == 5 for s in data["sections"])


def test_every_tool_in_the_index_is_a_page(client, app) -> None:
    """Each coping tool in the index links to a page that exists."""
    for url, title, _ in search.tool_entries(
        app.extensions["wayfinder.content"].extra["tools"]
    ):
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


def test_index_is_rebuilt_when_tools_arrive_after_start_up(app) -> None:
    """Tools loaded after the index was built are picked up on next use."""
    lib = app.extensions["wayfinder.content"]
    saved = lib.extra.get("tools")
    try:
        lib.extra["tools"] = [
            {"slug": "quiet-walk", "title": "Quiet walk", "summary": "A slow walk."}
        ]
        data = search_views.current(app)["data"]
        assert ["tool", "/tools/quiet-walk", "Quiet walk"] in data["pages"]
    finally:
        lib.extra["tools"] = saved
        search_views.current(app)
    assert ["tool", "/tools/quiet-walk", "Quiet walk"] not in (
        search_views.current(app)["data"]["pages"]
    )


def test_tool_entries_understand_plain_records() -> None:
    """Tools given as a mapping of dicts are indexed too; untitled ones skipped."""
    rows = search.tool_entries(
        {
            "a": {"url": "/tools/a", "title": "A", "description": "Calm  down."},
            "b": {"slug": "b"},
        }
    )
    assert rows == [("/tools/a", "A", "Calm down.")]
    assert search.tool_entries(None) == []


# --- The JavaScript implementation gives exactly the same answers -----------

_NODE_SCRIPT = """
import { readFileSync } from 'node:fs'
import * as core from %(core)s
const input = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const index = core.buildIndex(input.data)
const out = {
  constants: {
    stop: [...core.STOP_WORDS].sort(), weights: core.FIELD_WEIGHTS, b: core.FIELD_B,
    k1: core.K1, prefix: core.PREFIX_WEIGHT, typos: core.TYPO_WEIGHTS,
    expansions: core.MAX_EXPANSIONS, words: core.SNIPPET_WORDS,
    lead: core.SNIPPET_LEAD, more: core.MAX_MORE
  },
  terms: input.texts.map((t) => core.terms(t)),
  results: input.queries.map((q) => core.search(index, q))
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


def _as_js(result: search.Result) -> dict[str, Any]:
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
    data = built["data"]
    texts = [text for s in data["sections"] for text in s[1:]]
    texts += [title for _, _, title in data["pages"]]
    queries = [c["query"] for c in CASES["cases"]] + EXTRA_QUERIES
    queries += [q for qs in CASES["key_terms"].values() for q in qs]
    script = tmp_path / "run.mjs"
    script.write_text(_NODE_SCRIPT % {"core": json.dumps(CORE.as_uri())})
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
    assert js["constants"] == {
        "stop": sorted(search.STOP_WORDS),
        "weights": list(search.FIELD_WEIGHTS),
        "b": list(search.FIELD_B),
        "k1": search.K1,
        "prefix": search.PREFIX_WEIGHT,
        "typos": list(search.TYPO_WEIGHTS),
        "expansions": search.MAX_EXPANSIONS,
        "words": search.SNIPPET_WORDS,
        "lead": search.SNIPPET_LEAD,
        "more": search.MAX_MORE,
    }
    assert js["terms"] == [search.terms(t) for t in texts]
    index = built["index"]
    for query, js_results in zip(queries, js["results"], strict=True):
        assert js_results == [_as_js(r) for r in index.search(query)], query
