"""Shared steps for the coping tools' browser tests."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page

#: Where a test's fake clock starts.
T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)

#: Fakes for the optional cues, installed before any page script runs: they
#: record vibration patterns, tone pitches, spoken words and wake lock calls.
CUE_SPIES = """
(() => {
  const cues = {
    vibrate: [], tones: [], oscillators: 0, speech: [], wake: [], audio: ''
  }
  window.__cues = cues
  Object.defineProperty(Navigator.prototype, 'vibrate', {
    configurable: true, value: pattern => { cues.vibrate.push(pattern); return true }
  })
  const create = AudioContext.prototype.createOscillator
  AudioContext.prototype.createOscillator = function () {
    const osc = create.call(this)
    cues.oscillators += 1
    cues.audio = this.state
    const freq = osc.frequency
    const set = freq.setValueAtTime.bind(freq)
    freq.setValueAtTime = (value, time) => {
      cues.tones.push(value)
      return set(value, time)
    }
    return osc
  }
  const synth = window.speechSynthesis
  synth.getVoices = () => [{ name: 'Test voice', lang: 'en' }]
  synth.speak = utterance => cues.speech.push(utterance.text)
  synth.cancel = () => {}
  Object.defineProperty(Navigator.prototype, 'wakeLock', {
    configurable: true,
    get: () => ({
      request: async type => {
        cues.wake.push('request:' + type)
        const sentinel = new EventTarget()
        sentinel.release = async () => {
          cues.wake.push('release')
          sentinel.dispatchEvent(new Event('release'))
        }
        return sentinel
      }
    })
  })
})()
"""

#: Collect the tools' timing events in the page.
RECORD = """() => {
  window.__phases = []
  window.__steps = []
  window.__ends = []
  document.addEventListener('wayfinder:phase', e => window.__phases.push(e.detail))
  document.addEventListener('wayfinder:step', e => window.__steps.push(e.detail))
  document.addEventListener('wayfinder:session-end', e => window.__ends.push(e.detail))
}"""

#: Read the tools' records of one kind from the personal database, in the
#: shape the tools use ({id, ...data}).
READ_STORE = """async type => {
  const dbs = await indexedDB.databases()
  if (!dbs.some(d => d.name === 'wayfinder-data')) return []
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('wayfinder-data')
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
  const all = await new Promise(resolve => {
    const r = db.transaction('records').objectStore('records').getAll()
    r.onsuccess = () => resolve(r.result)
  })
  db.close()
  return all.filter(r => r.type === type).map(r => ({ id: r.id, ...r.data }))
}"""


def open_tool(page: Page, url: str, clock: bool = False) -> None:
    """Open a tool page and wait until its component is ready.

    With clock=True the page gets a fake clock that only moves when the test
    calls page.clock.run_for() or fast_forward(), so timings are exact.
    """
    if clock:
        page.clock.install(time=T0)
    page.goto(url)
    page.wait_for_selector("[data-setup]:not([hidden])")
    if clock:
        hold_clock(page)
    page.evaluate(RECORD)


def hold_clock(page: Page) -> None:
    """Stop the fake clock from following real time (tests move it on)."""
    now = page.evaluate("() => Date.now()")
    page.clock.pause_at(dt.datetime.fromtimestamp(now / 1000 + 60, dt.UTC))


def stored(page: Page, name: str = "sessions") -> list[dict]:
    """The tools' records of a kind ('sessions' or 'notes') in the personal store."""
    return page.evaluate(
        READ_STORE, {"sessions": "tool-session", "notes": "kept-note"}[name]
    )


def phases(page: Page) -> list[dict]:
    """Phase changes recorded so far."""
    return page.evaluate("() => window.__phases")


def steps(page: Page) -> list[dict]:
    """Step changes recorded so far."""
    return page.evaluate("() => window.__steps")


def ends(page: Page) -> list[dict]:
    """Sessions that ended so far."""
    return page.evaluate("() => window.__ends")


def wait_for_count(page: Page, name: str, count: int, timeout: float = 30_000) -> None:
    """Wait until the page has recorded at least count events of a kind."""
    page.wait_for_function(
        f"n => window.__{name}.length >= n", arg=count, timeout=timeout
    )
