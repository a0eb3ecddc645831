// Breathing engine, driven by a fake clock: order, durations, drift, pauses, custom patterns.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  makePattern, phaseAt, Session, sessionMs, ease, describe as describePattern, formatSeconds
} from '../../frontend/js/breathing-model.mjs'

const BOX = makePattern('Box', [
  { kind: 'in', seconds: 4 }, { kind: 'hold', seconds: 4 },
  { kind: 'out', seconds: 4 }, { kind: 'hold', seconds: 4 }
])
const SIGH = makePattern('Cyclic sighing', [
  { kind: 'in', seconds: 3, level: 0.8, label: 'Breathe in through your nose' },
  { kind: 'in', seconds: 1, label: 'A little more' },
  { kind: 'out', seconds: 6, label: 'Long breath out' }
])

/** A deterministic pseudo-random generator (mulberry32), so failures repeat. */
function random (seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Run a session like the page does: wake at each scheduled change, but late by
 * a random amount (timers are never punctual), and record every phase change
 * seen with the clock time it was seen and the time the engine says it began.
 */
function run (session, { from, until, lateness, seed = 1 }) {
  const rand = random(seed)
  const seen = []
  let now = from
  let key = null
  while (now <= until) {
    const state = session.state(now)
    if (state.key !== key) {
      key = state.key
      seen.push({ at: now, startedAt: state.phaseStartedAt, kind: state.phase.kind, index: state.phase.index, cycle: state.cycle })
    }
    const next = session.nextChangeAt(now)
    if (next === null) break
    now = next + rand() * lateness
  }
  return seen
}

test('a pattern keeps its phases in order with whole-millisecond durations', () => {
  assert.deepEqual(BOX.phases.map(p => [p.kind, p.ms, p.label]), [
    ['in', 4000, 'Breathe in'], ['hold', 4000, 'Hold'], ['out', 4000, 'Breathe out'], ['hold', 4000, 'Hold']
  ])
  assert.equal(BOX.cycleMs, 16000)
  const resonance = makePattern('Resonance', [{ kind: 'in', seconds: 5.5 }, { kind: 'out', seconds: 5.5 }])
  assert.equal(resonance.cycleMs, 11000)
  assert.equal(60000 / resonance.cycleMs > 5.4, true)
})

test('fullness rises on the way in, stays on hold, falls on the way out', () => {
  assert.deepEqual(BOX.phases.map(p => [p.from, p.to]), [[0, 1], [1, 1], [1, 0], [0, 0]])
  assert.deepEqual(SIGH.phases.map(p => [p.from, p.to]), [[0, 0.8], [0.8, 1], [1, 0]])
  const session = new Session(BOX)
  session.start(0)
  assert.equal(session.state(0).fullness, 0)
  assert.ok(Math.abs(session.state(2000).fullness - 0.5) < 1e-9)
  assert.equal(session.state(4000).fullness, 1)
  assert.equal(session.state(6000).fullness, 1)
  assert.equal(session.state(14000).fullness, 0)
  assert.equal(ease(0), 0)
  assert.equal(ease(1), 1)
})

test('zero-length phases are skipped and bad patterns are refused', () => {
  const p = makePattern('Custom', [
    { kind: 'in', seconds: 5 }, { kind: 'hold', seconds: 0 }, { kind: 'out', seconds: 7 }, { kind: 'hold', seconds: 0 }
  ])
  assert.deepEqual(p.phases.map(x => x.kind), ['in', 'out'])
  assert.deepEqual(p.phases.map(x => x.index), [0, 1])
  assert.throws(() => makePattern('x', []), RangeError)
  assert.throws(() => makePattern('x', [{ kind: 'in', seconds: 0 }]), RangeError)
  assert.throws(() => makePattern('x', [{ kind: 'in', seconds: -1 }]), RangeError)
  assert.throws(() => makePattern('x', [{ kind: 'in', seconds: 61 }]), RangeError)
  assert.throws(() => makePattern('x', [{ kind: 'in', seconds: Number.NaN }]), RangeError)
  assert.throws(() => makePattern('x', [{ kind: 'sneeze', seconds: 1 }]), RangeError)
})

test('phases come in order with the right durations, cycle after cycle', () => {
  const session = new Session(BOX, { kind: 'cycles', value: 3 })
  session.start(1000)
  const seen = run(session, { from: 1000, until: 1e6, lateness: 0 })
  assert.deepEqual(seen.map(s => s.kind), ['in', 'hold', 'out', 'hold', 'in', 'hold', 'out', 'hold', 'in', 'hold', 'out', 'hold'])
  const gaps = seen.slice(1).map((s, i) => s.at - seen[i].at)
  assert.ok(gaps.every(g => g === 4000), `gaps: ${gaps}`)
  assert.equal(session.status, 'finished')
  assert.equal(session.activeMs(1e6), 48000)
})

test('the countdown and progress follow the clock within a phase', () => {
  const session = new Session(SIGH)
  session.start(500)
  let s = session.state(500 + 1500)
  assert.equal(s.phase.label, 'Breathe in through your nose')
  assert.equal(s.phaseRemaining, 1500)
  assert.equal(s.progress, 0.5)
  s = session.state(500 + 3250)
  assert.equal(s.phase.label, 'A little more')
  assert.equal(s.phaseRemaining, 750)
  s = session.state(500 + 9999)
  assert.equal(s.phase.kind, 'out')
  assert.equal(s.phaseRemaining, 1)
  s = session.state(500 + 10000)
  assert.equal(s.cycle, 1)
  assert.equal(s.phase.index, 0)
  assert.equal(s.cyclesDone, 1)
})

test('after 10 minutes every phase boundary is within 50 ms of schedule', () => {
  // Timers fire up to 40 ms late at every change; an engine that added up
  // intervals would be minutes-of-lateness behind by the end. This one is not.
  for (const [pattern, seed] of [[BOX, 7], [SIGH, 11], [makePattern('r', [{ kind: 'in', seconds: 5.5 }, { kind: 'out', seconds: 5.5 }]), 13]]) {
    const start = 12345.678
    const session = new Session(pattern, { kind: 'minutes', value: 10 })
    session.start(start)
    const seen = run(session, { from: start, until: start + 11 * 60000, lateness: 40, seed })
    const total = sessionMs(pattern, { kind: 'minutes', value: 10 })
    assert.ok(Math.abs(total - 600000) <= pattern.cycleMs / 2, `total ${total}`)
    assert.equal(seen.length, (total / pattern.cycleMs) * pattern.phases.length)
    let expected = start
    let worstSeen = 0
    for (const [i, s] of seen.entries()) {
      const phase = pattern.phases[i % pattern.phases.length]
      assert.equal(s.kind, phase.kind)
      // The engine's boundary is exact (only float rounding), however late we looked.
      assert.ok(Math.abs(s.startedAt - expected) < 1e-6, `boundary ${i}: ${s.startedAt} vs ${expected}`)
      // And the change is noticed within 50 ms of when it was due.
      const late = s.at - expected
      assert.ok(late >= 0 && late < 50, `boundary ${i} seen ${late} ms late`)
      worstSeen = Math.max(worstSeen, late)
      expected += phase.ms
    }
    // The last boundary, about 10 minutes in, is still exactly on schedule.
    assert.ok(Math.abs(seen.at(-1).startedAt - (start + total - pattern.phases.at(-1).ms)) < 1e-6)
    assert.equal(session.status, 'finished')
  }
})

test('reading the clock at random moments never disagrees with the schedule', () => {
  const rand = random(3)
  const session = new Session(BOX)
  session.start(0)
  let now = 0
  for (let i = 0; i < 20000; i++) {
    now += rand() * 70 // uneven animation frames, sometimes slow
    const s = session.state(now)
    const expectedIndex = Math.floor((now % 16000) / 4000)
    assert.equal(s.phase.index, expectedIndex, `at ${now}`)
    assert.ok(s.phaseStartedAt <= now && now < s.phaseEndsAt)
  }
})

test('a hidden tab resynchronises instead of drifting', () => {
  const session = new Session(BOX)
  session.start(0)
  assert.equal(session.state(1000).phase.index, 0)
  // The tab is hidden for 37 seconds with no ticks at all.
  const s = session.state(38000)
  assert.equal(s.cycle, 2)
  assert.equal(s.phase.index, 1)
  assert.equal(s.phaseStartedAt, 36000)
  assert.equal(s.phaseRemaining, 2000)
  assert.equal(session.nextChangeAt(38000), 40000)
})

test('pause keeps the remaining time of the phase; resume carries on from there', () => {
  const session = new Session(BOX, { kind: 'cycles', value: 1 })
  session.start(0)
  assert.equal(session.pause(2500), true)
  assert.equal(session.status, 'paused')
  assert.equal(session.nextChangeAt(3000), null)
  // Time passes while paused; nothing moves.
  let s = session.state(90000)
  assert.equal(s.phase.index, 0)
  assert.equal(s.phaseRemaining, 1500)
  assert.equal(s.activeMs, 2500)
  assert.equal(session.pause(90000), false)
  assert.equal(session.resume(100000), true)
  assert.equal(session.resume(100000), false)
  assert.equal(session.nextChangeAt(100000), 101500)
  s = session.state(101500)
  assert.equal(s.phase.kind, 'hold')
  assert.equal(s.phaseStartedAt, 101500)
  // Several pauses add up.
  session.pause(102000)
  session.resume(103000)
  assert.equal(session.state(103000).activeMs, 4500)
  assert.equal(session.nextChangeAt(103000), 106500)
  // The session still ends after exactly one cycle of breathing.
  session.state(114499)
  assert.equal(session.status, 'running')
  session.state(114500)
  assert.equal(session.status, 'finished')
  assert.equal(session.activeMs(1e9), 16000)
})

test('stop ends the session for good and keeps the time breathed', () => {
  const session = new Session(BOX)
  session.start(10)
  session.pause(5010)
  assert.equal(session.stop(9000), true)
  assert.equal(session.status, 'stopped')
  assert.equal(session.activeMs(50000), 5000)
  assert.equal(session.nextChangeAt(50000), null)
  assert.equal(session.stop(50000), false)
  assert.equal(session.resume(50000), false)
  const other = new Session(BOX)
  assert.equal(other.stop(0), false)
  other.start(0)
  assert.equal(other.stop(7000), true)
  assert.equal(other.activeMs(9000), 7000)
  assert.throws(() => other.start(1))
})

test('session lengths: minutes round to whole cycles, cycles count, open never ends', () => {
  const fourSevenEight = makePattern('4-7-8', [{ kind: 'in', seconds: 4 }, { kind: 'hold', seconds: 7 }, { kind: 'out', seconds: 8 }])
  assert.equal(sessionMs(BOX, { kind: 'minutes', value: 1 }), 64000)
  assert.equal(sessionMs(BOX, { kind: 'minutes', value: 3 }), 176000)
  assert.equal(sessionMs(fourSevenEight, { kind: 'minutes', value: 1 }), 57000)
  assert.equal(sessionMs(fourSevenEight, { kind: 'minutes', value: 10 }), 608000)
  assert.equal(sessionMs(BOX, { kind: 'cycles', value: 5 }), 80000)
  assert.equal(sessionMs(BOX, { kind: 'open' }), null)
  assert.equal(sessionMs(makePattern('long', [{ kind: 'in', seconds: 60 }, { kind: 'out', seconds: 60 }]), { kind: 'minutes', value: 1 }), 120000)
  assert.throws(() => sessionMs(BOX, { kind: 'minutes', value: 0 }), RangeError)
  assert.throws(() => sessionMs(BOX, { kind: 'hours', value: 1 }), RangeError)
  const open = new Session(BOX)
  open.start(0)
  const s = open.state(10 * 3600 * 1000 + 1)
  assert.equal(open.status, 'running')
  assert.equal(s.remainingMs, null)
  assert.equal(s.cycle, 2250)
})

test('a timed session finishes on time, even if nobody looks until later', () => {
  const session = new Session(BOX, { kind: 'minutes', value: 1 })
  session.start(100)
  assert.equal(session.state(100 + 63999).remainingMs, 1)
  assert.equal(session.nextChangeAt(100 + 60000), 100 + 64000)
  const s = session.state(100 + 500000)
  assert.equal(session.status, 'finished')
  assert.equal(s.activeMs, 64000)
  assert.equal(s.remainingMs, 0)
  assert.equal(s.phase.index, 3)
  assert.equal(s.progress, 1)
  assert.equal(s.cyclesDone, 4)
  assert.equal(session.pause(500200), false)
})

test('custom patterns: any mix of 0 to 20 second phases runs in order', () => {
  const custom = makePattern('Mine', [
    { kind: 'in', seconds: 6 }, { kind: 'hold', seconds: 2 }, { kind: 'out', seconds: 20 }, { kind: 'hold', seconds: 0 }
  ])
  const session = new Session(custom, { kind: 'cycles', value: 2 })
  session.start(0)
  const seen = run(session, { from: 0, until: 1e6, lateness: 5, seed: 5 })
  assert.deepEqual(seen.map(s => [s.kind, s.startedAt]), [
    ['in', 0], ['hold', 6000], ['out', 8000], ['in', 28000], ['hold', 34000], ['out', 36000]
  ])
})

test('phaseAt and words describe a pattern', () => {
  assert.deepEqual(phaseAt(BOX, 17000).phaseStart, 16000)
  assert.equal(phaseAt(BOX, -5).phase.index, 0)
  assert.equal(describePattern(BOX), 'Breathe in for 4 seconds, Hold for 4 seconds, Breathe out for 4 seconds, Hold for 4 seconds')
  assert.equal(formatSeconds(5500), '5.5 seconds')
  assert.equal(formatSeconds(1000), '1 second')
})
