"""Shared fixtures: the app, its test client, and HTML5 page checks."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Playwright, sync_playwright

from server import create_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright driver for the session (browser tests and the deployment test)."""
    from tests.browser.conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Debian Chromium not found at {CHROMIUM}: apt-get install chromium"
        )
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def shared_instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One instance folder for the session's read-only app."""
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def app(shared_instance: Path) -> Flask:
    """The app with its shipped content, built once per session."""
    return create_app({"TESTING": True, "INSTANCE_PATH": shared_instance})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """A test client for the session app."""
    return app.test_client()


def parse_page(html: str) -> BeautifulSoup:
    """Parse a page as strict HTML5 and check its accessibility hygiene."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(html)
    soup = BeautifulSoup(html, "html.parser")
    h1s = soup.find_all("h1")
    assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
    title = soup.title.get_text(strip=True)
    heading = h1s[0].get_text(" ", strip=True)
    assert title.startswith(heading), f"title {title!r} does not start with {heading!r}"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    dupes = [i for i, n in ids.items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"
    assert soup.html.get("lang") == "en"
    assert soup.find("main", id="main") is not None
    return soup


@pytest.fixture()
def get_page(client: FlaskClient):
    """Fetch a page, assert its status, and return it parsed and checked."""

    def fetch(url: str, status: int = 200) -> BeautifulSoup:
        """Fetch url and check it."""
        response = client.get(url)
        assert response.status_code == status, f"{url}: {response.status_code}"
        assert response.mimetype == "text/html"
        return parse_page(response.get_data(as_text=True))

    return fetch


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once per session."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), "."],
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    return next(out.glob("wayfinder-*.whl"))
