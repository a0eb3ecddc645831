// Service worker routing decisions: which strategy answers which request, and which caches are ours.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  PRECACHE_PREFIX, canonicalUrl, hasQuery, isOldPrecache, pageKey, precacheName, requestFacts, routeRequest
} from '../../../service_worker/routes.mjs'

const ORIGIN = 'https://wayfinder.example'
const get = (path, extra = {}) => ({ method: 'GET', url: ORIGIN + path, mode: 'cors', hasRange: false, ...extra })

test('navigations to our pages use the page strategy', () => {
  for (const path of ['/', '/guide/what-is-trd', '/help', '/offline', '/no-such-page', '/search?q=sleep']) {
    assert.equal(routeRequest(get(path, { mode: 'navigate' }), ORIGIN), 'page', path)
  }
})

test('same-origin GET subresources are cache first', () => {
  for (const path of ['/static/gen/main.0123456789ab.css', '/manifest.webmanifest', '/search-index.json']) {
    assert.equal(routeRequest(get(path), ORIGIN), 'precache', path)
  }
})

test('the worker never answers other methods, origins, ranges, the API or itself', () => {
  assert.equal(routeRequest(get('/', { method: 'POST', mode: 'navigate' }), ORIGIN), 'network')
  assert.equal(routeRequest(get('/', { method: 'HEAD' }), ORIGIN), 'network')
  assert.equal(routeRequest({ method: 'GET', url: 'https://other.example/x.css', mode: 'no-cors' }, ORIGIN), 'network')
  assert.equal(routeRequest({ method: 'GET', url: 'http://wayfinder.example/', mode: 'navigate' }, ORIGIN), 'network')
  assert.equal(routeRequest(get('/static/gen/breath.0123456789ab.mp3', { hasRange: true }), ORIGIN), 'network')
  assert.equal(routeRequest(get('/api/push/subscriptions'), ORIGIN), 'network')
  assert.equal(routeRequest(get('/api/reminders', { mode: 'navigate' }), ORIGIN), 'network')
  assert.equal(routeRequest(get('/sw.js'), ORIGIN), 'network')
})

test('a path that merely starts like the API is still ours', () => {
  assert.equal(routeRequest(get('/apiary', { mode: 'navigate' }), ORIGIN), 'page')
})

test('requestFacts reads what routing needs from a Request', () => {
  const facts = requestFacts(new Request(ORIGIN + '/a.mp3', { headers: { Range: 'bytes=0-' } }))
  assert.deepEqual(facts, { method: 'GET', url: ORIGIN + '/a.mp3', mode: 'cors', hasRange: true })
  assert.equal(requestFacts(new Request(ORIGIN + '/')).hasRange, false)
})

test('page keys drop the query string and fragment', () => {
  assert.equal(pageKey(ORIGIN + '/search?q=sleep#top'), ORIGIN + '/search')
  assert.equal(pageKey(ORIGIN + '/'), ORIGIN + '/')
  assert.equal(hasQuery(ORIGIN + '/search?q=sleep'), true)
  assert.equal(hasQuery(ORIGIN + '/search'), false)
  assert.equal(hasQuery(ORIGIN + '/search?'), false)
})

test('only our own precaches from other versions count as old', () => {
  const current = precacheName('abc123')
  assert.equal(current, PRECACHE_PREFIX + 'abc123')
  assert.equal(isOldPrecache(precacheName('old999'), current), true)
  assert.equal(isOldPrecache(current, current), false)
  for (const other of ['wf-audio-v1', 'wf-reminders', 'workbox-precache-v2', 'precache-wf-precache-x']) {
    assert.equal(isOldPrecache(other, current), false, other)
  }
})

test('a path with a trailing slash has the canonical URL the server redirects to', () => {
  assert.equal(canonicalUrl(ORIGIN + '/help/'), ORIGIN + '/help')
  assert.equal(canonicalUrl(ORIGIN + '/guide//'), ORIGIN + '/guide')
  assert.equal(canonicalUrl(ORIGIN + '/search/?q=sleep#top'), ORIGIN + '/search?q=sleep#top')
  assert.equal(canonicalUrl(ORIGIN + '/guide/what-is-trd/'), ORIGIN + '/guide/what-is-trd')
  assert.equal(canonicalUrl(ORIGIN + '/'), null)
  assert.equal(canonicalUrl(ORIGIN + '/help'), null)
  assert.equal(canonicalUrl(ORIGIN + '/search?q=a/'), null)
})
