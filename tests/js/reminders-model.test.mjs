// The reminders page's pure logic: validation, request bodies, words, platform support.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { VOCABULARY } from './reminders-vocabulary.mjs'
import {
  DAYS, DAY_NAMES, KINDS, KIND_LABELS, MAX_REMINDERS, base64UrlToBytes, browserFamily,
  countCharacters, createBody, describeDays, describeQuietHours, describeReminder,
  explainFailure, formatTime, iosVersion, normaliseTime, placeReminder, pushSupport,
  removeReminder, settingsBody, suggestedReminder, updateBody,
  validateQuietHours, validateReminder
} from '../../frontend/js/reminders-model.mjs'


const IPHONE_17 = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
const IPHONE_16_3 = 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.3 Mobile/15E148 Safari/604.1'
const IPAD_DESKTOP = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15'
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
const MAC_SAFARI = IPAD_DESKTOP
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36'

const capable = { hasServiceWorker: true, hasPushManager: true, hasNotification: true, standalone: false }

test('times are normalised to HH:MM and nonsense is refused', () => {
  assert.equal(normaliseTime('08:30'), '08:30')
  assert.equal(normaliseTime('8:30'), '08:30')
  assert.equal(normaliseTime('23:59:00'), '23:59')
  assert.equal(normaliseTime(' 07:05 '), '07:05')
  for (const bad of ['24:00', '12:60', '1230', '', 'noon', '12:3', null, undefined, 830]) {
    assert.equal(normaliseTime(bad), null, String(bad))
  }
})

test('a valid reminder comes back in the server shape with days in week order', () => {
  const { reminder, errors } = validateReminder({ kind: 'breathe', time: '8:05', days: ['fri', 'mon', 'mon'], text: 'ignored' })
  assert.deepEqual(errors, {})
  assert.deepEqual(reminder, { kind: 'breathe', time: '08:05', days: ['mon', 'fri'] })
})

test('each field says what is wrong', () => {
  const { reminder, errors } = validateReminder({ kind: 'nap', time: '25:00', days: [] })
  assert.equal(reminder, null)
  assert.deepEqual(Object.keys(errors).sort(), ['days', 'kind', 'time'])
  assert.match(errors.days, /at least one day/)
  assert.match(validateReminder({ kind: 'breathe', time: '09:00', days: ['funday'] }).errors.days, /Monday to Sunday/)
})

test('custom text is required, tidied and limited to 120 characters counted as code points', () => {
  assert.match(validateReminder({ kind: 'custom', time: '09:00', days: DAYS, text: '   ' }).errors.text, /few words/)
  const tidy = validateReminder({ kind: 'custom', time: '09:00', days: DAYS, text: '  Drink\n  water  ' })
  assert.equal(tidy.reminder.text, 'Drink water')
  const emoji = '\u{1F331}'.repeat(120)
  assert.equal(emoji.length, 240)
  assert.equal(countCharacters(emoji), 120)
  assert.equal(validateReminder({ kind: 'custom', time: '09:00', days: DAYS, text: emoji }).reminder.text, emoji)
  // Joined emoji use an invisible joiner (a format character) that the server refuses.
  assert.match(validateReminder({ kind: 'custom', time: '09:00', days: DAYS, text: 'a\u200db' }).errors.text, /plain text/)
  const long = validateReminder({ kind: 'custom', time: '09:00', days: DAYS, text: 'a'.repeat(121) })
  assert.match(long.errors.text, /120 characters or fewer \(now 121\)/)
})

test('placing reminders adds, replaces, refuses repeats and stops at the limit', () => {
  const a = { kind: 'breathe', time: '09:00', days: ['mon'] }
  const b = { kind: 'medication', time: '21:00', days: DAYS }
  let { list, error } = placeReminder([], a)
  assert.equal(error, null)
  assert.deepEqual(list, [a]);
  ({ list } = placeReminder(list, b))
  assert.deepEqual(list, [a, b])
  assert.match(placeReminder(list, { ...a }).error, /already have/)
  // Editing a reminder to itself is not a repeat.
  assert.deepEqual(placeReminder(list, { ...a }, 0).list, [a, b])
  assert.deepEqual(placeReminder(list, { ...a, time: '10:00' }, 0).list, [{ ...a, time: '10:00' }, b])
  assert.deepEqual(removeReminder(list, 0), [b])
  const full = Array.from({ length: MAX_REMINDERS }, (_, i) => ({ kind: 'breathe', time: `${String(i).padStart(2, '0')}:00`, days: ['mon'] }))
  assert.match(placeReminder(full, b).error, /up to 20/)
  assert.equal(placeReminder(full, b, 3).error, null)
})

test('quiet hours are optional, need both ends, and may cross midnight', () => {
  assert.deepEqual(validateQuietHours({ enabled: false, start: '22:00', end: '07:00' }), { quietHours: null, error: null })
  assert.deepEqual(validateQuietHours({ start: '', end: '' }), { quietHours: null, error: null })
  assert.deepEqual(validateQuietHours({ enabled: true, start: '22:00', end: '7:00' }), { quietHours: { start: '22:00', end: '07:00' }, error: null })
  assert.match(validateQuietHours({ enabled: true, start: '22:00', end: '' }).error, /start and an end/)
  assert.match(validateQuietHours({ enabled: true, start: '22:00', end: '22:00' }).error, /different/)
})

test('request bodies match the API: discreet by default, paused sends no reminders', () => {
  const subscription = { endpoint: 'https://push.example/abc', expirationTime: null, keys: { p256dh: 'P', auth: 'A' }, extra: 1 }
  const state = { timezone: 'Europe/London', reminders: [{ kind: 'breathe', time: '09:00', days: ['sun', 'mon'] }] }
  assert.deepEqual(createBody(subscription, state), {
    subscription: { endpoint: 'https://push.example/abc', expirationTime: null, keys: { p256dh: 'P', auth: 'A' } },
    timezone: 'Europe/London',
    reminders: [{ kind: 'breathe', time: '09:00', days: ['mon', 'sun'] }],
    discreet: true
  })
  assert.deepEqual(settingsBody({ ...state, discreet: false, paused: true, quietHours: { start: '22:00', end: '07:00' } }), {
    timezone: 'Europe/London', reminders: [], discreet: false, quiet_hours: { start: '22:00', end: '07:00' }
  })
  assert.equal('subscription' in updateBody(state), false)
  assert.equal(updateBody(state, subscription).subscription.endpoint, 'https://push.example/abc')
})

test('schedules are described in plain words', () => {
  assert.equal(describeDays(DAYS), 'every day')
  assert.equal(describeDays(['fri', 'thu', 'wed', 'tue', 'mon']), 'on weekdays')
  assert.equal(describeDays(['sun', 'sat']), 'on weekends')
  assert.equal(describeDays(['wed']), 'on Wednesdays')
  assert.equal(describeDays(['fri', 'mon', 'wed']), 'on Monday, Wednesday and Friday')
  assert.match(formatTime('08:30', 'en-US'), /^8:30\sAM$/)
  assert.equal(formatTime('20:05', 'en-GB'), '20:05')
  assert.equal(describeReminder({ kind: 'breathe', time: '20:05', days: DAYS }, 'en-GB'), 'Breathing break: 20:05 every day')
  assert.equal(describeReminder({ kind: 'custom', text: 'Stretch', time: '07:00', days: ['sat', 'sun'] }, 'en-GB'), 'Stretch: 7:00 on weekends')
  assert.equal(describeQuietHours(null), 'No quiet hours set.')
  assert.equal(describeQuietHours({ start: '22:00', end: '07:00' }, 'en-GB'), 'No reminders from 22:00 to 7:00.')
})

test('iPhone and iPad need the Home Screen and iOS 16.4', () => {
  assert.deepEqual(iosVersion(IPHONE_17), [17, 5])
  assert.equal(iosVersion(ANDROID), null)
  assert.equal(pushSupport({ ...capable, userAgent: IPHONE_17, hasPushManager: false }), 'ios-home-screen')
  assert.equal(pushSupport({ ...capable, userAgent: IPHONE_17, standalone: true }), 'supported')
  assert.equal(pushSupport({ ...capable, userAgent: IPHONE_16_3, standalone: true, hasPushManager: false }), 'ios-update')
  assert.equal(pushSupport({ ...capable, userAgent: IPHONE_16_3 }), 'ios-update')
  // iPadOS asks for desktop pages and says it is a Mac; touch points give it away.
  assert.equal(pushSupport({ ...capable, userAgent: IPAD_DESKTOP, platform: 'MacIntel', maxTouchPoints: 5 }), 'ios-home-screen')
  assert.equal(pushSupport({ ...capable, userAgent: MAC_SAFARI, platform: 'MacIntel', maxTouchPoints: 0 }), 'supported')
  assert.equal(pushSupport({ ...capable, userAgent: ANDROID }), 'supported')
  assert.equal(pushSupport({ ...capable, userAgent: CHROME, hasPushManager: false }), 'unsupported')
})

test('blocked-notification help is picked per browser', () => {
  assert.equal(browserFamily({ userAgent: IPHONE_17 }), 'ios')
  assert.equal(browserFamily({ userAgent: ANDROID }), 'android')
  assert.equal(browserFamily({ userAgent: FIREFOX }), 'firefox')
  assert.equal(browserFamily({ userAgent: MAC_SAFARI, platform: 'MacIntel', maxTouchPoints: 0 }), 'safari')
  assert.equal(browserFamily({ userAgent: CHROME }), 'chromium')
})

test('the VAPID key decodes from base64url', () => {
  const bytes = new Uint8Array(65).map((_, i) => (i * 37) % 256)
  const b64url = Buffer.from(bytes).toString('base64url')
  assert.deepEqual(base64UrlToBytes(b64url), bytes)
})

test('defaults and failures are friendly', () => {
  assert.ok(KINDS.includes(suggestedReminder().kind))
  assert.equal(validateReminder(suggestedReminder()).errors.time, undefined)
  assert.match(explainFailure(0), /connection/)
  assert.equal(explainFailure(400, { error: 'invalid_request', message: 'Please check: timezone is not a known IANA time zone.', problems: [] }),
    'That did not work. Please check: timezone is not a known IANA time zone.')
  assert.match(explainFailure(422, {}), /check the form/)
  assert.match(explainFailure(404), /turn them on again/)
  assert.match(explainFailure(503), /try again/)
})

test('kinds and days come from the server\'s vocabulary, in its order', () => {
  assert.deepEqual(KINDS, VOCABULARY.kinds.map(kind => kind.id))
  assert.deepEqual(DAYS, VOCABULARY.days.map(day => day.id))
  assert.equal(KIND_LABELS.breathe, 'Breathing break')
  assert.equal(DAY_NAMES.wed, 'Wednesday')
})

test('without the vocabulary the model refuses to guess', async () => {
  const fresh = await import('../../frontend/js/reminders-model.mjs?without-vocabulary')
  assert.deepEqual(fresh.KINDS, [])
  assert.throws(() => fresh.validateReminder({ kind: 'breathe', time: '09:00', days: ['mon'] }), /useVocabulary/)
  assert.throws(() => fresh.suggestedReminder(), /useVocabulary/)
  // The page's data block carries only ids, labels and names; that is enough.
  const { kinds, days } = VOCABULARY
  fresh.useVocabulary({ kinds: kinds.map(({ id, label }) => ({ id, label })), days: days.map(({ id, name }) => ({ id, name })) })
  assert.deepEqual(fresh.KINDS, KINDS)
  assert.deepEqual(fresh.DAY_NAMES, DAY_NAMES)
  assert.equal(fresh.describeDays(['sat', 'sun']), 'on weekends')
})
