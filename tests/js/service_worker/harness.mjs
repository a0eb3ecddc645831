// Runs an assembled worker script (the path in argv[2], as served at /sw.js) in a
// Node vm with fake caches and fetch, drives install, activate and fetch events,
// and prints what happened as JSON. Used by tests/server/test_pwa.py.
import { readFileSync } from 'node:fs'
import vm from 'node:vm'
import { FakeCacheStorage } from './fakes.mjs'

const ORIGIN = 'http://localhost'
const listeners = {}
const storage = new FakeCacheStorage()
await storage.open('wf-precache-000000000000')
await storage.open('wf-audio-v1')
const fetched = []
let online = true
const flags = { skipped: false, claimed: false }

const sandbox = {
  self: {
    location: new URL(ORIGIN + '/sw.js'),
    registration: { scope: ORIGIN + '/' },
    addEventListener: (type, fn) => { listeners[type] = fn },
    skipWaiting: async () => { flags.skipped = true },
    clients: { claim: async () => { flags.claimed = true } }
  },
  caches: storage,
  fetch: async (request) => {
    if (!online) throw new TypeError('Failed to fetch')
    fetched.push({ url: request.url, cache: request.cache })
    return new Response(`body of ${new URL(request.url).pathname}`, { status: 200 })
  },
  Request, Response, Headers, URL, MessageChannel, setTimeout, clearTimeout, console
}
vm.createContext(sandbox)
vm.runInContext(readFileSync(process.argv[2], 'utf8'), sandbox, { filename: 'sw.js' })

async function dispatch (type, init = {}) {
  const event = { ...init, waitUntil (p) { this.done = p }, respondWith (p) { this.response = p } }
  listeners[type](event)
  if (event.done) await event.done
  return event.response ? (await event.response).text() : null
}

async function respond (type, init = {}) {
  const event = { ...init, waitUntil (p) { this.done = p }, respondWith (p) { this.response = p } }
  listeners[type](event)
  return event.response ? await event.response : null
}

const navigate = (path) => ({ request: { url: ORIGIN + path, method: 'GET', mode: 'navigate', headers: new Headers() } })
await dispatch('install')
await dispatch('activate')
const cacheNames = await storage.keys()
const current = cacheNames.find((name) => name.startsWith('wf-precache-'))
const saved = [...(await storage.open(current)).entries.keys()].map((url) => new URL(url).pathname)
const revisions = Object.fromEntries(await Promise.all([...(await storage.open(current)).entries].map(
  async ([url, response]) => [new URL(url).pathname, response.headers.get('x-wf-revision')])))
online = false
const result = {
  listeners: Object.keys(listeners).sort(),
  fetched,
  cacheNames,
  saved,
  revisions,
  home: await dispatch('fetch', navigate('/')),
  unknown: await dispatch('fetch', navigate('/no-such-page')),
  api: await dispatch('fetch', { request: new Request(ORIGIN + '/api/x', { method: 'POST' }) }),
  ...flags
}
const slashed = await respond('fetch', navigate('/help/?from=home'))
result.slash = { status: slashed.status, location: slashed.headers.get('location') }
await dispatch('message', { data: { type: 'SKIP_WAITING' }, ports: [] })
result.skippedAfterMessage = flags.skipped
console.log(JSON.stringify(result))
