/**
 * A tiny IndexedDB wrapper for what the coping tools keep on the device:
 * sessions (which tool, how long, how you felt after) and grounding notes you
 * chose to keep. Shaped like jakearchibald/idb-keyval: a store is a function
 * `(mode, callback) => Promise`, passed as a default argument so tests can
 * hand in their own.
 */

/**
 * @callback UseStore
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => any} callback
 * @returns {Promise<any>}
 */

/**
 * Wrap an IDBRequest or IDBTransaction in a promise.
 * @template T
 * @param {IDBRequest<T>|IDBTransaction} request
 * @returns {Promise<T>}
 */
export function promisifyRequest (request) {
  return new Promise((resolve, reject) => {
    request.oncomplete = request.onsuccess = () => resolve(request.result)
    request.onabort = request.onerror = () => reject(request.error)
  })
}

/**
 * Open (or create) a database holding one object store.
 * @param {string} dbName
 * @param {string} storeName
 * @returns {UseStore}
 */
export function createStore (dbName, storeName) {
  let dbp = null
  const open = version => {
    const request = indexedDB.open(dbName, version)
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName)
    }
    return promisifyRequest(request).then(db => {
      // A database someone else opened first may lack our store: upgrade to add it.
      if (!db.objectStoreNames.contains(storeName)) {
        db.close()
        return open(db.version + 1)
      }
      // If another tab deletes or upgrades the database, open it afresh next time.
      db.onversionchange = () => { db.close(); dbp = null }
      db.onclose = () => { dbp = null }
      return db
    })
  }
  return (mode, callback) => {
    dbp ??= open()
    return dbp.then(db => callback(db.transaction(storeName, mode).objectStore(storeName)))
  }
}

const stores = {}
function defaultStore (name) {
  stores[name] ??= createStore(`wayfinder-${name}`, name)
  return stores[name]
}

/** The store of tool sessions. @returns {UseStore} */
export const sessionStore = () => defaultStore('sessions')
/** The store of grounding notes the person chose to keep. @returns {UseStore} */
export const noteStore = () => defaultStore('notes')

/**
 * A short random id.
 * @returns {string}
 */
export function newId () {
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10)
}

/**
 * Read one record.
 * @param {string} key
 * @param {UseStore} store
 */
export function get (key, store) {
  return store('readonly', s => promisifyRequest(s.get(key)))
}

/**
 * Write one record and wait until it is saved.
 * @param {string} key
 * @param {any} value
 * @param {UseStore} store
 */
export function set (key, value, store) {
  return store('readwrite', s => {
    s.put(value, key)
    return promisifyRequest(s.transaction)
  })
}

/**
 * Every record's value.
 * @param {UseStore} store
 * @returns {Promise<any[]>}
 */
export function values (store) {
  return store('readonly', s => promisifyRequest(s.getAll()))
}

/**
 * Remove every record.
 * @param {UseStore} store
 */
export function clear (store) {
  return store('readwrite', s => {
    s.clear()
    return promisifyRequest(s.transaction)
  })
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
