"""Take the manifest's install-dialog screenshots (narrow and wide) of the app.

Serves the app on a free loopback port, photographs the home page in Debian
Chromium through Playwright, and saves 256-colour PNGs into frontend/images/
(they are precached, so they are kept small). Run it after a visible change
to the home page and commit the PNGs:

    .venv/bin/python scripts/make_screenshots.py
"""

from __future__ import annotations

import io
import tempfile
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from server import create_app

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "frontend" / "images"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

#: name -> (CSS viewport, device scale factor). Both within the manifest rules:
#: sides of 320-3840 px, the longer at most 2.3 times the shorter.
SHOTS = {
    "screenshot-narrow.png": ({"width": 360, "height": 780}, 1.5),
    "screenshot-wide.png": ({"width": 1280, "height": 800}, 1),
}


def main() -> None:
    """Serve the app and save each screenshot."""
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": tmp, "DISPATCHER": False})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, (viewport, scale) in SHOTS.items():
                context = browser.new_context(
                    viewport=viewport,
                    device_scale_factor=scale,
                    color_scheme="light",
                    service_workers="block",
                )
                page = context.new_page()
                page.goto(base + "/")
                page.wait_for_load_state("networkidle")
                shot = Image.open(io.BytesIO(page.screenshot()))
                shot.convert("RGB").quantize(256).save(IMAGES / name, optimize=True)
                print(f"{name}: {shot.size}, {(IMAGES / name).stat().st_size} bytes")
                context.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
