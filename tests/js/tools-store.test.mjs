// The tools' records, sessions and kept notes, in a personal store of the
// test's own on fake-indexeddb (stores are default arguments).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  addSession, setFeeling, allSessions, clearSessions, addNote, allNotes, clearNotes
} from '../../frontend/js/tools-store.mjs'
import { freshStore } from './personal-fixtures.mjs'

test('sessions are stored with an id and the feeling is added later', async () => {
  const store = freshStore()
  const saved = await addSession({ tool: 'breathing/box', title: 'Box breathing', startedAt: 1000, activeMs: 64000, completed: true }, store)
  assert.match(saved.id, /^[a-z0-9]+-[a-z0-9]+$/)
  assert.equal((await store.all()).length, 1)
  assert.equal((await store.get(saved.id)).type, 'tool-session')
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
  const store = freshStore()
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
