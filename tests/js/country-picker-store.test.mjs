import { test } from 'node:test'
import assert from 'node:assert/strict'
import { markCountry, readCountry, saveCountry, setData } from '../../frontend/js/country-picker-store.mjs'
import { STORAGE_KEY } from '../../frontend/js/country-picker-model.mjs'
import { fakeStorage } from './fake-storage.mjs'

test('the choice is kept, read back and forgotten', () => {
  const storage = fakeStorage()
  assert.equal(readCountry(storage), null)
  assert.equal(saveCountry('GB', storage), true)
  assert.equal(storage.map.get(STORAGE_KEY), 'GB')
  assert.equal(readCountry(storage), 'GB')
  saveCountry(null, storage)
  assert.equal(readCountry(storage), null)
})

test('storage that refuses is not an error', () => {
  const refusing = {
    getItem () { throw new Error('denied') },
    setItem () { throw new Error('denied') },
    removeItem () { throw new Error('denied') }
  }
  assert.equal(readCountry(refusing), null)
  assert.equal(saveCountry('GB', refusing), false)
})

/** An element stand-in whose dataset records every write and removal. */
function recordingElement () {
  const writes = []
  const dataset = new Proxy({}, {
    set (target, key, value) { writes.push(['set', key, value]); target[key] = value; return true },
    deleteProperty (target, key) { writes.push(['delete', key]); delete target[key]; return true }
  })
  return { dataset, writes }
}

test('a data attribute is written only when it changes', () => {
  const $el = recordingElement()
  setData($el, 'plan', 'yes')
  setData($el, 'plan', 'yes')
  setData($el, 'plan', 'no')
  setData($el, 'plan', undefined)
  setData($el, 'plan', undefined)
  assert.deepEqual($el.writes, [['set', 'plan', 'yes'], ['set', 'plan', 'no'], ['delete', 'plan']])
})

test('marking the country shown already writes nothing', () => {
  const root = recordingElement()
  const listed = ['GB', 'US']
  assert.deepEqual(markCountry({ country: 'GB', source: 'guess' }, listed, root), ['GB'])
  const first = root.writes.length
  assert.equal(first, 2)
  markCountry({ country: 'GB', source: 'guess' }, listed, root)
  assert.equal(root.writes.length, first)
  markCountry({ country: null, source: 'none' }, listed, root)
  assert.deepEqual(root.writes.slice(first), [['delete', 'helpFirst'], ['delete', 'helpSource']])
})
