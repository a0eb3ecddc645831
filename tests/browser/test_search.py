"""Search in real Chromium: live results, and every article found offline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import overflow_at_200_percent_text, wait_for_worker_control

pytestmark = pytest.mark.browser

CASES = json.loads(
    (Path(__file__).resolve().parents[1] / "search-cases.json").read_text("utf-8")
)


def _search(page: Page, query: str) -> None:
    """Type a query into the search box and wait until its results are shown."""
    box = page.locator("[data-module=search]")
    page.fill("#search-q", query)
    expect(box).to_have_attribute("data-search-shown", query)


def _first_result(page: Page) -> str:
    """The link of the first result's title."""
    return page.locator(".search-result__title a").first.get_attribute("href")


def _go_offline(page: Page, context: BrowserContext, live_server: str) -> None:
    """Let the service worker install and control the page, then cut the network."""
    page.goto(live_server + "/guide")
    wait_for_worker_control(page)
    context.set_offline(True)


def test_live_search_shows_article_section_and_marks(
    page: Page, live_server: str
) -> None:
    """On /search, typing shows results with a section link and marked words,
    and the address follows the query so it can be shared."""
    page.goto(live_server + "/search")
    _search(page, "electro convulsive")
    first = page.locator(".search-result").first
    expect(first.locator(".search-result__title a")).to_have_attribute(
        "href", "/guide/brain-stimulation"
    )
    expect(first.locator(".search-result__section a")).to_have_attribute(
        "href", "/guide/brain-stimulation#electroconvulsive-therapy-ect"
    )
    expect(first.locator("mark").first).to_have_text("Electroconvulsive")
    assert page.url.endswith("/search?q=" + quote("electro convulsive"))
    expect(page.locator("[data-search-status]")).to_have_text(
        "2 results for “electro convulsive”"
    )


def test_words_typed_before_search_starts_are_searched(
    page: Page, live_server: str
) -> None:
    """On a slow phone the box takes typing before its module runs; none is lost."""
    held = []
    page.route("**/static/gen/search.*.mjs", lambda route: held.append(route))
    with page.expect_request("**/static/gen/search.*.mjs"):
        page.goto(live_server + "/search")
    page.fill("#search-q", "ketamine")
    held[0].continue_()
    box = page.locator("[data-module=search]")
    expect(box).to_have_attribute("data-search-shown", "ketamine")
    expect(page.locator(".search-result").first).to_be_visible()


def test_javascript_and_server_results_match(page: Page, live_server: str) -> None:
    """The live results are the ones the server renders for the same query."""
    for query in ("ketamin", "sleep problems", "what to say"):
        page.goto(f"{live_server}/search?q={quote(query)}")
        server = page.locator(".search-results").inner_html()
        # Wait for the component to start, or it would put the query back.
        expect(page.locator("[data-module=search]")).to_have_attribute(
            "data-search-index", "ready"
        )
        page.fill("#search-q", "")
        expect(page.locator("[data-module=search]")).to_have_attribute(
            "data-search-shown", ""
        )
        _search(page, query)
        live = page.locator(".search-results").inner_html()
        assert _normalise(live) == _normalise(server), query


def _normalise(html: str) -> str:
    """Drop whitespace between tags so server and DOM markup compare."""
    return re.sub(r">\s+<", "><", html).strip()


def test_guide_search_box_finds_every_article_offline(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """With the network cut, the box on /guide finds each article by its key terms."""
    _go_offline(page, browser_context, live_server)
    page.reload()
    expect(page.locator("h1")).to_have_text("The guide")
    for slug, queries in CASES["key_terms"].items():
        for query in queries:
            _search(page, query)
            assert _first_result(page) == f"/guide/{slug}", query
            assert page.locator(".search-result mark").count() > 0, query


def test_search_link_works_offline(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """Offline, /search?q=... opens the saved search page, which answers it."""
    _go_offline(page, browser_context, live_server)
    page.goto(live_server + "/search?q=ketamin")
    expect(page.locator("[data-module=search]")).to_have_attribute(
        "data-search-shown", "ketamin"
    )
    # Ketamine compared with ECT is discussed most fully with brain stimulation.
    assert _first_result(page) == "/guide/brain-stimulation"
    expect(page.locator("#search-q")).to_have_value("ketamin")


def test_enter_in_the_guide_box_shows_results_in_place(
    page: Page, live_server: str
) -> None:
    """Pressing Enter in the guide box keeps the results on the page and
    moves focus to their heading."""
    page.goto(live_server + "/guide")
    page.locator("#search-q").focus()
    expect(page.locator("[data-module=search]")).to_have_attribute(
        "data-search-index", "ready"
    )
    page.locator("#search-q").press_sequentially("lithium")
    page.keyboard.press("Enter")
    expect(page.locator(".search__summary")).to_be_focused()
    assert page.url == live_server + "/guide"
    assert _first_result(page) == "/guide/medication-strategies"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_pass_axe_and_fit_a_small_screen(
    page: Page, live_server: str, scheme: str
) -> None:
    """Live results are accessible in both themes and fit 320 px at 200% text."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/search")
    _search(page, "ketamine esketamine")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
    assert overflow_at_200_percent_text(page) <= 0
