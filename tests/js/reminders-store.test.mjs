// The reminders record in the personal store: saved, read and forgotten, as
// the one `reminders` record, readable with the lock on (the worker needs it).
import 'fake-indexeddb/auto'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { clearRecord, loadRecord, saveRecord } from '../../frontend/js/reminders-store.mjs'
import { freshStore, QUICK } from './personal-fixtures.mjs'

const RECORD = { id: 'sub1', token: 'tok', endpoint: 'https://push.example/1', settings: {}, synced: {} }

test('the record is saved, read back and forgotten', async () => {
  const store = freshStore()
  assert.equal(await loadRecord(store), undefined)
  await saveRecord(RECORD, store)
  assert.deepEqual(await loadRecord(store), RECORD)
  assert.equal((await store.get('reminders')).type, 'reminders')
  await clearRecord(store)
  assert.equal(await loadRecord(store), undefined)
})

test('the worker can read and save it while the lock is on', async () => {
  const page = freshStore()
  await saveRecord(RECORD, page)
  await page.setLock('a passphrase', QUICK)
  const worker = freshStore({ name: page.dbName, storage: null })
  assert.equal(await worker.isLocked(), true)
  assert.deepEqual(await loadRecord(worker), RECORD)
  await saveRecord({ ...RECORD, endpoint: 'https://push.example/2' }, worker)
  assert.equal((await loadRecord(page)).endpoint, 'https://push.example/2')
})

test('the default store is the one personal database', async () => {
  await saveRecord(RECORD)
  const dbs = (await globalThis.indexedDB.databases()).map(d => d.name)
  assert.ok(dbs.includes('wayfinder-data'))
  assert.ok(!dbs.includes('wayfinder-push'))
  await clearRecord()
})
