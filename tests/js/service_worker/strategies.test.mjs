// Service worker strategies: cache first for assets; pages from the precache with a network fallback path.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { NETWORK_TIMEOUT_MS, cacheFirst, isCacheable, servePage, withTimeout } from '../../../service_worker/strategies.mjs'
import { FakeCache, fakeFetch } from './fakes.mjs'

const ORIGIN = 'https://wayfinder.example'
const OFFLINE = ORIGIN + '/offline'

async function cacheWith (entries) {
  const cache = new FakeCache()
  for (const [url, body] of Object.entries(entries)) await cache.put(url, new Response(body))
  return cache
}

function page (path, deps) {
  const url = new URL(path, ORIGIN)
  return servePage(new Request(url), {
    offlineUrl: OFFLINE,
    pageUrl: url.origin + url.pathname,
    query: url.search !== '',
    ...deps
  })
}

test('the network timeout is at most 3 seconds', () => {
  assert.ok(NETWORK_TIMEOUT_MS > 0 && NETWORK_TIMEOUT_MS <= 3000)
})

test('only complete same-origin answers are cacheable', () => {
  const ok = new Response('x')
  assert.equal(isCacheable(ok, ORIGIN + '/a', ORIGIN), true)
  assert.equal(isCacheable(ok, 'https://cdn.example/a', ORIGIN), false)
  assert.equal(isCacheable(new Response('x', { status: 404 }), ORIGIN + '/a', ORIGIN), false)
  assert.equal(isCacheable(new Response('x', { status: 206 }), ORIGIN + '/a', ORIGIN), false)
  assert.equal(isCacheable(new Response('x', { status: 500 }), ORIGIN + '/a', ORIGIN), false)
  assert.equal(isCacheable(Response.error(), ORIGIN + '/a', ORIGIN), false)
  for (const type of ['opaque', 'cors', 'opaqueredirect', 'error']) {
    assert.equal(isCacheable({ status: 200, type }, ORIGIN + '/a', ORIGIN), false, type)
  }
  assert.equal(isCacheable({ status: 200, type: 'basic' }, ORIGIN + '/a', ORIGIN), true)
})

test('cache first answers from the cache without touching the network', async () => {
  const cache = await cacheWith({ [ORIGIN + '/static/gen/main.0123456789ab.css']: 'body{}' })
  const fetchFn = fakeFetch()
  const response = await cacheFirst(new Request(ORIGIN + '/static/gen/main.0123456789ab.css'), { cache, fetchFn })
  assert.equal(await response.text(), 'body{}')
  assert.equal(fetchFn.calls.length, 0)
  assert.deepEqual(cache.matchOptions.at(-1), { ignoreVary: true })
})

test('cache first falls back to the network on a miss and stores nothing', async () => {
  const cache = await cacheWith({})
  const fetchFn = fakeFetch({ [ORIGIN + '/late.json']: '{}' })
  const response = await cacheFirst(new Request(ORIGIN + '/late.json'), { cache, fetchFn })
  assert.equal(await response.text(), '{}')
  assert.equal(cache.entries.size, 0)
})

test('a precached page is answered at once, even when the network hangs', async () => {
  const cache = await cacheWith({ [ORIGIN + '/guide/a']: 'saved article', [OFFLINE]: 'offline' })
  const fetchFn = () => new Promise(() => {})
  const response = await page('/guide/a', { cache, fetchFn })
  assert.equal(await response.text(), 'saved article')
})

test('a precached page does not wait for the network at all', async () => {
  const cache = await cacheWith({ [ORIGIN + '/']: 'home' })
  const fetchFn = fakeFetch({ [ORIGIN + '/']: 'fresh home' })
  assert.equal(await (await page('/', { cache, fetchFn })).text(), 'home')
  assert.equal(fetchFn.calls.length, 0)
})

test('an unknown page offline gets the offline page with status 200', async () => {
  const cache = await cacheWith({ [OFFLINE]: 'You are offline' })
  const response = await page('/guide/not-saved', { cache, fetchFn: fakeFetch() })
  assert.equal(response.status, 200)
  assert.equal(await response.text(), 'You are offline')
})

test('an unknown page online comes from the network, whatever its status', async () => {
  const cache = await cacheWith({ [OFFLINE]: 'offline' })
  const fetchFn = fakeFetch({ [ORIGIN + '/nope']: () => new Response('not found', { status: 404 }) })
  const response = await page('/nope', { cache, fetchFn })
  assert.equal(response.status, 404)
  assert.equal(cache.entries.size, 1, 'nothing new is cached')
})

test('a page with a query string asks the network first, then uses the saved page', async () => {
  const cache = await cacheWith({ [ORIGIN + '/search']: 'saved search page' })
  const online = fakeFetch({ [ORIGIN + '/search?q=sleep']: 'server results' })
  assert.equal(await (await page('/search?q=sleep', { cache, fetchFn: online })).text(), 'server results')
  const offline = fakeFetch()
  assert.equal(await (await page('/search?q=sleep', { cache, fetchFn: offline })).text(), 'saved search page')
})

test('a slow network gives way to the saved page after the timeout', async () => {
  const cache = await cacheWith({ [ORIGIN + '/search']: 'saved search page' })
  const slow = () => new Promise((resolve) => setTimeout(() => resolve(new Response('late')), 200))
  const response = await page('/search?q=x', { cache, fetchFn: slow, timeoutMs: 20 })
  assert.equal(await response.text(), 'saved search page')
})

test('with nothing saved at all, the answer is a network error, not a hang', async () => {
  const response = await page('/x', { cache: new FakeCache(), fetchFn: fakeFetch() })
  assert.equal(response.type, 'error')
})

test('withTimeout passes through a prompt answer and rejects a late one', async () => {
  const quick = await withTimeout(Promise.resolve('yes'), 50)
  assert.equal(quick, 'yes')
  await assert.rejects(withTimeout(new Promise(() => {}), 10), /no answer within 10 ms/)
})
