// The clock the coping tools share: states, pauses kept apart, and the hooks.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PausableClock } from '../../frontend/js/tools-clock.mjs'

test('time spent counts from the start, less every pause', () => {
  const clock = new PausableClock('session')
  assert.equal(clock.activeMs(100), 0)
  clock.start(1000)
  assert.equal(clock.activeMs(1500), 500)
  assert.equal(clock.pause(1500), true)
  assert.equal(clock.activeMs(9000), 500)
  assert.equal(clock.resume(2500), true)
  assert.equal(clock.pausedMs, 1000)
  assert.equal(clock.activeMs(3000), 1000)
  assert.equal(clock.stop(3200), true)
  assert.equal(clock.status, 'stopped')
  assert.equal(clock.activeMs(99999), 1200)
})

test('only the moves that make sense are taken', () => {
  const clock = new PausableClock('exercise')
  assert.equal(clock.pause(0), false)
  assert.equal(clock.resume(0), false)
  assert.equal(clock.stop(0), false)
  clock.start(0)
  assert.throws(() => clock.start(1), /Cannot start a running exercise/)
  assert.equal(clock.resume(5), false)
  clock.pause(10)
  assert.equal(clock.pause(11), false)
  assert.equal(clock.stop(20), true)
  assert.equal(clock.endedAt, 10, 'a paused clock stops where it paused')
  assert.equal(clock.inProgress, false)
})

test('subclasses settle before each decision and hear how long a pause lasted', () => {
  class Timed extends PausableClock {
    constructor () { super('timer'); this.pauses = [] }
    settle (now) {
      if (this.status === 'running' && now - this.startedAt - this.pausedMs >= 100) {
        this.status = 'finished'
        this.endedAt = this.startedAt + this.pausedMs + 100
      }
    }

    resumed (pausedFor) { this.pauses.push(pausedFor) }
  }
  const timer = new Timed()
  timer.start(0)
  timer.pause(40)
  timer.resume(40)
  assert.deepEqual(timer.pauses, [0], 'a pause of no time still resumes')
  timer.pause(50)
  timer.resume(80)
  assert.deepEqual(timer.pauses, [0, 30])
  assert.equal(timer.pause(130), false, 'its time was up at 130')
  assert.equal(timer.status, 'finished')
  assert.equal(timer.activeMs(500), 100)
})
