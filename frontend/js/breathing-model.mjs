/**
 * Breathing timing engine. Pure logic: no DOM, no timers.
 *
 * Every answer is computed from a monotonic clock reading that the caller
 * passes in (performance.now() in the browser, a fake clock in tests). The
 * engine never adds up timer intervals, so a late timer, a busy main thread
 * or a hidden tab cannot make the phases drift: the next reading simply lands
 * in the right phase.
 */
import { PausableClock } from './tools-clock.mjs'

/** Longest phase a pattern may have, in seconds. */
const MAX_PHASE_SECONDS = 60

/** Phase kinds and what the breath does in each. */
const KINDS = Object.freeze(['in', 'hold', 'out'])

/**
 * @typedef {object} PhaseInput
 * @property {'in'|'hold'|'out'} kind
 * @property {number} seconds how long the phase lasts (0 skips it)
 * @property {string} [label] the words shown and spoken ("Breathe in")
 * @property {number} [level] how full the lungs are at the end, 0 to 1
 */

/**
 * @typedef {object} Phase
 * @property {'in'|'hold'|'out'} kind
 * @property {string} label
 * @property {number} ms duration in whole milliseconds
 * @property {number} from fullness at the start, 0 to 1
 * @property {number} to fullness at the end, 0 to 1
 * @property {number} index position in the cycle
 */

/**
 * @typedef {object} Pattern
 * @property {string} name
 * @property {Phase[]} phases the non-empty phases of one cycle, in order
 * @property {number} cycleMs length of one cycle in milliseconds
 */

const DEFAULT_LABELS = { in: 'Breathe in', hold: 'Hold', out: 'Breathe out' }

/**
 * Build a validated pattern from phase descriptions. Zero-length phases are
 * dropped; durations are rounded to whole milliseconds so that sums are exact.
 * @param {string} name
 * @param {PhaseInput[]} inputs
 * @returns {Pattern}
 */
export function makePattern (name, inputs) {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new RangeError('A pattern needs at least one phase')
  }
  const phases = []
  let level = 0
  for (const input of inputs) {
    if (!KINDS.includes(input.kind)) throw new RangeError(`Unknown phase kind: ${input.kind}`)
    const seconds = Number(input.seconds)
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_PHASE_SECONDS) {
      throw new RangeError(`A phase must last 0 to ${MAX_PHASE_SECONDS} seconds`)
    }
    const ms = Math.round(seconds * 1000)
    const from = level
    let to = level
    if (input.level !== undefined) to = clamp(Number(input.level), 0, 1)
    else if (input.kind === 'in') to = 1
    else if (input.kind === 'out') to = 0
    level = to
    if (ms === 0) continue
    phases.push({ kind: input.kind, label: input.label || DEFAULT_LABELS[input.kind], ms, from, to, index: phases.length })
  }
  if (phases.length === 0) throw new RangeError('A pattern needs at least one phase longer than zero')
  // The first phase starts from wherever the last one leaves the lungs.
  phases[0] = { ...phases[0], from: phases[phases.length - 1].to }
  const cycleMs = phases.reduce((sum, phase) => sum + phase.ms, 0)
  return Object.freeze({ name, phases: Object.freeze(phases.map(Object.freeze)), cycleMs })
}

/**
 * How long a session runs.
 * @typedef {{kind: 'open'} | {kind: 'minutes', value: number} | {kind: 'cycles', value: number}} Limit
 */

/**
 * Total length of a session in milliseconds, or null when open-ended. A
 * session by minutes is rounded to the nearest whole cycle (at least one), so
 * it always ends after a full breath out rather than halfway through one.
 * @param {Pattern} pattern
 * @param {Limit} limit
 * @returns {number|null}
 */
export function sessionMs (pattern, limit) {
  if (!limit || limit.kind === 'open') return null
  const value = Number(limit.value)
  if (!Number.isFinite(value) || value <= 0) throw new RangeError('A session length must be more than zero')
  if (limit.kind === 'cycles') return Math.max(1, Math.round(value)) * pattern.cycleMs
  if (limit.kind === 'minutes') {
    return Math.max(1, Math.round((value * 60000) / pattern.cycleMs)) * pattern.cycleMs
  }
  throw new RangeError(`Unknown session limit: ${limit.kind}`)
}

/**
 * Where a given amount of breathing time falls in the pattern.
 * @param {Pattern} pattern
 * @param {number} activeMs breathing time since the start (pauses excluded)
 * @returns {{cycle: number, phase: Phase, phaseStart: number, phaseEnd: number}}
 *   phaseStart and phaseEnd are in breathing time too
 */
export function phaseAt (pattern, activeMs) {
  const at = Math.max(0, activeMs)
  const cycle = Math.floor(at / pattern.cycleMs)
  let start = cycle * pattern.cycleMs
  for (const phase of pattern.phases) {
    const end = start + phase.ms
    if (at < end) return { cycle, phase, phaseStart: start, phaseEnd: end }
    start = end
  }
  // Only reachable through floating-point rounding at the very end of a cycle.
  const phase = pattern.phases[0]
  start = (cycle + 1) * pattern.cycleMs
  return { cycle: cycle + 1, phase, phaseStart: start, phaseEnd: start + phase.ms }
}

/**
 * Ease in and out (the sine curve used by the CSS transition too).
 * @param {number} t progress, 0 to 1
 * @returns {number}
 */
export function ease (t) {
  return 0.5 - 0.5 * Math.cos(Math.PI * clamp(t, 0, 1))
}

/**
 * A breathing session driven by clock readings (start, pause, resume and
 * stop come from tools-clock.mjs).
 */
export class Session extends PausableClock {
  /**
   * @param {Pattern} pattern
   * @param {Limit} [limit] how long to run; open-ended by default
   */
  constructor (pattern, limit = { kind: 'open' }) {
    super('session')
    this.pattern = pattern
    this.limit = limit
    this.totalMs = sessionMs(pattern, limit)
  }

  /**
   * Breathing time so far: time since start, less pauses, capped at the end.
   * @param {number} now
   * @returns {number} milliseconds
   */
  activeMs (now) {
    const active = super.activeMs(now)
    return this.totalMs === null ? active : Math.min(active, this.totalMs)
  }

  /**
   * Everything a view needs at this moment.
   * @param {number} now
   */
  state (now) {
    const active = this.activeMs(now)
    const { pattern, totalMs, status } = this
    // A finished session shows its last phase, complete.
    const lookup = status === 'finished' ? Math.max(0, active - 1e-6) : active
    const { cycle, phase, phaseStart, phaseEnd } = phaseAt(pattern, lookup)
    const phaseElapsed = status === 'finished' ? phase.ms : active - phaseStart
    const progress = clamp(phaseElapsed / phase.ms, 0, 1)
    // Clock time at which this phase began and ends while running.
    const offset = this.startedAt + this.pausedMs
    return {
      status,
      cycle,
      /** Whole cycles finished so far. */
      cyclesDone: Math.floor(active / pattern.cycleMs),
      phase,
      /** A key that changes exactly when the phase changes. */
      key: `${cycle}:${phase.index}`,
      phaseElapsed,
      phaseRemaining: Math.max(0, phaseEnd - Math.max(active, phaseStart)),
      progress,
      fullness: phase.from + (phase.to - phase.from) * ease(progress),
      activeMs: active,
      remainingMs: totalMs === null ? null : Math.max(0, totalMs - active),
      phaseStartedAt: offset + phaseStart,
      phaseEndsAt: offset + phaseEnd
    }
  }

  /**
   * Clock time of the next phase change (or the end), or null when nothing
   * is scheduled because the session is not running.
   * @param {number} now
   * @returns {number|null}
   */
  nextChangeAt (now) {
    this.settle(now)
    if (this.status !== 'running') return null
    const active = this.activeMs(now)
    const { phaseEnd } = phaseAt(this.pattern, active)
    const end = this.totalMs === null ? phaseEnd : Math.min(phaseEnd, this.totalMs)
    return this.startedAt + this.pausedMs + end
  }

  /**
   * Mark a timed session finished once its time is up.
   * @param {number} now
   */
  settle (now) {
    if (this.status !== 'running' || this.totalMs === null) return
    if (now - this.startedAt - this.pausedMs >= this.totalMs) {
      this.status = 'finished'
      this.endedAt = this.startedAt + this.pausedMs + this.totalMs
    }
  }
}

/**
 * Describe a pattern in words, e.g. "Breathe in for 4 seconds, hold for 4 ...".
 * @param {Pattern} pattern
 * @returns {string}
 */
export function describe (pattern) {
  return pattern.phases.map(p => `${p.label} for ${formatSeconds(p.ms)}`).join(', ')
}

/**
 * "4 seconds", "5.5 seconds", "1 second".
 * @param {number} ms
 * @returns {string}
 */
export function formatSeconds (ms) {
  const s = Math.round(ms / 100) / 10
  return `${s} ${s === 1 ? 'second' : 'seconds'}`
}

function clamp (value, low, high) {
  return Math.min(high, Math.max(low, value))
}
