// The one IndexedDB opener, on fake-indexeddb: stores are created, kept, added
// to a database that lacks them, migrated with an upgrade callback, and let go
// when another connection deletes or upgrades the database.
import 'fake-indexeddb/auto'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openDB } from '../../frontend/js/idb.mjs'
import { clear, createStore, del, get, set, values } from '../../frontend/js/device-db.mjs'

let n = 0
const fresh = () => `test-db-${++n}`

test('a new database gets its store; records are written, read, listed and deleted', async () => {
  const store = createStore(fresh(), 'things')
  assert.equal(await get('a', store), undefined)
  await set('a', { x: 1 }, store)
  await set('b', { x: 2 }, store)
  assert.deepEqual(await get('a', store), { x: 1 })
  assert.deepEqual(await values(store), [{ x: 1 }, { x: 2 }])
  await del('a', store)
  assert.deepEqual(await values(store), [{ x: 2 }])
  await clear(store)
  assert.deepEqual(await values(store), [])
})

test('records written before (by hand, at version 1) are read back unchanged', async () => {
  const name = fresh()
  const db = await openDB(name, 1, { upgrade: d => d.createObjectStore('state') })
  await db.put('state', { id: 'kept' }, 'subscription')
  db.close()
  const store = createStore(name, 'state')
  assert.deepEqual(await get('subscription', store), { id: 'kept' })
  const again = await openDB(name)
  assert.equal(again.version, 1, 'no upgrade when the store is there')
  again.close()
})

test('a database that lacks the store is upgraded by one version to add it', async () => {
  const name = fresh()
  const db = await openDB(name, 3, { upgrade: d => d.createObjectStore('other') })
  db.close()
  const store = createStore(name, 'mine')
  await set('k', 'v', store)
  assert.equal(await get('k', store), 'v')
  const check = await openDB(name)
  assert.equal(check.version, 4)
  assert.deepEqual([...check.objectStoreNames].sort(), ['mine', 'other'])
  check.close()
})

test('a version and an upgrade callback migrate what is there', async () => {
  const name = fresh()
  await set('old', 1, createStore(name, 'items'))
  const seen = []
  const store = createStore(name, 'items', {
    version: 2,
    async upgrade (db, oldVersion, newVersion, transaction) {
      seen.push([oldVersion, newVersion])
      const items = transaction.objectStore('items')
      await items.put((await items.get('old')) + 1, 'old')
    }
  })
  assert.equal(await get('old', store), 2)
  assert.deepEqual(seen, [[1, 2]])
})

test('an open store lets another connection delete the database, then opens afresh', async () => {
  const name = fresh()
  const store = createStore(name, 'items')
  await set('k', 'v', store)
  await new Promise((resolve, reject) => {
    const request = globalThis.indexedDB.deleteDatabase(name)
    request.onsuccess = resolve
    request.onerror = () => reject(request.error)
    request.onblocked = () => reject(new Error('blocked by our open connection'))
  })
  assert.equal(await get('k', store), undefined)
})
