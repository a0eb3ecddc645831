"""What a page needs to paint at once, inline, with its hashes for the CSP.

A first visit should paint from the HTML alone, in one round trip:

- **Styles and the first-paint script.** A navigation from the network
  (``Sec-Fetch-Mode: navigate``) gets them inline. Anything else, above all
  the copy the service worker saves for offline use, links the same text as
  hashed files, which the worker keeps once for every page (so the offline
  pack does not carry them sixty times, and a saved page reads them from the
  worker's cache, not the network).
- **The first-paint script** (``frontend/js/first-paint.js``) runs in
  ``<head>``: it marks the page as scripted and puts on ``<html>`` what the
  help card will show, from the same country code help-card.mjs uses, so the
  card is laid out as it will stay and nothing moves later. The rules that
  show the chosen country (``css/help-first.css``) are made with it, from the
  content's countries.
- **The module loader** imports main.mjs only once the page has painted, so
  no module is on the way to the first paint. It adds the head's link to
  the manifest then too: Chromium fetches the manifest when the page has
  loaded, which can be just before its first frame, and a fetch that ends
  before the first paint is on the paint's path as Lighthouse's simulation
  sees it (one more round trip). Nothing on the page needs it to paint; the
  install flow reads it from the DOM. The icon links stay in the HTML
  (measured: the same LCP either way), so Firefox starts their loads while
  the page loads rather than at a paint after it, when a tap on a link
  could cut them short, and a page with JavaScript off has its tab icon.

Every inline style and script is fixed at start-up, and the CSP allows each
by its SHA-256 hash: no ``'unsafe-inline'``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import rjsmin
from flask import Flask, Response, request
from markupsafe import Markup

from . import paths, pwa

#: Modules the first-paint script is made from, in this order.
FIRST_PAINT_MODULES = (
    "js/country-picker-model.mjs",
    "js/country-picker-store.mjs",
    "js/plan-flag.mjs",
)
FIRST_PAINT_SCRIPT = "js/first-paint.js"
#: The help card's rules for the chosen country, made at start-up.
HELP_FIRST_STYLE = "css/help-first.css"
#: The module the loader starts.
ENTRY = "js/main.mjs"
#: The head's links the loader adds at the first paint, as their attributes.
LATE_LINKS = ({"rel": "manifest", "href": pwa.MANIFEST_URL},)
EXTENSION = "wayfinder.first_paint"
_IMPORT_RE = re.compile(r"^import .*$", re.M)
_EXPORT_RE = re.compile(r"^export (?=const|function|async function|let|class)", re.M)


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline text."""
    digest = hashlib.sha256(text.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def as_classic(source: str) -> str:
    """An ES module with no side effects of its own, as plain declarations.

    Its imports are dropped: the caller puts the modules it imports in the
    same function first, so the names are in scope.
    """
    return _EXPORT_RE.sub("", _IMPORT_RE.sub("", source))


def first_paint_script(modules: Sequence[str], tail: str, listed: Sequence[str]) -> str:
    """One function: the listed codes, the modules' declarations, then the tail."""
    codes = ",".join(f"'{code}'" for code in listed)
    body = "\n".join([f"const LISTED=[{codes}]", *map(as_classic, modules), tail])
    return rjsmin.jsmin(f"(()=>{{\n{body}\n}})()\n")


def loader_script(entry_url: str, links: Sequence[dict[str, str]] = ()) -> str:
    """Add the late links and import the entry module once the page has painted.

    The paint observer says when: the first contentful paint, not the first
    paint, which may be only the background. A page that never paints (a tab
    in the background), or a browser with no paint timing, starts a second
    after load all the same. The paint starts it directly, not through a
    timer, so a page whose timers are held (a test's fake clock) starts too.
    """
    listed = json.dumps(list(links), separators=(",", ":"))
    return rjsmin.jsmin(
        f"(()=>{{const LINKS={listed}\n"
        "let started=false\n"
        "const go=()=>{if(started)return\nstarted=true\n"
        "for(const attrs of LINKS){const link=document.createElement('link')\n"
        "for(const [name,value] of Object.entries(attrs))"
        "link.setAttribute(name,value)\n"
        "document.head.append(link)}\n"
        f"import('{entry_url}')}}\n"
        "try{new PerformanceObserver((list,observer)=>{"
        "if(!list.getEntriesByName('first-contentful-paint').length)return\n"
        "observer.disconnect()\n"
        "go()}).observe({type:'paint',buffered:true})}catch{}\n"
        "addEventListener('load',()=>setTimeout(go,1000),{once:true})})()\n"
    )


def help_card_style(listed: Iterable[str]) -> str:
    """Show the chosen country's help, before any module runs.

    The first-paint script sets ``data-help-first`` on ``<html>`` to a listed
    code or "other". main.css and help.css lay out one country; these rules
    say which: its row of each help card, its section first on /help, and
    its emergency numbers in /help's danger advice.
    """
    codes = [*listed, "other"]
    rows = [
        f'[data-help-first="{c}"] .help-card__country[data-help-country="{c}"]'
        for c in codes
    ]
    sections = [
        f'[data-help-first="{c}"] .countries>.country[data-country="{c}"]'
        for c in listed
    ]
    sections.append('[data-help-first="other"] .countries>#country-other')
    examples = [f'[data-help-first="{c}"] [data-example-for="{c}"]' for c in listed]
    return (
        ",".join(rows)
        + "{display:block}"
        + ",".join(sections)
        + "{display:block;order:-2}"
        + ",".join(examples)
        + "{display:inline}"
    )


def decorative_svg(svg: str, size: int) -> str:
    """An SVG drawn beside its own name: hidden from screen readers, sized."""
    svg = re.sub(r'\s(?:role|aria-label)="[^"]*"', "", svg.strip())
    attrs = f'aria-hidden="true" focusable="false" width="{size}" height="{size}"'
    return svg.replace("<svg ", f"<svg {attrs} ", 1)


@dataclass
class FirstPaint:
    """The inline pieces of every page, fixed at start-up."""

    styles: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    script: str = ""
    script_url: str = ""
    loader: str = ""
    svgs: dict[str, str] = field(default_factory=dict)

    def script_hashes(self) -> list[str]:
        """CSP hashes of the inline scripts."""
        return [csp_hash(self.script), csp_hash(self.loader)]

    def style_hashes(self) -> list[str]:
        """CSP hashes of every style that may be inline."""
        return [csp_hash(s) for s in self.styles.values()]

    def page_styles(self, *sources: str) -> Markup:
        """The page's stylesheets: inline for a navigation, else linked."""
        parts = []
        for source in sources:
            if _inline():
                parts.append(f"<style>{self.styles[source]}</style>")
            else:
                parts.append(f'<link rel="stylesheet" href="{self.links[source]}">')
        return Markup("".join(parts))

    def head(self) -> Markup:
        """The first-paint script and the help card's rules, before any stylesheet."""
        if _inline():
            script = f"<script>{self.script}</script>"
        else:
            script = f'<script src="{self.script_url}"></script>'
        return Markup(script) + self.page_styles(HELP_FIRST_STYLE)

    def svg(self, source: str) -> Markup:
        """An icon's SVG markup, for drawing it in the page instead of fetching it."""
        return Markup(self.svgs[source])


def _inline() -> bool:
    """Whether this request is a navigation, which gets the pieces inline."""
    return request.headers.get("Sec-Fetch-Mode") == "navigate"


def generated(app: Flask) -> dict[str, str]:
    """The files made for this content: the first-paint script and its rules.

    assets.init_app builds them with the rest, so each has a hashed URL for
    the pages that link it.
    """
    listed = [c.code for c in app.extensions["wayfinder.content"].help.countries]
    modules = [
        (paths.FRONTEND / m).read_text(encoding="utf-8") for m in FIRST_PAINT_MODULES
    ]
    tail = (paths.FRONTEND / FIRST_PAINT_SCRIPT).read_text(encoding="utf-8")
    return {
        FIRST_PAINT_SCRIPT: first_paint_script(modules, tail, listed),
        HELP_FIRST_STYLE: help_card_style(listed),
    }


def build(app: Flask) -> FirstPaint:
    """Read the built styles and the first-paint script; compose the loader."""
    assets = app.extensions["wayfinder.assets"]
    piece = FirstPaint()
    for source, url in assets.urls.items():
        if source.startswith("css/"):
            css = assets.files[url].read_text(encoding="utf-8")
            if "</" in css:
                raise ValueError(f"{source} cannot be inlined: it contains '</'")
            piece.styles[source] = css
            piece.links[source] = url
    piece.script_url = assets.url(FIRST_PAINT_SCRIPT)
    piece.script = assets.files[piece.script_url].read_text(encoding="utf-8")
    piece.loader = loader_script(assets.url(ENTRY), LATE_LINKS)
    logo = (paths.FRONTEND / "icons" / "logo.svg").read_text(encoding="utf-8")
    piece.svgs["icons/logo.svg"] = decorative_svg(logo, 28)
    return piece


def vary_on_fetch_mode(response: Response) -> Response:
    """Pages differ for navigations (inline styles): say so to every cache."""
    if response.mimetype == "text/html":
        response.vary.add("Sec-Fetch-Mode")
    return response


def init_app(app: Flask) -> None:
    """Compose the inline pieces; give templates page_styles() and the scripts.

    Call it after assets.init_app(app, generated(app)) and before
    http.init_app, which allows the pieces' hashes in the CSP.
    """
    piece = build(app)
    app.extensions[EXTENSION] = piece
    app.after_request(vary_on_fetch_mode)

    @app.context_processor
    def first_paint_helpers() -> dict:
        """Give templates the inline styles, scripts and SVGs."""
        return {
            "page_styles": piece.page_styles,
            "first_paint_head": piece.head,
            "module_loader": Markup(piece.loader),
            "inline_svg": piece.svg,
        }
