/**
 * Where this device keeps its reminders record: one IndexedDB value that both
 * the page and the service worker can read. The record holds the server's
 * subscription id and management token (they never leave this device except
 * to call our own API), the push endpoint, and the settings last saved on the
 * server. The worker's copy of these names lives in service_worker/push.mjs.
 */

/** IndexedDB database name (shared with the service worker). */
export const DB_NAME = 'wayfinder-push'
/** Object store inside it. */
export const STORE_NAME = 'state'
/** The key of the one record. */
export const RECORD_KEY = 'subscription'

/**
 * Open the database, creating the store on first use.
 * @param {IDBFactory} [factory]
 * @returns {Promise<IDBDatabase>}
 */
export function openDatabase (factory = indexedDB) {
  return new Promise((resolve, reject) => {
    const request = factory.open(DB_NAME, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE_NAME)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

/**
 * Run one request in a transaction and resolve with its result once committed.
 * @param {'readonly'|'readwrite'} mode
 * @param {(store: IDBObjectStore) => IDBRequest} action
 * @param {IDBFactory} [factory]
 * @returns {Promise<any>}
 */
async function withStore (mode, action, factory) {
  const db = await openDatabase(factory)
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE_NAME, mode)
      const request = action(tx.objectStore(STORE_NAME))
      tx.oncomplete = () => resolve(request.result)
      tx.onerror = () => reject(tx.error)
      tx.onabort = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

/**
 * Read this device's reminders record.
 * @param {IDBFactory} [factory]
 * @returns {Promise<{id: string, token: string, endpoint: string, settings: object, synced: object}|undefined>}
 */
export function loadRecord (factory) {
  return withStore('readonly', store => store.get(RECORD_KEY), factory)
}

/**
 * Save this device's reminders record.
 * @param {object} record
 * @param {IDBFactory} [factory]
 * @returns {Promise<void>}
 */
export async function saveRecord (record, factory) {
  await withStore('readwrite', store => store.put(record, RECORD_KEY), factory)
}

/**
 * Forget the record (after reminders are turned off).
 * @param {IDBFactory} [factory]
 * @returns {Promise<void>}
 */
export async function clearRecord (factory) {
  await withStore('readwrite', store => store.delete(RECORD_KEY), factory)
}
