"""The first paint in real Chromium: nothing moves once the modules start, the
help card is laid out from the first frame, and no module is on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.browser.helpers import wait_for_worker_control

pytestmark = pytest.mark.browser

#: Home (the help card first), the longest article, the help page, the tools.
PAGES = ["/", "/guide/brain-stimulation", "/help", "/tools"]

#: Records every layout shift from the very start of the page.
WATCH_SHIFTS = """
window.__shifts = []
window.__shiftObserver = new PerformanceObserver((list) => {
  window.__shifts.push(...list.getEntries())
})
window.__shiftObserver.observe({ type: 'layout-shift', buffered: true })
"""
#: The shifts that count for CLS (none right after input), two frames after
#: the modules started, with the observer's pending entries taken too.
SHIFTS = """() => new Promise((resolve) => requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    const all = [...window.__shifts, ...window.__shiftObserver.takeRecords()]
    resolve(all.filter((e) => !e.hadRecentInput).map((e) => ({
      value: e.value,
      sources: (e.sources || []).map((s) => s.node
        ? (s.node.className || s.node.nodeName) : '') })))
  })))"""

CHOICES = {
    "guessed from en-US": "",
    "chosen: United Kingdom": "localStorage.setItem('wayfinder.country', 'GB')",
    "chosen: somewhere else": "localStorage.setItem('wayfinder.country', 'other')",
    "a plan is kept": "localStorage.setItem('wayfinder.plan', 'yes')",
}


@pytest.fixture()
def context_options() -> dict:
    """A phone in the United States: the card collapses to one country."""
    return {"locale": "en-US", "viewport": {"width": 390, "height": 844}}


def _settled(page: Page, url: str) -> list[dict]:
    """Open url, wait until every module has started, and return its shifts."""
    page.goto(url)
    page.wait_for_selector("html[data-started]", state="attached")
    return page.evaluate(SHIFTS)


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("path", PAGES)
def test_nothing_moves_when_the_modules_start(
    page: Page, live_server: str, path: str, choice: str
) -> None:
    """Layout shift is 0 on each page, whatever the help card is to show."""
    page.add_init_script(WATCH_SHIFTS)
    if CHOICES[choice]:
        page.add_init_script(f"try {{ {CHOICES[choice]} }} catch {{}}")
    shifts = _settled(page, live_server + path)
    assert shifts == [], shifts


def test_nothing_moves_offline_from_the_worker(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """Pages the worker answers (styles linked from its cache) do not move either."""
    page.add_init_script(WATCH_SHIFTS)
    page.add_init_script(
        "try { localStorage.setItem('wayfinder.country', 'IE') } catch {}"
    )
    page.goto(live_server + "/")
    wait_for_worker_control(page)
    browser_context.set_offline(True)
    try:
        for path in ("/", "/help", "/guide/what-is-trd"):
            shifts = _settled(page, live_server + path)
            assert shifts == [], (path, shifts)
            expect(page.locator(".help-card a.button:visible").last).to_have_attribute(
                "href", "tel:112"
            )
    finally:
        browser_context.set_offline(False)


def test_the_card_shows_the_choice_before_any_module(
    page: Page, live_server: str
) -> None:
    """With every module held back, the first paint already shows the UK's lines."""
    held: list[Route] = []
    page.route("**/*.mjs", lambda route: held.append(route))
    page.add_init_script(
        "try { localStorage.setItem('wayfinder.country', 'GB') } catch {}"
    )
    page.goto(live_server + "/")
    page.wait_for_function(
        "() => performance.getEntriesByName('first-contentful-paint').length > 0"
    )
    assert page.evaluate("document.documentElement.dataset.helpFirst") == "GB"
    card = page.locator("main .help-card")
    expect(card.get_by_text("For the United Kingdom:")).to_be_visible()
    expect(card.locator("a.button:visible")).to_have_count(3)
    expect(card.locator("a.button:visible").first).to_have_attribute(
        "href", "tel:116123"
    )
    assert page.evaluate("document.documentElement.dataset.started") is None
    for route in held:
        route.continue_()
    page.unroute("**/*.mjs")


def test_no_module_is_requested_before_the_first_paint(
    page: Page, live_server: str
) -> None:
    """The entry module is asked for only after the page has painted."""
    page.goto(live_server + "/guide/what-is-trd")
    page.wait_for_selector("html[data-started]", state="attached")
    timing = page.evaluate(
        """() => ({
          paint: performance.getEntriesByName('first-contentful-paint')[0].startTime,
          modules: performance.getEntriesByType('resource')
            .filter((e) => e.name.endsWith('.mjs')).map((e) => e.startTime),
          blocking: performance.getEntriesByType('resource')
            .filter((e) => e.renderBlockingStatus === 'blocking').map((e) => e.name),
        })"""
    )
    assert timing["modules"], "the modules never loaded"
    assert min(timing["modules"]) >= timing["paint"], timing
    assert timing["blocking"] == [], timing


def test_the_manifest_is_linked_at_the_first_paint(
    page: Page, live_server: str
) -> None:
    """The loader adds it once the page has painted, after the icons the HTML
    links: Chromium then reads the manifest (Page.getAppManifest) and the
    page holds each link once."""
    page.goto(live_server + "/")
    page.wait_for_selector("html[data-started]", state="attached")
    links = page.evaluate(
        """() => [...document.head.querySelectorAll('link:not([rel=stylesheet])')]
          .map((l) => [l.rel, new URL(l.href).pathname, l.type])"""
    )
    assert [rel for rel, _, _ in links] == ["icon", "apple-touch-icon", "manifest"]
    assert links[-1][1] == "/manifest.webmanifest"
    assert links[0][2] == "image/png" and links[0][1].endswith(".png")
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == live_server + "/manifest.webmanifest"
    assert manifest["errors"] == []
