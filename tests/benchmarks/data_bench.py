"""Backup and restore speed, and the lock's unlock time; print the figures.

Run from the repository root:

    .venv/bin/python tests/benchmarks/data_bench.py [--throttle 4] [--rounds 3]

In Debian Chromium with the CPU slowed by CDP's Emulation.setCPUThrottlingRate,
the page's own personal store is filled with five years of daily check-ins
(1,826, a future-style record type) plus 100 treatment entries and a few tool
sessions (about 2,000 records). It then times, unlocked and locked (a
600,000-round PBKDF2 passphrase):

- export: reading every record and building the backup file's text;
- import: reading and checking that file, planning the merge, and writing
  every record into an empty store in one transaction (locked, this includes
  opening the file with its passphrase: one PBKDF2 run, about the unlock time,
  then encrypting every record again with the store's own data key);
- unlock: PBKDF2-SHA-256 with 600,000 rounds and unwrapping the data key.

Target (from issue 12): export and import under 500 ms each. Figures only:
nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from server import create_app  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "browser_conftest", ROOT / "tests" / "browser" / "conftest.py"
)
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
LiveServer, launch = _conftest.LiveServer, _conftest.launch

#: Fill a store of the bench's own (its own database) and time each step.
MEASURE = """async ({ locked, name }) => {
  const { PersonalStore,
    openPersonalDatabase } = await import('/static/gen/personal-store.mjs')
  const { makeRecord } = await import('/static/gen/personal-model.mjs')
  // session: null gives each store a tab state of its own in memory (two stores,
  // two databases, one page: they must not share the tab's unlocked key).
  const store = new PersonalStore({ open: openPersonalDatabase(name + '-a'),
    legacy: false, persist: async () => true, session: null })
  const day = 86400000
  const t0 = Date.UTC(2021, 0, 1)
  const records = []
  for (let i = 0; i < 1826; i++) {
    records.push(makeRecord('check-in', { mood: i % 10, energy: (i * 7) % 10,
      sleepHours: 6 + (i % 4),
      note: 'A steady day, a short walk, tea with a friend. ' + i },
        { now: () => t0 + i * day }))
  }
  for (let i = 0; i < 100; i++) {
    records.push(makeRecord('treatment', { name: 'Medication ' + (i % 12),
      dose: (i % 5 + 1) * 10 + ' mg',
      started: '2022-01-01', stopped: null,
        notes: 'Side effects mild; review with the doctor.' },
        { now: () => t0 + i * 17 * day }))
  }
  for (let i = 0; i < 74; i++) {
    records.push(makeRecord('tool-session', { tool: 'breathing/box',
      title: 'Box breathing', startedAt: t0 + i * day,
      activeMs: 64000, completed: true, feeling: 'better' },
        { now: () => t0 + i * day }))
  }
  const passphrase = 'quiet river morning'
  let unlockMs = null
  if (locked) await store.setLock(passphrase)
  await store.importRecords(records)
  if (locked) {
    store.lock()
    const u0 = performance.now()
    if (!(await store.unlock(passphrase))) throw new Error('unlock failed')
    unlockMs = performance.now() - u0
  }
  const e0 = performance.now()
  const { text } = await store.exportText({ appVersion: 'bench' })
  const exportMs = performance.now() - e0

  const target = new PersonalStore({ open: openPersonalDatabase(name + '-b'),
    legacy: false, persist: async () => true, session: null })
  if (locked) await target.setLock(passphrase)
  const i0 = performance.now()
  const preview = await target.previewImport(text, { passphrase })
  if (!preview.ok) throw new Error(preview.error)
  await target.importRecords(preview.records)
  const importMs = performance.now() - i0
  const count = (await target.all()).length
  for (const s of [store, target]) await s.deleteEverything()
  return { exportMs, importMs, unlockMs, count, bytes: text.length }
}"""


def main() -> None:
    """Run the rounds and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--throttle", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "DISPATCHER": False})
        server = LiveServer(app).start()
        try:
            with sync_playwright() as driver, tempfile.TemporaryDirectory() as profile:
                context = launch(driver, Path(profile))
                page = context.pages[0]
                page.goto(f"{server.url}/my-data")
                page.wait_for_selector("[data-facts]:not([hidden])")
                cdp = context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})
                print(
                    f"CPU throttled {args.throttle:g}x, {args.rounds} rounds, medians"
                )
                for locked in (False, True):
                    runs = [
                        page.evaluate(
                            MEASURE, {"locked": locked, "name": f"bench-{locked}-{n}"}
                        )
                        for n in range(args.rounds)
                    ]
                    label = "locked  " if locked else "unlocked"
                    export = statistics.median(r["exportMs"] for r in runs)
                    restore = statistics.median(r["importMs"] for r in runs)
                    line = (
                        f"{label}: {runs[0]['count']} records, file "
                        f"{runs[0]['bytes'] / 1e6:.2f} MB; export {export:.0f} ms, "
                        f"import {restore:.0f} ms"
                    )
                    if locked:
                        unlock = statistics.median(r["unlockMs"] for r in runs)
                        line += f"; unlock (PBKDF2 600,000 rounds) {unlock:.0f} ms"
                    print(line, flush=True)
                context.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
