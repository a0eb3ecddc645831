/**
 * Step sequencer for guided exercises. Pure logic: no DOM, no timers.
 *
 * A step either lasts a set time (it moves on by itself) or waits for the
 * person to tap Next (ms is null). Like the breathing engine, the position is
 * worked out from clock readings passed in, never from counted timer ticks.
 *
 * Start, pause, resume, stop and the time spent come from tools-clock.mjs.
 */
import { PausableClock } from './tools-clock.mjs'

/**
 * @typedef {object} Step
 * @property {number|null} ms how long the step lasts, or null to wait for Next
 */

export class Sequencer extends PausableClock {
  /**
   * @param {Step[]} steps at least one
   */
  constructor (steps) {
    if (!Array.isArray(steps) || steps.length === 0) throw new RangeError('An exercise needs at least one step')
    for (const step of steps) {
      if (step.ms !== null && !(Number.isFinite(step.ms) && step.ms > 0)) {
        throw new RangeError('A timed step must last more than zero milliseconds')
      }
    }
    super('exercise')
    this.steps = steps
    this.index = 0
    /** Clock time the current step began, shifted forward by pauses. */
    this.stepStartedAt = 0
  }

  /**
   * Begin at the first step.
   * @param {number} now clock reading in milliseconds
   */
  start (now) {
    super.start(now)
    this.stepStartedAt = now
  }

  /**
   * After a pause the current step keeps its remaining time.
   * @param {number} pausedFor milliseconds
   */
  resumed (pausedFor) {
    this.stepStartedAt += pausedFor
  }

  /**
   * Move to the next step now (or finish after the last one). A paused
   * exercise stays paused, on the new step.
   * @param {number} now
   * @returns {boolean} whether anything changed
   */
  next (now) {
    return this.#jump(now, this.#current(now) + 1)
  }

  /**
   * Go back to the start of the previous step (or restart the first).
   * @param {number} now
   * @returns {boolean} whether anything changed
   */
  back (now) {
    return this.#jump(now, Math.max(0, this.#current(now) - 1))
  }

  /**
   * Everything a view needs at this moment.
   * @param {number} now
   */
  state (now) {
    const activeMs = this.activeMs(now)
    const step = this.steps[this.index]
    const at = this.status === 'paused' ? this.pausedAt : now
    const elapsed = this.inProgress ? Math.max(0, at - this.stepStartedAt) : 0
    const timed = step.ms !== null
    return {
      status: this.status,
      index: this.index,
      count: this.steps.length,
      /** True while a step without a set time is waiting for Next. */
      waiting: !timed && this.inProgress,
      stepElapsed: timed ? Math.min(elapsed, step.ms) : elapsed,
      stepRemaining: timed ? Math.max(0, step.ms - elapsed) : null,
      progress: timed ? Math.min(1, elapsed / step.ms) : null,
      activeMs
    }
  }

  /**
   * Clock time at which the current timed step ends, or null.
   * @param {number} now
   * @returns {number|null}
   */
  nextChangeAt (now) {
    this.settle(now)
    const step = this.steps[this.index]
    if (this.status !== 'running' || step.ms === null) return null
    return this.stepStartedAt + step.ms
  }

  #current (now) {
    this.settle(now)
    return this.index
  }

  #jump (now, index) {
    if (!this.inProgress) return false
    if (index >= this.steps.length) {
      this.endedAt = this.status === 'paused' ? this.pausedAt : now
      this.status = 'finished'
      return true
    }
    this.index = index
    this.stepStartedAt = this.status === 'paused' ? this.pausedAt : now
    return true
  }

  /**
   * Move past every timed step whose time is up, exactly on its boundary.
   * @param {number} now
   */
  settle (now) {
    while (this.status === 'running') {
      const step = this.steps[this.index]
      if (step.ms === null || now - this.stepStartedAt < step.ms) return
      this.stepStartedAt += step.ms
      if (this.index === this.steps.length - 1) {
        this.status = 'finished'
        this.endedAt = this.stepStartedAt
        return
      }
      this.index += 1
    }
  }
}
