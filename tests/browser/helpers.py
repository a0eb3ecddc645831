"""Small page helpers shared by the browser tests."""

from __future__ import annotations

from playwright.sync_api import Page


def wait_for_worker_control(page: Page) -> None:
    """Wait for the service worker to be ready, reload, and wait until it controls."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def overflow_at_200_percent_text(page: Page) -> int:
    """Set text to 200% and return how far the page now overflows sideways."""
    page.evaluate("() => { document.documentElement.style.fontSize = '200%' }")
    return page.evaluate(
        "() => document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth"
    )
