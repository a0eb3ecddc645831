"""Take the README's phone screenshots of a running copy of Wayfinder."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from server import create_app

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    """Serve the app on a free port and save phone-sized screenshots."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": tmp, "DISPATCHER": False})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        import threading

        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for scheme in ("light", "dark"):
                page = browser.new_page(
                    viewport={"width": 390, "height": 844},
                    device_scale_factor=2,
                    color_scheme=scheme,
                )
                page.goto(base + "/")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(args.out / f"phone-home-{scheme}.png"))
                page.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
