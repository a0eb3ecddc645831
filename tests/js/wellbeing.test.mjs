// Device-only storage and totals: the IndexedDB wrapper (with a store the test
// passes in, as idb-keyval allows), gentle totals, custom patterns, preferences.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  addSession, setFeeling, allSessions, clearSessions, addNote, allNotes, clearNotes, promisifyRequest
} from '../../frontend/js/wellbeing-store.mjs'
import { summarise, minutesInWords, times, WEEK_MS } from '../../frontend/js/tools-totals.mjs'
import { validate, toPhases, save, loadAll, find, remove, summary, MAX_PATTERNS } from '../../frontend/js/custom-patterns.mjs'
import { getPref, setPref, getValue, setValue } from '../../frontend/js/tool-prefs.mjs'
import { makePattern } from '../../frontend/js/breathing-engine.mjs'

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

/** A Map-backed Storage stand-in. */
function fakeStorage () {
  const map = new Map()
  return {
    getItem: k => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    removeItem: k => map.delete(k),
    map
  }
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

test('totals: minutes in the past 7 days and tools that helped, nothing else', () => {
  const now = Date.UTC(2026, 10, 26, 12)
  const day = 24 * 60 * 60 * 1000
  const sessions = [
    { tool: 'breathing/box', title: 'Box breathing', startedAt: now - 1 * day, activeMs: 180000, feeling: 'better' },
    { tool: 'breathing/box', title: 'Box breathing', startedAt: now - 2 * day, activeMs: 64000, feeling: 'better' },
    { tool: 'mindfulness/body-scan', title: 'Body scan', startedAt: now - 3 * day, activeMs: 270000, feeling: 'same' },
    { tool: 'mindfulness/grounding', title: 'Grounding', startedAt: now - 10 * day, activeMs: 200000, feeling: 'better' },
    { tool: 'breathing/4-7-8', title: '4-7-8 breathing', startedAt: now - 1000, activeMs: 57000, feeling: 'worse' },
    { tool: 'broken', title: 'Odd', startedAt: now - 1000, activeMs: Number.NaN }
  ]
  const totals = summarise(sessions, now)
  assert.equal(totals.weekMs, 180000 + 64000 + 270000 + 57000)
  assert.equal(totals.weekSessions, 5)
  assert.deepEqual(totals.helpful, [
    { tool: 'breathing/box', title: 'Box breathing', times: 2 },
    { tool: 'mindfulness/grounding', title: 'Grounding', times: 1 }
  ])
  assert.equal(totals.total, 6)
  assert.deepEqual(Object.keys(totals).sort(), ['helpful', 'total', 'weekMs', 'weekSessions'], 'no streaks')
  assert.equal(summarise([{ tool: 'a', title: 'A', startedAt: now - WEEK_MS, activeMs: 60000 }], now).weekMs, 0)
  assert.deepEqual(summarise([], now), { weekMs: 0, weekSessions: 0, helpful: [], total: 0 })
})

test('time and counts in words', () => {
  assert.equal(minutesInWords(20000), 'under a minute')
  assert.equal(minutesInWords(60000), '1 minute')
  assert.equal(minutesInWords(571000), '10 minutes')
  assert.equal(minutesInWords(3600000), '1 hour')
  assert.equal(minutesInWords(3900000), '1 hour 5 minutes')
  assert.equal(minutesInWords(2 * 3600000 + 60000), '2 hours 1 minute')
  assert.deepEqual([times(1), times(2), times(5)], ['once', 'twice', '5 times'])
})

test('custom patterns: 0 to 20 seconds each, a name, and at least 1 s in and out', () => {
  const good = validate({ name: '  Evening   wind-down ', inhale: '4', holdIn: '0', exhale: '6.5', holdOut: '2' })
  assert.equal(good.ok, true)
  assert.deepEqual(good.value, { name: 'Evening wind-down', inhale: 4, holdIn: 0, exhale: 6.5, holdOut: 2 })
  const bad = validate({ name: '', inhale: '21', holdIn: '-1', exhale: '0', holdOut: 'x' })
  assert.equal(bad.ok, false)
  assert.deepEqual(Object.keys(bad.errors).sort(), ['exhale', 'holdIn', 'holdOut', 'inhale', 'name'])
  assert.equal(validate({ name: 'x'.repeat(41), inhale: 1, holdIn: 0, exhale: 1, holdOut: 0 }).errors.name, 'Keep the name to 40 characters or fewer.')
  assert.equal(validate({ name: 'Max', inhale: 20, holdIn: 20, exhale: 20, holdOut: 20 }).ok, true)
  // A custom pattern runs in the engine, holds of 0 skipped.
  const pattern = makePattern('Evening', toPhases(good.value))
  assert.deepEqual(pattern.phases.map(p => [p.kind, p.ms]), [['in', 4000], ['out', 6500], ['hold', 2000]])
  assert.equal(summary(good.value), 'In 4, out 6.5, hold 2 seconds')
})

test('several custom patterns are saved on the device, found and deleted', () => {
  const storage = fakeStorage()
  let n = 0
  const id = () => `p${++n}`
  const a = save({ name: 'A', inhale: 4, holdIn: 0, exhale: 6, holdOut: 0 }, storage, id)
  const b = save({ name: 'B', inhale: 5, holdIn: 5, exhale: 5, holdOut: 5 }, storage, id)
  assert.deepEqual(loadAll(storage).map(p => p.name), ['A', 'B'])
  assert.deepEqual(find('p2', storage), b)
  assert.equal(find('nope', storage), null)
  assert.equal(remove(a.id, storage), true)
  assert.equal(remove(a.id, storage), false)
  assert.deepEqual(loadAll(storage).map(p => p.id), ['p2'])
  // Junk in storage is ignored rather than crashing the page.
  storage.setItem('wayfinder.breathing.custom', '{oops')
  assert.deepEqual(loadAll(storage), [])
  storage.setItem('wayfinder.breathing.custom', JSON.stringify([{ id: 'x', name: 'Bad', inhale: 99, holdIn: 0, exhale: 1, holdOut: 0 }, b]))
  assert.deepEqual(loadAll(storage), [b])
  for (let i = 1; i < MAX_PATTERNS; i++) save({ name: `P${i}`, inhale: 1, holdIn: 0, exhale: 1, holdOut: 0 }, storage, id)
  assert.throws(() => save({ name: 'One too many', inhale: 1, holdIn: 0, exhale: 1, holdOut: 0 }, storage, id), RangeError)
  assert.deepEqual(loadAll(null), [])
})

test('preferences are off until turned on, and remembered', () => {
  const storage = fakeStorage()
  for (const name of ['tones', 'vibration', 'speech', 'bell']) assert.equal(getPref(name, storage), false)
  setPref('tones', true, storage)
  assert.equal(getPref('tones', storage), true)
  assert.equal(storage.getItem('wayfinder.tools.tones'), 'on')
  setPref('tones', false, storage)
  assert.equal(getPref('tones', storage), false)
  assert.equal(getValue('length.breathing/box', 'minutes:3', storage), 'minutes:3')
  setValue('length.breathing/box', 'open', storage)
  assert.equal(getValue('length.breathing/box', 'minutes:3', storage), 'open')
  const broken = { getItem () { throw new Error('blocked') }, setItem () { throw new Error('full') }, removeItem () { throw new Error('blocked') } }
  assert.equal(getPref('tones', broken), false)
  setPref('tones', true, broken)
  assert.equal(getValue('x', 'fallback', broken), 'fallback')
  assert.equal(getPref('tones', null), false)
})
