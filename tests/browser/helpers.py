"""Small page helpers shared by the browser tests."""

from __future__ import annotations

import json

from playwright.sync_api import Page, Request


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


class Requests:
    """Every request of a browser context (pages and worker): URL, headers, body."""

    def __init__(self) -> None:
        """Start with none."""
        self.seen: list[str] = []

    def on_request(self, request: Request) -> None:
        """Keep the URL, the headers and the body of a request."""
        body = (request.post_data_buffer or b"").decode("latin-1")
        self.seen.append(f"{request.url} {json.dumps(request.headers)} {body}")

    def assert_none_carries(self, words: list[str]) -> None:
        """Fail if any request carried one of the words the person typed."""
        assert self.seen, "requests were watched"
        for word in words:
            leaks = [r for r in self.seen if word.lower() in r.lower()]
            assert not leaks, f"{word!r} left the page: {leaks[:2]}"
