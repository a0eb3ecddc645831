"""Drawing the trends chart for five years of daily check-ins; print the figures.

Run from the repository root:

    .venv/bin/python tests/benchmarks/check_in_chart_bench.py [--throttle 4]

In Debian Chromium with the CPU slowed by CDP's Emulation.setCPUThrottlingRate,
the page's own personal store holds five years of daily check-ins (1,826)
and a PHQ-9 every two weeks (131). On /check-in/trends it times:

- prepare: placing every record on its local calendar day (Intl, once per load);
- draw, per range (each drawn 2 or 3 times a round, in a mixed order):
  filtering, grouping, the summary, the SVG markup, putting it in the page,
  the two tables, and the layout that follows (forced by reading the chart's
  size), as a person switching ranges sees it;
- page ready: from navigation to the trends being drawn (reading IndexedDB included).

Target (from issue 14): drawing under 50 ms at 4x throttling. Figures only:
nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import chromium, live_site, throttle

DAYS = 1826

#: Five years of daily check-ins and a PHQ-9 every 14 days, through the page's store.
SEED = """async days => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  const { makeRecord } = await import('/static/gen/personal-model.mjs')
  const day = 86400000
  const now = Date.now()
  const records = []
  for (let i = 0; i < days; i++) {
    const t = now - (days - 1 - i) * day + (i % 7) * 1800000
    records.push(makeRecord('check-in', { at: new Date(t).toISOString(),
      mood: 1 + Math.round(2 + 1.8 * Math.sin(i / 30)), sleepHours: 6 + (i % 4),
      energy: 1 + (i % 5), note: 'A steady day, a short walk. ' + i },
      { now: () => t }))
  }
  for (let i = 0; i * 14 < days; i++) {
    const t = now - (days - 1 - i * 14) * day
    const answers = Array.from({ length: 9 }, (_, k) => (i + k) % 4)
    records.push(makeRecord('phq9', { at: new Date(t).toISOString(), answers,
      score: answers.reduce((a, b) => a + b, 0) }, { now: () => t }))
  }
  await personalStore().importRecords(records)
  return records.length
}"""

#: Time prepare() and draw() for each range, in a container like the page's.
MEASURE = """async () => {
  const { prepare, draw } = await import('/static/gen/check-in-trends.mjs')
  const { allCheckIns, allResults } = await import('/static/gen/check-in-store.mjs')
  const { deviceZone } = await import('/static/gen/check-in-model.mjs')
  const zone = deviceZone()
  const checkIns = await allCheckIns()
  const phq9 = await allResults('phq9')
  const p0 = performance.now()
  const data = prepare({ checkIns, phq9 }, zone)
  const prepareMs = performance.now() - p0
  const $host = document.querySelector('[data-module="check-in-trends"]')
  const make = tag => document.createElement(tag)
  const $parts = { summary: make('div'), chart: make('div'), tables: make('div'),
    figure: make('figure') }
  $parts.chart.className = 'trends__chart'
  $parts.tables.className = 'trends__tables trends__tables--offscreen'
  $parts.figure.append($parts.chart)
  $host.append($parts.summary, $parts.figure, $parts.tables)
  // Lay the new containers out first: that layout is the bench's, not the chart's.
  $host.getBoundingClientRect()
  const width = $host.clientWidth
  const fontPx = parseFloat(getComputedStyle($parts.chart).fontSize)
  const out = { prepareMs, records: checkIns.length + phq9.length, width, draws: {} }
  for (const range of ['all', '1y', '3m', '2w', 'all', '2w', '3m', '1y', 'all']) {
    const d0 = performance.now()
    const drawn = draw($parts, data, range, { now: Date.now(), zone, width, fontPx })
    $parts.chart.querySelector('svg').getBoundingClientRect()
    const ms = performance.now() - d0
    out.draws[range] ??= { ms: [], points: drawn.moodPoints,
      bytes: $parts.chart.innerHTML.length }
    out.draws[range].ms.push(ms)
  }
  $parts.summary.remove(); $parts.figure.remove(); $parts.tables.remove()
  return out
}"""

READY = "() => document.querySelector('[data-module][data-ready]') !== null"


def main() -> None:
    """Seed, throttle, run the rounds and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--throttle", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with live_site() as url, chromium() as context:
        page = context.pages[0]
        page.goto(f"{url}/check-in")
        page.wait_for_function(READY)
        count = page.evaluate(SEED, DAYS)
        page.goto(f"{url}/check-in/trends")
        page.wait_for_function(READY)
        throttle(context, page, args.throttle)
        runs = [page.evaluate(MEASURE) for _ in range(args.rounds)]
        readies = []
        for _ in range(3):
            page.reload()
            page.wait_for_function(READY)
            readies.append(
                page.evaluate(
                    "() => performance.now()"
                    " - performance.getEntriesByType('navigation')[0].startTime"
                )
            )
        print(
            f"CPU throttled {args.throttle:g}x, {args.rounds} rounds, medians;"
            f" {count} records ({DAYS} daily check-ins and PHQ-9s),"
            f" chart {runs[0]['width']} px wide; load average"
            f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        prep = statistics.median(r["prepareMs"] for r in runs)
        print(f"prepare (local days, once per load): {prep:.1f} ms")
        names = {
            "all": "everything",
            "1y": "a year",
            "3m": "3 months",
            "2w": "2 weeks",
        }
        for key, name in names.items():
            times = sorted(t for r in runs for t in r["draws"][key]["ms"])
            ms = statistics.median(times)
            worst = times[-1]
            first = runs[0]["draws"][key]
            print(
                f"draw {name:>10}: {ms:5.1f} ms (slowest {worst:.1f} ms),"
                f" {first['points']} mood points,"
                f" SVG {first['bytes'] / 1000:.1f} kB"
            )
        print(
            f"page ready (navigation to drawn, median of 3):"
            f" {statistics.median(readies):.0f} ms"
        )


if __name__ == "__main__":
    main()
