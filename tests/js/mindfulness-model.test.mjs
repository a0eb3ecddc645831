// Guided-exercise sequencer with a fake clock: timed and tap-through steps, pause, back, stop.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Sequencer } from '../../frontend/js/mindfulness-model.mjs'

const TIMED = [{ ms: 10000 }, { ms: 20000 }, { ms: 5000 }]

test('timed steps move on by themselves, exactly on their boundaries', () => {
  const seq = new Sequencer(TIMED)
  seq.start(1000)
  assert.equal(seq.state(1000).index, 0)
  assert.equal(seq.nextChangeAt(1000), 11000)
  assert.equal(seq.state(10999).index, 0)
  let s = seq.state(11000)
  assert.equal(s.index, 1)
  assert.equal(s.stepRemaining, 20000)
  // Nobody looked for a long while: we land in the right step, not late ones.
  s = seq.state(33000)
  assert.equal(s.index, 2)
  assert.equal(s.stepElapsed, 2000)
  assert.equal(seq.nextChangeAt(33000), 36000)
  s = seq.state(99000)
  assert.equal(s.status, 'finished')
  assert.equal(s.activeMs, 35000)
  assert.equal(seq.nextChangeAt(99000), null)
})

test('a step without a set time waits for Next', () => {
  const seq = new Sequencer([{ ms: 3000 }, { ms: null }, { ms: null }, { ms: 2000 }])
  seq.start(0)
  let s = seq.state(60000)
  assert.equal(s.index, 1)
  assert.equal(s.waiting, true)
  assert.equal(s.stepRemaining, null)
  assert.equal(s.progress, null)
  assert.equal(s.stepElapsed, 57000)
  assert.equal(seq.nextChangeAt(60000), null)
  assert.equal(seq.next(60000), true)
  assert.equal(seq.state(61000).index, 2)
  seq.next(62000)
  s = seq.state(62000)
  assert.equal(s.index, 3)
  assert.equal(s.waiting, false)
  assert.equal(seq.nextChangeAt(62000), 64000)
  assert.equal(seq.state(64000).status, 'finished')
})

test('pause keeps the rest of the step; resume carries on from there', () => {
  const seq = new Sequencer(TIMED)
  seq.start(0)
  assert.equal(seq.pause(4000), true)
  assert.equal(seq.pause(4000), false)
  let s = seq.state(500000)
  assert.equal(s.status, 'paused')
  assert.equal(s.index, 0)
  assert.equal(s.stepRemaining, 6000)
  assert.equal(seq.nextChangeAt(500000), null)
  assert.equal(seq.resume(600000), true)
  assert.equal(seq.resume(600000), false)
  assert.equal(seq.nextChangeAt(600000), 606000)
  s = seq.state(606000)
  assert.equal(s.index, 1)
  assert.equal(s.activeMs, 10000)
})

test('back goes to the start of the previous step; next skips ahead', () => {
  const seq = new Sequencer(TIMED)
  seq.start(0)
  seq.state(15000) // in step 1, 5 s in
  assert.equal(seq.back(15000), true)
  let s = seq.state(15000)
  assert.equal(s.index, 0)
  assert.equal(s.stepRemaining, 10000)
  seq.back(16000)
  assert.equal(seq.state(16000).index, 0, 'back on the first step restarts it')
  assert.equal(seq.state(16000).stepElapsed, 0)
  seq.next(17000)
  seq.next(18000)
  assert.equal(seq.state(18000).index, 2)
  // Back while paused stays paused, at the start of the earlier step.
  seq.pause(19000)
  seq.back(20000)
  s = seq.state(30000)
  assert.equal(s.status, 'paused')
  assert.equal(s.index, 1)
  assert.equal(s.stepRemaining, 20000)
  seq.resume(40000)
  assert.equal(seq.nextChangeAt(40000), 60000)
  // Next on the last step finishes.
  seq.next(41000)
  seq.next(42000)
  assert.equal(seq.state(42000).status, 'finished')
  assert.equal(seq.next(43000), false)
  assert.equal(seq.back(43000), false)
})

test('stop ends it at any moment and keeps the time spent', () => {
  const seq = new Sequencer(TIMED)
  assert.equal(seq.stop(0), false)
  seq.start(0)
  seq.pause(3000)
  assert.equal(seq.stop(9000), true)
  assert.equal(seq.state(9000).status, 'stopped')
  assert.equal(seq.activeMs(99999), 3000)
  assert.equal(seq.next(10000), false)
  assert.equal(seq.resume(10000), false)
  assert.throws(() => seq.start(20000))
})

test('bad steps are refused', () => {
  assert.throws(() => new Sequencer([]), RangeError)
  assert.throws(() => new Sequencer([{ ms: 0 }]), RangeError)
  assert.throws(() => new Sequencer([{ ms: Number.NaN }]), RangeError)
})
