"""Offline in real Chromium: after one visit, every page works with the network off."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser

CRAWL_DEPTH = 3


def controlled(page: Page, url: str) -> None:
    """Open url, wait for the worker to be active, and reload under its control."""
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")


def same_origin_links(page: Page, origin: str) -> set[str]:
    """Every same-origin link on the page, without fragments."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    found = set()
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == origin and not parts.path.startswith(
            "/api/"
        ):
            found.add(url)
    return found


def crawl(page: Page, start: str, origin: str) -> list[str]:
    """Visit every same-origin page reachable from start, breadth first, to a depth."""
    seen = {start}
    frontier = [start]
    for _depth in range(CRAWL_DEPTH):
        following = []
        for url in frontier:
            response = page.goto(url)
            assert response is not None and response.ok, url
            for link in sorted(same_origin_links(page, origin) - seen):
                seen.add(link)
                following.append(link)
        frontier = following
    return sorted(seen)


def test_every_page_reachable_from_home_works_offline(
    page: Page, page_problems: Any, browser_context: BrowserContext, live_server: str
) -> None:
    """Crawl online to depth 3, then offline: each page is the real one."""
    controlled(page, live_server + "/")
    urls = crawl(page, live_server + "/", live_server)
    assert len(urls) > 20, urls
    truth = {}
    for url in urls:
        answer = browser_context.request.get(url)
        assert answer.ok, url
        truth[url] = answer.text()

    browser_context.set_offline(True)
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert response.from_service_worker, url
        assert response.text() == truth[url], f"{url} differs from the server's page"
        heading = BeautifulSoup(truth[url], "html.parser").h1.get_text(" ", strip=True)
        expect(page.locator("h1")).to_have_text(heading)
        assert heading != "You are offline", url
    # /reminders asks the server once whether it answers (navigator.onLine can
    # say online when it is not); offline, the browser logs that failed request.
    page_problems.forgive("ERR_INTERNET_DISCONNECTED", "/api/push/public-key")


def test_unknown_page_offline_shows_the_offline_page(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """An unsaved URL with no network gets the friendly offline page, status 200."""
    controlled(page, live_server + "/")
    browser_context.set_offline(True)
    response = page.goto(live_server + "/guide/not-saved-anywhere")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("You are offline")
    expect(page.locator("main a[href='/help']").first).to_be_visible()
    expect(page.locator("main a[href='/guide/what-is-trd']")).to_be_visible()


def test_first_visit_says_ready_to_use_offline(page: Page, live_server: str) -> None:
    """Once the first version is saved, a quiet status message says so, in the
    footer, where it covers nothing; OK dismisses it."""
    page.goto(live_server + "/")
    region = page.locator("footer [data-ready-region]")
    expect(region).to_contain_text("Ready to use offline")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(page.locator("[data-toast-region]")).to_be_empty()
    assert region.evaluate("r => getComputedStyle(r.firstElementChild).position") == (
        "static"
    )
    region.get_by_role("button", name="OK").click()
    expect(region).not_to_contain_text("Ready to use offline")


def test_second_load_takes_assets_from_the_worker(page: Page, live_server: str) -> None:
    """Hashed CSS, JS and icons come from the worker, not the network."""
    controlled(page, live_server + "/guide/what-is-trd")
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.reload()
    page.wait_for_load_state("networkidle")
    assets = [r for r in responses if "/static/gen/" in r.url]
    assert assets, "the page loads hashed assets"
    assert all(r.from_service_worker for r in assets), [
        r.url for r in assets if not r.from_service_worker
    ]


def test_caches_hold_only_our_complete_same_origin_answers(
    page: Page, live_server: str
) -> None:
    """Every cached response is ours, status 200, never opaque; one precache only."""
    controlled(page, live_server + "/")
    found = page.evaluate(
        """async () => {
          const out = []
          for (const name of await caches.keys()) {
            const cache = await caches.open(name)
            for (const request of await cache.keys()) {
              const response = await cache.match(request)
              out.push([name, request.url, response.status, response.type])
            }
          }
          return out
        }"""
    )
    names = {name for name, *_ in found}
    assert len(names) == 1 and next(iter(names)).startswith("wf-precache-")
    for _name, url, status, kind in found:
        assert url.startswith(live_server + "/"), url
        assert status == 200 and kind in {"basic", "default"}, (url, status, kind)


def test_about_shows_what_is_stored_and_can_keep_it(
    page: Page, live_server: str
) -> None:
    """/about says what is stored and whether it is kept; a button asks to keep it."""
    controlled(page, live_server + "/about")
    section = page.locator("[data-module=offline-storage]")
    expect(section.locator("[data-offline-saved]")).to_have_text(
        re.compile(r"^Yes: \d+ pages and files, content of \d{1,2} [A-Z]\w+ \d{4}\.$")
    )
    expect(section.locator("[data-offline-usage]")).to_have_text(
        re.compile(r"^\d+(\.\d)? (KB|MB|GB)$")
    )
    expect(section.locator("[data-offline-persisted]")).not_to_have_text("checking")
    assert page.evaluate("navigator.storage.persisted()") is False
    section.get_by_role("button", name="Keep available offline").click()
    expect(section.locator("[data-keep-offline-answer]")).to_have_text(
        re.compile(r"^(Done|Your browser did not promise)")
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_offline_page_and_message_pass_axe(
    page: Page, live_server: str, scheme: str
) -> None:
    """axe finds nothing on /offline with the status message showing, in both themes."""
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server + "/offline")
    expect(page.locator("[data-ready-region]")).to_contain_text("Ready to use offline")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
