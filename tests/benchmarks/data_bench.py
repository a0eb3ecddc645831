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
  then encrypting every record again with the store's own data key), timed
  twice: back to back (all the work, as one figure), and as a person restores,
  as the two waits they see: opening and checking the file until the page can
  say what it holds, and, after reading that for two seconds, confirming
  until every record is written (the records are sealed with the store's key
  while the person reads, so confirming only writes them);
- unlock: PBKDF2-SHA-256 with 600,000 rounds and unwrapping the data key.

Target (from issue 12): export and import under 500 ms each. Figures only:
nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import chromium, live_site, throttle

#: How long the person reads what a restore will change before confirming.
READING_MS = 2000

#: Fill a store of the bench's own (its own database) and time each step.
MEASURE = """async ({ locked, name, readingMs }) => {
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

  // As a person restores: open the file and see what it holds, read that
  // for a moment, then confirm. Each wait is timed on its own.
  const again = new PersonalStore({ open: openPersonalDatabase(name + '-c'),
    legacy: false, persist: async () => true, session: null })
  if (locked) await again.setLock(passphrase)
  const p0 = performance.now()
  const shown = await again.previewImport(text, { passphrase })
  if (!shown.ok) throw new Error(shown.error)
  const previewMs = performance.now() - p0
  await new Promise(resolve => setTimeout(resolve, readingMs))
  const c0 = performance.now()
  await again.importRecords(shown.records)
  const confirmMs = performance.now() - c0
  if ((await again.all()).length !== count) throw new Error('restore lost records')
  for (const s of [store, target, again]) await s.deleteEverything()
  return { exportMs, importMs, previewMs, confirmMs, unlockMs, count,
    bytes: text.length }
}"""


def describe(locked: bool, runs: list[dict]) -> str:
    """One line of medians for the unlocked or the locked store."""
    label = "locked  " if locked else "unlocked"
    export = statistics.median(r["exportMs"] for r in runs)
    restore = statistics.median(r["importMs"] for r in runs)
    preview = statistics.median(r["previewMs"] for r in runs)
    confirm = statistics.median(r["confirmMs"] for r in runs)
    line = (
        f"{label}: {runs[0]['count']} records, file "
        f"{runs[0]['bytes'] / 1e6:.2f} MB; export {export:.0f} ms, "
        f"import back to back {restore:.0f} ms (as a person "
        f"restores: open and check {preview:.0f} ms, then "
        f"confirm {confirm:.0f} ms)"
    )
    if locked:
        unlock = statistics.median(r["unlockMs"] for r in runs)
        line += f"; unlock (PBKDF2 600,000 rounds) {unlock:.0f} ms"
    return line


def main() -> None:
    """Run the rounds and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--throttle", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with live_site() as url, chromium() as context:
        page = context.pages[0]
        page.goto(f"{url}/my-data")
        page.wait_for_selector("[data-facts]:not([hidden])")
        throttle(context, page, args.throttle)
        print(f"CPU throttled {args.throttle:g}x, {args.rounds} rounds, medians")
        for locked in (False, True):
            runs = [
                page.evaluate(
                    MEASURE,
                    {
                        "locked": locked,
                        "name": f"bench-{locked}-{n}",
                        "readingMs": READING_MS,
                    },
                )
                for n in range(args.rounds)
            ]
            print(describe(locked, runs), flush=True)


if __name__ == "__main__":
    main()
