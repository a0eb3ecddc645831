"""Build CSS and JS with flask-assets into content-hashed files served by WhiteNoise."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from flask_assets import Bundle, Environment
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from . import paths

STATIC_URL = "/static/"
GEN = "gen"
# Hashed names look like name.0123456789ab.ext; only those are cached forever.
HASHED_RE = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")
MEDIA_TYPES = {".webmanifest": "application/manifest+json", ".mjs": "text/javascript"}
# Binary files copied as they are, with a hash in the name.
COPIED_DIRS = ("icons", "images")
COPIED_SUFFIXES = frozenset((".png", ".svg", ".jpg", ".webp", ".ico"))


@dataclass
class AssetMap:
    """URLs of every built asset, keyed by their source path under frontend/."""

    urls: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    importmap: str = ""
    importmap_hash: str = ""

    def url(self, source: str) -> str:
        """Return the hashed URL for a source file such as 'css/main.css'."""
        try:
            return self.urls[source]
        except KeyError:
            raise KeyError(f"no built asset for {source!r}") from None


def _short_hash(data: bytes) -> str:
    """Return 12 hex characters of the SHA-256 of data."""
    return hashlib.sha256(data).hexdigest()[:12]


def _copy_hashed(source: Path, rel: str, out_dir: Path) -> str:
    """Copy a file into out_dir with its content hash in the name; return the name."""
    data = source.read_bytes()
    stem, dot, ext = Path(rel).name.rpartition(".")
    name = f"{stem}.{_short_hash(data)}.{ext}"
    target = out_dir / Path(rel).parent / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_bytes(data)
    return str(Path(rel).parent / name)


def _environment(app: Flask, build_dir: Path) -> Environment:
    """A flask-assets environment that writes hashed files into build_dir."""
    env = Environment(app)
    env.load_path = [str(paths.FRONTEND)]
    env.directory = str(build_dir)
    env.url = STATIC_URL.rstrip("/")
    env.versions = "hash:12"
    env.manifest = f"json:{build_dir / '.webassets-manifest'}"
    env.cache = False
    env.url_expire = False
    env.auto_build = False
    return env


def _bundle(env: Environment, source: str, filters: str) -> str:
    """Minify one source under frontend/ into a hashed file; return its URL."""
    stem, _, ext = Path(source).name.rpartition(".")
    bundle = Bundle(source, filters=filters, output=f"{GEN}/{stem}.%(version)s.{ext}")
    env.register(source, bundle)
    bundle.build()
    return bundle.urls()[0]


def _copy_binaries(build_dir: Path) -> dict[str, str]:
    """Copy icons and images with a hash in their names; return their URLs."""
    urls = {}
    for folder in COPIED_DIRS:
        root = paths.FRONTEND / folder
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file() and path.suffix in COPIED_SUFFIXES:
                rel = str(path.relative_to(paths.FRONTEND))
                urls[rel] = STATIC_URL + _copy_hashed(path, f"{GEN}/{rel}", build_dir)
    return urls


def _importmap(urls: dict[str, str]) -> str:
    """Map each module's relative URL (./x.mjs) to its hashed file.

    Modules import each other by relative URL; the import map sends each of
    those URLs to its hashed file, so no build step rewrites imports.
    """
    imports = {
        f"{STATIC_URL}{GEN}/{Path(src).name}": url
        for src, url in urls.items()
        if src.endswith(".mjs")
    }
    return json.dumps({"imports": imports}, separators=(",", ":"), sort_keys=True)


def _precompress(build_dir: Path) -> None:
    """Write gzip and brotli copies beside every file worth compressing."""
    compressor = Compressor(quiet=True)
    for path in list(build_dir.rglob("*")):
        if path.is_file() and compressor.should_compress(str(path)):
            for _ in compressor.compress(str(path)):
                pass


def _write_generated(source: str, text: str, build_dir: Path) -> str:
    """Write text made at start-up as a hashed file under gen/; return its URL."""
    stem, _, ext = Path(source).name.rpartition(".")
    data = text.encode()
    name = f"{GEN}/{stem}.{_short_hash(data)}.{ext}"
    (build_dir / name).write_bytes(data)
    return STATIC_URL + name


def build(
    app: Flask, build_dir: Path, generated: Mapping[str, str] | None = None
) -> AssetMap:
    """Bundle, minify, hash and precompress every asset into an empty build_dir.

    generated maps a source name ("js/first-paint.js") to text made at
    start-up, served and hashed like the rest.
    """
    (build_dir / GEN).mkdir(parents=True)
    env = _environment(app, build_dir)
    assets = AssetMap()
    for source, text in (generated or {}).items():
        assets.urls[source] = _write_generated(source, text, build_dir)
    for path in sorted((paths.FRONTEND / "css").glob("*.css")):
        source = f"css/{path.name}"
        assets.urls[source] = _bundle(env, source, "rcssmin")
    for path in sorted((paths.FRONTEND / "js").glob("*.mjs")):
        source = f"js/{path.name}"
        assets.urls[source] = _bundle(env, source, "rjsmin")
    assets.urls.update(_copy_binaries(build_dir))
    assets.importmap = _importmap(assets.urls)
    digest = hashlib.sha256(assets.importmap.encode()).digest()
    assets.importmap_hash = "sha256-" + base64.b64encode(digest).decode()
    _precompress(build_dir)
    return assets


class StaticFiles(WhiteNoise):
    """WhiteNoise with a one-year lifetime for hashed files."""

    FOREVER = 365 * 24 * 60 * 60


def _immutable(path: str, url: str) -> bool:
    """Tell WhiteNoise which files carry a content hash and never change."""
    return bool(HASHED_RE.search(url))


def publish(work_dir: Path, static_dir: Path) -> None:
    """Move built files into static_dir; hashed names make this safe to share."""
    for path in sorted(work_dir.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            target = static_dir / path.relative_to(work_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)


def init_app(app: Flask, generated: Mapping[str, str] | None = None) -> None:
    """Build assets (and any generated files) into the instance folder; serve them."""
    build_dir = Path(app.instance_path) / "static"
    work_dir = Path(tempfile.mkdtemp(prefix=".build-", dir=app.instance_path))
    try:
        assets = build(app, work_dir, generated)
        publish(work_dir, build_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    assets.files = {
        url: build_dir / url.removeprefix(STATIC_URL) for url in assets.urls.values()
    }
    app.extensions["wayfinder.assets"] = assets
    app.wsgi_app = StaticFiles(
        app.wsgi_app,
        root=str(build_dir),
        prefix=STATIC_URL,
        max_age=60,
        immutable_file_test=_immutable,
        mimetypes=MEDIA_TYPES,
    )

    @app.context_processor
    def asset_helpers() -> dict:
        """Give templates the asset() URL helper and the import map."""
        return {"asset": assets.url, "importmap": assets.importmap}
