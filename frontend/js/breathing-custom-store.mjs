/**
 * Breathing patterns people make themselves, saved on the device as records
 * of type `breathing-pattern` in the personal store. Validation is pure; the
 * store is a default argument so tests can pass their own.
 */
import { personalStore } from './personal-store.mjs'

/** @typedef {import('./personal-store.mjs').PersonalStore} PersonalStore */

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

const asPattern = record => ({ id: record.id, ...record.data })

/**
 * Every saved pattern, oldest first. Anything unreadable is skipped.
 * @param {PersonalStore} [store]
 * @returns {Promise<CustomPattern[]>}
 */
export async function loadAll (store = personalStore()) {
  const records = await store.list('breathing-pattern')
  return records
    .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : (a.id < b.id ? -1 : 1)))
    .map(asPattern)
    .filter(p => validate(p).ok)
}

/**
 * Find one saved pattern.
 * @param {string} id
 * @param {PersonalStore} [store]
 * @returns {Promise<CustomPattern|null>}
 */
export async function find (id, store = personalStore()) {
  const record = await store.get(id)
  return record?.type === 'breathing-pattern' && validate(record.data).ok ? asPattern(record) : null
}

/**
 * Save a new pattern (after validate()).
 * @param {Omit<CustomPattern, 'id'>} value
 * @param {PersonalStore} [store]
 * @returns {Promise<CustomPattern>}
 */
export async function save (value, store = personalStore()) {
  const list = await loadAll(store)
  if (list.length >= MAX_PATTERNS) throw new RangeError(`You can keep up to ${MAX_PATTERNS} patterns. Delete one to make room.`)
  return asPattern(await store.save('breathing-pattern', value))
}

/**
 * Delete a saved pattern.
 * @param {string} id
 * @param {PersonalStore} [store]
 * @returns {Promise<boolean>} whether it was there
 */
export async function remove (id, store = personalStore()) {
  const record = await store.get(id)
  if (record?.type !== 'breathing-pattern') return false
  await store.remove(id)
  return true
}
