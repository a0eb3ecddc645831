"""Bytes on the critical path: HTML, CSS and JS a first visit to a page loads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BUDGET = 14 * 1024


def measure(page, url: str) -> list[tuple[str, str, int, int]]:
    """Load url in a fresh page; return (type, name, compressed, raw) per resource."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    entries = page.evaluate(
        """() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const res = performance.getEntriesByType('resource');
          return [nav, ...res].map(e => [e.initiatorType, e.name,
            e.encodedBodySize, e.decodedBodySize]) }"""
    )
    return [tuple(e) for e in entries]


def main() -> None:
    """Print the compressed weight of each page's HTML, CSS and JS."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "paths", nargs="*", default=["/", "/guide/what-is-trd", "/help"]
    )
    args = parser.parse_args()
    with running_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for path in args.paths:
            context = browser.new_context(service_workers="block")
            page = context.new_page()
            rows = measure(page, base + path)
            critical = [
                r for r in rows if r[0] in {"navigation", "link", "script", "css"}
            ]
            total = sum(r[2] for r in critical)
            raw = sum(r[3] for r in critical)
            print(
                f"\n{path}: HTML+CSS+JS {total / 1024:.1f} KB compressed "
                f"({raw / 1024:.1f} KB raw); budget 14 KB: "
                f"{'within' if total <= BUDGET else 'OVER'}"
            )
            for kind, name, enc, dec in critical:
                print(
                    f"  {kind:10} {enc:7d} B  ({dec:7d} raw)  {name.replace(base, '')}"
                )
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
