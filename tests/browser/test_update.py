"""Updates in real Chromium: a changed article reaches an open app, on its terms.

Each test runs its own server (gunicorn via `python -m server serve`) on a copy
of the content, changes an article and restarts it on the same port, as a
deploy would.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from server import paths
from tests.support import free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = "what-is-trd"
NEW_SENTENCE = "This sentence arrived with an update."
START_TIMEOUT_S = 60


class Site:
    """Wayfinder served by its own process from a content folder we can change."""

    def __init__(self, tmp_path: Path) -> None:
        """Copy the content and pick a port; call start() to serve."""
        self.content = tmp_path / "content"
        shutil.copytree(paths.CONTENT, self.content)
        self.instance = tmp_path / "instance"
        self.log = tmp_path / "server.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the server and wait until it answers."""
        env = {
            **os.environ,
            "WAYFINDER_CONTENT_DIR": str(self.content),
            "WAYFINDER_INSTANCE_PATH": str(self.instance),
            "WAYFINDER_WEB_WORKERS": "1",
            "WAYFINDER_DISPATCHER": "false",
            "WAYFINDER_LOG_LEVEL": "WARNING",
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server", "serve", "--port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server stopped:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/sw.js", timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)  # not up yet, or slow to answer on a busy machine
        pytest.fail(f"the server did not answer in {START_TIMEOUT_S} s")

    def stop(self) -> None:
        """Stop the server process we started."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn: quick shutdown
            self.process.wait(timeout=30)

    def deploy_changed_article(self) -> str:
        """Add a sentence to the article, restart, and return the new worker version."""
        path = self.content / "guide" / f"{ARTICLE}.md"
        path.write_text(path.read_text() + f"\n{NEW_SENTENCE}\n")
        self.stop()
        self.start()
        with urllib.request.urlopen(self.url + "/sw.js", timeout=5) as response:
            header = response.read(200).decode()
        return re.search(r"service worker ([0-9a-f]{12})", header).group(1)


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    """A running server of our own."""
    running = Site(tmp_path)
    running.start()
    yield running
    running.stop()


@pytest.fixture()
def page_problems(page_problems, site: Site):
    """Watch the page for problems against our own server's origin."""
    page_problems.origin = site.url
    return page_problems


def open_controlled(page: Page, url: str) -> None:
    """Open url under the worker's control, then close the first-install message."""
    page.clock.install()
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    expect(page.locator("h1")).to_be_visible()


def back_in_view_later(page: Page) -> None:
    """Half an hour passes, then the app comes back to the foreground."""
    page.clock.fast_forward("30:00")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def precaches(page: Page) -> list[str]:
    """Our precache names in the browser."""
    return page.evaluate(
        "caches.keys().then(keys => keys.filter(k => k.startsWith('wf-precache-')))"
    )


def test_update_is_offered_and_reloads_once_into_the_new_version(
    page: Page, site: Site
) -> None:
    """Open app, new deploy: a quiet offer; the old page stays whole until accepted."""
    open_controlled(page, f"{site.url}/guide/{ARTICLE}")
    (old_cache,) = precaches(page)
    version = site.deploy_changed_article()
    assert old_cache != f"wf-precache-{version}"

    back_in_view_later(page)
    toast = page.locator("[data-toast-region] .toast")
    expect(toast).to_contain_text("Updated content is ready.")
    expect(page.locator("main")).not_to_contain_text(NEW_SENTENCE)

    # A reload by the person keeps the old version whole: old page, old
    # assets, and the offer again.
    page.reload()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(NEW_SENTENCE)
    expect(toast).to_contain_text("Updated content is ready.")

    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    toast.get_by_role("button", name="Reload").click()
    expect(page.locator("main")).to_contain_text(NEW_SENTENCE)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => navigator.serviceWorker.controller?.state === 'activated'"
    )
    assert loads == [f"{site.url}/guide/{ARTICLE}"], "exactly one reload"
    assert precaches(page) == [f"wf-precache-{version}"], "no old cache remains"
    expect(page.locator("[data-toast-region] .toast")).to_have_count(0)


def test_not_now_keeps_reading_undisturbed(page: Page, site: Site) -> None:
    """Declining the offer removes it and nothing reloads or changes."""
    open_controlled(page, f"{site.url}/guide/{ARTICLE}")
    site.deploy_changed_article()
    back_in_view_later(page)
    toast = page.locator("[data-toast-region] .toast")
    expect(toast).to_contain_text("Updated content is ready.")

    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    toast.get_by_role("button", name="Not now").click()
    expect(toast).to_have_count(0)
    page.get_by_role("link", name="Guide", exact=True).click()
    expect(page.locator("h1")).to_have_text("The guide")
    expect(toast).to_have_count(0)
    page.go_back()
    expect(page.locator("main")).not_to_contain_text(NEW_SENTENCE)
    assert len(precaches(page)) == 2, "the new version waits beside the old"
    assert all(url.endswith(("/guide", ARTICLE)) for url in loads)


#: Write a few personal records through the page's own store; return them all.
WRITE_RECORDS = """async () => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  const store = personalStore()
  await store.save('tool-session', { tool: 'breathing/box', title: 'Box breathing',
    startedAt: 1, activeMs: 5, completed: true })
  await store.save('kept-note', { tool: 'mindfulness/grounding', savedAt: 2,
    items: [{ step: 'See', text: 'a mug' }] })
  await store.save('reminders', { id: 'sub', token: 'tok',
    endpoint: 'https://push.invalid/1', settings: {}, synced: {} }, { id: 'reminders' })
  return store.all()
}"""

READ_RECORDS = """() => import('/static/gen/personal-store.mjs')
  .then(m => m.personalStore().all())"""


def test_personal_data_is_intact_after_a_worker_update(page: Page, site: Site) -> None:
    """Records written before a new worker version are all there after it, unchanged."""
    open_controlled(page, f"{site.url}/my-data")
    before = page.evaluate(WRITE_RECORDS)
    site.deploy_changed_article()
    back_in_view_later(page)
    toast = page.locator("[data-toast-region] .toast")
    expect(toast).to_contain_text("Updated content is ready.")
    toast.get_by_role("button", name="Reload").click()
    page.wait_for_function(
        "() => navigator.serviceWorker.controller?.state === 'activated'"
    )
    expect(page.locator("[data-facts-counts]")).to_contain_text("1 tool session")
    assert page.evaluate(READ_RECORDS) == before
