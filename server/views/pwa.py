"""Offline and install: the service worker, the web app manifest, the offline page.

Everything is computed once at start-up: every offline page is rendered in
process, hashed, and listed with every built asset in the worker's precache.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Flask, Response, current_app, render_template, url_for
from werkzeug.exceptions import HTTPException

from .. import paths, pwa
from ..saved_pages import SavedPages
from . import offline_urls, online_only, site_request

bp = Blueprint("pwa", __name__)

OFFLINE_URL = "/offline"
STATE_KEY = "wayfinder.pwa"
#: Colours of the page header (frontend/css/main.css --surface) and page body.
COLORS = {"theme": "#ffffff", "theme_dark": "#1a2225", "background": "#fbf9f4"}
#: (source under frontend/, form factor, label) for the richer install dialog.
SCREENSHOTS = (
    ("images/screenshot-narrow.png", "narrow", "Home: the guide, help and tools"),
    ("images/screenshot-wide.png", "wide", "Home on a larger screen"),
)
#: Files only the browser's install flow fetches, online, when someone installs:
#: the worker does not save them, so the offline pack stays small.
INSTALL_ONLY = (
    *(source for source, _, _ in SCREENSHOTS),
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
    "icons/apple-touch-icon.png",
)
#: Served at /favicon.ico (a PNG: every browser reads one at that address).
FAVICON = "icons/icon-192.png"
#: The Breathe shortcut opens the first of these pages that is saved for offline.
BREATHE_ENDPOINTS = ("tools.breathing_index", "tools.index")


class OfflineError(RuntimeError):
    """A page meant for offline use cannot be rendered at start-up."""


@dataclass
class OfflineState:
    """What the worker, the manifest and the offline page serve."""

    manifest: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    entries: tuple[pwa.PrecacheEntry, ...] = ()
    version: str = ""
    worker: str = ""


def state() -> OfflineState:
    """Return the offline state computed at start-up."""
    return current_app.extensions[STATE_KEY]


@bp.get("/sw.js")
def service_worker() -> Response:
    """Serve the assembled worker; browsers re-check it on every navigation."""
    response = Response(state().worker, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get(pwa.MANIFEST_URL)
def manifest() -> Response:
    """Serve the web app manifest; browsers re-check it like the worker."""
    response = Response(state().manifest, mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The icon a browser asks for by default, before or without a page's
    own icon link (a bare file, the worker's script, an old bookmark)."""
    assets = current_app.extensions["wayfinder.assets"]
    path = assets.files[assets.url(FAVICON)]
    response = Response(path.read_bytes(), mimetype="image/png")
    response.cache_control.max_age = 24 * 60 * 60
    return response


@bp.get(OFFLINE_URL)
def offline() -> str:
    """Say what works with no connection; the worker shows this for unsaved pages."""
    return render_template("offline.html", pages=pwa.group_pages(state().pages))


def render(app: Flask, url: str) -> Response:
    """Render one URL in process, exactly as a GET would be answered.

    This goes through Flask's request handling (before/after request hooks
    included) without the test client, which would mark the app as having
    served a request and forbid registering routes afterwards.
    """
    with site_request(app, url, method="GET"):
        try:
            response = app.make_response(
                app.preprocess_request() or app.dispatch_request()
            )
        except HTTPException as exc:
            response = exc.get_response()
        response = app.process_response(response)
    if response.status_code != 200:
        raise OfflineError(
            f"{url} answered {response.status_code}, but every URL saved for "
            "offline use must answer 200 (use views.online_only for pages that "
            "should not be offline)"
        )
    return response


def _manifest(app: Flask, urls: list[str]) -> str:
    """Build the manifest from the built icons and screenshots."""
    assets = app.extensions["wayfinder.assets"]
    icons = pwa.Icons(
        any_192=assets.url("icons/icon-192.png"),
        any_512=assets.url("icons/icon-512.png"),
        maskable_512=assets.url("icons/icon-maskable-512.png"),
        breathe_96=assets.url("icons/shortcut-breathe-96.png"),
        help_96=assets.url("icons/shortcut-help-96.png"),
        plan_96=assets.url("icons/shortcut-plan-96.png"),
    )
    screenshots = [
        (url, pwa.png_size(assets.files[url].read_bytes()), form, label)
        for source, form, label in SCREENSHOTS
        if (url := assets.urls.get(source))
    ]
    with site_request(app):
        home, help_url = url_for("pages.home"), url_for("help.index")
        plan_url = url_for("plan.index")
        breathe = next((u for u in map(url_for, BREATHE_ENDPOINTS) if u in urls), home)
    return pwa.manifest_json(
        pwa.build_manifest(icons, screenshots, breathe, help_url, COLORS, plan_url)
    )


def build(app: Flask) -> OfflineState:
    """Render every offline page and assemble the worker and its precache list."""
    current = OfflineState()
    app.extensions[STATE_KEY] = current
    urls = offline_urls(app)
    if OFFLINE_URL not in urls:
        raise OfflineError(f"{OFFLINE_URL} must be an offline URL")
    current.manifest = _manifest(app, urls)
    bodies: dict[str, bytes] = {}
    # The offline page lists the others, so it is rendered last.
    for url in sorted(urls, key=lambda u: u == OFFLINE_URL):
        response = render(app, url)
        bodies[url] = response.get_data()
        if response.mimetype == "text/html" and url != OFFLINE_URL:
            current.pages[url] = pwa.first_heading(response.get_data(as_text=True))
    entries = [pwa.PrecacheEntry(url, pwa.content_hash(b)) for url, b in bodies.items()]
    assets = app.extensions["wayfinder.assets"]
    install_only = {assets.urls[s] for s in INSTALL_ONLY if s in assets.urls}
    files = {u: f for u, f in assets.files.items() if u not in install_only}
    entries += pwa.asset_entries(files)
    current.entries = tuple(sorted(entries, key=lambda e: e.url))
    current.worker, current.version = pwa.build_worker(
        pwa.read_sources(paths.SERVICE_WORKER), current.entries, OFFLINE_URL
    )
    return current


def init_app(app: Flask) -> None:
    """Serve the worker, manifest and offline page; precache every offline URL.

    Call it last in create_app: the precache is built from the pages and
    assets registered before it.
    """
    app.register_blueprint(bp)
    online_only(app, "pwa.service_worker")
    app.jinja_env.globals["pwa_colors"] = COLORS
    with app.app_context():
        current = build(app)
    # What the worker saves is the same for everyone: answer it from a copy.
    pages = [e.url for e in current.entries if not e.url.startswith("/static/")]
    app.wsgi_app = SavedPages(app.wsgi_app, pages)
