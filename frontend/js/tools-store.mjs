/**
 * What the coping tools keep on the device: sessions (which tool, how long,
 * how you felt after) and grounding notes you chose to keep, as records of
 * type `tool-session` and `kept-note` in the one personal store
 * (personal-store.mjs). The store is a default argument, so tests can hand in
 * their own.
 */
import { personalStore } from './personal-store.mjs'

/** @typedef {import('./personal-store.mjs').PersonalStore} PersonalStore */

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

const asSession = record => ({ id: record.id, ...record.data })

/**
 * Keep a finished or stopped session.
 * @param {Omit<ToolSession, 'id'>} session
 * @param {PersonalStore} [store]
 * @returns {Promise<ToolSession>}
 */
export async function addSession (session, store = personalStore()) {
  const created = new Date(session.startedAt).toISOString()
  return asSession(await store.save('tool-session', session, { created }))
}

/**
 * Add how the person felt afterwards to a session.
 * @param {string} id
 * @param {'better'|'same'|'worse'} feeling
 * @param {PersonalStore} [store]
 * @returns {Promise<ToolSession|null>} the updated session, or null if missing
 */
export async function setFeeling (id, feeling, store = personalStore()) {
  if (!['better', 'same', 'worse'].includes(feeling)) throw new RangeError(`Unknown feeling: ${feeling}`)
  const record = await store.get(id)
  if (!record || record.type !== 'tool-session') return null
  return asSession(await store.save('tool-session', { ...record.data, feeling }, { id }))
}

/**
 * Every session kept on this device.
 * @param {PersonalStore} [store]
 * @returns {Promise<ToolSession[]>}
 */
export async function allSessions (store = personalStore()) {
  return (await store.list('tool-session')).map(asSession)
}

/**
 * Forget every session.
 * @param {PersonalStore} [store]
 */
export function clearSessions (store = personalStore()) {
  return store.removeType('tool-session')
}

/**
 * Keep grounding notes the person asked to keep.
 * @param {{tool: string, items: {step: string, text: string}[]}} note
 * @param {PersonalStore} [store]
 */
export async function addNote (note, store = personalStore()) {
  const record = await store.save('kept-note', { savedAt: store.now(), ...note })
  return { id: record.id, ...record.data }
}

/**
 * Every kept note, oldest first.
 * @param {string} [tool] only this tool's notes
 * @param {PersonalStore} [store]
 */
export async function allNotes (tool, store = personalStore()) {
  const notes = (await store.list('kept-note')).map(r => ({ id: r.id, ...r.data }))
  return notes.filter(n => !tool || n.tool === tool).sort((a, b) => a.savedAt - b.savedAt)
}

/**
 * Delete every kept note.
 * @param {PersonalStore} [store]
 */
export function clearNotes (store = personalStore()) {
  return store.removeType('kept-note')
}
