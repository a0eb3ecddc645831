"""Offline support without Flask: assemble the service worker, build the manifest.

Pure logic. server/views/pwa.py feeds it the rendered pages and built assets at
start-up and serves the results.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: The worker's entry module in service_worker/.
ENTRY = "sw.mjs"
#: The module the server writes into the worker: version and precache list.
MANIFEST_MODULE = "precache-manifest.mjs"
#: Where the web app manifest is served.
MANIFEST_URL = "/manifest.webmanifest"

_IMPORT = re.compile(
    r"^import\s*(?:\{(?P<names>[^}]*)\}|\*\s+as\s+(?P<ns>[A-Za-z_$][\w$]*))"
    r"\s*from\s*'(?P<module>\.\.?/(?:[\w.-]+/)*[a-z0-9-]+\.mjs)'\s*;?[ \t]*$",
    re.MULTILINE,
)
_EXPORT = re.compile(
    r"^export\s+(?:async\s+function\*?|function\*?|const|let|class)\s+"
    r"(?P<name>[A-Za-z_$][\w$]*)",
    re.MULTILINE,
)
_EXPORT_LIST = re.compile(r"^export\s*\{(?P<names>[^}]*)\}\s*;?[ \t]*$", re.MULTILINE)
_ANY_IMPORT = re.compile(r"^import\b", re.MULTILINE)
_ANY_EXPORT = re.compile(r"^export\b", re.MULTILINE)
_EXPORT_KEYWORD = re.compile(r"^export\s+", re.MULTILINE)
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")


class WorkerSourceError(ValueError):
    """A service_worker/ module uses syntax the assembler does not support."""


@dataclass(frozen=True)
class PrecacheEntry:
    """One URL the worker saves on install, with the hash of its content."""

    url: str
    revision: str


def content_hash(data: bytes) -> str:
    """Return the 12-hex-character SHA-256 prefix used for revisions and versions."""
    return hashlib.sha256(data).hexdigest()[:12]


def _module_var(module: str) -> str:
    """Name the variable holding one module's exports in the assembled script."""
    name = module.removesuffix(".mjs").lstrip("./")
    return "__wf_" + re.sub(r"[^A-Za-z0-9]", "_", name)


def _resolve(importer: str, spec: str) -> str:
    """Return the key of the module that importer names as spec ('./x.mjs')."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))


def _name_pairs(names: str, path: str, what: str) -> list[tuple[str, str]]:
    """Read `a, b as c` into (a, a) and (b, c) pairs."""
    pairs = []
    for item in names.split(","):
        words = item.split()
        if not words:
            continue
        if len(words) == 1 and _IDENT.fullmatch(words[0]):
            pairs.append((words[0], words[0]))
        elif (
            len(words) == 3
            and words[1] == "as"
            and all(_IDENT.fullmatch(w) for w in (words[0], words[2]))
        ):
            pairs.append((words[0], words[2]))
        else:
            raise WorkerSourceError(f"{path}: cannot read the {what} {item.strip()!r}")
    return pairs


def _import_binding(names: str, module: str, path: str) -> str:
    """Turn `{ a, b as c }` into `const { a, b: c } = __wf_module`."""
    pairs = _name_pairs(names, path, "import")
    parts = [a if a == b else f"{a}: {b}" for a, b in pairs]
    return f"const {{ {', '.join(parts)} }} = {_module_var(module)}"


def _parse_module(name: str, source: str) -> tuple[list[str], list[str], str]:
    """Return a module's imported modules, its exports as object entries, its body.

    Modules are named by their path from the worker folder ('sw.mjs',
    '../frontend/js/x.mjs'); imports are resolved against the importer's path.
    """
    deps: list[str] = []

    def rewrite_import(match: re.Match[str]) -> str:
        """Replace one import statement by a destructuring assignment."""
        module = _resolve(name, match["module"])
        deps.append(module)
        if match["ns"]:
            return f"const {match['ns']} = {_module_var(module)}"
        return _import_binding(match["names"], module, name)

    body = _IMPORT.sub(rewrite_import, source)
    if _ANY_IMPORT.search(body):
        raise WorkerSourceError(
            f"{name}: only `import {{ a, b }} from './x.mjs'` is supported"
        )
    exports = [m["name"] for m in _EXPORT.finditer(body)]
    lists = list(_EXPORT_LIST.finditer(body))
    for match in lists:
        pairs = _name_pairs(match["names"], name, "export")
        exports += [a if a == b else f"{b}: {a}" for a, b in pairs]
    if len(_EXPORT.findall(body)) + len(lists) != len(_ANY_EXPORT.findall(body)):
        raise WorkerSourceError(
            f"{name}: only `export function|const|let|class name` and"
            " `export { a, b as c }` are supported"
        )
    body = _EXPORT_LIST.sub("", body)
    return deps, exports, _EXPORT_KEYWORD.sub("", body)


def _order(modules: Mapping[str, list[str]], entry: str) -> list[str]:
    """Order modules so each comes after what it imports; the entry comes last."""
    done: list[str] = []
    visiting: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        """Depth-first visit of one module."""
        if name in done:
            return
        if name in visiting:
            raise WorkerSourceError(f"import cycle: {' -> '.join((*trail, name))}")
        if name not in modules:
            raise WorkerSourceError(f"{trail[-1]} imports {name}, which does not exist")
        visiting.add(name)
        for dep in modules[name]:
            visit(dep, (*trail, name))
        visiting.discard(name)
        done.append(name)

    for name in sorted(modules):
        if name != entry:
            visit(name, ())
    visit(entry, ())
    return done


def read_sources(folder: Path) -> dict[str, str]:
    """Read every *.mjs module in the worker folder and the modules they import.

    A module outside the folder (such as '../frontend/js/x.mjs', shared with
    the page) is keyed by its path from the folder, and its own imports are
    followed in turn.
    """
    sources = {
        p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.mjs"))
    }
    pending = list(sources)
    while pending:
        name = pending.pop()
        for match in _IMPORT.finditer(sources[name]):
            key = _resolve(name, match["module"])
            path = folder / key
            if key not in sources and path.is_file():
                sources[key] = path.read_text(encoding="utf-8")
                pending.append(key)
    return sources


def manifest_module(
    version: str, entries: Sequence[PrecacheEntry], offline: str
) -> str:
    """Write the precache-manifest module: version, offline page and precache list."""
    listed = [{"url": e.url, "revision": e.revision} for e in entries]
    return (
        f"export const VERSION = {json.dumps(version)}\n"
        f"export const OFFLINE_URL = {json.dumps(offline)}\n"
        f"export const PRECACHE = {json.dumps(listed, indent=1)}\n"
    )


def assemble_worker(sources: Mapping[str, str], entry: str = ENTRY) -> str:
    """Join the worker's ES modules into one classic script, each in its own scope.

    Every module is included (imported or not), after the modules it imports.
    Each runs inside a function and returns its exports as an object; imports
    become destructuring assignments from those objects.
    """
    if entry not in sources:
        raise WorkerSourceError(f"the worker entry {entry} is missing")
    parsed = {name: _parse_module(name, text) for name, text in sources.items()}
    chunks = ["'use strict'"]
    for name in _order({n: p[0] for n, p in parsed.items()}, entry):
        _deps, exports, body = parsed[name]
        chunks.append(
            f"// ---- {name}\n"
            f"const {_module_var(name)} = (() => {{\n{body.strip()}\n"
            f"return {{ {', '.join(exports)} }}\n}})()"
        )
    return "\n\n".join(chunks) + "\n"


def build_worker(
    sources: Mapping[str, str], entries: Sequence[PrecacheEntry], offline: str
) -> tuple[str, str]:
    """Return the worker script and its version.

    The version hashes the precache list and the worker's own code, so the
    script's bytes change exactly when a precached file or the worker changes.
    """
    code_only = assemble_worker({**sources, MANIFEST_MODULE: ""})
    listed = json.dumps([[e.url, e.revision] for e in entries]).encode()
    version = content_hash(listed + code_only.encode())
    header = (
        f"/* Wayfinder service worker {version}: assembled from service_worker/ */\n"
    )
    script = assemble_worker(
        {**sources, MANIFEST_MODULE: manifest_module(version, entries, offline)}
    )
    return header + script, version


def png_size(data: bytes) -> tuple[int, int]:
    """Return a PNG's width and height from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


class _FirstHeading(HTMLParser):
    """Collect the text of the first <h1>."""

    def __init__(self) -> None:
        """Start outside any heading."""
        super().__init__()
        self.depth = 0
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        """Enter the first h1."""
        if tag == "h1" and not self.done:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        """Leave the first h1."""
        if tag == "h1" and self.depth:
            self.depth -= 1
            self.done = True

    def handle_data(self, data: str) -> None:
        """Keep text inside the heading."""
        if self.depth:
            self.parts.append(data)


def first_heading(html: str) -> str:
    """Return the text of a page's first h1, with spaces collapsed."""
    parser = _FirstHeading()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


@dataclass(frozen=True)
class OfflinePage:
    """A page saved for offline use, with its heading and the pages under it."""

    url: str
    title: str
    children: tuple[OfflinePage, ...] = ()


def group_pages(pages: Mapping[str, str]) -> list[OfflinePage]:
    """Group pages (url -> title) under their parent path, home first."""
    urls = sorted(pages, key=lambda u: (u != "/", u))
    tops = [
        u for u in urls if u == "/" or u.rstrip("/").rpartition("/")[0] not in pages
    ]
    return [
        OfflinePage(
            url,
            pages[url],
            tuple(
                OfflinePage(child, pages[child])
                for child in urls
                if url != "/" and child.startswith(url.rstrip("/") + "/")
            ),
        )
        for url in tops
    ]


@dataclass(frozen=True)
class Icons:
    """URLs of the app's icons, by role (PNG only: Chromium draws an SVG icon
    on the page's main thread, a task of up to 10 ms after each load)."""

    any_192: str
    any_512: str
    maskable_512: str
    breathe_96: str
    help_96: str
    plan_96: str = ""


def build_manifest(
    icons: Icons,
    screenshots: Sequence[tuple[str, tuple[int, int], str, str]],
    breathe_url: str,
    help_url: str,
    colors: Mapping[str, str],
    plan_url: str | None = None,
) -> dict:
    """Build the web app manifest.

    screenshots holds (url, (width, height), form_factor, label) tuples.
    """
    return {
        "id": "/",
        "name": "Wayfinder",
        "short_name": "Wayfinder",
        "description": (
            "Plain, sourced next steps and calm coping tools for people living "
            "with treatment-resistant depression, and the people who support "
            "them. Works with no signal. No account, no tracking."
        ),
        "lang": "en",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": colors["background"],
        "theme_color": colors["theme"],
        "categories": ["health", "medical", "lifestyle"],
        "icons": [
            {"src": icons.any_192, "sizes": "192x192", "type": "image/png"},
            {"src": icons.any_512, "sizes": "512x512", "type": "image/png"},
            {
                "src": icons.maskable_512,
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [
            {
                "name": "Breathe",
                "short_name": "Breathe",
                "description": "Start a calm breathing exercise",
                "url": breathe_url,
                "icons": [
                    {"src": icons.breathe_96, "sizes": "96x96", "type": "image/png"}
                ],
            },
            {
                "name": "Get help now",
                "short_name": "Get help",
                "description": "Crisis lines you can call or text",
                "url": help_url,
                "icons": [
                    {"src": icons.help_96, "sizes": "96x96", "type": "image/png"}
                ],
            },
            *_plan_shortcut(icons, plan_url),
        ],
        "screenshots": [
            {
                "src": url,
                "sizes": f"{w}x{h}",
                "type": "image/png",
                "form_factor": form_factor,
                "label": label,
            }
            for url, (w, h), form_factor, label in screenshots
        ],
        "prefer_related_applications": False,
    }


def _plan_shortcut(icons: Icons, plan_url: str | None) -> list[dict]:
    """The shortcut to the person's safety plan, when the app has that page."""
    if not plan_url:
        return []
    return [
        {
            "name": "My safety plan",
            "short_name": "My plan",
            "description": "Your safety plan, kept on this device",
            "url": plan_url,
            "icons": [{"src": icons.plan_96, "sizes": "96x96", "type": "image/png"}],
        }
    ]


def manifest_json(manifest: dict) -> str:
    """Serialise the manifest the same way every time."""
    return json.dumps(manifest, indent=1, sort_keys=True)


def asset_entries(files: Mapping[str, Path]) -> list[PrecacheEntry]:
    """Return a PrecacheEntry for every built asset (URL -> file), hashing its bytes."""
    return [
        PrecacheEntry(url, content_hash(path.read_bytes()))
        for url, path in files.items()
    ]
