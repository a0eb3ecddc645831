"""Offline figures: precache size, URLs available offline, article time from the worker.

Runs the real server (gunicorn), reads the precache list the worker gets,
fetches every entry as a browser would (brotli) and as raw bytes, then opens
articles in Debian Chromium with the network off and reads the navigation
timings of pages answered by the service worker.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

from playwright.sync_api import CDPSession, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server

from server import create_app

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROUNDS = 3
# One small script, sent over CDP once the load event has fired, that waits
# for the first contentful paint and returns the navigation's timings.
# Playwright's wait_for_function would first install its injected script
# (about 11 ms of evaluation), which ran beside the page's first frame and,
# on a 2-CPU machine, held back its raster: the benchmark slowed what it timed.
TIMING = """new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    const paint = list.getEntriesByName('first-contentful-paint')[0]
    if (!paint) return
    observer.disconnect()
    const nav = performance.getEntriesByType('navigation')[0]
    resolve({
      response: nav.responseEnd - nav.startTime,
      worker: nav.workerStart > 0,
      dcl: nav.domContentLoadedEventEnd - nav.startTime,
      load: nav.loadEventEnd - nav.startTime,
      fcp: paint.startTime,
    })
  }).observe({ type: 'paint', buffered: true })
})"""


def timed_visit(page: Page, cdp: CDPSession, url: str) -> dict:
    """Open url, wait for load and the first contentful paint; return timings."""
    page.goto(url, wait_until="load")
    reply = cdp.send(
        "Runtime.evaluate",
        {"expression": TIMING, "awaitPromise": True, "returnByValue": True},
    )
    return reply["result"]["value"]


def fetch_size(url: str, encoding: str | None) -> int:
    """Bytes on the wire for url with the given Accept-Encoding (None: raw)."""
    request = urllib.request.Request(url)
    if encoding:
        request.add_header("Accept-Encoding", encoding)
    with urllib.request.urlopen(request, timeout=10) as response:
        return len(response.read())


def kb(size: float) -> str:
    """Format bytes as KB with one decimal."""
    return f"{size / 1024:.1f} KB"


def median_ms(values: list[float]) -> str:
    """Format the median and range of millisecond figures."""
    return (
        f"median {statistics.median(values):.0f} ms "
        f"(min {min(values):.0f}, max {max(values):.0f}, n={len(values)})"
    )


def main() -> None:
    """Print the precache size, the offline URL count and offline article timings."""
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "DISPATCHER": False})
        state = app.extensions["wayfinder.pwa"]
        entries = state.entries
        pages = state.pages
        articles = [
            f"/guide/{a.slug}" for a in app.extensions["wayfinder.content"].guide
        ]

    with running_server() as base:
        served = urllib.request.urlopen(base + "/sw.js").read().decode()
        assert state.version in served, "the server and this process disagree"
        sizes = {e.url: fetch_size(base + e.url, None) for e in entries}
        raw = sum(sizes.values())
        brotli = sum(fetch_size(base + e.url, "br") for e in entries)
        gzip = sum(fetch_size(base + e.url, "gzip") for e in entries)
        worker = fetch_size(base + "/sw.js", "br")
        print(f"precache: {len(entries)} URLs, version {state.version}")
        print(f"  uncompressed:         {kb(raw)}")
        print(f"  as sent, brotli:      {kb(brotli)}")
        print(f"  as sent, gzip:        {kb(gzip)}")
        print(f"  worker script (br):   {kb(worker)} ({kb(len(served))} raw)")
        largest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
        print("  largest: " + ", ".join(f"{url} {kb(n)}" for url, n in largest))
        print(
            f"available offline: {len(entries)} URLs, of which {len(pages) + 1} "
            f"pages (with /offline) and {len(entries) - len(pages) - 1} files"
        )

        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path="/usr/bin/chromium", args=ARGS
            )
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + "/")
            page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            page.wait_for_function("() => navigator.serviceWorker.controller !== null")
            usage = page.evaluate("navigator.storage.estimate().then(e => e.usage)")
            print(f"  browser storage used after install: {kb(usage)}")

            context.set_offline(True)
            cdp = context.new_cdp_session(page)
            offline = []
            for _round in range(ROUNDS):
                for path in articles:
                    timing = timed_visit(page, cdp, base + path)
                    assert timing["worker"], path
                    offline.append(timing)
            context.close()

            online = []
            context = browser.new_context(service_workers="block")
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            for _round in range(ROUNDS):
                for path in articles:
                    online.append(timed_visit(page, cdp, base + path))
            context.close()
            browser.close()

    print(f"article from the worker, offline ({len(articles)} articles x {ROUNDS}):")
    print(f"  HTML answered:        {median_ms([t['response'] for t in offline])}")
    print(f"  first paint:          {median_ms([t['fcp'] for t in offline])}")
    print(f"  load event:           {median_ms([t['load'] for t in offline])}")
    print("same articles online from loopback, no worker (for comparison):")
    print(f"  HTML answered:        {median_ms([t['response'] for t in online])}")
    print(f"  first paint:          {median_ms([t['fcp'] for t in online])}")
    print(f"  load event:           {median_ms([t['load'] for t in online])}")


if __name__ == "__main__":
    main()
