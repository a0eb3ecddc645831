"""Offline and install on the server: /sw.js, the precache, the manifest, icons."""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image

from server import create_app, paths, pwa, views
from server.views import pwa as pwa_views

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node") or "/usr/bin/node"


def offline_state(app: Flask) -> pwa_views.OfflineState:
    """The offline state an app computed at start-up."""
    return app.extensions[pwa_views.STATE_KEY]


def worker_file(client, tmp_path: Path) -> Path:
    """Save the served worker to a file for node."""
    path = tmp_path / "sw.js"
    path.write_bytes(client.get("/sw.js").data)
    return path


# --- /sw.js


def test_worker_is_served_at_the_root_uncached_as_javascript(client, app):
    """The worker is at /sw.js, JavaScript, no-cache, and names its version."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"]
    assert offline_state(app).version in response.get_data(as_text=True)


def test_worker_is_valid_classic_javascript(client, tmp_path):
    """The assembled worker parses as a classic script (no import/export left)."""
    path = worker_file(client, tmp_path)
    subprocess.run([NODE, "--check", str(path)], check=True)
    text = path.read_text()
    assert "\nimport " not in text and "\nexport " not in text


def test_worker_includes_every_module_in_the_folder(client):
    """Every service_worker/*.mjs file ends up in /sw.js, imported or not."""
    text = client.get("/sw.js").get_data(as_text=True)
    for path in sorted(paths.SERVICE_WORKER.glob("*.mjs")):
        assert f"// ---- {path.name}\n" in text


def test_assembled_worker_installs_serves_and_cleans_up(client, app, tmp_path):
    """Run /sw.js in node with fake caches: install, activate, offline navigations."""
    harness = ROOT / "tests" / "js" / "service_worker" / "harness.mjs"
    run = subprocess.run(
        [NODE, str(harness), str(worker_file(client, tmp_path))],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(run.stdout)
    current = offline_state(app)
    assert {"install", "activate", "fetch", "message"} <= set(result["listeners"])
    assert sorted(result["saved"]) == sorted(e.url for e in current.entries)
    assert result["revisions"] == {e.url: e.revision for e in current.entries}
    assert all(f["cache"] == "reload" for f in result["fetched"])
    assert sorted(result["cacheNames"]) == sorted(
        ["wf-audio-v1", f"wf-precache-{current.version}"]
    ), "only our own old precache is deleted"
    assert result["home"] == "body of /"
    assert result["unknown"] == "body of /offline"
    assert result["api"] is None, "the API is left to the network"
    assert result["slash"] == {
        "status": 308,
        "location": "http://localhost/help?from=home",
    }
    assert result["claimed"] and not result["skipped"]
    assert result["skippedAfterMessage"]


# --- The precache


def test_precache_lists_every_offline_page_and_built_asset(app):
    """Every offline URL and every built asset is precached, with a content hash,
    but the files only an install fetches (screenshots, large home-screen icons)."""
    current = offline_state(app)
    urls = [e.url for e in current.entries]
    assert len(urls) == len(set(urls))
    assets = app.extensions["wayfinder.assets"]
    install_only = {assets.url(source) for source in pwa_views.INSTALL_ONLY}
    assert len(install_only) == 5
    with app.app_context():
        expected = set(views.offline_urls(app))
    expected |= set(assets.files) - install_only
    assert set(urls) == expected
    assert assets.url("icons/icon-192.png") in urls, "notifications show it offline"
    assert {"/", "/offline", "/manifest.webmanifest", "/help", "/about"} <= set(urls)
    assert "/sw.js" not in urls
    assert not [u for u in urls if u.startswith("/api/")]
    assert all(len(e.revision) == 12 for e in current.entries)


def test_every_precache_url_answers_200_with_its_revision(client, app):
    """One failing URL would block every update: each must answer 200."""
    for entry in offline_state(app).entries:
        with client.get(entry.url) as response:
            assert response.status_code == 200, entry.url
            assert pwa.content_hash(response.data) == entry.revision, entry.url


def test_every_guide_article_is_precached(app):
    """Articles are reachable offline without being visited first."""
    urls = {e.url for e in offline_state(app).entries}
    for article in app.extensions["wayfinder.content"].guide:
        assert f"/guide/{article.slug}" in urls


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A copy of the shipped content to change."""
    target = tmp_path / "content"
    shutil.copytree(paths.CONTENT, target)
    return target


def test_version_is_stable_and_follows_content(tmp_path, content_copy, app):
    """Same content gives the same worker bytes; a changed article changes them."""
    settings = {"DISPATCHER": False, "CONTENT_DIR": content_copy}
    first = create_app({**settings, "INSTANCE_PATH": tmp_path / "a"})
    again = create_app({**settings, "INSTANCE_PATH": tmp_path / "b"})
    assert offline_state(first).worker == offline_state(again).worker
    assert offline_state(first).version == offline_state(app).version

    article = content_copy / "guide" / "what-is-trd.md"
    article.write_text(article.read_text() + "\nA sentence added for the test.\n")
    changed = create_app({**settings, "INSTANCE_PATH": tmp_path / "c"})
    old = {e.url: e.revision for e in offline_state(first).entries}
    new = {e.url: e.revision for e in offline_state(changed).entries}
    assert offline_state(changed).version != offline_state(first).version
    assert old["/guide/what-is-trd"] != new["/guide/what-is-trd"]
    assert {u for u in old if old[u] != new[u]} >= {"/guide/what-is-trd"}


VERSION_SCRIPT = """
import sys
from server import create_app
app = create_app({"INSTANCE_PATH": sys.argv[1], "DISPATCHER": False})
print(app.extensions["wayfinder.pwa"].version)
"""


def test_version_does_not_depend_on_the_process(tmp_path, app):
    """A restart (another hash seed) keeps the version: no needless update offer."""
    versions = set()
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-c", VERSION_SCRIPT, str(tmp_path / seed)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        versions.add(run.stdout.strip().splitlines()[-1])
    assert versions == {offline_state(app).version}


def test_a_page_that_cannot_render_stops_start_up(shared_instance):
    """An offline URL that does not answer 200 is reported by name at start-up."""
    app = create_app({"INSTANCE_PATH": shared_instance, "DISPATCHER": False})
    views.offline_pages(app, "guide.article", lambda lib: [{"slug": "no-such-article"}])
    with (
        app.app_context(),
        pytest.raises(pwa_views.OfflineError, match="no-such-article"),
    ):
        pwa_views.build(app)


def test_routes_can_still_be_added_after_start_up(shared_instance):
    """Rendering the precache does not count as serving requests."""
    app = create_app({"INSTANCE_PATH": shared_instance, "DISPATCHER": False})

    @app.get("/late")
    def late() -> str:
        """A route added after create_app."""
        return "late"

    assert app.test_client().get("/late").data == b"late"


# --- The offline page


def test_offline_page_lists_saved_pages_and_help(get_page, app):
    """/offline answers 200, links to help and names every saved page by its heading."""
    soup = get_page("/offline")
    assert soup.h1.get_text(strip=True) == "You are offline"
    links = {
        a["href"]: a.get_text(" ", strip=True) for a in soup.select("main a[href]")
    }
    assert "/help" in links and "tel:988" in links
    for url, title in offline_state(app).pages.items():
        assert links.get(url) == title, url
    assert "/offline" not in offline_state(app).pages
    assert "/manifest.webmanifest" not in offline_state(app).pages


# --- Head tags, manifest and icons


@pytest.mark.parametrize(
    "url", ["/", "/guide/what-is-trd", "/help", "/about", "/offline"]
)
def test_every_page_links_the_manifest_and_ios_tags(get_page, app, url):
    """Icons and the iOS icon in the head, the manifest added by the page's
    loader at the first paint, theme colours for light and dark, the iOS tags."""
    soup = get_page(url)
    head = soup.head
    loader = app.extensions["wayfinder.first_paint"].loader
    assert loader in soup.body.find_all("script")[-1].string
    late = [{"rel": "manifest", "href": "/manifest.webmanifest"}]
    assert json.dumps(late, separators=(",", ":")) in loader
    assert head.select("link[rel=manifest]") == []
    icons = {link["type"]: link["href"] for link in head.select("link[rel=icon]")}
    assert list(icons) == ["image/png"], (
        "PNG only: Chromium draws an SVG on the main thread"
    )
    assert head.select_one("link[rel=apple-touch-icon]")["href"].endswith(".png")
    media = {m.get("media") for m in head.select("meta[name=theme-color]")}
    assert media == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}
    assert (
        head.select_one("meta[name=apple-mobile-web-app-capable]")["content"] == "yes"
    )
    assert head.select_one("meta[name=apple-mobile-web-app-title]")["content"]
    assert head.select_one("meta[name=apple-mobile-web-app-status-bar-style]")


@pytest.fixture()
def manifest(client) -> dict:
    """The served manifest."""
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert response.headers["Cache-Control"] == "no-cache"
    return response.get_json(force=True)


def image_at(client, url: str) -> Image.Image:
    """Fetch an image the app serves."""
    with client.get(url) as response:
        assert response.status_code == 200, url
        return Image.open(io.BytesIO(response.data))


def test_manifest_has_what_install_needs(manifest, app):
    """id, names, start_url and scope, standalone, colours, description."""
    assert manifest["id"] == manifest["start_url"] == manifest["scope"] == "/"
    assert manifest["name"] == "Wayfinder" and manifest["short_name"] == "Wayfinder"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")
    assert 0 < len(manifest["description"]) <= 324
    assert manifest.get("prefer_related_applications") is False
    assert "/" in {e.url for e in offline_state(app).entries}


def test_manifest_icons_are_real_and_sized(manifest, client):
    """192 and 512 'any' PNGs and a separate 512 maskable PNG; no SVG, which
    Chromium would draw on the page's main thread."""
    by_purpose = {}
    for icon in manifest["icons"]:
        by_purpose.setdefault(icon.get("purpose", "any"), []).append(icon)
        if icon["type"] == "image/png":
            size = image_at(client, icon["src"]).size
            assert f"{size[0]}x{size[1]}" == icon["sizes"], icon
    assert {i["sizes"] for i in by_purpose["any"] if i["type"] == "image/png"} == {
        "192x192",
        "512x512",
    }
    assert [i["sizes"] for i in by_purpose["maskable"]] == ["512x512"]
    assert {i["type"] for i in manifest["icons"]} == {"image/png"}


def test_maskable_icon_keeps_its_artwork_in_the_safe_zone(manifest, client):
    """Outside the central 80% circle, the maskable icon is plain background."""
    icon = next(i for i in manifest["icons"] if i.get("purpose") == "maskable")
    image = image_at(client, icon["src"]).convert("RGBA")
    width, height = image.size
    background = image.getpixel((0, 0))
    assert background[3] == 255, "maskable icons fill the whole square"
    pixels = image.load()
    for y in range(0, height, 2):
        for x in range(0, width, 2):
            if math.hypot(x + 0.5 - width / 2, y + 0.5 - height / 2) > 0.4 * width:
                assert pixels[x, y] == background, (x, y)


def test_apple_touch_icon_is_an_opaque_180px_png(client, get_page):
    """iOS wants a 180 px PNG with no transparency."""
    href = get_page("/").head.select_one("link[rel=apple-touch-icon]")["href"]
    image = image_at(client, href)
    assert image.format == "PNG" and image.size == (180, 180)
    assert image.convert("RGBA").getextrema()[3] == (255, 255)


def test_manifest_shortcuts_work_offline(manifest, client, app):
    """Breathe, Get help now and My safety plan, each precached with a 96 px icon."""
    precached = {e.url for e in offline_state(app).entries}
    names = {s["name"]: s for s in manifest["shortcuts"]}
    assert set(names) == {"Breathe", "Get help now", "My safety plan"}
    assert names["Get help now"]["url"] == "/help"
    assert names["My safety plan"]["url"] == "/my-plan"
    assert names["Breathe"]["url"].startswith("/tools")
    for shortcut in manifest["shortcuts"]:
        assert shortcut["url"] in precached
        assert image_at(client, shortcut["icons"][0]["src"]).size == (96, 96)


def test_manifest_screenshots_follow_the_richer_install_rules(manifest, client):
    """A narrow and a wide PNG screenshot, 320-3840 px, ratio at most 2.3."""
    shots = manifest["screenshots"]
    assert {s["form_factor"] for s in shots} == {"narrow", "wide"}
    for shot in shots:
        image = image_at(client, shot["src"])
        width, height = image.size
        assert shot["sizes"] == f"{width}x{height}" and shot["type"] == "image/png"
        assert all(320 <= side <= 3840 for side in image.size)
        assert max(image.size) / min(image.size) <= 2.3
        assert (height > width) == (shot["form_factor"] == "narrow")
        assert shot["label"]


# --- /about


def test_about_has_an_offline_storage_section(get_page):
    """/about explains offline storage, offers to keep it, and how to install."""
    soup = get_page("/about")
    section = soup.select_one("[data-module=offline-storage]")
    assert section is not None
    assert section.h2.get_text(strip=True) == "Offline storage"
    assert section.select_one("[data-offline-usage]") is not None
    assert section.select_one("[data-offline-persisted]") is not None
    assert "Keep available offline" in section.get_text()
    assert "Add to Home Screen" in section.get_text()


# --- Pure helpers in server/pwa.py


def test_assembler_scopes_modules_and_rewrites_imports():
    """Imports become destructuring from the exporting module's scope."""
    script = pwa.assemble_worker(
        {
            "sw.mjs": "import { a, b as c } from './one.mjs'\n"
            "import * as two from './two.mjs'\nself.x = [a, c(), two.d]\n",
            "one.mjs": "export const a = 1\nexport function b () { return 2 }\n",
            "two.mjs": "import {\n  a\n} from './one.mjs'\nexport let d = a + 1\n",
            "extra.mjs": "export class Unused {}\n",
        }
    )
    assert script.index("// ---- one.mjs") < script.index("// ---- two.mjs")
    assert script.rindex("// ---- sw.mjs") > script.index("// ---- extra.mjs")
    assert "const { a, b: c } = __wf_one" in script
    assert "const two = __wf_two" in script
    run = subprocess.run(
        [
            NODE,
            "-e",
            f"const self = {{}}; {script}; console.log(JSON.stringify(self.x))",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert json.loads(run.stdout) == [1, 2, 2]


def test_assembler_follows_paths_and_export_lists():
    """A module outside the folder joins under its path; `export { }` lists work."""
    script = pwa.assemble_worker(
        {
            "sw.mjs": "import { shared } from '../page/shared.mjs'\n"
            "self.x = shared()\n",
            "../page/shared.mjs": "import { n as one } from './lib.mjs'\n"
            "export function shared () { return one + 1 }\n",
            "../page/lib.mjs": "const m = 1\nexport { m as n };\n",
        }
    )
    assert "// ---- ../page/lib.mjs" in script
    assert "const { n: one } = __wf_page_lib" in script
    assert "return { n: m }" in script
    run = subprocess.run(
        [NODE, "-e", f"const self = {{}}; {script}; console.log(self.x)"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert run.stdout.strip() == "2"


def test_worker_sources_include_what_the_folder_imports(tmp_path):
    """read_sources follows relative imports out of the folder, once each."""
    (tmp_path / "sw").mkdir()
    (tmp_path / "page").mkdir()
    (tmp_path / "sw" / "sw.mjs").write_text("import { a } from '../page/a.mjs'\n")
    (tmp_path / "sw" / "b.mjs").write_text("import { a } from '../page/a.mjs'\n")
    (tmp_path / "page" / "a.mjs").write_text("import { c } from './c.mjs'\n")
    (tmp_path / "page" / "c.mjs").write_text("export const c = 1\n")
    (tmp_path / "page" / "unused.mjs").write_text("export const u = 1\n")
    assert sorted(pwa.read_sources(tmp_path / "sw")) == [
        "../page/a.mjs",
        "../page/c.mjs",
        "b.mjs",
        "sw.mjs",
    ]


def test_worker_shares_the_page_idb_modules(client):
    """The worker reads the reminders record through the page's own modules."""
    text = client.get("/sw.js").get_data(as_text=True)
    for name in ("idb", "device-db", "reminders-store"):
        assert f"// ---- ../frontend/js/{name}.mjs\n" in text


@pytest.mark.parametrize(
    ("sources", "problem"),
    [
        ({"sw.mjs": "export default 1\n"}, "only `export"),
        ({"sw.mjs": "export { a } from './a.mjs'\n", "a.mjs": ""}, "only `export"),
        ({"sw.mjs": "const a = 1\nexport { a as 2 }\n"}, "cannot read the export"),
        ({"sw.mjs": "import x from './a.mjs'\n", "a.mjs": ""}, "only `import"),
        ({"sw.mjs": "import { a } from 'https://x.example/a.mjs'\n"}, "only `import"),
        ({"sw.mjs": "import { a } from './missing.mjs'\n"}, "does not exist"),
        (
            {
                "sw.mjs": "import { a } from './a.mjs'\n",
                "a.mjs": "import { b } from './b.mjs'\nexport const a = 1\n",
                "b.mjs": "import { a } from './a.mjs'\nexport const b = 1\n",
            },
            "import cycle",
        ),
        ({"other.mjs": ""}, "entry sw.mjs is missing"),
    ],
)
def test_assembler_rejects_what_it_cannot_join(sources, problem):
    """Unsupported module syntax fails at start-up with the file named."""
    with pytest.raises(pwa.WorkerSourceError, match=problem):
        pwa.assemble_worker(sources)


def test_png_size_reads_the_header():
    """Width and height come from the IHDR chunk."""
    buffer = io.BytesIO()
    Image.new("RGB", (321, 123)).save(buffer, "PNG")
    assert pwa.png_size(buffer.getvalue()) == (321, 123)
    with pytest.raises(ValueError):
        pwa.png_size(b"GIF89a" + bytes(30))


def test_first_heading_and_grouping():
    """Headings are read as text; pages group under their parent path, home first."""
    assert pwa.first_heading("<h1>A <em>b</em>\n c</h1><h1>no</h1>") == "A b c"
    groups = pwa.group_pages(
        {
            "/tools/breathing": "Breathing",
            "/help": "Help",
            "/": "Home",
            "/tools": "Tools",
        }
    )
    assert [g.url for g in groups] == ["/", "/help", "/tools"]
    assert [c.url for c in groups[2].children] == ["/tools/breathing"]
    assert groups[0].children == ()


def test_the_default_favicon_address_answers_with_the_app_icon(client, app) -> None:
    """Browsers ask for /favicon.ico before the page adds its icon links; it is
    the 192 px icon, kept for a day and saved for offline use."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.cache_control.max_age == 86400
    assert Image.open(io.BytesIO(response.data)).size == (192, 192)
    precached = {e.url for e in app.extensions["wayfinder.pwa"].entries}
    assert "/favicon.ico" in precached
