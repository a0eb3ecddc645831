"""The browser tests' live server and Chromium, for benchmarks that drive a page."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import BrowserContext, sync_playwright  # noqa: E402

from server import create_app  # noqa: E402

# Loaded by path: a package named "tests" in site-packages would shadow ours.
_spec = importlib.util.spec_from_file_location(
    "browser_conftest", ROOT / "tests" / "browser" / "conftest.py"
)
conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(conftest)
LiveServer, launch = conftest.LiveServer, conftest.launch


@contextmanager
def live_site(**config: Any) -> Iterator[str]:
    """Serve a fresh app (no dispatcher) on a free port; yield its base URL."""
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "DISPATCHER": False, **config})
        server = LiveServer(app).start()
        try:
            yield server.url
        finally:
            server.stop()


@contextmanager
def chromium() -> Iterator[BrowserContext]:
    """Debian Chromium as the browser tests launch it, on a profile of its own."""
    with sync_playwright() as driver, tempfile.TemporaryDirectory() as profile:
        context = launch(driver, Path(profile))
        try:
            yield context
        finally:
            context.close()


def throttle(context: BrowserContext, page: Any, rate: float) -> None:
    """Slow the page's CPU by `rate` (CDP Emulation.setCPUThrottlingRate)."""
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
