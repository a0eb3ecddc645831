/**
 * The clock the coping tools share: start, pause, resume and stop, driven by
 * clock readings passed in (never by counted timer ticks), with the time spent
 * paused kept apart. Pure logic: no DOM, no timers.
 *
 * The breathing session (breathing-model.mjs) and the guided-exercise step
 * sequencer (mindfulness-model.mjs) extend it; each overrides settle() to
 * move its own position on and to finish when its time is up.
 *
 * Status is one of 'idle', 'running', 'paused', 'finished' or 'stopped'.
 */
export class PausableClock {
  /**
   * @param {string} noun what is timed, for error messages ('session', 'exercise')
   */
  constructor (noun) {
    this.noun = noun
    this.status = 'idle'
    this.startedAt = 0
    this.pausedAt = 0
    this.pausedMs = 0
    this.endedAt = 0
  }

  /**
   * Bring the status up to date at this clock reading (a subclass may finish
   * here when its time is up). Called before every decision.
   * @param {number} _now clock reading in milliseconds
   */
  settle (_now) {}

  /**
   * Called when a pause ends (a subclass may shift its own marks).
   * @param {number} _pausedFor how long the pause lasted, in milliseconds
   */
  resumed (_pausedFor) {}

  /** Whether it has started and not yet finished or stopped. */
  get inProgress () {
    return this.status === 'running' || this.status === 'paused'
  }

  /**
   * Start now.
   * @param {number} now clock reading in milliseconds
   */
  start (now) {
    if (this.status !== 'idle') throw new Error(`Cannot start a ${this.status} ${this.noun}`)
    this.status = 'running'
    this.startedAt = now
  }

  /**
   * Pause; what is under way keeps its remaining time for later.
   * @param {number} now
   * @returns {boolean} whether it was running and is now paused
   */
  pause (now) {
    this.settle(now)
    if (this.status !== 'running') return false
    this.status = 'paused'
    this.pausedAt = now
    return true
  }

  /**
   * Carry on where the pause left off.
   * @param {number} now
   * @returns {boolean} whether it was paused and is now running
   */
  resume (now) {
    if (this.status !== 'paused') return false
    const paused = Math.max(0, now - this.pausedAt)
    this.pausedMs += paused
    this.status = 'running'
    this.resumed(paused)
    return true
  }

  /**
   * Stop for good.
   * @param {number} now
   * @returns {boolean} whether it was in progress and is now stopped
   */
  stop (now) {
    this.settle(now)
    if (!this.inProgress) return false
    this.endedAt = this.status === 'paused' ? this.pausedAt : now
    this.status = 'stopped'
    return true
  }

  /**
   * Time spent so far, pauses excluded.
   * @param {number} now
   * @returns {number} milliseconds
   */
  activeMs (now) {
    this.settle(now)
    if (this.status === 'idle') return 0
    const until = this.status === 'running' ? now : (this.status === 'paused' ? this.pausedAt : this.endedAt)
    return Math.max(0, until - this.startedAt - this.pausedMs)
  }
}
