/**
 * What the coping tools keep on the device, in IndexedDB: sessions (which
 * tool, how long, how you felt after) and grounding notes you chose to keep.
 * Each store comes from device-db.mjs and is a default argument, so tests can
 * hand in their own.
 */
import { clear, createStore, get, set, values } from './device-db.mjs'

/** @typedef {import('./device-db.mjs').UseStore} UseStore */

const stores = {}
/**
 * The store named name, in its own database wayfinder-<name>.
 * @param {string} name
 * @returns {UseStore}
 */
function defaultStore (name) {
  stores[name] ??= createStore(`wayfinder-${name}`, name)
  return stores[name]
}

/** The store of tool sessions. @returns {UseStore} */
const sessionStore = () => defaultStore('sessions')
/** The store of grounding notes the person chose to keep. @returns {UseStore} */
const noteStore = () => defaultStore('notes')

/**
 * A short random id.
 * @returns {string}
 */
function newId () {
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10)
}

/**
 * @typedef {object} ToolSession
 * @property {string} id
 * @property {string} tool e.g. 'breathing/box'
 * @property {string} title e.g. 'Box breathing'
 * @property {number} startedAt wall-clock time (ms since 1970)
 * @property {number} activeMs time spent, pauses excluded
 * @property {boolean} completed whether it ran to the end
 * @property {'better'|'same'|'worse'} [feeling]
 */

/**
 * Keep a finished or stopped session.
 * @param {Omit<ToolSession, 'id'>} session
 * @param {UseStore} [store]
 * @returns {Promise<ToolSession>}
 */
export async function addSession (session, store = sessionStore()) {
  const record = { id: newId(), ...session }
  await set(record.id, record, store)
  return record
}

/**
 * Add how the person felt afterwards to a session.
 * @param {string} id
 * @param {'better'|'same'|'worse'} feeling
 * @param {UseStore} [store]
 * @returns {Promise<ToolSession|null>} the updated session, or null if missing
 */
export async function setFeeling (id, feeling, store = sessionStore()) {
  if (!['better', 'same', 'worse'].includes(feeling)) throw new RangeError(`Unknown feeling: ${feeling}`)
  const record = await get(id, store)
  if (!record) return null
  const updated = { ...record, feeling }
  await set(id, updated, store)
  return updated
}

/**
 * Every session kept on this device.
 * @param {UseStore} [store]
 * @returns {Promise<ToolSession[]>}
 */
export function allSessions (store = sessionStore()) {
  return values(store)
}

/**
 * Forget every session.
 * @param {UseStore} [store]
 */
export function clearSessions (store = sessionStore()) {
  return clear(store)
}

/**
 * Keep grounding notes the person asked to keep.
 * @param {{tool: string, items: {step: string, text: string}[]}} note
 * @param {UseStore} [store]
 */
export async function addNote (note, store = noteStore()) {
  const record = { id: newId(), savedAt: Date.now(), ...note }
  await set(record.id, record, store)
  return record
}

/**
 * Every kept note, oldest first.
 * @param {string} [tool] only this tool's notes
 * @param {UseStore} [store]
 */
export async function allNotes (tool, store = noteStore()) {
  const notes = await values(store)
  return notes.filter(n => !tool || n.tool === tool).sort((a, b) => a.savedAt - b.savedAt)
}

/**
 * Delete every kept note.
 * @param {UseStore} [store]
 */
export function clearNotes (store = noteStore()) {
  return clear(store)
}
