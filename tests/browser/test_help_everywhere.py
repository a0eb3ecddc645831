"""Help within reach from every screen, in real Chromium: the chosen country's
help card everywhere (offline too), a search that hears a crisis, the header
bar that stays on screen, and trailing slashes sent to the canonical URL."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import overflow_at_200_percent_text, wait_for_worker_control

pytestmark = pytest.mark.browser

CARD_PAGES = ["/", "/guide/what-is-trd", "/offline", "/help"]


@pytest.fixture()
def context_options() -> dict:
    """US English, as most tests here expect; the choice is what changes."""
    return {"locale": "en-US"}


def _choose(page: Page, live_server: str, code: str) -> None:
    """Choose a country on /help, as a person would."""
    page.goto(live_server + "/help")
    page.select_option("#country-choice", code)


def _card(page: Page):
    """The first help card in the main content."""
    return page.locator("main .help-card").first


@pytest.mark.parametrize("path", CARD_PAGES)
def test_the_chosen_country_shows_on_every_help_card(
    page: Page, live_server: str, path: str
) -> None:
    """After choosing the United Kingdom on /help, every card shows UK lines."""
    _choose(page, live_server, "GB")
    page.goto(live_server + path)
    card = _card(page)
    expect(card).to_have_attribute("data-help-shown", "GB")
    expect(card.locator("[data-help-chosen]:visible")).to_have_text(
        "For the United Kingdom:"
    )
    buttons = card.locator("[data-help-country]:visible a.button")
    expect(buttons.nth(0)).to_have_attribute("href", "tel:116123")
    expect(buttons.nth(1)).to_have_attribute("href", "sms:85258?body=SHOUT")
    expect(buttons.nth(2)).to_have_attribute("href", "tel:999")
    expect(card.locator("a[href='tel:988']:visible")).to_have_count(0)


def test_the_not_found_page_shows_the_chosen_country(
    page: Page, page_problems, live_server: str
) -> None:
    """The 404 page's card follows the choice too (the 500 page is the same
    template and card)."""
    _choose(page, live_server, "NZ")
    response = page.goto(live_server + "/no-such-page")
    assert response is not None and response.status == 404
    expect(_card(page)).to_have_attribute("data-help-shown", "NZ")
    expect(_card(page).locator("a.button:visible").first).to_have_attribute(
        "href", "tel:1737"
    )
    # The browser logs the 404 itself; nothing else may be logged.
    page_problems.forgive("404 (NOT FOUND)")


def test_nothing_chosen_shows_every_country(page: Page, live_server: str) -> None:
    """With no choice and no region to guess from, every country stays on show."""
    page.add_init_script(
        "Object.defineProperty(navigator, 'languages', {get: () => ['en']})"
    )
    page.goto(live_server + "/")
    card = _card(page)
    expect(card).to_have_attribute("data-help-shown", "US CA GB IE AU NZ")
    expect(card.locator("[data-help-country]:visible")).to_have_count(6)
    expect(card.locator("[data-help-chosen]:visible")).to_have_count(0)


def test_somewhere_else_shows_the_directory(page: Page, live_server: str) -> None:
    """The international directory stands in for an unlisted country."""
    _choose(page, live_server, "other")
    page.goto(live_server + "/")
    card = _card(page)
    expect(card.locator("[data-help-country='other']")).to_be_visible()
    expect(card.locator("[data-help-country='US']")).to_be_hidden()


def test_changing_the_country_on_help_updates_its_own_card(
    page: Page, live_server: str
) -> None:
    """The call buttons at the top of /help follow the picker at once."""
    page.goto(live_server + "/help")
    card = _card(page)
    expect(card).to_have_attribute("data-help-shown", "US")
    page.select_option("#country-choice", "AU")
    expect(card).to_have_attribute("data-help-shown", "AU")
    expect(card.locator("a.button:visible").first).to_have_attribute(
        "href", "tel:131114"
    )


def test_help_leads_with_big_call_buttons_on_the_first_screen(
    page: Page, live_server: str
) -> None:
    """At 390 x 844 the call, text and emergency buttons are all on screen."""
    page.goto(live_server + "/help")
    card = _card(page)
    expect(card).to_have_attribute("data-help-shown", "US")
    for href in ("tel:988", "sms:988", "tel:911"):
        button = card.locator(f"a.button[href='{href}']:visible")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["y"] + box["height"] <= 844 and box["height"] >= 48, href
    expect(page.locator("details.help-sources")).not_to_have_attribute("open", "")


def test_chosen_country_shows_offline(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """With the network cut, home and the offline page still show the choice."""
    page.goto(live_server + "/")
    wait_for_worker_control(page)
    _choose(page, live_server, "IE")
    browser_context.set_offline(True)
    try:
        for path in ("/", "/not-saved-anywhere"):
            page.goto(live_server + path)
            card = _card(page)
            expect(card).to_have_attribute("data-help-shown", "IE")
            expect(card.locator("a.button:visible").last).to_have_attribute(
                "href", "tel:112"
            )
        expect(page.locator("h1")).to_have_text("You are offline")
    finally:
        browser_context.set_offline(False)


def _live_search(page: Page, query: str) -> None:
    """Type into the search box and wait for the results."""
    page.fill("#search-q", query)
    expect(page.locator("[data-module=search]")).to_have_attribute(
        "data-search-shown", query
    )


@pytest.mark.parametrize("query", ["I want to die", "Kill my self", "sucidal"])
def test_live_search_leads_with_help_for_a_crisis(
    page: Page, live_server: str, query: str
) -> None:
    """In the browser the help block shows before any result, with no snippets."""
    page.goto(live_server + "/search")
    _live_search(page, query)
    block = page.locator("[data-crisis-help]")
    expect(block).to_be_visible()
    expect(page.locator(".search-result").first).to_be_visible()
    expect(page.locator(".search-result__snippet")).to_have_count(0)
    help_top = block.bounding_box()["y"]
    assert help_top < page.locator(".search__summary").bounding_box()["y"]
    expect(block.locator("a.button:visible").first).to_have_attribute("href", "tel:988")
    _live_search(page, "deadline")
    expect(block).to_be_hidden()


def test_crisis_search_offline_on_the_guide(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """Offline, the guide's own search box leads with help for a crisis query."""
    page.goto(live_server + "/guide")
    wait_for_worker_control(page)
    browser_context.set_offline(True)
    try:
        page.reload()
        _live_search(page, "want to die")
        expect(page.locator("[data-crisis-help]")).to_be_visible()
        page.goto(f"{live_server}/search?q={quote('self harm')}")
        expect(page.locator("[data-crisis-help]")).to_be_visible()
        expect(page.locator(".search-result").first).to_be_visible()
    finally:
        browser_context.set_offline(False)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_crisis_results_pass_axe_and_fit(
    page: Page, live_server: str, scheme: str
) -> None:
    """The help block and results are accessible and fit 320 px at 200% text."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server}/search?q={quote('kill myself')}")
    expect(page.locator("[data-module=search]")).to_have_attribute(
        "data-search-index", "ready"
    )
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
    assert overflow_at_200_percent_text(page) <= 0


@pytest.mark.parametrize("width", [390, 320])
def test_get_help_stays_on_screen_while_reading(
    page: Page, live_server: str, width: int
) -> None:
    """Scrolled to any point of a long article, "Get help now" is still on screen,
    the bar keeps its place (no shift), and an anchor lands below it."""
    page.set_viewport_size({"width": width, "height": 640})
    page.goto(live_server + "/guide/what-is-trd")
    main_top = page.evaluate("document.querySelector('main').offsetTop")
    help_now = page.locator("header .help-now")
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in (0, height // 3, height // 2, height):
        page.evaluate(f"window.scrollTo(0, {y})")
        box = help_now.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 640
        assert page.evaluate("document.querySelector('main').offsetTop") == main_top
    bar = page.locator(".site-header").bounding_box()
    heading = page.locator("#toc-heading")
    page.evaluate("document.querySelector('.toc a').click()")
    anchor = page.evaluate("document.querySelector('.toc a').hash")
    target = page.locator(anchor)
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('{anchor}').getBoundingClientRect()"
        ".top) < 200"
    )
    assert target.bounding_box()["y"] >= bar["height"], "the heading is not hidden"
    assert heading.count() == 1


def test_get_help_stays_on_screen_at_200_percent_text(
    page: Page, live_server: str
) -> None:
    """With text at 200% on a 320 px screen, the bar still fits and stays put."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/guide/what-is-trd")
    assert overflow_at_200_percent_text(page) <= 0
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    box = page.locator("header .help-now").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 640
    assert page.locator(".site-header").bounding_box()["height"] <= 640 / 4


def test_reduced_motion_keeps_the_bar_still(page: Page, live_server: str) -> None:
    """With reduced motion, disclosure arrows and the bar do not animate."""
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server + "/help")
    duration = page.evaluate(
        "getComputedStyle(document.querySelector('summary'), '::before')"
        ".transitionDuration"
    )
    assert duration == "0s"


def test_search_from_the_header_works_offline(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """The header's search goes to /search, which searches offline; the index
    is not loaded until the person uses search."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(live_server + "/tools")
    wait_for_worker_control(page)
    fetched.clear()
    page.reload()
    page.wait_for_load_state("networkidle")
    assert not [u for u in fetched if "/search-index.json" in u]
    browser_context.set_offline(True)
    try:
        page.get_by_role("link", name="Search").click()
        expect(page.locator("h1")).to_have_text("Search")
        _live_search(page, "sleep")
        expect(page.locator(".search-result").first).to_be_visible()
    finally:
        browser_context.set_offline(False)


@pytest.mark.parametrize("path", ["/help/", "/guide/", "/tools/"])
def test_trailing_slash_online_and_offline(
    page: Page, browser_context: BrowserContext, live_server: str, path: str
) -> None:
    """/help/ and friends open the canonical page, online (308) and offline."""
    response = page.goto(live_server + path)
    assert response is not None and response.ok
    assert page.url == live_server + path.rstrip("/")
    wait_for_worker_control(page)
    browser_context.set_offline(True)
    try:
        page.goto(live_server + path)
        assert page.url == live_server + path.rstrip("/")
        expect(page.locator("h1")).not_to_have_text("You are offline")
    finally:
        browser_context.set_offline(False)


@pytest.mark.parametrize("path", ["/", "/guide/what-is-trd", "/tools", "/search?q=x"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_changed_pages_pass_axe(
    page: Page, live_server: str, path: str, scheme: str
) -> None:
    """axe finds nothing on the pages with new cards and navigation."""
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
