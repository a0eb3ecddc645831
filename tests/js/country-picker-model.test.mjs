import { test } from 'node:test'
import assert from 'node:assert/strict'
import { OTHER, cardRows, guessCountry, initialCountry, regionOf } from '../../frontend/js/country-picker-model.mjs'

const LISTED = ['US', 'CA', 'GB', 'IE', 'AU', 'NZ']

test('the region comes from the language tag', () => {
  assert.equal(regionOf('en-GB'), 'GB')
  assert.equal(regionOf('en_nz'), 'NZ')
  assert.equal(regionOf('fr-CA'), 'CA')
  assert.equal(regionOf('zh-Hant-TW'), 'TW')
  assert.equal(regionOf('es-419'), '419')
  assert.equal(regionOf('en-UK'), 'GB')
  assert.equal(regionOf('en'), null)
  assert.equal(regionOf('sr-Latn'), null)
  assert.equal(regionOf(''), null)
  assert.equal(regionOf(undefined), null)
})

test('a listed region is guessed', () => {
  assert.equal(guessCountry(['en-GB', 'en'], LISTED), 'GB')
  assert.equal(guessCountry(['en-NZ'], LISTED), 'NZ')
  assert.equal(guessCountry(['fr-CA', 'en-CA'], LISTED), 'CA')
  assert.equal(guessCountry(['ga-IE'], LISTED), 'IE')
  assert.equal(guessCountry(['en-AU'], LISTED), 'AU')
  assert.equal(guessCountry(['en-US'], LISTED), 'US')
})

test('the first language with a region decides', () => {
  assert.equal(guessCountry(['en', 'en-IE', 'en-US'], LISTED), 'IE')
  assert.equal(guessCountry(['de-DE', 'en-US'], LISTED), OTHER)
})

test('a region we do not list gives the international directory', () => {
  assert.equal(guessCountry(['de-DE'], LISTED), OTHER)
  assert.equal(guessCountry(['es-419'], LISTED), OTHER)
  assert.equal(guessCountry(['en-IN'], LISTED), OTHER)
})

test('no region at all makes no guess', () => {
  assert.equal(guessCountry(['en'], LISTED), null)
  assert.equal(guessCountry([], LISTED), null)
  assert.equal(guessCountry(undefined, LISTED), null)
  // WebKitGTK under a C locale reports navigator.languages as ['C'].
  assert.equal(guessCountry(['C'], LISTED), null)
  assert.equal(guessCountry(['C', 'POSIX'], LISTED), null)
})

test('a saved choice wins over the guess; a stale one is ignored', () => {
  assert.deepEqual(initialCountry({ saved: 'IE', languages: ['en-GB'], listed: LISTED }), { country: 'IE', source: 'saved' })
  assert.deepEqual(initialCountry({ saved: OTHER, languages: ['en-GB'], listed: LISTED }), { country: OTHER, source: 'saved' })
  assert.deepEqual(initialCountry({ saved: 'XX', languages: ['en-GB'], listed: LISTED }), { country: 'GB', source: 'guess' })
  assert.deepEqual(initialCountry({ saved: null, languages: ['en'], listed: LISTED }), { country: null, source: 'none' })
})

test('a help card shows the chosen country, the directory, or every country', () => {
  assert.deepEqual(cardRows('GB', LISTED), ['GB'])
  assert.deepEqual(cardRows(OTHER, LISTED), [OTHER])
  assert.deepEqual(cardRows(null, LISTED), LISTED)
  assert.deepEqual(cardRows('FR', LISTED), LISTED)
  assert.notEqual(cardRows(null, LISTED), LISTED, 'a copy, not the list itself')
})
