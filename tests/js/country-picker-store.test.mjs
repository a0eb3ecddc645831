import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readCountry, saveCountry } from '../../frontend/js/country-picker-store.mjs'
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
