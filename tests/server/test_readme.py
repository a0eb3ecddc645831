"""The README's screenshots: each exists and its alt text says what it shows."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, ImageStat

ROOT = Path(__file__).resolve().parents[2]
#: A Markdown image: ![alt](path), or an HTML <img> with alt and src.
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
#: Alt text that says nothing about the picture.
EMPTY_WORDS = {"image", "screenshot", "picture", "photo", "img", "logo", "wayfinder"}


def images() -> list[tuple[str, str]]:
    """(alt, path) for every image in README.md."""
    text = ROOT.joinpath("README.md").read_text()
    found = MARKDOWN_IMAGE.findall(text)
    for tag in HTML_IMAGE.findall(text):
        alt = re.search(r'alt="([^"]*)"', tag)
        src = re.search(r'src="([^"]*)"', tag)
        found.append((alt.group(1) if alt else "", src.group(1) if src else ""))
    return found


def brightness(path: Path) -> float:
    """The image's mean lightness, 0 (black) to 1 (white)."""
    with Image.open(path) as picture:
        return ImageStat.Stat(picture.convert("L")).mean[0] / 255


def test_every_readme_image_has_alt_text_that_matches_it() -> None:
    """Alt text is a real description, and light or dark says what is shown."""
    found = images()
    assert len(found) >= 2
    for alt, src in found:
        path = ROOT / src
        assert path.is_file(), src
        words = re.findall(r"[a-z']+", alt.lower())
        assert len(words) >= 5 and set(words) - EMPTY_WORDS, (src, alt)
        light, dark = "light" in words, "dark" in words
        assert not (light and dark), f"{src}: one picture cannot show both: {alt!r}"
        assert light or dark, f"{src}: say whether it is light or dark mode: {alt!r}"
        shade = brightness(path)
        if dark:
            assert shade < 0.5, (src, shade)
        else:
            assert shade > 0.5, (src, shade)
