/**
 * The one way Wayfinder opens IndexedDB, for the page and the service worker
 * alike (the worker's assembler takes this module and idb.mjs in too). A
 * store is one object store in its own database, opened with idb's openDB on
 * first use and kept open. It is a function `(mode, callback) => Promise`,
 * shaped like idb-keyval's, so modules take it as a default argument and tests
 * pass their own; the callback receives idb's object store, whose methods
 * return promises.
 */
import { deleteDB, openDB } from './idb.mjs'

/**
 * @callback UseStore
 * @param {IDBTransactionMode} mode
 * @param {(store: object) => any} callback given idb's wrapped IDBObjectStore
 * @returns {Promise<any>}
 */

/**
 * @callback Upgrade idb's upgrade callback, run after the store exists
 * @param {object} db idb's wrapped IDBDatabase
 * @param {number} oldVersion 0 for a new database
 * @param {number|null} newVersion
 * @param {object} transaction the versionchange transaction
 * @returns {void}
 */

/**
 * Open (or create) the database dbName holding the object store storeName.
 * Without a version the database opens at whatever version it has, and a
 * missing store is added by upgrading one version; with a version and an
 * upgrade callback a later schema can migrate the records it finds.
 * @param {string} dbName
 * @param {string} storeName
 * @param {{version?: number, upgrade?: Upgrade}} [options]
 * @returns {UseStore}
 */
export function createStore (dbName, storeName, { version, upgrade } = {}) {
  let dbp = null
  const open = async wanted => {
    const db = await openDB(dbName, wanted, {
      upgrade (database, oldVersion, newVersion, transaction) {
        if (!database.objectStoreNames.contains(storeName)) database.createObjectStore(storeName)
        upgrade?.(database, oldVersion, newVersion, transaction)
      },
      // Another tab (or the worker) deletes or upgrades the database: let it,
      // and open it afresh next time.
      blocking (currentVersion, blockedVersion, event) {
        event.target.close()
        dbp = null
      },
      terminated () { dbp = null }
    })
    // A database someone else opened first may lack our store: upgrade to add it.
    if (version === undefined && !db.objectStoreNames.contains(storeName)) {
      db.close()
      return open(db.version + 1)
    }
    return db
  }
  return (mode, callback) => {
    dbp ??= open(version).catch(error => {
      dbp = null
      throw error
    })
    return dbp.then(db => callback(db.transaction(storeName, mode).store))
  }
}

/**
 * A database with several object stores at a fixed schema version, opened on
 * first use and kept open; the connection is let go when another tab or the
 * worker upgrades or deletes the database, and opened afresh on the next call.
 * @param {string} dbName
 * @param {{version: number, upgrade: Upgrade}} options
 * @returns {() => Promise<object>} resolves to idb's wrapped IDBDatabase
 */
export function openDatabase (dbName, { version, upgrade }) {
  let dbp = null
  return () => {
    dbp ??= openDB(dbName, version, {
      upgrade,
      blocking (currentVersion, blockedVersion, event) {
        event.target.close()
        dbp = null
      },
      terminated () { dbp = null }
    }).catch(error => {
      dbp = null
      throw error
    })
    return dbp
  }
}

/**
 * Read every value of an object store in a database made by an earlier
 * version of Wayfinder, without creating the database when it is not there.
 * @param {string} dbName
 * @param {string} storeName
 * @returns {Promise<Array<{key: IDBValidKey, value: any}>|null>} null when there is no such database or store
 */
export async function readLegacy (dbName, storeName) {
  let db
  try {
    // No version: an existing database opens as it is; a missing one would be
    // created at version 1, so that upgrade is aborted.
    db = await openDB(dbName, undefined, {
      upgrade (database, oldVersion, newVersion, transaction) {
        transaction.done.catch(() => {})
        transaction.abort()
      }
    })
  } catch {
    return null
  }
  try {
    if (!db.objectStoreNames.contains(storeName)) return null
    const tx = db.transaction(storeName)
    const [keys, vals] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()])
    return keys.map((key, i) => ({ key, value: vals[i] }))
  } finally {
    db.close()
  }
}

/**
 * Delete a database an earlier version of Wayfinder made, once its records
 * are safe elsewhere. Other connections are asked to close first.
 * @param {string} dbName
 * @returns {Promise<void>}
 */
export function dropLegacy (dbName) {
  return deleteDB(dbName)
}

/**
 * Read one record.
 * @param {IDBValidKey} key
 * @param {UseStore} store
 * @returns {Promise<any>} undefined when there is none
 */
export function get (key, store) {
  return store('readonly', s => s.get(key))
}

/**
 * Write one record and wait until the transaction has committed.
 * @param {IDBValidKey} key
 * @param {any} value
 * @param {UseStore} store
 * @returns {Promise<void>}
 */
export async function set (key, value, store) {
  await store('readwrite', s => Promise.all([s.put(value, key), s.transaction.done]))
}

/**
 * Delete one record and wait until the transaction has committed.
 * @param {IDBValidKey} key
 * @param {UseStore} store
 * @returns {Promise<void>}
 */
export async function del (key, store) {
  await store('readwrite', s => Promise.all([s.delete(key), s.transaction.done]))
}

/**
 * Every record's value.
 * @param {UseStore} store
 * @returns {Promise<any[]>}
 */
export function values (store) {
  return store('readonly', s => s.getAll())
}

/**
 * Remove every record and wait until the transaction has committed.
 * @param {UseStore} store
 * @returns {Promise<void>}
 */
export async function clear (store) {
  await store('readwrite', s => Promise.all([s.clear(), s.transaction.done]))
}
