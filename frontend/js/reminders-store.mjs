/**
 * Where this device keeps its reminders record: one IndexedDB value that both
 * the page and the service worker read and write (the worker's assembler
 * takes this module in, so the names live only here). The record holds the
 * server's subscription id and management token (they never leave this device
 * except to call our own API), the push endpoint, and the settings last saved
 * on the server.
 */
import { createStore, del, get, set } from './device-db.mjs'

// Database 'wayfinder-push', store 'state', key 'subscription': what devices
// already hold, so keep them.
const DB_NAME = 'wayfinder-push'
const STORE_NAME = 'state'
const RECORD_KEY = 'subscription'

let defaultStore = null

/**
 * The store holding the record, opened on first use.
 * @returns {import('./device-db.mjs').UseStore}
 */
function recordStore () {
  defaultStore ??= createStore(DB_NAME, STORE_NAME)
  return defaultStore
}

/**
 * Read this device's reminders record.
 * @param {import('./device-db.mjs').UseStore} [store]
 * @returns {Promise<{id: string, token: string, endpoint: string, settings: object, synced: object}|undefined>}
 */
export function loadRecord (store = recordStore()) {
  return get(RECORD_KEY, store)
}

/**
 * Save this device's reminders record.
 * @param {object} record
 * @param {import('./device-db.mjs').UseStore} [store]
 * @returns {Promise<void>}
 */
export function saveRecord (record, store = recordStore()) {
  return set(RECORD_KEY, record, store)
}

/**
 * Forget the record (after reminders are turned off).
 * @param {import('./device-db.mjs').UseStore} [store]
 * @returns {Promise<void>}
 */
export function clearRecord (store = recordStore()) {
  return del(RECORD_KEY, store)
}
