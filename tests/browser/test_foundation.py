"""Every page in real Chromium: no console errors, no foreign requests, axe clean."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

PAGES = ["/", "/guide", "/guide/what-is-trd", "/help", "/tools", "/about"]
AXE_PAGES = ["/", "/guide", "/guide/what-is-trd", "/help", "/about"]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_cleanly(page: Page, live_server: str, path: str) -> None:
    """The page loads, shows its h1 and help link; the fixture checks console/origin."""
    response = page.goto(live_server + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert page.locator("header a[href='/help']").is_visible()
    assert page.evaluate("document.documentElement.classList.contains('js')")


@pytest.mark.parametrize("path", AXE_PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(
    page: Page, live_server: str, path: str, scheme: str
) -> None:
    """axe-core (WCAG 2.2 AA rules included) reports nothing, in both themes."""
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_at_320px(page: Page, live_server: str, path: str) -> None:
    """At 320 px wide nothing overflows sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.parametrize("path", ["/", "/guide/what-is-trd", "/help"])
def test_no_horizontal_scroll_at_200_percent_text(
    page: Page, live_server: str, path: str
) -> None:
    """With text at 200% on a 320 px screen, content still reflows without overflow."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + path)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_touch_targets_are_at_least_44px(page: Page, live_server: str) -> None:
    """Buttons and header/nav links are at least 44 by 44 CSS pixels."""
    page.goto(live_server + "/help")
    small = page.evaluate(
        """() => [...document.querySelectorAll(
            '.button, .help-now, .site-nav a, .brand, button')]
          .filter(el => el.offsetParent !== null)
          .map(el => [el.textContent.trim(), el.getBoundingClientRect()])
          .filter(([, r]) => r.width < 44 || r.height < 44)
          .map(([t, r]) => `${t}: ${r.width}x${r.height}`)"""
    )
    assert small == []


def test_body_text_is_readable(page: Page, live_server: str) -> None:
    """Body text is at least 16 px and article lines stay under about 70 characters."""
    page.goto(live_server + "/guide/what-is-trd")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16
    width_ch = page.evaluate(
        """() => { const p = document.querySelector('.prose p');
          const ch = document.createElement('span'); ch.textContent = '0';
          p.appendChild(ch); const w = ch.getBoundingClientRect().width; ch.remove();
          return p.getBoundingClientRect().width / w }"""
    )
    assert width_ch <= 72


def test_reduced_motion_is_respected(browser_context, live_server: str) -> None:
    """With reduced motion, transitions are effectively off."""
    page = browser_context.pages[0]
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server + "/")
    duration = page.evaluate(
        "getComputedStyle(document.querySelector('.button')).transitionDuration"
    )
    assert duration == "0s"


def test_reduced_motion_starts_no_transition_on_a_change_of_style(
    browser_context, live_server: str
) -> None:
    """A change of colour and a disclosure opened start no transition at all."""
    page = browser_context.pages[0]
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server + "/help")
    started = page.evaluate(
        """() => {
          document.documentElement.style.setProperty('--text', 'rgb(1 2 3)')
          for (const d of document.querySelectorAll('details')) d.open = !d.open
          getComputedStyle(document.body).color
          return document.getAnimations().length
        }"""
    )
    assert started == 0
    page.emulate_media(reduced_motion="no-preference")
    moving = page.evaluate(
        """() => {
          for (const d of document.querySelectorAll('details')) d.open = !d.open
          for (const s of document.querySelectorAll('summary'))
            getComputedStyle(s, '::before').transform
          return document.getAnimations().length
        }"""
    )
    assert moving > 0


def test_security_headers_in_browser(browser_context, live_server: str) -> None:
    """The page is served with a CSP that forbids inline script and framing."""
    page = browser_context.pages[0]
    response = page.goto(live_server + "/")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    blocked = page.evaluate(
        """() => new Promise(resolve => {
          document.addEventListener('securitypolicyviolation', () => resolve(true));
          const s = document.createElement('script'); s.textContent = 'window.x=1';
          document.body.appendChild(s); setTimeout(() => resolve(!window.x), 500) })"""
    )
    assert blocked
