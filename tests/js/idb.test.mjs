// The vendored idb build is the npm package's, unchanged below its header.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

test('frontend/js/idb.mjs is idb\'s build/index.js with a header naming its version', () => {
  const vendored = readFileSync(new URL('../../frontend/js/idb.mjs', import.meta.url), 'utf8')
  const packageDir = require.resolve('idb/package.json').replace(/package\.json$/, '')
  const original = readFileSync(packageDir + 'build/index.js', 'utf8')
  const { version } = JSON.parse(readFileSync(packageDir + 'package.json', 'utf8'))
  const header = vendored.slice(0, vendored.indexOf('*/') + 3)
  assert.match(header, new RegExp(`^/\\* idb ${version.replaceAll('.', '\\.')} `))
  assert.equal(vendored.slice(header.length), original)
})
