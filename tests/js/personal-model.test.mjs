// The backup format and the merge rules, without storage: what is accepted,
// what is refused (and why, in plain words), how a restore decides, and how
// old data becomes records.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  FORMAT, FORMAT_VERSION, KINDS, MAX_IMPORT_BYTES, REFUSALS, backupDue, buildBackup, changeRecord,
  describePlan, describeRecords, fromOldNote, fromOldPattern, fromOldSession, isSecret, makeRecord,
  mergeDecision, planMerge, readBackup, readOpenedBackup, recordProblem, safeParse, shouldLock
} from '../../frontend/js/personal-model.mjs'

const T = Date.UTC(2026, 2, 1, 12)
const clock = () => T

function sample () {
  return [
    makeRecord('tool-session', { tool: 'breathing/box', startedAt: T }, { id: 's1', now: clock }),
    makeRecord('kept-note', { tool: 'mindfulness/grounding', items: [] }, { id: 'n1', now: clock }),
    makeRecord('later-kind', { name: 'a later kind of record' }, { id: 'future-1', now: clock })
  ]
}

test('a backup has the format name, version, app version, time and records by id', () => {
  const backup = buildBackup(sample().reverse(), { appVersion: '0.1.0', now: clock })
  assert.equal(backup.format, FORMAT)
  assert.equal(backup.version, FORMAT_VERSION)
  assert.equal(backup.exportedAt, new Date(T).toISOString())
  assert.deepEqual(backup.records.map(r => r.id), ['future-1', 'n1', 's1'])
  const read = readBackup(JSON.stringify(backup))
  assert.equal(read.ok, true)
  assert.deepEqual(read.backup, backup)
})

test('each bad kind of file is refused with its own plain message', () => {
  const good = buildBackup(sample(), { appVersion: '0.1.0', now: clock })
  const text = JSON.stringify(good)
  assert.equal(readBackup(text, MAX_IMPORT_BYTES + 1).error, REFUSALS.tooBig)
  assert.equal(readBackup(text.slice(0, text.length / 2)).error, REFUSALS.notJson)
  assert.equal(readBackup('').error, REFUSALS.notJson)
  assert.equal(readBackup(JSON.stringify({ ...good, format: 'something-else' })).error, REFUSALS.wrongKind)
  assert.equal(readBackup('[1, 2]').error, REFUSALS.wrongKind)
  assert.equal(readBackup(JSON.stringify({ ...good, version: FORMAT_VERSION + 1 })).error, REFUSALS.newer)
  assert.equal(readBackup(JSON.stringify({ ...good, version: '1' })).error, REFUSALS.broken)
  const broken = structuredClone(good)
  broken.records[1].updated = 'yesterday'
  assert.deepEqual(readBackup(JSON.stringify(broken)).problems, ['records[1]: updated'])
  const twice = structuredClone(good)
  twice.records[1].id = twice.records[0].id
  assert.deepEqual(readBackup(JSON.stringify(twice)).problems, ['records[1]: id used twice'])
  assert.deepEqual(readBackup(JSON.stringify({ ...good, extra: 1 })).problems, ['unexpected extra'])
})

test('records: id, type, created, updated and an object of data, nothing else', () => {
  const ok = makeRecord('check-in', { mood: 3 }, { id: 'c-1', now: clock })
  assert.equal(recordProblem(ok), '')
  assert.equal(recordProblem({ ...ok, id: '' }), 'id')
  assert.equal(recordProblem({ ...ok, id: 'has space' }), 'id')
  assert.equal(recordProblem({ ...ok, type: 'Capital' }), 'type')
  assert.equal(recordProblem({ ...ok, created: 5 }), 'created')
  assert.equal(recordProblem({ ...ok, data: [] }), 'data')
  assert.equal(recordProblem({ ...ok, more: 1 }), 'unexpected more')
  assert.equal(recordProblem(null), 'not an object')
})

test('__proto__, constructor and prototype keys are dropped and pollute nothing', () => {
  const text = '{"format":"wayfinder-personal-data","version":1,"appVersion":"x","exportedAt":"2026-01-01T00:00:00.000Z",' +
    '"__proto__":{"polluted":1},"records":[{"id":"a","type":"kept-note","created":"2026-01-01T00:00:00.000Z",' +
    '"updated":"2026-01-01T00:00:00.000Z","data":{"constructor":{"prototype":{"polluted":2}},"__proto__":{"polluted":3},"text":"hi"}}]}'
  const read = readBackup(text)
  assert.equal(read.ok, true)
  assert.deepEqual(read.backup.records[0].data, { text: 'hi' })
  assert.equal({}.polluted, undefined)
  assert.equal(Object.prototype.polluted, undefined)
  assert.equal(Object.hasOwn(safeParse('{"__proto__": 1}'), '__proto__'), false)
  const merged = Object.assign({}, read.backup.records[0].data)
  assert.equal(merged.polluted, undefined)
})

test('keys spelled with \\u escapes are dropped too; a text without such keys parses as it is', () => {
  const escaped = '{"\\u005f_proto__":{"polluted":1},"\\u0063onstructor":2,"ok":"\\u00e9"}'
  assert.deepEqual(safeParse(escaped), { ok: '\u00e9' })
  assert.equal({}.polluted, undefined)
  assert.deepEqual(safeParse('{"a":[1,{"b":"c"}],"d":null}'), { a: [1, { b: 'c' }], d: null })
  assert.deepEqual(safeParse('{"note":"my constructor","x":{"prototype":1}}'), { note: 'my constructor', x: {} })
})

test('the records of an opened locked backup are checked like a plain backup\'s', () => {
  const header = { format: FORMAT, version: FORMAT_VERSION, appVersion: '0.1.0', exportedAt: new Date(T).toISOString() }
  const records = sample()
  const read = readOpenedBackup(header, JSON.stringify(records))
  assert.equal(read.ok, true)
  assert.deepEqual(read.backup, { ...header, records })
  const text = JSON.stringify([...records, { ...records[0], id: 'x', data: { __proto__: null, constructor: 1, v: 2 } }])
  assert.deepEqual(readOpenedBackup(header, text.replace('"v":2', '"__proto__":{"p":1},"v":2')).backup.records[3].data, { v: 2 })
  assert.deepEqual(readOpenedBackup(header, JSON.stringify([records[0], records[0]])).problems, ['records[1]: id used twice'])
  assert.deepEqual(readOpenedBackup(header, JSON.stringify([{ ...records[0], updated: 'soon' }])).problems, ['records[0]: updated'])
  assert.deepEqual(readOpenedBackup(header, '{"not":"a list"}').problems, ['records'])
  assert.equal(readOpenedBackup(header, '[{"id":').error, REFUSALS.notJson)
})

test('merge: new ids are added, a newer updated replaces, older and equal stay', () => {
  const here = makeRecord('tool-session', { v: 1 }, { id: 'a', now: clock })
  const newer = changeRecord(here, { v: 2 }, () => T + 1000)
  const older = { ...here, data: { v: 0 }, updated: new Date(T - 1000).toISOString() }
  assert.equal(mergeDecision(undefined, here), 'add')
  assert.equal(mergeDecision(here, newer), 'update')
  assert.equal(mergeDecision(here, older), 'keep')
  assert.equal(mergeDecision(here, { ...here }), 'keep')
  const fresh = makeRecord('kept-note', {}, { id: 'b', now: clock })
  const plan = planMerge([here], [newer, fresh])
  assert.deepEqual([plan.added, plan.updated, plan.kept], [1, 1, 0])
  assert.deepEqual(plan.write.map(r => r.id), ['a', 'b'])
  const again = planMerge([newer, fresh], [newer, fresh])
  assert.deepEqual([again.added, again.updated, again.kept, again.write.length], [0, 0, 2, 0], 'a second import changes nothing')
})

test('a change never moves updated backwards, even when the clock does', () => {
  const record = makeRecord('kept-note', {}, { now: clock })
  const changed = changeRecord(record, { x: 1 }, () => T - 60000)
  assert.ok(Date.parse(changed.updated) > Date.parse(record.updated))
  assert.equal(changed.created, record.created)
})

test('what a file holds and what a restore will change, in words', () => {
  const records = [...sample(), makeRecord('tool-session', {}, { now: clock })]
  assert.equal(describeRecords(records), '2 tool sessions, 1 kept note and 1 record from a newer version of Wayfinder')
  assert.equal(describeRecords([records[1]]), '1 kept note')
  assert.equal(describeRecords([]), 'nothing')
  assert.equal(describePlan({ added: 0, updated: 0, kept: 3 }), 'Everything in this file is already on this device, so nothing will change.')
  assert.equal(describePlan({ added: 2, updated: 1, kept: 0 }), '2 new records will be added, 1 record will be replaced by a newer copy.')
})

test('known kinds say whether the lock encrypts them; unknown ones are treated as secret', () => {
  assert.equal(isSecret('tool-session'), true)
  assert.equal(isSecret('reminders'), false)
  assert.equal(isSecret('preference'), false)
  assert.equal(isSecret('treatment'), true)
  assert.ok(Object.values(KINDS).every(k => k.one && k.many))
})

test('a backup is suggested after 30 days with data, never without data', () => {
  const day = 86400000
  assert.equal(backupDue({ records: 0, lastBackup: null, dismissedAt: null, now: T }), false)
  assert.equal(backupDue({ records: 3, lastBackup: null, dismissedAt: null, now: T }), true)
  assert.equal(backupDue({ records: 3, lastBackup: T - 29 * day, dismissedAt: null, now: T }), false)
  assert.equal(backupDue({ records: 3, lastBackup: T - 30 * day, dismissedAt: null, now: T }), true)
  assert.equal(backupDue({ records: 3, lastBackup: null, dismissedAt: T - day, now: T }), false)
})

test('the lock closes after the idle time, or when hidden for that long', () => {
  const minute = 60000
  const base = { idleMs: 5 * minute, lastActive: T, hiddenSince: null }
  assert.equal(shouldLock({ ...base, now: T + 4 * minute }), false)
  assert.equal(shouldLock({ ...base, now: T + 5 * minute }), true)
  assert.equal(shouldLock({ ...base, hiddenSince: T + minute, lastActive: T + 4 * minute, now: T + 6 * minute }), true)
  assert.equal(shouldLock({ ...base, hiddenSince: T + 3 * minute, lastActive: T + 3 * minute, now: T + 6 * minute }), false)
  assert.equal(shouldLock({ ...base, idleMs: 0, now: T + 60 * minute }), false)
})

test('old sessions, notes and patterns become records with their own times', () => {
  const session = fromOldSession({ id: 'x1', tool: 'breathing/box', startedAt: T, activeMs: 5 })
  assert.deepEqual(session, { id: 'x1', type: 'tool-session', created: new Date(T).toISOString(), updated: new Date(T).toISOString(), data: { tool: 'breathing/box', startedAt: T, activeMs: 5 } })
  assert.equal(fromOldNote({ id: 'n', savedAt: T, items: [] }).created, new Date(T).toISOString())
  assert.equal(fromOldPattern({ id: 'p', name: 'A' }, T).data.name, 'A')
  assert.equal(recordProblem(fromOldSession({ id: 'y', startedAt: undefined })), '')
})
