// Service worker precache: all-or-nothing install, no re-download of unchanged revisions, cleanup of our old caches only.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { REVISION_HEADER, installPrecache, removeOldPrecaches, withRevision } from '../../../service_worker/precache.mjs'
import { precacheName } from '../../../service_worker/routes.mjs'
import { FakeCacheStorage, fakeFetch } from './fakes.mjs'

const ORIGIN = 'https://wayfinder.example'
const ENTRIES = [
  { url: '/', revision: 'home1' },
  { url: '/offline', revision: 'off1' },
  { url: '/static/gen/main.0123456789ab.css', revision: '0123456789ab' }
]
const SITE = {
  [ORIGIN + '/']: 'home v1',
  [ORIGIN + '/offline']: 'offline v1',
  [ORIGIN + '/static/gen/main.0123456789ab.css']: 'body{}'
}

function install (storage, version, entries, fetchFn) {
  return installPrecache(entries, { cacheStorage: storage, cacheName: precacheName(version), fetchFn, origin: ORIGIN })
}

test('install saves every entry with its revision, bypassing the HTTP cache', async () => {
  const storage = new FakeCacheStorage()
  const fetchFn = fakeFetch(SITE)
  assert.deepEqual(await install(storage, 'v1', ENTRIES, fetchFn), { fetched: 3, reused: 0 })
  const cache = await storage.open(precacheName('v1'))
  for (const { url, revision } of ENTRIES) {
    const saved = await cache.match(ORIGIN + url)
    assert.equal(saved.headers.get(REVISION_HEADER), revision)
    assert.equal(await saved.text(), SITE[ORIGIN + url])
  }
  assert.ok(fetchFn.calls.every((request) => request.cache === 'reload'))
  assert.ok(fetchFn.calls.every((request) => request.credentials === 'same-origin'))
})

test('install fails as a whole when one URL fails, so the old version stays in charge', async () => {
  const storage = new FakeCacheStorage()
  const broken = { ...SITE, [ORIGIN + '/offline']: () => new Response('gone', { status: 404 }) }
  await assert.rejects(install(storage, 'v1', ENTRIES, fakeFetch(broken)), /\/offline answered 404/)
  const offline = { ...SITE }
  delete offline[ORIGIN + '/offline']
  await assert.rejects(install(storage, 'v2', ENTRIES, fakeFetch(offline)), /Failed to fetch/)
})

test('install refuses responses from another origin', async () => {
  const storage = new FakeCacheStorage()
  const entries = [{ url: 'https://cdn.example/x.js', revision: 'x' }]
  const fetchFn = fakeFetch({ 'https://cdn.example/x.js': 'x' })
  await assert.rejects(install(storage, 'v1', entries, fetchFn), /answered 200/)
})

test('an update downloads only what changed and copies the rest from the old precache', async () => {
  const storage = new FakeCacheStorage()
  await install(storage, 'v1', ENTRIES, fakeFetch(SITE))
  const changed = ENTRIES.map((e) => (e.url === '/' ? { url: '/', revision: 'home2' } : e))
  const fetchFn = fakeFetch({ ...SITE, [ORIGIN + '/']: 'home v2' })
  assert.deepEqual(await install(storage, 'v2', changed, fetchFn), { fetched: 1, reused: 2 })
  assert.deepEqual(fetchFn.calls.map((r) => r.url), [ORIGIN + '/'])
  const fresh = await storage.open(precacheName('v2'))
  assert.equal(await (await fresh.match(ORIGIN + '/')).text(), 'home v2')
  assert.equal(await (await fresh.match(ORIGIN + '/offline')).text(), 'offline v1')
  const old = await storage.open(precacheName('v1'))
  assert.equal(await (await old.match(ORIGIN + '/')).text(), 'home v1', 'the old version is untouched')
})

test('an interrupted install resumes without downloading again what it saved', async () => {
  const storage = new FakeCacheStorage()
  const partial = { ...SITE }
  delete partial[ORIGIN + '/static/gen/main.0123456789ab.css']
  await assert.rejects(install(storage, 'v1', ENTRIES, fakeFetch(partial)))
  const fetchFn = fakeFetch(SITE)
  const counts = await install(storage, 'v1', ENTRIES, fetchFn)
  assert.equal(counts.fetched + counts.reused, 3)
  assert.ok(counts.reused >= 1)
})

test('activate deletes our old precaches and nothing else', async () => {
  const storage = new FakeCacheStorage()
  for (const name of [precacheName('v1'), precacheName('v2'), 'wf-audio-v1', 'other-app']) await storage.open(name)
  assert.deepEqual(await removeOldPrecaches(storage, precacheName('v2')), [precacheName('v1')])
  assert.deepEqual((await storage.keys()).sort(), [precacheName('v2'), 'other-app', 'wf-audio-v1'].sort())
})

test('withRevision keeps status, headers and body, and adds the revision', async () => {
  const original = new Response('<h1>Hi</h1>', { status: 200, headers: { 'Content-Type': 'text/html' } })
  const copy = await withRevision(original, 'r1')
  assert.equal(copy.status, 200)
  assert.equal(copy.headers.get('content-type'), 'text/html')
  assert.equal(copy.headers.get(REVISION_HEADER), 'r1')
  assert.equal(copy.redirected, false)
  assert.equal(await copy.text(), '<h1>Hi</h1>')
})
