"""Rasterise the app's SVG icons to the PNGs the manifest and iOS need.

Sources (drawn by hand, in frontend/icons/): logo.svg (rounded, for "any"),
logo-maskable.svg (full bleed, artwork inside the central 80% circle),
shortcut-*.svg. Debian Chromium draws each SVG through Playwright; Pillow
reduces it to a 256-colour palette to keep the precache small. Run it after
changing an SVG and commit the PNGs:

    .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "frontend" / "icons"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

#: (output PNG, source SVG, size in px, opaque?)
TARGETS = [
    ("icon-192.png", "logo.svg", 192, False),
    ("icon-512.png", "logo.svg", 512, False),
    ("icon-maskable-512.png", "logo-maskable.svg", 512, True),
    ("apple-touch-icon.png", "logo-maskable.svg", 180, True),
    ("shortcut-breathe-96.png", "shortcut-breathe.svg", 96, False),
    ("shortcut-help-96.png", "shortcut-help.svg", 96, False),
    ("shortcut-plan-96.png", "shortcut-plan.svg", 96, False),
    ("badge-96.png", "badge.svg", 96, False),  # notification badge: white on clear
]


def render(page: Page, svg: Path, size: int) -> Image.Image:
    """Draw an SVG at size x size pixels on a transparent background."""
    data = base64.b64encode(svg.read_bytes()).decode()
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(
        "<!doctype html><style>html,body{margin:0;background:transparent}"
        f"img{{display:block;width:{size}px;height:{size}px}}</style>"
        f'<img src="data:image/svg+xml;base64,{data}" alt="">'
    )
    page.wait_for_function("document.images[0].complete")
    png = page.screenshot(omit_background=True)
    return Image.open(io.BytesIO(png))


def save(image: Image.Image, path: Path, opaque: bool) -> None:
    """Save a palette PNG; opaque icons lose their alpha channel entirely."""
    if opaque:
        image = image.convert("RGB").quantize(256)
    else:
        image = image.convert("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE)
    image.save(path, optimize=True)


def main() -> None:
    """Render every target icon into frontend/icons/."""
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(device_scale_factor=1)
        for name, source, size, opaque in TARGETS:
            save(render(page, ICONS / source, size), ICONS / name, opaque)
            print(f"{name}: {(ICONS / name).stat().st_size} bytes")
        browser.close()


if __name__ == "__main__":
    main()
