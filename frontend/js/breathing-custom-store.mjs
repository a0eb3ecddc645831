/**
 * Breathing patterns people make themselves, saved on the device.
 * Validation is pure; storage is a default argument so tests can pass their own.
 */

const KEY = 'wayfinder.breathing.custom'
/** How many patterns one device keeps. */
export const MAX_PATTERNS = 20
/** The shortest and longest part of a custom pattern, in seconds. */
const MIN_SECONDS = 0
const MAX_SECONDS = 20
const FIELDS = ['inhale', 'holdIn', 'exhale', 'holdOut']

/**
 * @typedef {object} CustomPattern
 * @property {string} id
 * @property {string} name
 * @property {number} inhale
 * @property {number} holdIn
 * @property {number} exhale
 * @property {number} holdOut
 */

/**
 * Check a pattern from the form. Numbers may arrive as strings.
 * @param {Record<string, unknown>} input
 * @returns {{ok: boolean, errors: Record<string, string>, value: Omit<CustomPattern, 'id'>}}
 */
export function validate (input) {
  const errors = {}
  const name = String(input.name ?? '').trim().replace(/\s+/g, ' ')
  if (!name) errors.name = 'Give your pattern a name, so you can find it again.'
  else if (name.length > 40) errors.name = 'Keep the name to 40 characters or fewer.'
  const value = { name }
  for (const field of FIELDS) {
    const raw = String(input[field] ?? '').trim()
    const seconds = raw === '' ? Number.NaN : Number(raw)
    if (!Number.isFinite(seconds)) {
      errors[field] = 'Enter a number of seconds, from 0 to 20.'
    } else if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
      errors[field] = 'Choose from 0 to 20 seconds.'
    } else if ((field === 'inhale' || field === 'exhale') && seconds < 1) {
      errors[field] = 'This part needs at least 1 second.'
    }
    value[field] = Math.round(seconds * 10) / 10
  }
  return { ok: Object.keys(errors).length === 0, errors, value }
}

/**
 * The phases the breathing engine wants for a custom pattern.
 * @param {CustomPattern} pattern
 * @returns {{kind: string, seconds: number, label: string}[]}
 */
export function toPhases (pattern) {
  return [
    { kind: 'in', seconds: pattern.inhale, label: 'Breathe in' },
    { kind: 'hold', seconds: pattern.holdIn, label: 'Hold' },
    { kind: 'out', seconds: pattern.exhale, label: 'Breathe out' },
    { kind: 'hold', seconds: pattern.holdOut, label: 'Hold' }
  ]
}

/**
 * "In 4, hold 2, out 6" for a saved list.
 * @param {CustomPattern} pattern
 * @returns {string}
 */
export function summary (pattern) {
  const parts = [`In ${pattern.inhale}`]
  if (pattern.holdIn) parts.push(`hold ${pattern.holdIn}`)
  parts.push(`out ${pattern.exhale}`)
  if (pattern.holdOut) parts.push(`hold ${pattern.holdOut}`)
  return `${parts.join(', ')} seconds`
}

function defaultStorage () {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/**
 * Every saved pattern, oldest first. Anything unreadable is skipped.
 * @param {Storage|null} [storage]
 * @returns {CustomPattern[]}
 */
export function loadAll (storage = defaultStorage()) {
  let list
  try {
    list = JSON.parse(storage?.getItem(KEY) ?? '[]')
  } catch {
    return []
  }
  if (!Array.isArray(list)) return []
  return list.filter(p => p && typeof p.id === 'string' && validate(p).ok)
}

/**
 * Find one saved pattern.
 * @param {string} id
 * @param {Storage|null} [storage]
 * @returns {CustomPattern|null}
 */
export function find (id, storage = defaultStorage()) {
  return loadAll(storage).find(p => p.id === id) ?? null
}

/**
 * Save a new pattern (after validate()).
 * @param {Omit<CustomPattern, 'id'>} value
 * @param {Storage|null} [storage]
 * @param {() => string} [makeId]
 * @returns {CustomPattern}
 */
export function save (value, storage = defaultStorage(), makeId = newId) {
  const list = loadAll(storage)
  if (list.length >= MAX_PATTERNS) throw new RangeError(`You can keep up to ${MAX_PATTERNS} patterns. Delete one to make room.`)
  const pattern = { id: makeId(), ...value }
  list.push(pattern)
  write(list, storage)
  return pattern
}

/**
 * Delete a saved pattern.
 * @param {string} id
 * @param {Storage|null} [storage]
 * @returns {boolean} whether it was there
 */
export function remove (id, storage = defaultStorage()) {
  const list = loadAll(storage)
  const kept = list.filter(p => p.id !== id)
  write(kept, storage)
  return kept.length !== list.length
}

function write (list, storage) {
  if (!storage) throw new Error('This browser is not letting Wayfinder save anything.')
  storage.setItem(KEY, JSON.stringify(list))
}

function newId () {
  return Date.now().toString(36) + Math.random().toString(36).slice(2, 8)
}
