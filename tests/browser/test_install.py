"""Install in real Chromium: installability as Chrome sees it; the install button."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser

# A stand-in for Chrome's beforeinstallprompt: it records prompt() calls and
# answers "accepted", and watches for persistent-storage requests.
FAKE_PROMPT = """() => {
  window.__prompted = 0
  window.__persistAsked = 0
  navigator.storage.persisted = async () => false
  navigator.storage.persist = async () => { window.__persistAsked += 1; return true }
  const event = new Event('beforeinstallprompt', { cancelable: true })
  event.prompt = async () => { window.__prompted += 1 }
  event.userChoice = Promise.resolve({ outcome: 'accepted', platform: 'web' })
  window.dispatchEvent(event)
  return event.defaultPrevented
}"""

# Hides Chrome's own (trusted) beforeinstallprompt from the page, so a test
# decides whether and when an offer arrives.
SWALLOW_REAL_OFFER = """addEventListener('beforeinstallprompt', (event) => {
  if (event.isTrusted) event.stopImmediatePropagation()
}, true)"""


def started(page: Page, url: str) -> None:
    """Open url and wait until its modules and sw-bridge have started (the
    manifest is linked, the worker is active)."""
    page.goto(url)
    page.wait_for_selector("html[data-started]", state="attached")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def test_chrome_finds_the_app_installable(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """No installability errors, a manifest without errors, and a primary icon."""
    started(page, live_server + "/")
    cdp = browser_context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"] == live_server + "/manifest.webmanifest"
    icons = cdp.send("Page.getManifestIcons")
    assert icons.get("primaryIcon")


def test_chrome_reads_shortcuts_and_screenshots(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """The parsed manifest has its three shortcuts and both screenshot form factors."""
    started(page, live_server + "/")
    cdp = browser_context.new_cdp_session(page)
    parsed = cdp.send("Page.getAppManifest")["manifest"]
    assert parsed["id"] == live_server + "/"
    assert parsed["display"].lower().endswith("standalone")
    assert {s["name"] for s in parsed["shortcuts"]} == {
        "Breathe",
        "Get help now",
        "My safety plan",
    }
    # CDP names enum values kNarrow/kWide (kStandalone for display).
    factors = {s["formFactor"].lower().removeprefix("k") for s in parsed["screenshots"]}
    assert factors == {"narrow", "wide"}


def test_the_app_installs(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """Chrome installs the open page's app (as its menu's Install does), by its
    manifest id, and knows it afterwards."""
    started(page, live_server + "/")
    cdp = browser_context.new_cdp_session(page)
    manifest_id = live_server + "/"
    cdp.send("PWA.install", {"manifestId": manifest_id})
    state = cdp.send("PWA.getOsAppState", {"manifestId": manifest_id})
    assert state["badgeCount"] == 0


def test_chrome_offers_install_and_a_quiet_button_appears(
    page: Page, live_server: str
) -> None:
    """Chrome's real beforeinstallprompt brings an Install app button in the footer."""
    page.goto(live_server + "/")
    expect(page.locator(".site-footer [data-install-app] button")).to_have_text(
        "Install app", timeout=15_000
    )


def test_no_install_button_without_an_offer(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """Nothing about installing shows up unless the browser offers it."""
    browser_context.add_init_script(SWALLOW_REAL_OFFER)
    started(page, live_server + "/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-install-app]")).to_have_count(0)


def test_install_button_prompts_then_asks_to_keep_storage(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """When offered, a quiet footer button prompts; accepting asks for persistence."""
    browser_context.add_init_script(SWALLOW_REAL_OFFER)
    started(page, live_server + "/guide")
    expect(page.locator("[data-install-app]")).to_have_count(0)
    assert page.evaluate(FAKE_PROMPT) is True, "the browser's own banner is held back"
    button = page.locator(".site-footer [data-install-app] button")
    expect(button).to_have_text("Install app")
    button.click()
    page.wait_for_function("() => window.__persistAsked === 1")
    assert page.evaluate("window.__prompted") == 1
    expect(page.locator("[data-install-app]")).to_have_count(0)


def test_install_button_goes_away_once_installed(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """After the browser reports the app installed, the button disappears."""
    browser_context.add_init_script(SWALLOW_REAL_OFFER)
    started(page, live_server + "/")
    page.evaluate(FAKE_PROMPT)
    expect(page.locator("[data-install-app]")).to_have_count(1)
    page.evaluate("window.dispatchEvent(new Event('appinstalled'))")
    expect(page.locator("[data-install-app]")).to_have_count(0)
    page.wait_for_function("() => window.__persistAsked === 1")
