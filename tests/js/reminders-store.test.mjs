// The reminders record, on fake-indexeddb: saved, read and forgotten where
// devices already keep it (database wayfinder-push, store state, key subscription).
import 'fake-indexeddb/auto'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openDB } from '../../frontend/js/idb.mjs'
import { clearRecord, loadRecord, saveRecord } from '../../frontend/js/reminders-store.mjs'

const RECORD = { id: 'sub1', token: 'tok', endpoint: 'https://push.example/1', settings: {}, synced: {} }

test('the record is saved, read back and forgotten', async () => {
  assert.equal(await loadRecord(), undefined)
  await saveRecord(RECORD)
  assert.deepEqual(await loadRecord(), RECORD)
  await clearRecord()
  assert.equal(await loadRecord(), undefined)
})

test('the record lives where devices already keep it', async () => {
  await saveRecord(RECORD)
  const db = await openDB('wayfinder-push')
  assert.equal(db.version, 1)
  assert.deepEqual(await db.get('state', 'subscription'), RECORD)
  db.close()
  await clearRecord()
})
