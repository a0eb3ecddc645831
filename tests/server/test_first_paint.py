"""What stands before the first paint: nothing to fetch for a navigation, and
every inline piece allowed by its hash."""

from __future__ import annotations

import re
import shutil

import pytest
from flask import Flask
from flask.testing import FlaskClient

from server import create_app, first_paint, paths
from server.views import offline_urls
from tests.conftest import parse_page

NAVIGATE = {"Sec-Fetch-Mode": "navigate"}


@pytest.fixture(scope="module")
def pages(app: Flask) -> list[str]:
    """Every HTML page saved for offline use."""
    with app.app_context():
        return [u for u in offline_urls(app) if "." not in u.rsplit("/", 1)[-1]]


def _csp(response) -> dict[str, list[str]]:
    """The CSP as directive -> sources."""
    policy = response.headers["Content-Security-Policy"]
    return {p.split()[0]: p.split()[1:] for p in policy.split("; ")}


@pytest.mark.parametrize("headers", [NAVIGATE, {}], ids=["navigation", "worker"])
def test_every_inline_piece_is_allowed_by_its_hash(
    client: FlaskClient, pages: list[str], headers: dict
) -> None:
    """Each <style> and inline <script> of every page has its hash in the CSP;
    the CSP has no 'unsafe-inline' and no hash that no page uses."""
    used: set[str] = set()
    for url in pages:
        response = client.get(url, headers=headers)
        csp = _csp(response)
        assert "'unsafe-inline'" not in csp["style-src"] + csp["script-src"]
        soup = parse_page(response.get_data(as_text=True))
        for tag in soup.find_all(["style", "script"]):
            if tag.name == "script" and (
                tag.has_attr("src") or tag.get("type") == "application/json"
            ):
                continue
            digest = first_paint.csp_hash(tag.string or "")
            directive = "style-src" if tag.name == "style" else "script-src"
            assert digest in csp[directive], (url, tag.name, (tag.string or "")[:60])
            used.add(digest)
    if headers:
        allowed = set(csp["style-src"] + csp["script-src"]) - {"'self'"}
        assert allowed <= used, allowed - used


def test_a_navigation_fetches_nothing_before_it_paints(
    client: FlaskClient, pages: list[str]
) -> None:
    """No stylesheet link, no script with src, no image before <main>, in any page."""
    for url in pages:
        html = client.get(url, headers=NAVIGATE).get_data(as_text=True)
        soup = parse_page(html)
        assert soup.select("link[rel=stylesheet]") == [], url
        assert soup.select("script[src]") == [], url
        before_main = html[: html.index("<main")]
        assert not re.search(r"<img\b", before_main), url
        assert soup.select_one(".brand svg[aria-hidden=true]") is not None, url


def test_the_worker_s_copies_link_the_stylesheets_and_the_script(
    client: FlaskClient, app: Flask
) -> None:
    """Other requests (the worker saving a page) link the hashed files it keeps:
    the same texts a navigation gets inline, so the pack holds them once."""
    pieces = app.extensions["wayfinder.first_paint"]
    html = client.get("/help").get_data(as_text=True)
    soup = parse_page(html)
    links = [a["href"] for a in soup.select("link[rel=stylesheet]")]
    sources = ["css/help-first.css", "css/main.css", "css/help.css"]
    assert links == [pieces.links[s] for s in sources]
    assert [s["src"] for s in soup.select("head script[src]")] == [pieces.script_url]
    assert soup.select("style") == [] and pieces.script not in html
    inline = client.get("/help", headers=NAVIGATE).get_data(as_text=True)
    assert f"<script>{pieces.script}</script>" in inline
    for source in sources:
        assert f"<style>{pieces.styles[source]}</style>" in inline
    for url in (pieces.script_url, *links):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert text == pieces.script or text in pieces.styles.values(), url
        response.close()


def test_the_first_paint_files_are_in_the_offline_pack(app: Flask) -> None:
    """A saved page's linked script and rules are precached with it."""
    pieces = app.extensions["wayfinder.first_paint"]
    precached = {e.url for e in app.extensions["wayfinder.pwa"].entries}
    assert pieces.script_url in precached
    assert pieces.links["css/help-first.css"] in precached


def test_pages_vary_on_the_fetch_mode(client: FlaskClient) -> None:
    """Caches keep the two answers apart."""
    vary = client.get("/", headers=NAVIGATE).headers["Vary"]
    assert "Sec-Fetch-Mode" in vary and "Accept-Encoding" in vary
    assert "Sec-Fetch-Mode" not in client.get("/search-index.json").headers.get(
        "Vary", ""
    )


def test_modules_start_from_the_loader_after_the_import_map(
    client: FlaskClient, app: Flask
) -> None:
    """The loader is the last script and imports the entry module by its hash."""
    html = client.get("/", headers=NAVIGATE).get_data(as_text=True)
    pieces = app.extensions["wayfinder.first_paint"]
    entry = app.extensions["wayfinder.assets"].url("js/main.mjs")
    assert f"import('{entry}')" in pieces.loader
    assert html.index('<script type="importmap">') < html.index(pieces.loader)
    assert html.index(pieces.loader) > html.index("</main>")
    assert html.index(pieces.script) < html.index("<style>")
    assert html.index("<style>") == html.index(
        f"<style>{pieces.styles['css/help-first.css']}</style>"
    )


def test_the_first_paint_script_is_the_help_card_s_own_code(app: Flask) -> None:
    """It carries country-picker-model.mjs and plan-flag.mjs, not a copy."""
    script = app.extensions["wayfinder.first_paint"].script
    for name in ("regionOf", "guessCountry", "initialCountry", "cardRows"):
        assert f"function {name}(" in script
    assert "export " not in script and "import " not in script
    assert "const LISTED=['US','CA','GB','IE','AU','NZ']" in script


def test_as_classic_drops_imports_and_export_keywords() -> None:
    """Module syntax becomes plain declarations in one function's scope."""
    source = (
        "import { A } from './a.mjs'\n"
        "export const B = A + 1\n"
        "export function c () { return B }\n"
        "export async function d () {}\n"
        "const exported = 'export function'\n"
    )
    assert first_paint.as_classic(source) == (
        "\nconst B = A + 1\nfunction c () { return B }\n"
        "async function d () {}\nconst exported = 'export function'\n"
    )


def test_a_stylesheet_that_would_end_its_style_element_is_refused(
    tmp_path, monkeypatch
) -> None:
    """'</' in a stylesheet would close the <style> early: start-up refuses it."""
    frontend = tmp_path / "frontend"
    shutil.copytree(paths.FRONTEND, frontend)
    (frontend / "css" / "bad.css").write_text('a::after { content: "</style>" }')
    monkeypatch.setattr(paths, "FRONTEND", frontend)
    with pytest.raises(ValueError, match="bad.css cannot be inlined"):
        create_app({"INSTANCE_PATH": tmp_path / "instance", "DISPATCHER": False})
