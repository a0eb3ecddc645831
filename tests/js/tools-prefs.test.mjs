// The tools' preferences, kept in localStorage.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { getPref, setPref, getValue, setValue } from '../../frontend/js/tools-prefs.mjs'
import { fakeStorage } from './fake-storage.mjs'

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
