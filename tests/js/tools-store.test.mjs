// The tools' IndexedDB records: sessions and kept notes, with a store the test
// passes in, as idb-keyval allows.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  addSession, setFeeling, allSessions, clearSessions, addNote, allNotes, clearNotes, promisifyRequest
} from '../../frontend/js/tools-store.mjs'

/** An in-memory object store that answers like IndexedDB: requests, then a transaction. */
function fakeStore () {
  const data = new Map()
  const request = (fn) => {
    const req = {}
    setTimeout(() => {
      try {
        req.result = fn()
        req.onsuccess?.()
      } catch (error) {
        req.error = error
        req.onerror?.()
      }
    }, 0)
    return req
  }
  const useStore = (mode, callback) => {
    const transaction = {}
    const store = {
      transaction,
      get: key => request(() => structuredClone(data.get(key))),
      getAll: () => request(() => [...data.values()].map(v => structuredClone(v))),
      put: (value, key) => {
        assert.equal(mode, 'readwrite')
        return request(() => { data.set(key, structuredClone(value)); return key })
      },
      clear: () => {
        assert.equal(mode, 'readwrite')
        return request(() => data.clear())
      }
    }
    setTimeout(() => setTimeout(() => transaction.oncomplete?.(), 0), 0)
    return Promise.resolve(callback(store))
  }
  useStore.data = data
  return useStore
}

test('sessions are stored with an id and the feeling is added later', async () => {
  const store = fakeStore()
  const saved = await addSession({ tool: 'breathing/box', title: 'Box breathing', startedAt: 1000, activeMs: 64000, completed: true }, store)
  assert.match(saved.id, /^[a-z0-9]+-[a-z0-9]+$/)
  assert.equal(store.data.size, 1)
  const updated = await setFeeling(saved.id, 'better', store)
  assert.equal(updated.feeling, 'better')
  const all = await allSessions(store)
  assert.deepEqual(all, [{ ...saved, feeling: 'better' }])
  assert.equal(await setFeeling('missing', 'same', store), null)
  await assert.rejects(setFeeling(saved.id, 'ecstatic', store), RangeError)
  await clearSessions(store)
  assert.deepEqual(await allSessions(store), [])
})

test('notes are kept only when added, per tool, and can be deleted', async () => {
  const store = fakeStore()
  assert.deepEqual(await allNotes('mindfulness/grounding', store), [])
  await addNote({ tool: 'mindfulness/grounding', items: [{ step: 'Five things you can see', text: 'a blue mug' }] }, store)
  await addNote({ tool: 'other', items: [] }, store)
  const notes = await allNotes('mindfulness/grounding', store)
  assert.equal(notes.length, 1)
  assert.equal(notes[0].items[0].text, 'a blue mug')
  assert.equal((await allNotes(undefined, store)).length, 2)
  await clearNotes(store)
  assert.equal((await allNotes(undefined, store)).length, 0)
})

test('promisifyRequest rejects with the request error', async () => {
  const req = {}
  const p = promisifyRequest(req)
  req.error = new Error('quota')
  req.onerror()
  await assert.rejects(p, /quota/)
})
