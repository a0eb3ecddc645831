/**
 * The one place Wayfinder keeps personal records on the device: the
 * IndexedDB database `wayfinder-data` (object stores `records`, keyed by
 * each record's id, and `meta`), opened through device-db.mjs by the page
 * and the service worker alike. Records have the shape of personal-model.mjs
 * ({id, type, created, updated, data}); with the lock on, each secret record
 * is kept as {id, sealed: {iv, ciphertext}} (sealed with the data key) or,
 * when it was written while locked, {id, sealed: {epk, iv, ciphertext}}
 * (sealed to the lock's public key, so saving needs no passphrase; unlocking
 * re-seals these with the data key). While unlocked, the data key is in this
 * page's memory and, until the idle time runs out, in this tab's
 * sessionStorage (unlock-session.mjs), so the next page opens unlocked. Small preferences stay in localStorage (read at once on every
 * page, and while locked), and travel with backups as `preference` records.
 *
 * On open, forward migrations run: schema upgrades in the versionchange
 * transaction, then the moves of what earlier versions kept elsewhere
 * (wayfinder-sessions, wayfinder-notes, wayfinder-push, the custom breathing
 * patterns in localStorage). A move writes only ids not here yet, in one
 * transaction, and deletes the old copy after it commits, so running it again
 * (after a crash, or after an old tab wrote to the old place) loses nothing.
 */
import { dropLegacy, openDatabase, readLegacy } from './device-db.mjs'
import { unwrap } from './idb.mjs'
import {
  addKeyPair, createLock, fromBase64, importDataKey, openBackupText, openLockRaw, openPrivateKey, seal, sealBackup,
  sealTo, toBase64, unseal, unsealWith
} from './personal-crypto.mjs'
import { keepUnlock, readUnlock, wipeUnlock } from './unlock-session.mjs'
import {
  REFUSALS, buildBackup, changeRecord, fromOldNote, fromOldPattern, fromOldReminders,
  fromOldSession, isSecret, makeRecord, planMerge, readBackup, readOpenedBackup
} from './personal-model.mjs'

/** The database's name and schema version. */
export const DB_NAME = 'wayfinder-data'
export const SCHEMA_VERSION = 1

/** Preferences kept in localStorage: the tools' choices and the country on /help. */
const PREFERENCE_KEY = /^wayfinder\.(tools\..+|country|plan)$/
/** The old place of custom breathing patterns. */
const OLD_PATTERNS_KEY = 'wayfinder.breathing.custom'
/** The idle time when none was chosen (the form's default). */
const DEFAULT_LOCK_MINUTES = 5
/** Preferences have no times of their own: the one on a device always wins a merge. */
const PREFERENCE_TIME = '1970-01-01T00:00:00.000Z'

/** Schema upgrades, one per version; each runs in the versionchange transaction. */
const UPGRADES = [
  // 0 → 1: records by id, and a small key-value store for the lock and backup dates.
  database => {
    database.createObjectStore('records', { keyPath: 'id' })
    database.createObjectStore('meta')
  }
]

/** Thrown when a secret record is needed and this page has not been unlocked. */
export class LockedError extends Error {
  constructor () {
    super('Your saved data is locked. Unlock it with your passphrase first.')
    this.name = 'LockedError'
  }
}

/** A Storage in this page's memory (where there is no sessionStorage, as in the worker). */
function memoryStorage () {
  const map = new Map()
  return { getItem: k => map.get(k) ?? null, setItem: (k, v) => map.set(k, String(v)), removeItem: k => map.delete(k) }
}

function defaultStorage (name = 'localStorage') {
  try {
    return globalThis[name] ?? null
  } catch {
    return null
  }
}

/**
 * Open the personal database (at the current schema, migrating older ones).
 * @param {string} [name] another name, for tests
 * @returns {() => Promise<object>}
 */
export function openPersonalDatabase (name = DB_NAME) {
  return openDatabase(name, {
    version: SCHEMA_VERSION,
    upgrade (database, oldVersion) {
      for (let v = oldVersion; v < SCHEMA_VERSION; v++) UPGRADES[v](database)
    }
  })
}

/**
 * The personal store: one per page (and one in the worker).
 */
export class PersonalStore {
  /**
   * @param {{open?: () => Promise<object>, storage?: Storage|null, session?: Storage|null, now?: () => number,
   *   legacy?: boolean, persist?: () => Promise<boolean>}} [options]
   *   open: the database (tests pass a fresh name); session: where the unlocked key waits
   *   between pages (sessionStorage; null: this page's memory only); legacy: whether to move old data in
   */
  constructor ({ open = openPersonalDatabase(), storage = defaultStorage(), session = defaultStorage('sessionStorage'), now = Date.now, legacy = true, persist } = {}) {
    this.openDb = open
    this.storage = storage
    this.session = session ?? memoryStorage()
    this.now = now
    this.legacy = legacy
    this.persist = persist ?? (() => globalThis.navigator?.storage?.persist?.() ?? Promise.resolve(false))
    this.key = null
    this.privateKey = null
    this.keyFor = null // the wrapped data key of the lock this page's key opens
    this.written = new Map() // records this page wrote while locked, so it can change them
    this.restored = null
    this.migrated = null
    // Records of a previewed restore, sealed while the person reads what it
    // will change: record -> {key, stored: Promise}; used only with that key.
    this.presealed = new WeakMap()
  }

  /** The open database, with the tab's unlocked state and migrations done. @returns {Promise<object>} */
  async db () {
    const db = await this.openDb()
    this.restored ??= this.restoreSession(db)
    await this.restored
    if (this.expired()) this.lock()
    if (this.key) await this.dropStaleKey(db)
    if (this.legacy) {
      this.migrated ??= this.migrate(db).catch(error => {
        this.migrated = null
        console.warn('Wayfinder: could not move older data yet', error)
      })
      await this.migrated
    }
    return this.openDb()
  }

  // --- meta ---------------------------------------------------------------

  /** Read a meta value. @param {string} name @returns {Promise<any>} */
  async getMeta (name) {
    return (await this.db()).get('meta', name)
  }

  /** Write a meta value. @param {string} name @param {any} value */
  async setMeta (name, value) {
    await (await this.db()).put('meta', value, name)
  }

  // --- the lock -------------------------------------------------------------

  /** The lock's record, if a passphrase is set. @returns {Promise<object|undefined>} */
  lockRecord () {
    return this.getMeta('lock')
  }

  /** Whether a passphrase is set and this page has not unlocked. @returns {Promise<boolean>} */
  async isLocked () {
    const lock = await this.lockRecord()
    return !this.key && Boolean(lock)
  }

  /** Forget the keys in this page's memory and in this tab's session storage. */
  lock () {
    this.key = null
    this.privateKey = null
    this.keyFor = null
    this.written.clear()
    wipeUnlock(this.session)
  }

  /** Whether this page holds a key whose time in the tab has run out. @returns {boolean} */
  expired () {
    return Boolean(this.key) && !readUnlock(this.session, this.now())
  }

  /**
   * Let go of the keys when the lock they open was removed or replaced since
   * (in another tab): what this page writes is then kept as the lock now asks.
   */
  async dropStaleKey (db) {
    const lock = await db.get('meta', 'lock')
    if (!lock || !this.keyFor || !sameBytes(lock.wrappedKey, this.keyFor)) this.lock()
  }

  /** Use the key an earlier page of this tab kept, if its time has not run out. */
  async restoreSession (db) {
    const entry = readUnlock(this.session, this.now())
    if (!entry) return
    try {
      const lock = await db.get('meta', 'lock')
      const key = lock && (await importDataKey(fromBase64(entry.key)))
      const privateKey = key && (await openPrivateKey(lock, key))
      if (!privateKey) return wipeUnlock(this.session) // no lock now, or another one
      this.key = key
      this.privateKey = privateKey
      this.keyFor = lock.wrappedKey
    } catch {
      wipeUnlock(this.session)
    }
  }

  /** Hold the keys in memory and keep the data key in the tab until the idle time runs out. */
  async keepKeys (raw, key, privateKey, lock) {
    this.key = key
    this.privateKey = privateKey
    this.keyFor = lock.wrappedKey
    this.written.clear()
    const minutes = (await (await this.openDb()).get('meta', 'lockAfterMinutes')) ?? DEFAULT_LOCK_MINUTES
    const entry = { key: toBase64(raw), idleMs: minutes * 60000 }
    if (!keepUnlock(this.session, entry, this.now())) { // full or blocked: this page only
      this.session = memoryStorage()
      keepUnlock(this.session, entry, this.now())
    }
  }

  /**
   * Unlock with the passphrase.
   * @param {string} passphrase
   * @returns {Promise<boolean>} false when it is wrong
   */
  async unlock (passphrase) {
    let lock = await this.lockRecord()
    if (!lock) return true
    const raw = await openLockRaw(lock, passphrase)
    if (!raw) return false
    const key = await importDataKey(raw)
    let privateKey = await openPrivateKey(lock, key)
    if (!privateKey) { // a lock made before key pairs: give it one
      ({ lock, privateKey } = await addKeyPair(lock, key))
      await this.setMeta('lock', lock)
    }
    await this.keepKeys(raw, key, privateKey, lock)
    await this.resealWritten()
    if (this.legacy) {
      this.migrated = null // secret records an earlier version left can move in now
      await this.db()
    }
    return true
  }

  /**
   * Set a passphrase: every secret record is encrypted, in one transaction.
   * @param {string} passphrase
   * @param {{iterations?: number}} [options]
   */
  async setLock (passphrase, options) {
    if (await this.isLocked()) throw new LockedError()
    const records = await this.recordsOnly()
    const { lock, key, raw, privateKey } = await createLock(passphrase, options)
    const stored = await Promise.all(records.map(r => this.encode(r, key)))
    const db = await this.db()
    const tx = db.transaction(['records', 'meta'], 'readwrite')
    await Promise.all([...stored.map(s => tx.objectStore('records').put(s)), tx.objectStore('meta').put(lock, 'lock'), tx.done])
    wipeUnlock(this.session)
    await this.keepKeys(raw, key, privateKey, lock)
  }

  /** Remove the passphrase: every record is kept in clear again, in one transaction. */
  async removeLock () {
    if (await this.isLocked()) throw new LockedError()
    const records = await this.recordsOnly()
    const db = await this.db()
    const tx = db.transaction(['records', 'meta'], 'readwrite')
    await Promise.all([...records.map(r => tx.objectStore('records').put(r)), tx.objectStore('meta').delete('lock'), tx.done])
    this.lock()
  }

  /** A record as kept at rest: in clear, sealed with the data key, or (locked) sealed to the lock's public key. */
  async encode (record, key = this.key, lock) {
    if (!isSecret(record.type)) return record
    const { id, ...rest } = record
    if (key) return { id, sealed: await seal(rest, key, id) }
    if (lock === undefined) lock = (await (await this.openDb()).get('meta', 'lock')) ?? null
    if (!lock) return record
    if (!lock.publicKey) throw new LockedError()
    return { id, sealed: await sealTo(rest, lock.publicKey, id) }
  }

  /** Many records as kept at rest, reading the lock once (and using what a preview sealed with this key). */
  async encodeAll (records, key = this.key) {
    const lock = key ? null : ((await (await this.openDb()).get('meta', 'lock')) ?? null)
    return Promise.all(records.map(r => {
      const early = key && this.presealed.get(r)
      return early && early.key === key ? early.stored : this.encode(r, key, lock)
    }))
  }

  /**
   * Start sealing, with this page's key, the records a restore would write,
   * so that confirming it only has to write them. Nothing is stored here.
   */
  presealFor (records) {
    const key = this.key
    if (!key) return
    for (const record of records) {
      if (!isSecret(record.type) || this.presealed.get(record)?.key === key) continue
      const stored = this.encode(record, key)
      stored.catch(() => {}) // surfaced again, if at all, when the restore awaits it
      this.presealed.set(record, { key, stored })
    }
  }

  async decode (stored) {
    if (!stored.sealed) return stored
    const { id, sealed } = stored
    if (sealed.epk && this.privateKey) return { id, ...(await unsealWith(sealed, this.privateKey, id)) }
    if (!sealed.epk && this.key) return { id, ...(await unseal(sealed, this.key, id)) }
    if (this.written.has(id)) return this.written.get(id)
    throw new LockedError()
  }

  /**
   * Re-seal with the data key what was written while locked, in one
   * transaction; a record changed meanwhile (another tab) is left as it is.
   */
  async resealWritten () {
    const db = await this.db()
    const pending = (await db.getAll('records')).filter(s => s.sealed?.epk)
    if (!pending.length) return
    const fresh = await Promise.all(pending.map(async s => this.encode(await this.decode(s))))
    const tx = db.transaction('records', 'readwrite')
    await Promise.all([
      ...pending.map(async (old, i) => {
        const now = await tx.store.get(old.id)
        if (now?.sealed?.epk && sameBytes(now.sealed.epk, old.sealed.epk)) await tx.store.put(fresh[i])
      }),
      tx.done
    ])
  }

  // --- records --------------------------------------------------------------

  /** Every record in IndexedDB, decrypted (preferences not included). @returns {Promise<object[]>} */
  async recordsOnly () {
    const stored = await (await this.db()).getAll('records')
    return Promise.all(stored.map(s => this.decode(s)))
  }

  /**
   * How many records there are, and how many are locked, without decrypting.
   * @returns {Promise<{records: object[], locked: number}>} the readable records and the count of sealed ones
   */
  async overview () {
    const stored = await (await this.db()).getAll('records')
    const sealed = stored.filter(s => s.sealed)
    const open = this.key ? stored : stored.filter(s => !s.sealed)
    return {
      records: [...(await Promise.all(open.map(s => this.decode(s)))), ...this.preferences()],
      locked: this.key ? 0 : sealed.length
    }
  }

  /** Every personal record: IndexedDB's and the preferences. @returns {Promise<object[]>} */
  async all () {
    return [...(await this.recordsOnly()), ...this.preferences()]
  }

  /**
   * The records of one type.
   * @param {string} type
   * @returns {Promise<object[]>}
   */
  async list (type) {
    if (type === 'preference') return this.preferences()
    if (isSecret(type) && (await this.isLocked())) throw new LockedError()
    return (await this.recordsOnly()).filter(r => r.type === type)
  }

  /**
   * One record.
   * @param {string} id
   * @returns {Promise<object|undefined>}
   */
  async get (id) {
    const stored = await (await this.db()).get('records', id)
    return stored && this.decode(stored)
  }

  /**
   * Keep a record (whole), and ask once for persistent storage.
   * @param {object} record
   * @returns {Promise<object>} the record
   */
  async put (record) {
    const db = await this.db()
    const stored = await this.encode(record)
    await db.put('records', stored)
    if (stored.sealed?.epk) this.written.set(record.id, record)
    if (isSecret(record.type)) this.askPersistOnce()
    return record
  }

  /**
   * Save data as a record of a type: a new one, or a newer version of id.
   * @param {string} type
   * @param {object} data
   * @param {{id?: string, created?: string}} [options]
   * @returns {Promise<object>}
   */
  async save (type, data, { id, created } = {}) {
    const existing = id === undefined ? undefined : await this.get(id)
    const record = existing ? changeRecord(existing, data, this.now) : makeRecord(type, data, { id, created, now: this.now })
    return this.put(record)
  }

  /** Delete one record. @param {string} id */
  async remove (id) {
    await (await this.db()).delete('records', id)
  }

  /** Delete every record of one type, in one transaction. @param {string} type */
  async removeType (type) {
    const ids = (await this.list(type)).map(r => r.id)
    const tx = (await this.db()).transaction('records', 'readwrite')
    await Promise.all([...ids.map(id => tx.store.delete(id)), tx.done])
  }

  async askPersistOnce () {
    try {
      if (await this.getMeta('persistAsked')) return
      await this.setMeta('persistAsked', this.now())
      await this.persist()
    } catch (error) {
      console.warn('Wayfinder: could not ask to keep storage', error)
    }
  }

  // --- preferences (localStorage) ------------------------------------------

  /** The preferences as records. @returns {object[]} */
  preferences () {
    const out = []
    try {
      for (let i = 0; i < (this.storage?.length ?? 0); i++) {
        const key = this.storage.key(i)
        if (!PREFERENCE_KEY.test(key)) continue
        out.push({ id: `pref:${key}`, type: 'preference', created: PREFERENCE_TIME, updated: PREFERENCE_TIME, data: { key, value: this.storage.getItem(key) } })
      }
    } catch {
      // Blocked storage: no preferences to tell of.
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : 1))
  }

  // --- backup and restore ---------------------------------------------------

  /**
   * The backup file's text: plain, or encrypted with the passphrase when the lock is on.
   * @param {{appVersion: string, plain?: boolean}} options
   * @returns {Promise<{text: string, encrypted: boolean, count: number}>}
   */
  async exportText ({ appVersion, plain = false }) {
    if (await this.isLocked()) throw new LockedError()
    const records = await this.all()
    const backup = buildBackup(records, { appVersion, now: this.now })
    const lock = await this.lockRecord()
    const file = lock && !plain ? await sealBackup(backup, lock, this.key) : backup
    return { text: JSON.stringify(file, null, 1), encrypted: file !== backup, count: records.length }
  }

  /** Remember that a backup was made now. */
  async markBackedUp () {
    await this.setMeta('lastBackup', this.now())
  }

  /**
   * Read a backup file and say what restoring it would do. Changes nothing.
   * @param {string} text
   * @param {{bytes?: number, passphrase?: string}} [options]
   * @returns {Promise<{ok: false, error: string, needsPassphrase?: boolean} |
   *   {ok: true, records: object[], plan: {added: number, updated: number, kept: number}}>}
   */
  async previewImport (text, { bytes, passphrase } = {}) {
    const read = readBackup(text, bytes)
    if (!read.ok) return read
    // What is here is read (and decrypted) while the file is being opened.
    const here = this.isLocked().then(locked => (locked ? null : this.all()))
    here.catch(() => {}) // a refused file returns before it is awaited
    let backup = read.backup
    if (read.encrypted) {
      if (!passphrase) return { ok: false, error: 'This backup is locked. Enter the passphrase it was made with.', needsPassphrase: true }
      const opened = await openBackupText(backup, passphrase)
      if (opened === null) return { ok: false, error: REFUSALS.passphrase, needsPassphrase: true }
      const again = readOpenedBackup(backup, opened)
      if (!again.ok) return again
      backup = again.backup
    }
    const existing = await here
    if (!existing) throw new LockedError()
    const plan = planMerge(existing, backup.records)
    this.presealFor(plan.write)
    return { ok: true, records: backup.records, plan: { added: plan.added, updated: plan.updated, kept: plan.kept } }
  }

  /**
   * Merge records by id: new ids are added, a newer `updated` replaces, the
   * rest stay. IndexedDB's records are written in one transaction.
   * @param {object[]} incoming checked records (from previewImport)
   * @returns {Promise<{added: number, updated: number, kept: number}>}
   */
  async importRecords (incoming) {
    if (await this.isLocked()) throw new LockedError()
    const plan = planMerge(await this.all(), incoming)
    const records = plan.write.filter(r => r.type !== 'preference')
    const stored = await this.encodeAll(records)
    await putEach((await this.db()).transaction('records', 'readwrite'), stored)
    for (const pref of plan.write.filter(r => r.type === 'preference')) {
      const { key, value } = pref.data
      if (typeof key === 'string' && PREFERENCE_KEY.test(key) && typeof value === 'string') {
        try { this.storage?.setItem(key, value) } catch { /* full or blocked: the rest is restored */ }
      }
    }
    if (records.some(r => isSecret(r.type))) this.askPersistOnce()
    return { added: plan.added, updated: plan.updated, kept: plan.kept }
  }

  /**
   * Delete every personal record, the lock, the backup dates and every
   * preference. The guide and tools (the worker's caches) stay.
   */
  async deleteEverything () {
    const db = await this.db()
    const tx = db.transaction(['records', 'meta'], 'readwrite')
    await Promise.all([tx.objectStore('records').clear(), tx.objectStore('meta').clear(), tx.done])
    this.lock()
    try {
      for (const pref of this.preferences()) this.storage.removeItem(pref.data.key)
      this.storage?.removeItem(OLD_PATTERNS_KEY)
    } catch { /* blocked storage holds nothing */ }
    await Promise.all(LEGACY.map(source => dropLegacy(source.db).catch(() => {})))
  }

  // --- migrations from earlier versions ---------------------------------------

  /** Move in what earlier versions kept elsewhere. @param {object} db */
  async migrate (db) {
    const lock = await db.get('meta', 'lock')
    const canSeal = !lock || Boolean(this.key) || Boolean(lock.publicKey)
    for (const source of LEGACY) {
      const rows = await readLegacy(source.db, source.store)
      if (!rows) continue
      const records = rows.map(row => source.convert(row, this.now())).filter(Boolean)
      if (!canSeal && records.some(r => isSecret(r.type))) continue
      await this.addAbsent(db, records)
      await dropLegacy(source.db)
    }
    await this.migratePatterns(db, canSeal)
  }

  async migratePatterns (db, canSeal) {
    let list
    try {
      const raw = this.storage?.getItem(OLD_PATTERNS_KEY)
      if (raw === null || raw === undefined) return
      list = JSON.parse(raw)
    } catch {
      return
    }
    if (!canSeal) return
    const records = (Array.isArray(list) ? list : []).filter(p => p && typeof p.id === 'string').map(p => fromOldPattern(p, this.now()))
    await this.addAbsent(db, records)
    this.storage.removeItem(OLD_PATTERNS_KEY)
  }

  /** Write the records whose ids are not here yet, in one transaction. */
  async addAbsent (db, records) {
    const stored = await this.encodeAll(records)
    const tx = db.transaction('records', 'readwrite')
    await Promise.all([
      ...stored.map(async s => {
        if ((await tx.store.getKey(s.id)) === undefined) await tx.store.put(s)
      }),
      tx.done
    ])
  }
}

/**
 * Put values into a readwrite transaction's records and wait for it to
 * commit. The requests carry no promise each (thousands of them cost more
 * than the writes); a failed put aborts the transaction, so all or none are kept.
 * @param {object} tx idb's wrapped transaction
 * @param {object[]} values
 * @returns {Promise<void>}
 */
function putEach (tx, values) {
  const store = unwrap(tx).objectStore('records')
  try {
    for (const value of values) store.put(value)
  } catch (error) { // a value that cannot be stored: keep nothing of this transaction
    tx.done.catch(() => {})
    tx.abort()
    throw error
  }
  return tx.done
}

/** Whether two byte arrays are the same. */
function sameBytes (a, b) {
  const x = new Uint8Array(a.buffer ?? a)
  const y = new Uint8Array(b.buffer ?? b)
  return x.length === y.length && x.every((v, i) => v === y[i])
}

/** What earlier versions kept in their own databases, and how each becomes a record. */
const LEGACY = [
  { db: 'wayfinder-sessions', store: 'sessions', convert: ({ value }) => fromOldSession(value) },
  { db: 'wayfinder-notes', store: 'notes', convert: ({ value }) => fromOldNote(value) },
  { db: 'wayfinder-push', store: 'state', convert: ({ key, value }, now) => (key === 'subscription' ? fromOldReminders(value, now) : null) }
]

let shared = null

/**
 * This page's (or the worker's) personal store, made on first use.
 * @returns {PersonalStore}
 */
export function personalStore () {
  shared ??= new PersonalStore()
  return shared
}



