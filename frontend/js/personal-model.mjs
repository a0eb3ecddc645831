/**
 * What "your data" is, without I/O: the kinds of personal record, the record
 * shape, the backup file format (docs/data-format.md and
 * docs/data-format.schema.json), its validation, the merge rules of a
 * restore, the words that describe what a file holds, and the conversions
 * from what earlier versions kept. Tested with node --test.
 */

/** The backup file's format name. */
export const FORMAT = 'wayfinder-personal-data'
/** The newest format version this code writes and reads. */
export const FORMAT_VERSION = 1
/** Files larger than this are refused before they are read. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024
/** How long after the last backup the gentle suggestion may appear. */
export const BACKUP_AFTER_MS = 30 * 24 * 60 * 60 * 1000

/**
 * The kinds of record Wayfinder knows. `secret` kinds are encrypted when the
 * lock is on; the reminders record stays readable because the service worker
 * needs it to snooze, and it holds nothing about health. To add a kind (the
 * safety plan, check-ins, treatments), add one line here: see
 * docs/data-format.md.
 */
export const KINDS = Object.freeze({
  'tool-session': { one: 'tool session', many: 'tool sessions', secret: true },
  'kept-note': { one: 'kept note', many: 'kept notes', secret: true },
  'breathing-pattern': { one: 'breathing pattern', many: 'breathing patterns', secret: true },
  'check-in': { one: 'check-in', many: 'check-ins', secret: true },
  phq9: { one: 'PHQ-9 result', many: 'PHQ-9 results', secret: true },
  gad7: { one: 'GAD-7 result', many: 'GAD-7 results', secret: true },
  'safety-plan': { one: 'safety plan', many: 'safety plans', secret: true },
  'hope-item': { one: 'hope box item', many: 'hope box items', secret: true },
  treatment: { one: 'treatment', many: 'treatments', secret: true },
  'treatment-profile': { one: 'treatment history setting', many: 'treatment history settings', secret: true },
  appointment: { one: 'appointment plan', many: 'appointment plans', secret: true },
  reminders: { one: 'reminder setting', many: 'reminder settings', secret: false },
  preference: { one: 'preference', many: 'preferences', secret: false }
})

/** A record type's spelling; unknown ones are kept as they are, for later versions. */
const TYPE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/
/** Record ids: printable, no spaces, at most 200 characters. */
const ID_PATTERN = /^[A-Za-z0-9._:#-]{1,200}$/
/** ISO 8601 times as Date#toISOString writes them. */
const TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/
/** Keys that could reach an object's prototype; dropped from every file. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
/** Whether a JSON text may hold one of UNSAFE_KEYS (a \u escape could spell one). */
const MAY_HOLD_UNSAFE_KEY = /__proto__|constructor|prototype|\\u/

/**
 * Whether records of this type are encrypted when the lock is on. Unknown
 * (future) types are treated as secret.
 * @param {string} type
 * @returns {boolean}
 */
export function isSecret (type) {
  return Object.hasOwn(KINDS, type) ? KINDS[type].secret : true
}

/**
 * A short random id that sorts by creation time.
 * @param {() => number} [now]
 * @returns {string}
 */
export function newId (now = Date.now) {
  const random = crypto.getRandomValues(new Uint32Array(2))
  return now().toString(36) + '-' + [...random].map(n => n.toString(36)).join('')
}

/**
 * @typedef {object} PersonalRecord
 * @property {string} id stable, never reused
 * @property {string} type one of KINDS, or a later version's type
 * @property {string} created ISO 8601 time
 * @property {string} updated ISO 8601 time
 * @property {object} data what the kind keeps
 */

/**
 * A new record.
 * @param {string} type
 * @param {object} data
 * @param {{id?: string, created?: string, now?: () => number}} [options]
 * @returns {PersonalRecord}
 */
export function makeRecord (type, data, { id, created, now = Date.now } = {}) {
  const time = new Date(now()).toISOString()
  return { id: id ?? newId(now), type, created: created ?? time, updated: time, data }
}

/**
 * A record with new data and a later `updated` time (never earlier than before).
 * @param {PersonalRecord} record
 * @param {object} data
 * @param {() => number} [now]
 * @returns {PersonalRecord}
 */
export function changeRecord (record, data, now = Date.now) {
  const time = Math.max(now(), Date.parse(record.updated) + 1)
  return { ...record, data, updated: new Date(time).toISOString() }
}

/**
 * The unencrypted backup file's content.
 * @param {PersonalRecord[]} records
 * @param {{appVersion: string, now?: () => number}} options
 * @returns {object}
 */
export function buildBackup (records, { appVersion, now = Date.now }) {
  return {
    format: FORMAT,
    version: FORMAT_VERSION,
    appVersion,
    exportedAt: new Date(now()).toISOString(),
    records: [...records].sort(byId)
  }
}

function byId (a, b) {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * The file name for a backup made at a time.
 * @param {number} time
 * @param {boolean} encrypted
 * @returns {string}
 */
export function backupFileName (time, encrypted) {
  const day = new Date(time).toISOString().slice(0, 10)
  return `wayfinder-backup-${day}${encrypted ? '-locked' : ''}.json`
}

/** Plain messages for each way a file can be refused. */
export const REFUSALS = Object.freeze({
  tooBig: 'This file is larger than 20 MB, so it cannot be a Wayfinder backup. Nothing was changed.',
  notJson: 'This file is not a complete Wayfinder backup. It may be damaged or cut short. Nothing was changed.',
  wrongKind: 'This file is not a Wayfinder backup. Nothing was changed.',
  newer: 'This backup was made by a newer version of Wayfinder. Update the app (reload it when you are online), then try again. Nothing was changed.',
  broken: 'Part of this backup is not in the shape Wayfinder expects, so none of it was restored. Nothing was changed.',
  passphrase: 'That passphrase does not open this backup. Nothing was changed.'
})

/**
 * JSON.parse that drops keys able to reach a prototype (__proto__,
 * constructor, prototype), wherever they are.
 * @param {string} text
 * @returns {any}
 */
export function safeParse (text) {
  // A reviver costs a call for every value; a text that cannot spell any of
  // those keys (not even with a \u escape) is parsed without one.
  if (!MAY_HOLD_UNSAFE_KEY.test(text)) return JSON.parse(text)
  return JSON.parse(text, (key, value) => (UNSAFE_KEYS.has(key) ? undefined : value))
}

/**
 * Read a backup file's text: its size, its JSON, its kind and version, and
 * the shape of every record. Nothing is changed by reading.
 * @param {string} text
 * @param {number} [bytes] the file's size, when known
 * @returns {{ok: true, backup: object, encrypted: boolean} | {ok: false, error: string, problems?: string[]}}
 */
export function readBackup (text, bytes = text.length) {
  if (bytes > MAX_IMPORT_BYTES) return { ok: false, error: REFUSALS.tooBig }
  let value
  try {
    value = safeParse(text)
  } catch {
    return { ok: false, error: REFUSALS.notJson }
  }
  if (!isPlainObject(value) || value.format !== FORMAT) return { ok: false, error: REFUSALS.wrongKind }
  if (!Number.isInteger(value.version) || value.version < 1) return { ok: false, error: REFUSALS.broken, problems: ['version'] }
  if (value.version > FORMAT_VERSION) return { ok: false, error: REFUSALS.newer }
  const problems = 'encrypted' in value ? checkEncrypted(value) : checkPlain(value)
  if (problems.length) return { ok: false, error: REFUSALS.broken, problems }
  return { ok: true, backup: value, encrypted: 'encrypted' in value }
}

/**
 * Read what a locked backup held once opened: its header (already checked
 * by readBackup) and the text of its records, checked as a plain backup's.
 * @param {{format: string, version: number, appVersion: string, exportedAt: string}} file the locked file
 * @param {string} recordsText the decrypted records, as JSON
 * @returns {{ok: true, backup: object, encrypted: false} | {ok: false, error: string, problems?: string[]}}
 */
export function readOpenedBackup (file, recordsText) {
  let records
  try {
    records = safeParse(recordsText)
  } catch {
    return { ok: false, error: REFUSALS.notJson }
  }
  const backup = { format: file.format, version: file.version, appVersion: file.appVersion, exportedAt: file.exportedAt, records }
  const problems = checkPlain(backup)
  if (problems.length) return { ok: false, error: REFUSALS.broken, problems }
  return { ok: true, backup, encrypted: false }
}

function isPlainObject (value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function checkHeader (value, allowed) {
  const problems = []
  if (typeof value.appVersion !== 'string' || value.appVersion.length > 40) problems.push('appVersion')
  if (typeof value.exportedAt !== 'string' || !TIME_PATTERN.test(value.exportedAt)) problems.push('exportedAt')
  for (const key of Object.keys(value)) if (!allowed.includes(key)) problems.push(`unexpected ${key}`)
  return problems
}

function checkPlain (value) {
  const problems = checkHeader(value, ['format', 'version', 'appVersion', 'exportedAt', 'records'])
  if (!Array.isArray(value.records)) return [...problems, 'records']
  const seen = new Set()
  value.records.forEach((record, i) => {
    const problem = recordProblem(record)
    if (problem) problems.push(`records[${i}]: ${problem}`)
    else if (seen.has(record.id)) problems.push(`records[${i}]: id used twice`)
    else seen.add(record.id)
  })
  return problems
}

/**
 * What is wrong with one record, or '' when it is well formed.
 * @param {unknown} record
 * @returns {string}
 */
export function recordProblem (record) {
  if (!isPlainObject(record)) return 'not an object'
  const keys = Object.keys(record)
  const extra = keys.find(k => !['id', 'type', 'created', 'updated', 'data'].includes(k))
  if (extra) return `unexpected ${extra}`
  if (typeof record.id !== 'string' || !ID_PATTERN.test(record.id)) return 'id'
  if (typeof record.type !== 'string' || !TYPE_PATTERN.test(record.type)) return 'type'
  if (typeof record.created !== 'string' || !TIME_PATTERN.test(record.created)) return 'created'
  if (typeof record.updated !== 'string' || !TIME_PATTERN.test(record.updated)) return 'updated'
  if (!isPlainObject(record.data)) return 'data'
  return ''
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function checkEncrypted (value) {
  const problems = checkHeader(value, ['format', 'version', 'appVersion', 'exportedAt', 'encrypted'])
  const enc = value.encrypted
  if (!isPlainObject(enc)) return [...problems, 'encrypted']
  if (enc.kdf !== 'PBKDF2-SHA-256') problems.push('encrypted.kdf')
  if (!Number.isInteger(enc.iterations) || enc.iterations < 1000 || enc.iterations > 10000000) problems.push('encrypted.iterations')
  for (const key of ['salt', 'wrapIv', 'wrappedKey', 'iv', 'ciphertext']) {
    if (typeof enc[key] !== 'string' || !enc[key] || !BASE64.test(enc[key])) problems.push(`encrypted.${key}`)
  }
  if (enc.cipher !== 'AES-GCM-256') problems.push('encrypted.cipher')
  return problems
}

/**
 * The later of two versions of a record: the one with the newer `updated`
 * time; on a tie the one already here stays, so a second import changes nothing.
 * @param {PersonalRecord|undefined} here
 * @param {PersonalRecord} incoming
 * @returns {'add'|'update'|'keep'}
 */
export function mergeDecision (here, incoming) {
  if (!here) return 'add'
  return Date.parse(incoming.updated) > Date.parse(here.updated) ? 'update' : 'keep'
}

/**
 * What a restore will do: the records to write and the counts to show.
 * @param {PersonalRecord[]} existing what the device has
 * @param {PersonalRecord[]} incoming what the file has
 * @returns {{write: PersonalRecord[], added: number, updated: number, kept: number}}
 */
export function planMerge (existing, incoming) {
  const here = new Map(existing.map(r => [r.id, r]))
  const plan = { write: [], added: 0, updated: 0, kept: 0 }
  for (const record of incoming) {
    const decision = mergeDecision(here.get(record.id), record)
    if (decision === 'keep') {
      plan.kept += 1
      continue
    }
    plan[decision === 'add' ? 'added' : 'updated'] += 1
    plan.write.push(record)
    here.set(record.id, record)
  }
  return plan
}

/**
 * How many records of each type, known kinds first in their order.
 * @param {PersonalRecord[]} records
 * @returns {Array<{type: string, count: number}>}
 */
export function countByType (records) {
  const counts = new Map(Object.keys(KINDS).map(type => [type, 0]))
  for (const record of records) counts.set(record.type, (counts.get(record.type) ?? 0) + 1)
  return [...counts].filter(([, count]) => count > 0).map(([type, count]) => ({ type, count }))
}

/**
 * "12 tool sessions, 1 kept note and 3 other records".
 * @param {PersonalRecord[]} records
 * @returns {string}
 */
export function describeRecords (records) {
  if (records.length === 0) return 'nothing'
  let other = 0
  const parts = []
  for (const { type, count } of countByType(records)) {
    if (Object.hasOwn(KINDS, type)) parts.push(`${count} ${count === 1 ? KINDS[type].one : KINDS[type].many}`)
    else other += count
  }
  if (other) parts.push(`${other} ${other === 1 ? 'record' : 'records'} from a newer version of Wayfinder`)
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]
}

/**
 * What a restore will change, in words.
 * @param {{added: number, updated: number, kept: number}} plan
 * @returns {string}
 */
export function describePlan (plan) {
  if (plan.added === 0 && plan.updated === 0) return 'Everything in this file is already on this device, so nothing will change.'
  const parts = []
  if (plan.added) parts.push(`${plan.added} new ${plan.added === 1 ? 'record' : 'records'} will be added`)
  if (plan.updated) parts.push(`${plan.updated} ${plan.updated === 1 ? 'record' : 'records'} will be replaced by a newer copy`)
  if (plan.kept) parts.push(`${plan.kept} already here will stay as they are`)
  return parts.join(', ').replace(/^./, c => c.toUpperCase()) + '.'
}

/**
 * Whether to suggest a backup: there is personal data and none was made (or
 * the suggestion dismissed) in the last 30 days.
 * @param {{records: number, lastBackup: number|null, dismissedAt: number|null, now: number}} facts
 * @returns {boolean}
 */
export function backupDue ({ records, lastBackup, dismissedAt, now }) {
  if (records === 0) return false
  const latest = Math.max(lastBackup ?? 0, dismissedAt ?? 0)
  return now - latest >= BACKUP_AFTER_MS
}

/**
 * When the last backup was made, in words.
 * @param {number|null} time
 * @param {number} now
 * @returns {string}
 */
export function describeLastBackup (time, now) {
  if (!time) return 'never on this device'
  const days = Math.floor((now - time) / 86400000)
  const date = new Date(time).toLocaleDateString('en', { day: 'numeric', month: 'long', year: 'numeric' })
  if (days < 1) return `today (${date})`
  return days === 1 ? `yesterday (${date})` : `${days} days ago (${date})`
}

/**
 * Whether the app should lock now: idle for the chosen time, or hidden for it.
 * @param {{idleMs: number, lastActive: number, hiddenSince: number|null, now: number}} facts
 * @returns {boolean}
 */
export function shouldLock ({ idleMs, lastActive, hiddenSince, now }) {
  if (!(idleMs > 0)) return false
  if (hiddenSince !== null && now - hiddenSince >= idleMs) return true
  return now - lastActive >= idleMs
}

// What earlier versions kept, turned into records (the store's migrations).

const iso = ms => new Date(Number.isFinite(ms) ? ms : 0).toISOString()

/**
 * A tool session from the old wayfinder-sessions database.
 * @param {{id: string, startedAt: number}} old
 * @returns {PersonalRecord}
 */
export function fromOldSession (old) {
  const { id, ...data } = old
  return { id: String(id), type: 'tool-session', created: iso(old.startedAt), updated: iso(old.startedAt), data }
}

/**
 * A kept note from the old wayfinder-notes database.
 * @param {{id: string, savedAt: number}} old
 * @returns {PersonalRecord}
 */
export function fromOldNote (old) {
  const { id, ...data } = old
  return { id: String(id), type: 'kept-note', created: iso(old.savedAt), updated: iso(old.savedAt), data }
}

/**
 * A custom breathing pattern from the old localStorage list.
 * @param {{id: string}} old
 * @param {number} now when it is moved (the old list kept no times)
 * @returns {PersonalRecord}
 */
export function fromOldPattern (old, now) {
  const { id, ...data } = old
  return { id: String(id), type: 'breathing-pattern', created: iso(now), updated: iso(now), data }
}

/** The one reminders record's id. */
export const REMINDERS_ID = 'reminders'

/**
 * The reminders record from the old wayfinder-push database.
 * @param {object} old
 * @param {number} now
 * @returns {PersonalRecord}
 */
export function fromOldReminders (old, now) {
  return { id: REMINDERS_ID, type: 'reminders', created: iso(now), updated: iso(now), data: old }
}
