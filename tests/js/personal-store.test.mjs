// The one personal store on fake-indexeddb: records round trip, restores
// merge in one go and twice changes nothing, the lock leaves no plaintext at
// rest, delete everything empties it, and today's stores are moved in on open.
import 'fake-indexeddb/auto'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openDB } from '../../frontend/js/idb.mjs'
import { freshStore, QUICK } from './personal-fixtures.mjs'
import { fakeStorage } from './fake-storage.mjs'
import { LockedError } from '../../frontend/js/personal-store.mjs'
import { makeRecord, readBackup } from '../../frontend/js/personal-model.mjs'
import { addSession, allSessions, setFeeling } from '../../frontend/js/tools-store.mjs'
import { SESSION_KEY } from '../../frontend/js/unlock-session.mjs'

/** Everything the database holds, as text, for byte-for-byte comparisons. */
async function dump (store) {
  const db = await openDB(store.dbName)
  const records = await db.getAll('records')
  const metaKeys = await db.getAllKeys('meta')
  const meta = await db.getAll('meta')
  db.close()
  const bytes = (key, value) => (ArrayBuffer.isView(value) || value instanceof ArrayBuffer ? [...new Uint8Array(value.buffer ?? value)] : value)
  return JSON.stringify({ records, meta: metaKeys.map((k, i) => [k, meta[i]]) }, bytes)
}

test('records keep id, type, created and updated; saving again moves only updated', async () => {
  const store = freshStore()
  const a = await store.save('tool-session', { tool: 'breathing/box' })
  assert.deepEqual(Object.keys(a).sort(), ['created', 'data', 'id', 'type', 'updated'])
  store.clock.t += 5000
  const b = await store.save('tool-session', { tool: 'breathing/box', feeling: 'better' }, { id: a.id })
  assert.equal(b.created, a.created)
  assert.ok(b.updated > a.updated)
  assert.deepEqual(await store.list('tool-session'), [b])
  assert.equal(store.persistCalls, 1, 'persistent storage is asked for at the first personal save')
  await store.save('kept-note', {})
  assert.equal(store.persistCalls, 1, 'and only once')
})

test('a backup restores into an empty store identically, and twice changes nothing', async () => {
  const store = freshStore()
  await store.save('tool-session', { tool: 'x', startedAt: 1 })
  await store.save('kept-note', { items: [{ step: 's', text: 'é ✓ "quoted"' }] })
  await store.save('breathing-pattern', { name: 'Slow', inhale: 4, holdIn: 0, exhale: 6, holdOut: 0 })
  await store.put(makeRecord('check-in', { mood: 2 }, { now: store.now }))
  store.storage.setItem('wayfinder.tools.tones', 'on')
  const { text } = await store.exportText({ appVersion: '0.1.0' })
  const before = await store.all()

  const other = freshStore()
  const preview = await other.previewImport(text)
  assert.equal(preview.ok, true)
  assert.deepEqual(preview.plan, { added: 5, updated: 0, kept: 0 })
  assert.deepEqual(await other.importRecords(preview.records), { added: 5, updated: 0, kept: 0 })
  assert.deepEqual(await other.all(), before)
  const snapshot = await dump(other)
  const second = await other.previewImport(text)
  assert.deepEqual(second.plan, { added: 0, updated: 0, kept: 5 })
  await other.importRecords(second.records)
  assert.equal(await dump(other), snapshot, 'the second import wrote nothing')
  assert.equal(other.storage.getItem('wayfinder.tools.tones'), 'on')
})

test('a newer copy in the file replaces; an older one does not', async () => {
  const store = freshStore()
  const note = await store.save('kept-note', { v: 'device' })
  const newer = { ...note, data: { v: 'file' }, updated: new Date(Date.parse(note.updated) + 1).toISOString() }
  const older = { ...note, id: 'o', data: { v: 'file' } }
  await store.put({ ...older, data: { v: 'device' }, updated: new Date(Date.parse(note.updated) + 9).toISOString() })
  await store.importRecords([newer, older])
  assert.deepEqual((await store.get(note.id)).data, { v: 'file' })
  assert.deepEqual((await store.get('o')).data, { v: 'device' })
})

test('bad files are refused by the preview and leave the store unchanged', async () => {
  const store = freshStore()
  await store.save('kept-note', { text: 'mine' })
  const before = await dump(store)
  for (const text of ['{"format":"wayfinder-personal-data","version":99}', '{"format":"wayfinder-personal-data","ver', 'null']) {
    const preview = await store.previewImport(text)
    assert.equal(preview.ok, false)
    assert.match(preview.error, /Nothing was changed\./)
  }
  assert.equal(await dump(store), before)
})

test('with the lock on, nothing readable is at rest; a wrong passphrase is refused', async () => {
  const store = freshStore()
  const note = await store.save('kept-note', { text: 'a very private sentence' })
  await store.save('reminders', { token: 'tok' }, { id: 'reminders' })
  await store.setLock('correct horse battery', QUICK)
  const raw = await dump(store)
  assert.doesNotMatch(raw, /very private|kept-note/)
  assert.match(raw, /"tok"/, 'the reminders record stays readable for the worker')

  const later = freshStore({ name: store.dbName })
  assert.equal(await later.isLocked(), true)
  await assert.rejects(later.list('kept-note'), LockedError)
  assert.equal((await later.get('reminders')).data.token, 'tok')
  assert.equal(await later.unlock('wrong horse battery'), false)
  assert.equal(await later.isLocked(), true)
  assert.equal(await later.unlock('correct horse battery'), true)
  assert.deepEqual(await later.get(note.id), note)
  const added = await later.save('kept-note', { text: 'another private line' })
  assert.doesNotMatch(await dump(later), /another private/)
  assert.deepEqual((await later.get(added.id)).data.text, 'another private line')
  later.lock()
  await assert.rejects(later.list('kept-note'), LockedError)
})

test('a locked export opens only with the passphrase; a plain one on request', async () => {
  const store = freshStore()
  await store.save('kept-note', { text: 'private words' })
  await store.setLock('passphrase one', QUICK)
  const locked = await store.exportText({ appVersion: '0.1.0' })
  assert.equal(locked.encrypted, true)
  assert.doesNotMatch(locked.text, /private words/)
  assert.equal(readBackup(locked.text).encrypted, true)
  const other = freshStore()
  assert.equal((await other.previewImport(locked.text)).needsPassphrase, true)
  assert.match((await other.previewImport(locked.text, { passphrase: 'nope' })).error, /does not open/)
  const opened = await other.previewImport(locked.text, { passphrase: 'passphrase one' })
  assert.equal(opened.ok, true)
  await other.importRecords(opened.records)
  assert.deepEqual(await other.all(), await store.all())
  const plain = await store.exportText({ appVersion: '0.1.0', plain: true })
  assert.equal(plain.encrypted, false)
  assert.match(plain.text, /private words/)
})

test('a restore sealed while previewed writes with the key of the moment it is confirmed', async () => {
  const source = freshStore()
  await source.save('kept-note', { text: 'words from the old phone' })
  await source.save('check-in', { mood: 6 })
  const file = (await source.exportText({ appVersion: '0.1.0' })).text

  // Confirmed with the same key: the records sealed during the preview are written.
  const same = freshStore()
  await same.setLock('first passphrase', QUICK)
  const shown = await same.previewImport(file)
  await same.importRecords(shown.records)
  assert.doesNotMatch(await dump(same), /old phone/)
  assert.deepEqual(await same.all(), await source.all())

  // The lock replaced between preview and confirm (another tab, say): what
  // the preview sealed with the old key is not used.
  const changed = freshStore()
  await changed.setLock('first passphrase', QUICK)
  const seen = await changed.previewImport(file)
  await changed.removeLock()
  await changed.setLock('second passphrase', QUICK)
  await changed.importRecords(seen.records)
  assert.doesNotMatch(await dump(changed), /old phone/)
  const reopened = freshStore({ name: changed.dbName })
  assert.equal(await reopened.unlock('first passphrase'), false)
  assert.equal(await reopened.unlock('second passphrase'), true)
  assert.deepEqual(await reopened.all(), await source.all())
})

test('removing the lock keeps every record, in clear', async () => {
  const store = freshStore()
  const note = await store.save('kept-note', { text: 'words' })
  await store.setLock('passphrase two', QUICK)
  await store.removeLock()
  assert.match(await dump(store), /words/)
  assert.deepEqual(await freshStore({ name: store.dbName }).get(note.id), note)
})

test('delete everything removes records, the lock, dates and preferences', async () => {
  const storage = fakeStorage()
  storage.setItem('wayfinder.tools.tones', 'on')
  storage.setItem('wayfinder.country', 'GB')
  storage.setItem('unrelated', 'stays')
  const store = freshStore({ storage })
  await store.save('kept-note', {})
  await store.setLock('passphrase three', QUICK)
  await store.markBackedUp()
  await store.deleteEverything()
  assert.equal(await dump(store), JSON.stringify({ records: [], meta: [] }))
  assert.deepEqual(await store.all(), [])
  assert.equal(await store.isLocked(), false)
  assert.deepEqual([...storage.map.keys()], ['unrelated'])
})

test('today\'s stores are moved in on open, and the old copies deleted', async () => {
  const sessions = await openDB('wayfinder-sessions', 1, { upgrade: d => d.createObjectStore('sessions') })
  await sessions.put('sessions', { id: 's-old', tool: 'breathing/box', startedAt: Date.UTC(2025, 5, 1), activeMs: 60000, completed: true, feeling: 'same' }, 's-old')
  sessions.close()
  const notes = await openDB('wayfinder-notes', 1, { upgrade: d => d.createObjectStore('notes') })
  await notes.put('notes', { id: 'n-old', tool: 'mindfulness/grounding', savedAt: Date.UTC(2025, 5, 2), items: [{ step: 'See', text: 'a mug' }] }, 'n-old')
  notes.close()
  const push = await openDB('wayfinder-push', 1, { upgrade: d => d.createObjectStore('state') })
  await push.put('state', { id: 'sub1', token: 'tok' }, 'subscription')
  push.close()
  const storage = fakeStorage()
  storage.setItem('wayfinder.breathing.custom', JSON.stringify([{ id: 'p-old', name: 'Mine', inhale: 4, holdIn: 0, exhale: 6, holdOut: 0 }]))

  const store = freshStore({ storage, legacy: true })
  const all = await store.all()
  assert.deepEqual(all.map(r => [r.id, r.type]).sort(), [['n-old', 'kept-note'], ['p-old', 'breathing-pattern'], ['reminders', 'reminders'], ['s-old', 'tool-session']])
  assert.equal((await store.get('s-old')).created, '2025-06-01T00:00:00.000Z')
  assert.equal((await store.get('s-old')).data.feeling, 'same')
  assert.deepEqual((await store.get('reminders')).data, { id: 'sub1', token: 'tok' })
  assert.equal(storage.getItem('wayfinder.breathing.custom'), null)
  const names = (await globalThis.indexedDB.databases()).map(d => d.name)
  for (const old of ['wayfinder-sessions', 'wayfinder-notes', 'wayfinder-push']) assert.ok(!names.includes(old), `${old} is deleted`)

  // An old tab writes to the old place after the move: the next open moves it too,
  // and a record already moved (and changed since) is not overwritten.
  const changed = await store.save('tool-session', { ...(await store.get('s-old')).data, feeling: 'better' }, { id: 's-old' })
  const again = await openDB('wayfinder-sessions', 1, { upgrade: d => d.createObjectStore('sessions') })
  await again.put('sessions', { id: 's-old', tool: 'breathing/box', startedAt: 1, feeling: 'worse' }, 's-old')
  await again.put('sessions', { id: 's-late', tool: 'breathing/box', startedAt: 2 }, 's-late')
  again.close()
  const next = freshStore({ name: store.dbName, storage, legacy: true })
  assert.deepEqual(await next.get('s-old'), changed)
  assert.equal((await next.get('s-late')).type, 'tool-session')
})

test('two stores (two tabs) writing at once lose nothing', async () => {
  const one = freshStore()
  const two = freshStore({ name: one.dbName })
  await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).save('tool-session', { i })))
  assert.equal((await one.list('tool-session')).length, 40)
})

test('a tab left unlocked lets go of its key when another tab replaces or removes the lock', async () => {
  const one = freshStore()
  await one.setLock('first passphrase', QUICK)
  const two = freshStore({ name: one.dbName })
  assert.equal(await two.unlock('first passphrase'), true)
  await one.removeLock()
  await one.setLock('second passphrase', QUICK)
  const written = await two.save('kept-note', { text: 'after the change' })
  assert.equal(await two.isLocked(), true, 'the old key was let go')
  assert.deepEqual(await one.get(written.id), written, 'sealed for the new lock, not with the old key')
  assert.equal(await two.unlock('second passphrase'), true)
  await one.removeLock()
  const plain = await two.save('kept-note', { text: 'once the lock was gone' })
  assert.equal(await two.isLocked(), false)
  assert.match(await dump(one), /once the lock was gone/, 'kept in clear, as the device now keeps everything')
  assert.deepEqual(await one.get(plain.id), plain)
})

test('while locked, the tools still save: sealed to the lock\'s public key, read only after unlocking', async () => {
  const store = freshStore()
  await store.save('kept-note', { text: 'before the lock' })
  await store.setLock('correct horse battery', QUICK)
  const page = freshStore({ name: store.dbName }) // a later page, locked
  assert.equal(await page.isLocked(), true)
  const session = await addSession({ tool: 'breathing/box', title: 'Box breathing', startedAt: store.now(), activeMs: 61000, completed: true }, page)
  assert.equal((await setFeeling(session.id, 'better', page)).feeling, 'better', 'the page that wrote it can add the feeling')
  const note = await page.save('kept-note', { text: 'written while locked' })
  const raw = await dump(page)
  assert.doesNotMatch(raw, /written while locked|Box breathing|breathing\/box|tool-session|kept-note|better/)
  const db = await openDB(store.dbName)
  const atRest = await db.get('records', session.id)
  db.close()
  assert.deepEqual(Object.keys(atRest).sort(), ['id', 'sealed'], 'only the id is visible at rest')
  assert.ok(atRest.sealed.epk, 'sealed with an ephemeral key to the public key')
  await assert.rejects(page.list('tool-session'), LockedError, 'reading still needs the passphrase')

  const other = freshStore({ name: store.dbName })
  await assert.rejects(other.get(session.id), LockedError)
  assert.equal(await other.unlock('correct horse battery'), true)
  assert.deepEqual((await allSessions(other)).map(s => [s.id, s.feeling, s.activeMs]), [[session.id, 'better', 61000]])
  assert.equal((await other.get(note.id)).data.text, 'written while locked')
  const after = await openDB(store.dbName)
  const resealed = await after.getAll('records')
  after.close()
  assert.ok(resealed.every(r => !r.sealed?.epk), 'unlocking re-sealed them with the data key')
  assert.doesNotMatch(await dump(other), /written while locked/)
  assert.equal((await other.list('kept-note')).length, 2)
})

test('the unlocked state carries to the next page of the tab until the idle time runs out', async () => {
  const tab = fakeStorage()
  const first = freshStore({ session: tab })
  await first.setMeta('lockAfterMinutes', 1)
  await first.save('kept-note', { text: 'mine' })
  await first.setLock('correct horse battery', QUICK)
  assert.ok(tab.getItem(SESSION_KEY), 'setting the lock leaves this tab unlocked')

  first.clock.t += 50000
  const second = freshStore({ name: first.dbName, session: tab, start: first.clock.t })
  assert.equal(await second.isLocked(), false, 'the next page opens unlocked')
  assert.equal((await second.list('kept-note'))[0].data.text, 'mine')
  assert.equal(await freshStore({ name: first.dbName, start: first.clock.t }).isLocked(), true, 'another tab is locked')

  const third = freshStore({ name: first.dbName, session: tab, start: first.clock.t + 11000 })
  assert.equal(await third.isLocked(), true, 'past the idle time the next page is locked')
  assert.equal(tab.getItem(SESSION_KEY), null, 'and the expired key is wiped')
  second.clock.t += 11000
  assert.equal(await second.isLocked(), true, 'a page left open locks too')

  const fourth = freshStore({ name: first.dbName, session: tab })
  assert.equal(await fourth.unlock('correct horse battery'), true)
  assert.ok(tab.getItem(SESSION_KEY))
  fourth.lock()
  assert.equal(tab.getItem(SESSION_KEY), null, 'locking wipes it')
  await fourth.unlock('correct horse battery')
  await fourth.removeLock()
  assert.equal(tab.getItem(SESSION_KEY), null, 'removing the lock wipes it')
  await fourth.setLock('another passphrase', QUICK)
  const changed = tab.getItem(SESSION_KEY)
  await fourth.setLock('a third passphrase', QUICK)
  assert.notEqual(tab.getItem(SESSION_KEY), changed, 'changing the lock replaces it')
  assert.equal(await freshStore({ name: first.dbName, session: fakeStorageWith(changed) }).isLocked(), true, 'the old key no longer opens')
  await fourth.deleteEverything()
  assert.equal(tab.getItem(SESSION_KEY), null, 'delete everything wipes it')
})

/** A tab's storage holding one unlocked entry. */
function fakeStorageWith (entry) {
  const storage = fakeStorage()
  storage.setItem(SESSION_KEY, entry)
  return storage
}
