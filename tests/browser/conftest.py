"""Browser fixtures: a live server and Debian Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, Playwright
from werkzeug.serving import BaseWSGIServer, make_server

from server import create_app
from tests.browser.helpers import Requests

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-default-apps",
]


def _buffered(app: Callable) -> Callable:
    """Read each response whole and close it before the server sends it.

    Werkzeug's server skips close() when a client hangs up mid-response (a
    browser closed while its service worker precaches), which leaks the file
    WhiteNoise opened; pytest turns that ResourceWarning into an error.
    """

    def wsgi(environ: dict, start_response: Callable) -> list[bytes]:
        """Call the app and hand back its body as one closed chunk."""
        chunks = app(environ, start_response)
        try:
            return [b"".join(chunks)]
        finally:
            if hasattr(chunks, "close"):
                chunks.close()

    return wsgi


class LiveServer:
    """A threaded WSGI server for an app, on a free loopback port."""

    def __init__(self, app: Flask) -> None:
        """Bind to a free port; call start() to serve."""
        self.app = app
        self.server: BaseWSGIServer = make_server(
            "127.0.0.1", 0, _buffered(app), threaded=True
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app with shipped content, in its own instance folder."""
    instance = tmp_path_factory.mktemp("live-instance")
    return create_app({"INSTANCE_PATH": instance, "DISPATCHER": False})


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve the app on a free port for the whole session; yield its base URL."""
    server = LiveServer(live_app).start()
    yield server.url
    server.stop()


def launch(
    playwright: Playwright, user_data_dir: Path, **options: object
) -> BrowserContext:
    """Launch Debian Chromium with a persistent profile (not incognito)."""
    options.setdefault("viewport", {"width": 390, "height": 844})
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        **options,
    )


@pytest.fixture()
def browser_context(
    playwright: Playwright, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[BrowserContext]:
    """A fresh persistent Chromium profile for one test.

    Tests can pass launch options with ``@pytest.mark.parametrize`` indirectly or
    by defining a ``context_options`` fixture (e.g. locale, reduced motion).
    """
    options = {}
    if "context_options" in request.fixturenames:
        options = dict(request.getfixturevalue("context_options"))
    context = launch(playwright, tmp_path / "profile", **options)
    yield context
    context.close()


class PageProblems:
    """Console errors, page errors and cross-origin requests seen by a page."""

    def __init__(self, origin: str) -> None:
        """Start with no problems for this origin."""
        self.origin = origin
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.foreign_requests: list[str] = []

    def on_request(self, request) -> None:
        """Record a request that leaves the origin."""
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob", "about", "chrome-extension"}:
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def watch(self, page: Page) -> Page:
        """Attach listeners to a page."""
        page.on(
            "console",
            lambda msg: (
                self.console_errors.append(f"{msg.text} @ {msg.location}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("request", self.on_request)
        return page

    def forgive(self, *parts: str) -> None:
        """Drop the console errors that contain every one of parts (expected ones)."""
        self.console_errors[:] = [
            e for e in self.console_errors if not all(part in e for part in parts)
        ]

    def assert_clean(self) -> None:
        """Fail if anything went wrong."""
        assert not self.page_errors, f"uncaught errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.foreign_requests, (
            f"requests left the origin: {self.foreign_requests}"
        )


@pytest.fixture()
def requests(browser_context: BrowserContext) -> Requests:
    """Watch every request of every page and of the service worker."""
    watcher = Requests()
    browser_context.on("request", watcher.on_request)
    return watcher


@pytest.fixture()
def page_problems(live_server: str) -> PageProblems:
    """Problems seen by the test's pages; checked after the test."""
    return PageProblems(live_server)


@pytest.fixture()
def page(
    browser_context: BrowserContext, page_problems: PageProblems
) -> Iterator[Page]:
    """A page in the test's profile that fails the test on console errors."""
    browser_context.on("page", page_problems.watch)
    first = (
        browser_context.pages[0]
        if browser_context.pages
        else browser_context.new_page()
    )
    page_problems.watch(first)
    first.set_default_timeout(15_000)
    yield first
    page_problems.assert_clean()
