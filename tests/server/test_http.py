"""Response headers: security everywhere, immutable hashed assets, ETags on pages."""

import re

import pytest

HASHED = re.compile(r"/static/gen/[\w/.-]+\.[0-9a-f]{12}\.\w+")


def fetch(client, url, **kwargs):
    """GET url, read the body, and close the response (static files are streamed)."""
    with client.get(url, **kwargs) as response:
        response.get_data()
        return response


def test_security_headers_on_pages_static_and_errors(client, app):
    """CSP, nosniff, referrer and permissions policy are on every kind of response."""
    asset = app.extensions["wayfinder.assets"].url("css/main.css")
    for url in ["/", asset, "/nope"]:
        headers = fetch(client, url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "http" not in csp, "no other origin may appear in the CSP"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "geolocation=()" in headers["Permissions-Policy"]


def test_csp_allows_exactly_the_inline_scripts(client, app):
    """The inline scripts are the first-paint script, the import map and the
    module loader, each allowed by its hash and nothing else."""
    html = client.get("/", headers={"Sec-Fetch-Mode": "navigate"}).get_data(
        as_text=True
    )
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    pieces = app.extensions["wayfinder.first_paint"]
    assets = app.extensions["wayfinder.assets"]
    assert inline == [pieces.script, assets.importmap, pieces.loader]
    csp = client.get("/").headers["Content-Security-Policy"]
    scripts = next(d for d in csp.split("; ") if d.startswith("script-src "))
    assert scripts.split()[1:] == [
        "'self'",
        f"'{assets.importmap_hash}'",
        *pieces.script_hashes(),
    ]


def test_pages_use_hashed_assets_only(client):
    """Every /static URL a page references carries a content hash."""
    html = client.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert urls and all(HASHED.fullmatch(u) for u in urls), urls


@pytest.mark.parametrize("source", ["css/main.css", "js/main.mjs"])
def test_hashed_assets_are_immutable_and_precompressed(client, app, source):
    """Hashed assets are cached for a year, with brotli and gzip variants."""
    url = app.extensions["wayfinder.assets"].url(source)
    plain = fetch(client, url)
    assert plain.status_code == 200
    cache = {p.strip() for p in plain.headers["Cache-Control"].split(",")}
    assert {"public", "max-age=31536000", "immutable"} <= cache
    for encoding in ("br", "gzip"):
        response = fetch(client, url, headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert int(response.headers["Content-Length"]) < len(plain.data)


def test_assets_are_minified(client, app):
    """The built CSS has no comments and fewer bytes than its source."""
    from server import paths

    url = app.extensions["wayfinder.assets"].url("css/main.css")
    built = fetch(client, url).data
    source = (paths.FRONTEND / "css" / "main.css").read_bytes()
    assert b"/*" not in built and len(built) < len(source) * 0.9


def test_js_is_served_as_javascript(client, app):
    """ES modules get a JavaScript content type."""
    url = app.extensions["wayfinder.assets"].url("js/main.mjs")
    assert fetch(client, url).mimetype == "text/javascript"


def test_webmanifest_media_type_is_mapped():
    """WhiteNoise maps .webmanifest to application/manifest+json."""
    from server.assets import MEDIA_TYPES

    assert MEDIA_TYPES[".webmanifest"] == "application/manifest+json"


def test_pages_have_strong_etags_and_answer_304(client):
    """HTML has a strong ETag; If-None-Match with it gives 304 and no body."""
    first = client.get("/guide", headers={"Accept-Encoding": "br"})
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in first.headers["Vary"]
    again = client.get(
        "/guide", headers={"Accept-Encoding": "br", "If-None-Match": etag}
    )
    assert again.status_code == 304 and again.data == b""
    plain = client.get("/guide", headers={"If-None-Match": etag})
    assert plain.status_code == 200, "a different encoding is a different entity"
    assert plain.headers["ETag"] != etag


@pytest.mark.parametrize("kind", ["css", "js", "icon", "worker"])
def test_static_files_are_same_origin_with_no_cors_header(client, app, kind):
    """Static files and the worker say same-origin and send no Allow-Origin."""
    assets = app.extensions["wayfinder.assets"]
    urls = {
        "css": assets.url("css/main.css"),
        "js": next(u for u in assets.urls.values() if u.endswith(".mjs")),
        "icon": next(u for u in assets.urls.values() if u.endswith(".png")),
        "worker": "/sw.js",
    }
    response = fetch(client, urls[kind], headers={"Origin": "https://other.example"})
    assert response.status_code == 200, urls[kind]
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


#: Directives that Chromium, Firefox and WebKit all understand (WebKit logs a
#: console error for any other, e.g. manifest-src).
EVERY_ENGINE = {
    "default-src",
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "worker-src",
    "object-src",
    "base-uri",
    "form-action",
    "frame-ancestors",
}


def test_csp_uses_only_directives_every_engine_understands(client):
    """No directive an engine would reject; default-src still covers the manifest."""
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = {part.split()[0] for part in csp.split(";")}
    assert directives <= EVERY_ENGINE, directives - EVERY_ENGINE
    assert csp.startswith("default-src 'self';")
    assert "manifest-src" not in csp
