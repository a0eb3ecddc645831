"""Every engine: the app in Firefox ESR (WebDriver BiDi) and WebKitGTK (WebDriver).

One browser per engine for this module; each test runs its own server process
where it stops or redeploys it. Every page opened is checked for uncaught
errors, console errors, CSP violations and components that failed to start.
Run one engine's group with ``-m firefox`` or ``-m webkit``.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from server.views import offline_urls
from tests.browser.engines import (
    Firefox,
    WebKit,
    Xvfb,
    wait_across_reload,
    wait_for_worker_control,
)
from tests.browser.test_update import ARTICLE, NEW_SENTENCE, WRITE_RECORDS, Site

Browser = Firefox | WebKit

ENGINES = [
    pytest.param("firefox", marks=pytest.mark.firefox),
    pytest.param("webkit", marks=pytest.mark.webkit),
]

#: The circle's box lies inside the viewport.
CIRCLE_IN_VIEW = """() => {
  const box = document.querySelector('.breather__visual').getBoundingClientRect()
  return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight
}"""


@pytest.fixture(scope="module", params=ENGINES)
def browser(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    """One Firefox or WebKit browser for the module; prints the group's time."""
    began = time.monotonic()
    display = None
    if request.param == "firefox":
        engine: Browser = Firefox(
            "http://127.0.0.1/", tmp_path_factory.mktemp("firefox-profile")
        )
    else:
        display = Xvfb()
        try:
            engine = WebKit(display.display)
        except BaseException:
            display.stop()
            raise
    yield engine
    engine.close()
    if display:
        display.stop()
    print(
        f"\n{request.param} group ({engine.version}): {time.monotonic() - began:.1f} s"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One running server for the tests that do not stop it."""
    running = Site(tmp_path_factory.mktemp("engines-site"))
    running.start()
    yield running
    running.stop()


@pytest.fixture()
def own_site(tmp_path: Path) -> Iterator[Site]:
    """A server of the test's own, to stop or redeploy."""
    running = Site(tmp_path)
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def pages(live_app: Flask) -> list[str]:
    """Every page the worker precaches: new pages are covered as they land."""
    urls = [u for u in offline_urls(live_app) if not Path(u).suffix]
    assert len(urls) > 20, urls
    return urls


def clean(browser: Browser, where: str) -> None:
    """Fail if the page reported any problem since the last check."""
    found = browser.problems()
    assert not found, f"{browser.name} {where}: {found}"


def headings(site: Site, urls: list[str]) -> dict[str, str]:
    """Each page's h1 as the server sends it."""
    found = {}
    for url in urls:
        with urllib.request.urlopen(site.url + url, timeout=10) as response:
            html = response.read().decode()
        found[url] = BeautifulSoup(html, "html.parser").h1.get_text(" ", strip=True)
    return found


def shown_heading(browser: Browser) -> str:
    """The page's h1 as shown, spaces collapsed."""
    return browser.evaluate(
        "() => document.querySelector('h1').textContent.replace(/\\s+/g, ' ').trim()"
    )


def click(browser: Browser, selector: str) -> None:
    """Click the first element matching selector."""
    browser.evaluate(f"() => document.querySelector({selector!r}).click()")


def tap_mood(browser: Browser, label: str) -> None:
    """Wait for the check-in's mood buttons and tap one by its label."""
    button = (
        "[...document.querySelectorAll('.mood-choice__label')]"
        f".find(s => s.textContent === {label!r})?.closest('button')"
    )
    browser.wait_for(f"() => {button}")
    browser.evaluate(f"() => {button}.click()")


def start_breathing(browser: Browser, site: Site) -> None:
    """Open box breathing, press Start and wait for the first phase."""
    browser.goto(f"{site.url}/tools/breathing/box")
    click(browser, "[data-start]")
    browser.wait_for(
        "() => document.querySelector('[data-phase]').textContent === 'Breathe in'"
    )


def test_every_page_renders_clean_and_the_worker_controls_it(
    browser: Browser, site: Site, pages: list[str]
) -> None:
    """Each precached page shows its heading, no errors, under the worker."""
    wait_for_worker_control(browser, site.url + "/")
    clean(browser, "/")
    truth = headings(site, pages)
    for url in pages:
        browser.goto(site.url + url)
        assert shown_heading(browser) == truth[url], url
        assert browser.evaluate("() => navigator.serviceWorker.controller !== null")
        clean(browser, url)


def test_with_the_server_stopped_pages_search_breathing_and_data_work(
    browser: Browser, own_site: Site, pages: list[str]
) -> None:
    """Server process stopped: every page, search, breathing and saved data."""
    wait_for_worker_control(browser, own_site.url + "/my-data")
    browser.evaluate(WRITE_RECORDS)
    browser.goto(own_site.url + "/check-in")
    tap_mood(browser, "Okay")
    browser.wait_for(
        "() => document.querySelector('[data-mood-status]')"
        ".textContent.includes('Saved: Okay')"
    )
    truth = headings(own_site, pages)
    own_site.stop()

    for url in pages:
        browser.goto(own_site.url + url)
        assert shown_heading(browser) == truth[url], url
        clean(browser, f"{url} offline")

    browser.goto(own_site.url + "/search?q=lithium")
    browser.wait_for(
        "() => document.querySelector('.search-result__title a')"
        "?.getAttribute('href').startsWith('/guide/')"
    )
    start_breathing(browser, own_site)
    assert browser.evaluate(CIRCLE_IN_VIEW), "the circle is scrolled out of view"

    browser.goto(own_site.url + "/my-data")
    browser.wait_for(
        "() => document.querySelector('[data-facts-counts]')"
        ".textContent.includes('1 tool session')"
    )
    browser.goto(own_site.url + "/check-in")
    browser.wait_for(
        "() => document.querySelector('[data-today]').textContent.includes('Okay')"
    )
    clean(browser, "offline search, breathing, my data, check-in")


def test_toolkit_data_survives_a_reload(browser: Browser, own_site: Site) -> None:
    """A check-in and saved records are there again after a reload, online."""
    site = own_site  # its made-up reminders record must not reach other tests
    browser.goto(site.url + "/my-data")
    browser.evaluate(WRITE_RECORDS)
    browser.goto(site.url + "/my-data")
    browser.wait_for(
        "() => document.querySelector('[data-facts-counts]')"
        ".textContent.includes('1 tool session')"
    )
    browser.goto(site.url + "/check-in")
    tap_mood(browser, "Low")
    browser.wait_for(
        "() => document.querySelector('[data-mood-status]')"
        ".textContent.includes('Saved: Low')"
    )
    browser.goto(site.url + "/check-in")
    browser.wait_for(
        "() => document.querySelector('[data-today]').textContent.includes('Low')"
    )
    clean(browser, "toolkit pages")


def test_starting_a_breathing_session_keeps_the_circle_in_view(
    browser: Browser, site: Site
) -> None:
    """After Start, the whole circle is inside a short viewport.

    WebKit scrolls a focused element to the middle: on a 600 px high screen,
    focusing Pause alone put the circle's top above the viewport.
    """
    browser.resize(390, 600)
    try:
        start_breathing(browser, site)
        assert browser.evaluate(CIRCLE_IN_VIEW), "the circle is out of view"
    finally:
        browser.resize(390, 806)
    assert browser.evaluate(
        "() => document.activeElement === document.querySelector('[data-pause]')"
    )
    clean(browser, "breathing")


def test_reminders_say_what_this_browser_can_do(browser: Browser, site: Site) -> None:
    """WebKitGTK has no PushManager; Firefox here has notifications denied."""
    browser.goto(site.url + "/reminders")
    browser.wait_for(
        "() => document.querySelector('[data-module=reminders]').dataset.ready"
    )
    shown = browser.evaluate(
        "() => [...document.querySelectorAll('[data-panel]')]"
        ".filter(p => !p.hidden).map(p => p.dataset.panel)"
    )
    if browser.name == "webkit":
        assert not browser.evaluate("() => 'PushManager' in window")
        assert shown == ["unsupported"]
    else:
        assert browser.evaluate("() => Notification.permission") == "denied"
        assert shown == ["blocked"]
    clean(browser, "/reminders")


def test_missing_apis_are_explained_without_errors(
    browser: Browser, site: Site
) -> None:
    """No vibration, share or storage promise: the pages say so or hide the control."""
    browser.goto(site.url + "/tools/breathing/box")
    if not browser.evaluate("() => typeof navigator.vibrate === 'function'"):
        assert browser.evaluate(
            "() => document.querySelector('[data-needs=vibrate]').hidden"
        )
    browser.goto(site.url + "/my-data")
    if not browser.evaluate("() => typeof navigator.share === 'function'"):
        assert browser.evaluate(
            "() => document.querySelector('[data-backup-share]').hidden"
        )
    browser.goto(site.url + "/about")
    answer = "() => document.querySelector('[data-offline-persisted]').textContent"
    browser.wait_for(f"() => !/checking/i.test(({answer})())")
    if browser.name == "webkit":
        assert browser.evaluate(answer) == "This browser does not say."
    else:
        # Headless Firefox may never answer persist(): an answer still comes.
        click(browser, "[data-keep-offline] button")
        browser.wait_for(
            "() => document.querySelector('[data-keep-offline-answer]').textContent"
        )
    clean(browser, "missing APIs")


#: Firefox only (WebKitGTK here already says ['C']): languages from the
#: session, set before the page's scripts run.
LANGUAGES_FROM_SESSION = """() => {
  const wanted = sessionStorage.getItem('wf-test-languages')
  if (!wanted) return
  Object.defineProperty(navigator, 'languages', { get: () => JSON.parse(wanted) })
}"""


def test_help_with_a_language_that_names_no_country(
    browser: Browser, site: Site
) -> None:
    """Languages ['C']: nothing chosen, every country shown; a choice sticks."""
    browser.goto(site.url + "/help")
    if browser.name == "firefox":
        browser.send("addInitScript", source=LANGUAGES_FROM_SESSION)
        browser.evaluate("() => sessionStorage.setItem('wf-test-languages', '[\"C\"]')")
        browser.goto(site.url + "/help")
    assert browser.evaluate("() => navigator.languages") == ["C"]
    choice = "() => document.querySelector('#country-choice').value"
    assert browser.evaluate(choice) == ""
    assert browser.evaluate(
        "() => document.querySelector('details.other-countries') === null"
    )
    shown = browser.evaluate(
        "() => [...document.querySelectorAll('section[data-country]')]"
        ".filter(s => s.offsetParent !== null).map(s => s.dataset.country)"
    )
    assert set(shown) >= {"US", "CA", "GB", "IE", "AU", "NZ"}, shown
    first = "() => document.querySelector('[data-module=country-picker] + section')"
    browser.evaluate(
        "() => { const s = document.querySelector('#country-choice');"
        " s.value = 'GB'; s.dispatchEvent(new Event('change', { bubbles: true })) }"
    )
    browser.wait_for(f"() => ({first})().dataset.country === 'GB'")
    browser.goto(site.url + "/help")
    assert browser.evaluate(choice) == "GB"
    assert browser.evaluate(f"() => ({first})().dataset.country") == "GB"
    browser.evaluate(
        "() => { localStorage.removeItem('wayfinder.country');"
        " sessionStorage.removeItem('wf-test-languages') }"
    )
    clean(browser, "/help")


def test_the_update_flow_shows_its_message(browser: Browser, own_site: Site) -> None:
    """A new deploy while the app is open: the quiet offer, and Reload brings it in."""
    url = f"{own_site.url}/guide/{ARTICLE}"
    wait_for_worker_control(browser, url)
    own_site.deploy_changed_article()
    # Half an hour later the app comes back into view.
    browser.evaluate(
        "() => { const now = Date.now; Date.now = () => now() + 31 * 60 * 1000;"
        " document.dispatchEvent(new Event('visibilitychange')) }"
    )
    toast = "document.querySelector('[data-toast-region] .toast')"
    browser.wait_for(
        f"() => {toast}?.textContent.includes('Updated content is ready.')", 30_000
    )
    assert NEW_SENTENCE not in browser.evaluate(
        "() => document.querySelector('main').textContent"
    )
    browser.evaluate(
        f"() => [...{toast}.querySelectorAll('button')]"
        ".find(b => b.textContent.trim() === 'Reload').click()"
    )
    wait_across_reload(
        browser,
        f"() => document.querySelector('main').textContent.includes({NEW_SENTENCE!r})",
    )
    # Firefox can report "The operation is insecure" for the test's own check
    # that runs while the old document is torn down; nothing else may appear.
    found = [
        p
        for p in browser.problems()
        if not (browser.name == "firefox" and p.endswith("operation is insecure."))
    ]
    assert not found, f"{browser.name} after the update: {found}"
