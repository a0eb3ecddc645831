// The push subscription's life: permission, subscribe, mend, unsubscribe, and
// the record kept on the device, with fakes for the browser parts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import './reminders-vocabulary.mjs'
import {
  adoptServerSettings, askPermission, changedSubscription, currentTimezone, newRecord,
  savedRecord, subscribe, unsubscribe, visiblePanels
} from '../../frontend/js/reminders-lifecycle.mjs'
import { settingsBody } from '../../frontend/js/reminders-model.mjs'

/** A registration whose push manager holds at most one subscription. */
function fakeRegistration (endpoint = null) {
  const calls = []
  let current = endpoint && fakeSubscription(endpoint)
  function fakeSubscription (url) {
    return { endpoint: url, unsubscribe: async () => { calls.push('unsubscribe'); current = null } }
  }
  return {
    calls,
    pushManager: {
      getSubscription: async () => current,
      subscribe: async options => {
        calls.push(options)
        current = fakeSubscription('https://push.example/new')
        return current
      }
    }
  }
}

const keyApi = (answer = { status: 200, data: { publicKey: 'AQID' } }) => {
  const api = { calls: 0, publicKey: async () => { api.calls += 1; return answer } }
  return api
}

test('permission is asked only when not granted yet', async () => {
  let asked = 0
  const ask = permission => ({ permission, requestPermission: async () => { asked += 1; return 'denied' } })
  assert.equal(await askPermission(ask('granted')), 'granted')
  assert.equal(asked, 0)
  assert.equal(await askPermission(ask('default')), 'denied')
  assert.equal(asked, 1)
})

test('subscribe keeps an existing subscription, or subscribes with the server key', async () => {
  const existing = fakeRegistration('https://push.example/old')
  const api = keyApi()
  assert.equal((await subscribe(existing, api)).endpoint, 'https://push.example/old')
  assert.equal(api.calls, 0)
  const none = fakeRegistration()
  assert.equal((await subscribe(none, api)).endpoint, 'https://push.example/new')
  assert.equal(none.calls[0].userVisibleOnly, true)
  assert.deepEqual([...none.calls[0].applicationServerKey], [1, 2, 3])
})

test('subscribe fails with the API status when there is no key', async () => {
  await assert.rejects(subscribe(fakeRegistration(), keyApi({ status: 503, data: { error: 'x' } })),
    error => error.status === 503 && error.data.error === 'x')
  await assert.rejects(subscribe(fakeRegistration(), keyApi({ status: 200, data: {} })), /no public key/)
})

test('mending finds nothing to do, a replaced subscription, or subscribes again', async () => {
  const record = { endpoint: 'https://push.example/old' }
  assert.equal(await changedSubscription(fakeRegistration('https://push.example/old'), record, keyApi()), null)
  const replaced = await changedSubscription(fakeRegistration('https://push.example/other'), record, keyApi())
  assert.equal(replaced.endpoint, 'https://push.example/other')
  const dropped = await changedSubscription(fakeRegistration(), record, keyApi())
  assert.equal(dropped.endpoint, 'https://push.example/new')
})

test('unsubscribe drops the subscription and never rejects', async () => {
  const registration = fakeRegistration('https://push.example/old')
  await unsubscribe({ getRegistration: async () => registration })
  assert.deepEqual(registration.calls, ['unsubscribe'])
  await unsubscribe({ getRegistration: async () => undefined })
  const warn = console.warn
  console.warn = () => {}
  try {
    await unsubscribe({ getRegistration: async () => { throw new Error('gone') } })
  } finally {
    console.warn = warn
  }
})

test('the record keeps the id, token, endpoint and the settings the server has', () => {
  const settings = { timezone: 'Europe/London', reminders: [{ kind: 'breathe', time: '09:00', days: ['mon'] }], quietHours: null, discreet: true, paused: false }
  const record = newRecord({ id: 'i', token: 't', extra: 1 }, { endpoint: 'https://push.example/1' }, settings)
  assert.deepEqual(record, { id: 'i', token: 't', endpoint: 'https://push.example/1', settings, synced: settingsBody(settings) })
  const paused = { ...settings, paused: true }
  assert.deepEqual(savedRecord(record, paused), { ...record, settings: paused, synced: settingsBody(paused) })
  assert.equal(savedRecord(record, settings, { endpoint: 'https://push.example/2' }).endpoint, 'https://push.example/2')
})

test('the server\'s settings are adopted, except while paused', () => {
  const record = { id: 'i', settings: { reminders: [{ kind: 'walk' }], quietHours: null, discreet: true, paused: false } }
  const adopted = adoptServerSettings(record, { reminders: [{ kind: 'breathe' }], quiet_hours: { start: '22:00', end: '07:00' }, discreet: false })
  assert.deepEqual(adopted.settings, { reminders: [{ kind: 'breathe' }], quietHours: { start: '22:00', end: '07:00' }, discreet: false, paused: false })
  assert.deepEqual(adoptServerSettings(record, { quiet_hours: null }).settings.reminders, [{ kind: 'walk' }])
  assert.equal(adoptServerSettings(record, null), record)
  const paused = { ...record, settings: { ...record.settings, paused: true } }
  assert.equal(adoptServerSettings(paused, { reminders: [] }), paused)
  assert.equal(typeof currentTimezone(), 'string')
})

test('the page shows exactly one state at a time', () => {
  const panels = (state) => visiblePanels({ hasRecord: false, permission: 'default', online: true, editing: false, ...state })
  assert.deepEqual(panels({}), ['setup', 'editor'])
  assert.deepEqual(panels({ permission: 'granted' }), ['setup', 'editor'])
  assert.deepEqual(panels({ permission: 'denied' }), ['blocked'])
  assert.deepEqual(panels({ permission: 'denied', hasRecord: true }), ['blocked'])
  assert.deepEqual(panels({ permission: 'default', hasRecord: true }), ['blocked'])
  assert.deepEqual(panels({ permission: 'granted', hasRecord: true }), ['list', 'settings', 'manage'])
  assert.deepEqual(panels({ permission: 'granted', hasRecord: true, editing: true }), ['list', 'settings', 'manage', 'editor'])
  assert.deepEqual(panels({ online: false }), ['offline'])
  assert.deepEqual(panels({ online: false, permission: 'denied' }), ['offline'])
  assert.deepEqual(panels({ online: false, hasRecord: true, permission: 'granted', editing: true }), ['list'])
})
