"""Measure breathing timing drift and main-thread smoothness; print the figures.

Run from the repository root:

    .venv/bin/python tests/benchmarks/breathing_drift.py [--seconds 60] [--hide 15]

1. Engine, 10 minutes of simulated time (node): every phase boundary the
   engine reports against the ideal schedule, with timers waking up to 40 ms
   late at every change.
2. Browser, real time (Debian Chromium): open-ended box breathing for
   --seconds; every `wayfinder:phase` event's performance.now() against the
   ideal schedule from the first one. Then, with --hide, the tab is hidden
   behind another for that many seconds and shown again, and the boundaries
   after it are checked too.
3. Before (--baseline seconds, the page open and idle) and during the
   session: long tasks and long animation frames (with the scripts to blame)
   from the Performance API, and frame gaps from requestAnimationFrame (a gap
   over 1.5 times the median frame counts as a dropped frame). The baseline
   shows what a busy machine does anyway.
4. A Chromium trace of the renderer's main thread, idle and then breathing
   (--trace seconds each): how many tasks, style, layout and paint it runs.
   Counts do not swell on a busy machine the way durations do.

Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from server import create_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import LiveServer, launch  # noqa: E402
from _browser import conftest as _conftest  # noqa: E402

ENGINE_SIMULATION = r"""
import { makePattern, Session } from './frontend/js/breathing-model.mjs'
const box = makePattern('Box', [
  { kind: 'in', seconds: 4 }, { kind: 'hold', seconds: 4 },
  { kind: 'out', seconds: 4 }, { kind: 'hold', seconds: 4 }
])
let seed = 42
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
const session = new Session(box, { kind: 'minutes', value: 10 })
const start = 1234.5
session.start(start)
let now = start, key = null, expected = start, i = 0
let worstSchedule = 0, worstSeen = 0, naive = 0
while (true) {
  const s = session.state(now)
  if (s.key !== key) {
    key = s.key
    worstSchedule = Math.max(worstSchedule, Math.abs(s.phaseStartedAt - expected))
    worstSeen = Math.max(worstSeen, now - expected)
    expected += box.phases[i++ % 4].ms
  }
  const next = session.nextChangeAt(now)
  if (next === null) break
  const late = rand() * 40
  naive += late
  now = next + late
}
console.log(JSON.stringify({ boundaries: i, activeMs: session.activeMs(now),
  worstScheduleMs: worstSchedule, worstSeenLateMs: worstSeen, naiveDriftMs: naive }))
"""

#: Our modules, to tell their script time apart in long animation frames.
TOOL_MODULES = (
    "breathing",
    "tools-cues",
    "tools-feeling-check",
    "tools-store",
    "tools-prefs",
)

PAGE_PROBES = """() => {
  window.__phases = []
  window.__frames = []
  window.__long = []
  window.__loaf = []
  document.addEventListener('wayfinder:phase', e => window.__phases.push(e.detail))
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration])
    }).observe({ type: 'longtask' })
  } catch {}
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) {
        const scripts = (e.scripts || [])
          .map(s => [(s.sourceURL || '') + ' ' + (s.invoker || ''), s.duration])
        const blocking = e.blockingDuration || 0
        window.__loaf.push([e.startTime, e.duration, blocking, scripts])
      }
    }).observe({ type: 'long-animation-frame' })
  } catch {}
  const frame = t => { window.__frames.push(t); requestAnimationFrame(frame) }
  requestAnimationFrame(frame)
}"""


def engine_figures() -> dict:
    """Run the 10-minute engine simulation under node and return its figures."""
    out = subprocess.run(
        ["node", "--input-type=module", "-e", ENGINE_SIMULATION],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def drift(phases: list[dict], cycle_ms: list[int]) -> list[float]:
    """Each phase event's lateness against the ideal schedule from the first."""
    first = phases[0]["at"]
    offset = 0
    errors = []
    for i, p in enumerate(phases):
        errors.append(p["at"] - (first + offset))
        offset += cycle_ms[i % len(cycle_ms)]
    return errors


def describe(errors: list[float]) -> str:
    """Summarise a list of boundary errors in milliseconds."""
    absolute = [abs(e) for e in errors]
    return (
        f"{len(errors)} boundaries, worst {max(absolute):.1f} ms, "
        f"mean {statistics.mean(absolute):.1f} ms, last {errors[-1]:+.1f} ms"
    )


RESET = """() => {
  window.__frames = []
  window.__long = []
  window.__loaf = []
}"""


def smoothness(page: Page, seconds: float) -> str:
    """Frame gaps, long tasks and long animation frames recorded so far."""
    frames = page.evaluate("() => window.__frames")
    longs = page.evaluate("() => window.__long")
    loafs = page.evaluate("() => window.__loaf")
    gaps = [b - a for a, b in zip(frames, frames[1:], strict=False)]
    median = statistics.median(gaps) if gaps else 0
    dropped = [g for g in gaps if g > 1.5 * median]
    blocking = sum(b for _, _, b, _ in loafs)
    ours = [
        (url, d)
        for *_, scripts in loafs
        for url, d in scripts
        if any(m in url for m in TOOL_MODULES)
    ]
    lines = [
        f"  frames: {len(frames)} ({len(frames) / seconds:.0f}/s), median gap"
        f" {median:.1f} ms, gaps over 1.5x median: {len(dropped)}"
        + (f" (worst {max(dropped):.0f} ms)" if dropped else ""),
        f"  long tasks (>50 ms): {len(longs)}"
        + (f", longest {max(d for _, d in longs):.0f} ms" if longs else ""),
        f"  long animation frames (>50 ms): {len(loafs)}, total blocking"
        f" {blocking:.0f} ms; scripts over 5 ms in them from the tools' modules:"
        f" {len(ours)}",
    ]
    lines += [f"    {d:.1f} ms in {url.rpartition('/')[2]}" for url, d in ours]
    return "\n".join(lines)


TRACE_EVENTS = ("RunTask", "FunctionCall", "UpdateLayoutTree", "Layout", "Paint")


def choose_until_i_stop(page: Page) -> None:
    """Unfold the session settings (folded under Start) and choose "Until I stop"."""
    settings = page.locator("details.breather__settings")
    if settings.get_attribute("open") is None:
        settings.locator("summary").click()
    page.check("input[name=length][value=open]")


def main_thread_work(url: str, seconds: float) -> dict[str, dict[str, tuple]]:
    """Trace the renderer's main thread idle, then breathing; count its work."""
    out = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_conftest.CHROMIUM,
            headless=True,
            args=_conftest.CHROMIUM_ARGS,
        )
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("[data-setup]:not([hidden])")
        for label in ("idle", "breathing"):
            browser.start_tracing(
                page=page,
                categories=[
                    "devtools.timeline",
                    "disabled-by-default-devtools.timeline",
                ],
            )
            if label == "breathing":
                choose_until_i_stop(page)
                page.click("[data-start]")
            time.sleep(seconds)
            trace = json.loads(browser.stop_tracing())
            events = trace["traceEvents"] if isinstance(trace, dict) else trace
            main = {
                (e["pid"], e["tid"])
                for e in events
                if e.get("name") == "thread_name"
                and e["args"].get("name") == "CrRendererMain"
            }
            work = {name: [0, 0.0] for name in TRACE_EVENTS}
            for e in events:
                if (e.get("pid"), e.get("tid")) in main and e.get("name") in work:
                    work[e["name"]][0] += 1
                    work[e["name"]][1] += e.get("dur", 0) / 1000
            out[label] = {k: tuple(v) for k, v in work.items()}
        browser.close()
    return out


def main() -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--hide", type=float, default=15)
    parser.add_argument("--baseline", type=float, default=30)
    parser.add_argument("--trace", type=float, default=10)
    args = parser.parse_args()

    figures = engine_figures()
    print("Engine, 10 minutes simulated (timers up to 40 ms late at each change):")
    print(
        f"  {figures['boundaries']} boundaries over {figures['activeMs'] / 1000:.0f} s;"
        f" worst scheduled boundary error {figures['worstScheduleMs']:.6f} ms;"
        f" worst lateness seen {figures['worstSeenLateMs']:.1f} ms;"
        f" summing intervals instead would have drifted"
        f" {figures['naiveDriftMs'] / 1000:.1f} s"
    )

    app = create_app(
        {"INSTANCE_PATH": tempfile.mkdtemp(prefix="wf-bench-"), "DISPATCHER": False}
    )
    server = LiveServer(app).start()
    box = [4000, 4000, 4000, 4000]
    try:
        with sync_playwright() as playwright:
            context = launch(
                playwright, Path(tempfile.mkdtemp(prefix="wf-bench-profile-"))
            )
            page = context.pages[0] if context.pages else context.new_page()
            page.goto(server.url + "/tools/breathing/box")
            page.wait_for_selector("[data-setup]:not([hidden])")
            page.evaluate(PAGE_PROBES)
            if args.baseline > 0:
                # The same page, open but idle: what the machine does anyway.
                time.sleep(args.baseline)
                print(f"\nBrowser, the page idle for {args.baseline:.0f} s (baseline):")
                print(smoothness(page, args.baseline))
                page.evaluate(RESET)
            choose_until_i_stop(page)
            page.click("[data-start]")
            time.sleep(args.seconds + 0.5)
            visible = page.evaluate("() => window.__phases")
            print(f"\nBrowser, box breathing for {args.seconds:.0f} s of real time:")
            print("  " + describe(drift(visible, box)))
            print(smoothness(page, args.seconds))
            load = os.getloadavg()[0]
            print(
                f"  machine load average {load:.1f} on {os.cpu_count()} CPUs"
                " (a busy machine makes every task longer)"
            )

            if args.hide > 0:
                # Headless Chromium never reports a hidden tab, so freeze the
                # page instead: no timers, no frames, like a backgrounded tab.
                cdp = context.new_cdp_session(page)
                cdp.send("Page.enable")
                frozen_at = page.evaluate("() => performance.now()")
                cdp.send("Page.setWebLifecycleState", {"state": "frozen"})
                time.sleep(args.hide)
                cdp.send("Page.setWebLifecycleState", {"state": "active"})
                time.sleep(9)
                phases = page.evaluate("() => window.__phases")
                first = phases[0]
                after = [p for p in phases if p["at"] > frozen_at + 1]
                print(
                    f"\nPage frozen for {args.hide:.0f} s (standing in for a hidden"
                    " tab), then active again:"
                )
                if after:
                    back = after[0]
                    since = back["scheduledAt"] - first["scheduledAt"]
                    off = since - round(since / 4000) * 4000
                    print(
                        f"  first phase after return: {back['label']!r}, its"
                        f" boundary is {off:+.1f}"
                        " ms off the original schedule; shown"
                        f" {back['at'] - back['scheduledAt']:.0f} ms after it began"
                        " (while frozen)"
                    )
                    errors = [
                        p["at"]
                        - (first["at"] + round((p["at"] - first["at"]) / 4000) * 4000)
                        for p in after[1:]
                    ]
                    if errors:
                        print("  boundaries after that: " + describe(errors))
            context.close()
        if args.trace > 0:
            work = main_thread_work(server.url + "/tools/breathing/box", args.trace)
            print(
                f"\nRenderer main thread from a Chromium trace, {args.trace:.0f} s"
                " each (count, total ms):"
            )
            for label, counts in work.items():
                busy = counts["RunTask"][1] / (args.trace * 1000) * 100
                print(
                    f"  {label}: "
                    + ", ".join(f"{k} {n} / {ms:.0f}" for k, (n, ms) in counts.items())
                    + f"; main thread busy {busy:.1f}% of the time"
                )
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
