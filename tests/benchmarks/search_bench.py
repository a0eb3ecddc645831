"""Search latency on a phone-class CPU: Chromium with 4x CPU throttling.

Serves the app with `wayfinder serve`, opens /search in Debian Chromium,
slows the CPU 4x (CDP Emulation.setCPUThrottlingRate), then times, in the page:
building the index once (cold), each query through search-model's search()
(p50/p95/max over repeated runs, plus the first, cold run), and each query
through the live UI (input event to results in the DOM). Also prints the
index size raw, gzip and brotli. Figures only; nothing is asserted.

Usage: .venv/bin/python tests/benchmarks/search_bench.py [--runs N] [--rate R]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import urllib.request
from pathlib import Path

import brotli
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUERIES = [
    "ketamine",
    "ketamin",
    "electro convulsive",
    "electroconvulsive therapy memory loss",
    "theripy",
    "depresion",
    "behavioral activation",
    "selfcare",
    "what to bring to an appointment",
    "side effects",
    "sleep",
    "k",
    "ke",
    "ket",
    "lithium thyroid augmentation",
    "pharmacogenomic testing insurance",
    "vagus nerve stimulation",
    "988",
    "warning signs suicide",
    "how do I find a psychiatrist who takes my insurance near me",
]

TIMING_SCRIPT = """
async ({ queries, runs }) => {
  let t = performance.now()
  const model = await import('/static/gen/search-model.mjs')
  const load = performance.now() - t
  t = performance.now()
  const data = await (await fetch('/search-index.json')).json()
  const fetched = performance.now() - t
  t = performance.now()
  const index = model.buildIndex(data)
  const build = performance.now() - t
  const rows = []
  for (const q of queries) {
    t = performance.now()
    const results = model.search(index, q)
    const cold = performance.now() - t
    const times = []
    for (let i = 0; i < runs; i++) {
      t = performance.now()
      model.search(index, q)
      times.push(performance.now() - t)
    }
    rows.push({ q, cold, times, hits: results.length })
  }
  return { load, fetched, build, rows }
}
"""

UI_SCRIPT = """
async ({ queries, runs }) => {
  const $root = document.querySelector('[data-module=search]')
  const $input = document.querySelector('#search-q')
  const rows = []
  for (const q of queries) {
    const times = []
    for (let i = 0; i < runs; i++) {
      $input.value = ''
      $input.dispatchEvent(new Event('input'))
      $input.value = q
      const t = performance.now()
      $input.dispatchEvent(new Event('input'))
      times.push(performance.now() - t)
      if ($root.dataset.searchShown !== q) throw new Error('no results for ' + q)
    }
    rows.push({ q, times })
  }
  return rows
}
"""


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values fall (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def index_size(base: str) -> tuple[int, int, int]:
    """The index's size in bytes: raw, gzip -9 and brotli q9 (as the server sends)."""
    raw = urllib.request.urlopen(base + "/search-index.json").read()
    return len(raw), len(gzip.compress(raw, 9)), len(brotli.compress(raw, quality=9))


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rate", type=float, default=4)
    args = parser.parse_args()
    with running_server() as base, sync_playwright() as p:
        raw, gz, br = index_size(base)
        print(f"index: {raw} bytes raw, {gz} gzip, {br} brotli")
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.rate})
        # A page without search first, so loading and building are truly cold.
        page.goto(base + "/about")
        timing = page.evaluate(TIMING_SCRIPT, {"queries": QUERIES, "runs": args.runs})
        page.goto(base + "/search")
        page.wait_for_function(
            "() => document.querySelector('[data-module=search]')"
            ".dataset.searchIndex === 'ready'"
        )
        ui = page.evaluate(UI_SCRIPT, {"queries": QUERIES, "runs": args.runs})
        browser.close()

    print(f"CPU throttling {args.rate:g}x, {args.runs} runs per query, in ms")
    print(
        f"once per page, cold: import search-model {timing['load']:.1f}, "
        f"fetch + parse index {timing['fetched']:.1f}, "
        f"build index {timing['build']:.1f}"
    )
    header = f"{'query':<44} {'hits':>4} {'cold':>6} {'p50':>6} {'p95':>6} {'max':>6}"
    print("\nsearch-model search():")
    print(header)
    worst = []
    for row in timing["rows"]:
        t = row["times"]
        worst.append(max(row["cold"], max(t)))
        print(
            f"{row['q'][:44]:<44} {row['hits']:>4} {row['cold']:>6.2f} "
            f"{percentile(t, 0.5):>6.2f} {percentile(t, 0.95):>6.2f} {max(t):>6.2f}"
        )
    print("\nlive UI (input event to results in the DOM):")
    print(f"{'query':<44} {'p50':>6} {'p95':>6} {'max':>6}")
    for row in ui:
        t = row["times"]
        worst.append(max(t))
        print(
            f"{row['q'][:44]:<44} {percentile(t, 0.5):>6.2f} "
            f"{percentile(t, 0.95):>6.2f} {max(t):>6.2f}"
        )
    print(f"\nslowest single query anywhere: {max(worst):.2f} ms (budget 50 ms)")


if __name__ == "__main__":
    main()
