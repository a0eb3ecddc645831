// The worker's push handlers: payload parsing, notification options, click URLs,
// window choice, snooze and re-subscribe, with fakes for the browser parts.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import {
  ACTIONS, FALLBACK_NOTIFICATION,
  notificationIcons, notificationOptions, onNotificationClick, onPush, onPushSubscriptionChange,
  openOrFocus, parsePushPayload, pickClient, pushEnv, resolveClickUrl, resubscribe, sameOriginUrl, snooze
} from '../../../service_worker/push.mjs'
import { loadRecord, saveRecord } from '../../../frontend/js/reminders-store.mjs'

const ORIGIN = 'https://wayfinder.example'

/** The payload the server builds (server/push/payload.py). */
function serverPayload (overrides = {}) {
  return JSON.stringify({
    web_push: 8030,
    notification: {
      title: 'A moment for yourself',
      body: 'Tap to open Wayfinder.',
      navigate: `${ORIGIN}/tools/breathing/box`,
      tag: 'wf-breathe-7-1780000000',
      lang: 'en',
      dir: 'ltr',
      silent: false,
      data: { url: '/tools/breathing/box', kind: 'breathe' },
      ...overrides
    }
  })
}

/** An event whose waitUntil collects promises. */
function fakeEvent (fields = {}) {
  const waits = []
  return { waits, waitUntil: p => waits.push(p), ...fields }
}

/** A fetch that records calls and answers with the given statuses in turn. */
function fakeFetch (...answers) {
  const calls = []
  const fn = async (url, init = {}) => {
    calls.push({ url, init, body: init.body ? JSON.parse(init.body) : undefined })
    const answer = answers.shift() ?? { status: 200, json: {} }
    return new Response(answer.status === 204 ? null : JSON.stringify(answer.json ?? {}), { status: answer.status })
  }
  fn.calls = calls
  return fn
}

const RECORD = {
  id: 'sub123',
  token: 'tok-secret',
  endpoint: 'https://push.example/old',
  synced: { timezone: 'Europe/London', reminders: [{ kind: 'breathe', time: '09:00', days: ['mon'] }], discreet: true }
}

test('the page and the worker agree on where the record lives', () => {
  const scope = { registration: { pushManager: {} }, location: { origin: ORIGIN }, clients: {}, fetch () {} }
  const env = pushEnv(scope)
  assert.deepEqual([env.loadRecord, env.saveRecord], [loadRecord, saveRecord])
})

test('a declarative payload becomes title, body, tag, data.url and both actions', () => {
  const message = parsePushPayload(serverPayload())
  const { title, options } = notificationOptions(message, { origin: ORIGIN, maxActions: 2, icon: '/static/gen/icons/icon-192.abc.png', badge: '/static/gen/icons/badge.abc.png' })
  assert.equal(title, 'A moment for yourself')
  assert.equal(options.body, 'Tap to open Wayfinder.')
  assert.equal(options.tag, 'wf-breathe-7-1780000000')
  assert.equal(options.lang, 'en')
  assert.equal(options.dir, 'ltr')
  assert.equal(options.silent, undefined)
  assert.equal(options.icon, `${ORIGIN}/static/gen/icons/icon-192.abc.png`)
  assert.equal(options.badge, `${ORIGIN}/static/gen/icons/badge.abc.png`)
  assert.deepEqual(options.data, { url: `${ORIGIN}/tools/breathing/box`, kind: 'breathe' })
  assert.deepEqual(options.actions, [{ action: 'start', title: 'Start now' }, { action: 'later', title: 'Later' }])
})

test('actions only where the browser shows them, and no "Later" for a test', () => {
  const reminder = parsePushPayload(serverPayload())
  assert.equal('actions' in notificationOptions(reminder, { origin: ORIGIN, maxActions: 0 }).options, false)
  assert.deepEqual(notificationOptions(reminder, { origin: ORIGIN, maxActions: 1 }).options.actions, [ACTIONS[0]])
  const testPush = parsePushPayload(serverPayload({ tag: 'wf-test-0-1', data: { url: '/reminders', kind: 'test' } }))
  assert.deepEqual(notificationOptions(testPush, { origin: ORIGIN, maxActions: 2 }).options.actions, [ACTIONS[0]])
})

test('bad or empty payloads still show a neutral notification', () => {
  for (const text of [null, '', '   ', '{"web_push": 8030}', '[1,2]', '{"notification": "x"}']) {
    const message = parsePushPayload(text)
    assert.equal(message.title, FALLBACK_NOTIFICATION.title, String(text))
    assert.equal(message.body, FALLBACK_NOTIFICATION.body)
    const { options } = notificationOptions(message, { origin: ORIGIN })
    assert.equal(options.data.url, `${ORIGIN}/reminders`)
  }
  assert.equal(parsePushPayload('Hello there').body, 'Hello there')
  const odd = parsePushPayload(JSON.stringify({ notification: { title: 5, body: ['x'], dir: 'sideways', data: [1] } }))
  assert.equal(odd.title, FALLBACK_NOTIFICATION.title)
  assert.equal(odd.dir, '')
  assert.deepEqual(odd.data, {})
})

test('links never leave the site', () => {
  assert.equal(sameOriginUrl('/tools', ORIGIN), `${ORIGIN}/tools`)
  assert.equal(sameOriginUrl(`${ORIGIN}/guide?x=1#a`, ORIGIN), `${ORIGIN}/guide?x=1#a`)
  assert.equal(sameOriginUrl('https://evil.example/phish', ORIGIN), `${ORIGIN}/`)
  assert.equal(sameOriginUrl('javascript:alert(1)', ORIGIN), `${ORIGIN}/`)
  assert.equal(sameOriginUrl('//evil.example/x', ORIGIN, '/reminders'), `${ORIGIN}/reminders`)
  const message = parsePushPayload(serverPayload({ navigate: 'https://evil.example/', data: { url: 'https://evil.example/', kind: 'breathe' } }))
  assert.equal(notificationOptions(message, { origin: ORIGIN }).options.data.url, `${ORIGIN}/reminders`)
})

test('a tap opens the reminder\'s tool; "Later" opens nothing', () => {
  const data = { url: `${ORIGIN}/tools/breathing/box`, kind: 'breathe' }
  assert.equal(resolveClickUrl(data, '', ORIGIN), `${ORIGIN}/tools/breathing/box`)
  assert.equal(resolveClickUrl(data, 'start', ORIGIN), `${ORIGIN}/tools/breathing/box`)
  assert.equal(resolveClickUrl(data, 'later', ORIGIN), null)
  assert.equal(resolveClickUrl(null, '', ORIGIN), `${ORIGIN}/reminders`)
})

test('the window already on the page is focused; else ours is navigated; else none', () => {
  const url = `${ORIGIN}/tools/breathing/box`
  const guide = { url: `${ORIGIN}/guide`, focused: false, visibilityState: 'hidden' }
  const help = { url: `${ORIGIN}/help`, focused: true, visibilityState: 'visible' }
  const box = { url: `${url}#start`, focused: false, visibilityState: 'hidden' }
  const other = { url: 'https://elsewhere.example/tools/breathing/box' }
  assert.deepEqual(pickClient([guide, box, help], url), { client: box, navigate: false })
  assert.deepEqual(pickClient([guide, help], url), { client: help, navigate: true })
  assert.deepEqual(pickClient([other], url), null)
  assert.deepEqual(pickClient([], url), null)
})

test('openOrFocus focuses, navigates or opens as chosen', async () => {
  const log = []
  const client = (u, navigable = true) => ({
    url: u,
    focus: async () => log.push(['focus', u]),
    navigate: async to => { if (!navigable) throw new TypeError('not controlled'); log.push(['navigate', to]); return client(to) }
  })
  const clients = list => ({
    matchAll: async options => { log.push(['matchAll', options]); return list },
    openWindow: async u => log.push(['open', u])
  })
  const url = `${ORIGIN}/tools`
  await openOrFocus(clients([client(url)]), url)
  await openOrFocus(clients([client(`${ORIGIN}/guide`)]), url)
  await openOrFocus(clients([client(`${ORIGIN}/guide`, false)]), url)
  await openOrFocus(clients([]), url)
  assert.deepEqual(log, [
    ['matchAll', { type: 'window', includeUncontrolled: true }], ['focus', url],
    ['matchAll', { type: 'window', includeUncontrolled: true }], ['navigate', url], ['focus', url],
    ['matchAll', { type: 'window', includeUncontrolled: true }], ['open', url],
    ['matchAll', { type: 'window', includeUncontrolled: true }], ['open', url]
  ])
})

test('push always shows a notification inside waitUntil', async () => {
  const shown = []
  const registration = {
    showNotification: async (title, options) => {
      if (options.icon === 'boom') throw new TypeError('bad')
      shown.push({ title, options })
    }
  }
  const event = fakeEvent({ data: { text: () => serverPayload() } })
  onPush(event, { registration, origin: ORIGIN, maxActions: 2 })
  assert.equal(event.waits.length, 1)
  await event.waits[0]
  assert.equal(shown[0].title, 'A moment for yourself')
  // No data at all still shows the fallback.
  const empty = fakeEvent({ data: null })
  onPush(empty, { registration, origin: ORIGIN })
  await empty.waits[0]
  assert.equal(shown[1].title, FALLBACK_NOTIFICATION.title)
})

test('"Later" posts to the snooze endpoint with the token; a tap opens the page', async () => {
  const fetchFn = fakeFetch({ status: 202 })
  const notification = { tag: 'wf-breathe-7-1780000000', data: { url: `${ORIGIN}/tools/breathing/box`, kind: 'breathe' }, closed: false, close () { this.closed = true } }
  const later = fakeEvent({ notification, action: 'later' })
  const opened = []
  const env = {
    origin: ORIGIN,
    fetchFn,
    loadRecord: async () => RECORD,
    clients: { matchAll: async () => [], openWindow: async u => opened.push(u) }
  }
  onNotificationClick(later, env)
  assert.equal(notification.closed, true)
  assert.equal(await later.waits[0], true)
  assert.equal(fetchFn.calls[0].url, '/api/push/subscriptions/sub123/snooze')
  assert.equal(fetchFn.calls[0].init.method, 'POST')
  assert.equal(fetchFn.calls[0].init.headers.Authorization, 'Bearer tok-secret')
  assert.deepEqual(fetchFn.calls[0].body, { tag: 'wf-breathe-7-1780000000' })
  assert.deepEqual(opened, [])

  const tap = fakeEvent({ notification, action: '' })
  onNotificationClick(tap, env)
  await tap.waits[0]
  assert.deepEqual(opened, [`${ORIGIN}/tools/breathing/box`])
})

test('snooze does nothing without a record on this device', async () => {
  const fetchFn = fakeFetch()
  assert.equal(await snooze({ tag: 'x', data: {} }, { fetchFn, loadRecord: async () => undefined }), false)
  assert.equal(fetchFn.calls.length, 0)
})

test('pushsubscriptionchange re-subscribes with the old key and PUTs the new subscription', async () => {
  const saved = []
  const fetchFn = fakeFetch({ status: 200, json: {} })
  const key = new Uint8Array([4, 1, 2]).buffer
  const subscribed = []
  const pushManager = {
    getSubscription: async () => null,
    subscribe: async options => {
      subscribed.push(options)
      return { endpoint: 'https://push.example/new', toJSON: () => ({ endpoint: 'https://push.example/new', expirationTime: null, keys: { p256dh: 'P', auth: 'A' } }) }
    }
  }
  const event = fakeEvent({ oldSubscription: { options: { applicationServerKey: key } }, newSubscription: null })
  onPushSubscriptionChange(event, { pushManager, fetchFn, loadRecord: async () => RECORD, saveRecord: async r => saved.push(r) })
  assert.equal(await event.waits[0], true)
  assert.deepEqual(subscribed, [{ userVisibleOnly: true, applicationServerKey: key }])
  const put = fetchFn.calls[0]
  assert.equal(put.url, '/api/push/subscriptions/sub123')
  assert.equal(put.init.method, 'PUT')
  assert.equal(put.init.headers.Authorization, 'Bearer tok-secret')
  assert.deepEqual(put.body, { ...RECORD.synced, subscription: { endpoint: 'https://push.example/new', expirationTime: null, keys: { p256dh: 'P', auth: 'A' } } })
  assert.equal(saved[0].endpoint, 'https://push.example/new')
  assert.equal(saved[0].token, 'tok-secret')
})

test('re-subscribe uses newSubscription when given, and fetches the key when the old one is unknown', async () => {
  const fresh = { endpoint: 'https://push.example/fresh', toJSON: () => ({ endpoint: 'https://push.example/fresh', keys: { p256dh: 'P', auth: 'A' } }) }
  const fetchFn = fakeFetch({ status: 200 })
  const pushManager = { getSubscription: async () => null, subscribe: async () => assert.fail('no subscribe needed') }
  assert.equal(await resubscribe({ newSubscription: fresh }, { pushManager, fetchFn, loadRecord: async () => RECORD, saveRecord: async () => {} }), true)
  assert.equal(fetchFn.calls[0].body.subscription.endpoint, 'https://push.example/fresh')

  const keyFetch = fakeFetch({ status: 200, json: { publicKey: 'BASE64URLKEY' } }, { status: 200 })
  const subscribed = []
  const manager = { getSubscription: async () => null, subscribe: async o => { subscribed.push(o); return fresh } }
  assert.equal(await resubscribe({}, { pushManager: manager, fetchFn: keyFetch, loadRecord: async () => RECORD, saveRecord: async () => {} }), true)
  assert.equal(keyFetch.calls[0].url, '/api/push/public-key')
  assert.equal(subscribed[0].applicationServerKey, 'BASE64URLKEY')
})

test('re-subscribe reports failure when the server refuses, and does nothing without a record', async () => {
  const fresh = { endpoint: 'https://push.example/fresh', toJSON: () => ({ endpoint: 'https://push.example/fresh', keys: { p256dh: 'P', auth: 'A' } }) }
  const saved = []
  const env = { pushManager: {}, fetchFn: fakeFetch({ status: 404 }), loadRecord: async () => RECORD, saveRecord: async r => saved.push(r) }
  assert.equal(await resubscribe({ newSubscription: fresh }, env), false)
  assert.deepEqual(saved, [])
  assert.equal(await resubscribe({ newSubscription: fresh }, { ...env, loadRecord: async () => undefined }), false)
})

test('icons are found among the hashed precache URLs', () => {
  const entries = [
    { url: '/static/gen/main.0123456789ab.css' },
    { url: '/static/gen/icons/logo.0123456789ab.svg' },
    { url: '/static/gen/icons/icon-192.0123456789ab.png' },
    { url: '/static/gen/icons/icon-512.0123456789ab.png' },
    { url: '/static/gen/icons/badge-96.0123456789ab.png' }
  ]
  assert.deepEqual(notificationIcons(entries), { icon: '/static/gen/icons/icon-192.0123456789ab.png', badge: '/static/gen/icons/badge-96.0123456789ab.png' })
  assert.deepEqual(notificationIcons(['/static/gen/icons/logo.0123456789ab.svg']), { icon: '/static/gen/icons/logo.0123456789ab.svg', badge: '' })
  assert.deepEqual(notificationIcons([]), { icon: '', badge: '' })
})
