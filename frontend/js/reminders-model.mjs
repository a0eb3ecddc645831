/**
 * Reminders: pure logic with no DOM and no network, shared by the page
 * component and tested with node --test. Validates reminders, builds the
 * JSON bodies for /api/push/subscriptions, describes schedules in plain
 * words, and decides whether this browser can receive reminders at all.
 *
 * The reminder kinds and weekdays are defined once, on the server
 * (server/push/vocabulary.json); the page hands them over in its
 * #reminder-vocabulary data block, and useVocabulary() must be called with
 * them before anything else here is used.
 */

/** Reminder kinds the server accepts, in the order the form offers them (set by useVocabulary). */
export const KINDS = []

/** Plain names for each kind (set by useVocabulary). */
export const KIND_LABELS = {}

/** Days in the server's spelling, Monday first (set by useVocabulary). */
export const DAYS = []

/** Full day names for sentences (set by useVocabulary). */
export const DAY_NAMES = {}

/**
 * Take the reminder kinds and weekdays from the server's definition: the
 * page's #reminder-vocabulary data block, or server/push/vocabulary.json.
 * KINDS, KIND_LABELS, DAYS and DAY_NAMES are filled in place, so modules
 * that imported them see the new values.
 * @param {{kinds: Array<{id: string, label: string}>, days: Array<{id: string, name: string}>}} data
 */
export function useVocabulary (data) {
  KINDS.splice(0, KINDS.length, ...data.kinds.map(kind => kind.id))
  replaceEntries(KIND_LABELS, data.kinds.map(kind => [kind.id, kind.label]))
  DAYS.splice(0, DAYS.length, ...data.days.map(day => day.id))
  replaceEntries(DAY_NAMES, data.days.map(day => [day.id, day.name]))
}

function replaceEntries (target, entries) {
  for (const key of Object.keys(target)) delete target[key]
  Object.assign(target, Object.fromEntries(entries))
}

function requireVocabulary () {
  if (!KINDS.length || !DAYS.length) {
    throw new Error('reminders-model: call useVocabulary() with the page\'s #reminder-vocabulary first')
  }
}

/** The most reminders one device may keep (the server refuses more). */
export const MAX_REMINDERS = 20

/** The longest custom text, in characters (Unicode code points, as the server counts). */
export const MAX_TEXT = 120

// Control and invisible formatting characters, which the server refuses.
const HIDDEN_CHARACTER_RE = /[\p{Cc}\p{Cf}]/u
const TIME_RE = /^([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$/

/**
 * Normalise a time to HH:MM, accepting H:MM and the HH:MM:SS an
 * <input type="time"> may give.
 * @param {unknown} value
 * @returns {string|null} HH:MM, or null when it is not a time of day
 */
export function normaliseTime (value) {
  if (typeof value !== 'string') return null
  const match = TIME_RE.exec(value.trim())
  if (!match) return null
  return `${match[1].padStart(2, '0')}:${match[2]}`
}

/**
 * Count characters the way the server does (code points, not UTF-16 units).
 * @param {string} text
 * @returns {number}
 */
export function countCharacters (text) {
  return [...text].length
}

/**
 * Tidy custom text: trim, and fold runs of white space (new lines too) into one space.
 * @param {unknown} text
 * @returns {string}
 */
export function tidyText (text) {
  return typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : ''
}

/**
 * Put days in Monday-first order without repeats.
 * @param {Iterable<string>} days
 * @returns {string[]}
 */
export function sortDays (days) {
  requireVocabulary()
  const chosen = new Set(days)
  return DAYS.filter(day => chosen.has(day))
}

/**
 * Check one reminder as the form gives it and return it in the server's shape.
 * Errors are keyed by field (kind, time, days, text) and say what to change.
 * @param {{kind?: string, time?: string, days?: Iterable<string>, text?: string}} input
 * @returns {{reminder: {kind: string, time: string, days: string[], text?: string}|null, errors: Object<string, string>}}
 */
export function validateReminder (input) {
  requireVocabulary()
  const errors = {}
  const kind = input?.kind
  if (!KINDS.includes(kind)) errors.kind = 'Choose what to be reminded of.'
  const time = normaliseTime(input?.time)
  if (!time) errors.time = 'Enter a time, for example 08:30.'
  const given = [...(input?.days ?? [])]
  const unknown = given.filter(day => !DAYS.includes(day))
  const days = sortDays(given)
  if (unknown.length) errors.days = 'Choose days from Monday to Sunday.'
  else if (!days.length) errors.days = 'Choose at least one day.'
  const text = tidyText(input?.text)
  if (kind === 'custom') {
    if (!text) errors.text = 'Write a few words for your reminder.'
    else if (HIDDEN_CHARACTER_RE.test(text)) errors.text = 'Use plain text only (some emoji and special characters cannot be sent).'
    else if (countCharacters(text) > MAX_TEXT) {
      errors.text = `Keep it to ${MAX_TEXT} characters or fewer (now ${countCharacters(text)}).`
    }
  }
  if (Object.keys(errors).length) return { reminder: null, errors }
  const reminder = { kind, time, days }
  if (kind === 'custom') reminder.text = text
  return { reminder, errors }
}

/**
 * Whether two reminders ask for the same thing at the same times.
 * @param {{kind: string, time: string, days: string[], text?: string}} a
 * @param {{kind: string, time: string, days: string[], text?: string}} b
 * @returns {boolean}
 */
export function sameReminder (a, b) {
  return a.kind === b.kind && a.time === b.time && (a.text ?? '') === (b.text ?? '') &&
    sortDays(a.days).join() === sortDays(b.days).join()
}

/**
 * Add a reminder to a list, or replace the one at index. Returns a new list,
 * or an error when the list would be too long or would repeat a reminder.
 * @param {Array<object>} list current reminders (server shape)
 * @param {object} reminder a validated reminder
 * @param {number} [index] position to replace; omit to add
 * @returns {{list: Array<object>|null, error: string|null}}
 */
export function placeReminder (list, reminder, index) {
  const replacing = Number.isInteger(index) && index >= 0 && index < list.length
  if (!replacing && list.length >= MAX_REMINDERS) {
    return { list: null, error: `You can keep up to ${MAX_REMINDERS} reminders. Remove one to add another.` }
  }
  if (list.some((other, i) => i !== index && sameReminder(other, reminder))) {
    return { list: null, error: 'You already have this reminder.' }
  }
  const next = list.slice()
  if (replacing) next[index] = reminder
  else next.push(reminder)
  return { list: next, error: null }
}

/**
 * Remove the reminder at index, returning a new list.
 * @param {Array<object>} list
 * @param {number} index
 * @returns {Array<object>}
 */
export function removeReminder (list, index) {
  return list.filter((_, i) => i !== index)
}

/**
 * Check quiet hours from the form. Both times empty (or enabled false) means none.
 * @param {{enabled?: boolean, start?: string, end?: string}} input
 * @returns {{quietHours: {start: string, end: string}|null, error: string|null}}
 */
export function validateQuietHours (input) {
  if (!input || input.enabled === false) return { quietHours: null, error: null }
  if (input.enabled !== true && !input.start && !input.end) return { quietHours: null, error: null }
  const start = normaliseTime(input.start)
  const end = normaliseTime(input.end)
  if (!start || !end) return { quietHours: null, error: 'Enter a start and an end time, for example 22:00 and 07:00.' }
  if (start === end) return { quietHours: null, error: 'Start and end need to be different times.' }
  return { quietHours: { start, end }, error: null }
}

/**
 * The settings part of a request body, shared by create and update.
 * While paused, the server keeps no reminders, so nothing is scheduled;
 * the list stays on this device until reminders are resumed.
 * @param {{reminders: Array<object>, quietHours?: object|null, discreet?: boolean, paused?: boolean, timezone: string}} state
 * @returns {{timezone: string, reminders: Array<object>, quiet_hours?: object, discreet: boolean}}
 */
export function settingsBody (state) {
  const body = {
    timezone: state.timezone,
    reminders: state.paused ? [] : state.reminders.map(r => ({ ...r, days: sortDays(r.days) })),
    discreet: state.discreet !== false
  }
  if (state.quietHours) body.quiet_hours = { start: state.quietHours.start, end: state.quietHours.end }
  return body
}

/**
 * The body for POST /api/push/subscriptions.
 * @param {{endpoint: string, keys: {p256dh: string, auth: string}, expirationTime?: number|null}} subscription PushSubscription.toJSON()
 * @param {object} state as for settingsBody
 * @returns {object}
 */
export function createBody (subscription, state) {
  return { subscription: subscriptionJSON(subscription), ...settingsBody(state) }
}

/**
 * The body for PUT /api/push/subscriptions/<id>: the full settings, and the
 * subscription when it changed (the worker sends it after pushsubscriptionchange).
 * @param {object} state as for settingsBody
 * @param {object} [subscription] PushSubscription.toJSON()
 * @returns {object}
 */
export function updateBody (state, subscription) {
  const body = settingsBody(state)
  return subscription ? { subscription: subscriptionJSON(subscription), ...body } : body
}

/**
 * Keep only the fields of PushSubscription.toJSON() that the server accepts.
 * @param {{endpoint: string, keys: {p256dh: string, auth: string}, expirationTime?: number|null}} json
 * @returns {{endpoint: string, keys: {p256dh: string, auth: string}, expirationTime?: number|null}}
 */
export function subscriptionJSON (json) {
  const out = { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } }
  if ('expirationTime' in json) out.expirationTime = json.expirationTime ?? null
  return out
}

/**
 * Format HH:MM for people, in their locale (8:30 AM or 08:30).
 * @param {string} time HH:MM
 * @param {string|string[]} [locale] defaults to the browser's
 * @returns {string}
 */
export function formatTime (time, locale) {
  const [hours, minutes] = time.split(':').map(Number)
  const date = new Date(Date.UTC(2001, 0, 1, hours, minutes))
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(date)
}

/**
 * Describe a set of days in words: every day, weekdays, weekends or a list.
 * @param {string[]} days
 * @returns {string}
 */
export function describeDays (days) {
  const sorted = sortDays(days)
  const key = sorted.join()
  if (sorted.length === DAYS.length) return 'every day'
  if (key === DAYS.slice(0, 5).join()) return 'on weekdays'
  if (key === DAYS.slice(5).join()) return 'on weekends'
  const names = sorted.map(day => DAY_NAMES[day])
  if (names.length === 1) return `on ${names[0]}s`
  return `on ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
}

/**
 * The name people see for a reminder: its kind, or its own words for custom.
 * @param {{kind: string, text?: string}} reminder
 * @returns {string}
 */
export function reminderTitle (reminder) {
  requireVocabulary()
  return reminder.kind === 'custom' ? reminder.text : KIND_LABELS[reminder.kind]
}

/**
 * Describe a reminder in one sentence fragment, e.g. "Breathing break at 8:30 AM on weekdays".
 * @param {{kind: string, time: string, days: string[], text?: string}} reminder
 * @param {string|string[]} [locale]
 * @returns {string}
 */
export function describeReminder (reminder, locale) {
  return `${reminderTitle(reminder)}: ${formatTime(reminder.time, locale)} ${describeDays(reminder.days)}`
}

/**
 * Describe quiet hours, e.g. "No reminders from 10:00 PM to 7:00 AM."
 * @param {{start: string, end: string}|null} quietHours
 * @param {string|string[]} [locale]
 * @returns {string}
 */
export function describeQuietHours (quietHours, locale) {
  if (!quietHours) return 'No quiet hours set.'
  return `No reminders from ${formatTime(quietHours.start, locale)} to ${formatTime(quietHours.end, locale)}.`
}

/**
 * Read the iOS or iPadOS version from a user agent, e.g. [16, 4].
 * @param {string} userAgent
 * @returns {number[]|null}
 */
export function iosVersion (userAgent) {
  const match = /(?:iPhone|iPad|iPod)[^)]*? OS (\d+)_(\d+)/.exec(userAgent || '')
  return match ? [Number(match[1]), Number(match[2])] : null
}

/**
 * Whether this is an iPhone, iPad or iPod (iPadOS may claim to be a Mac with a touch screen).
 * @param {{userAgent: string, platform?: string, maxTouchPoints?: number}} nav
 * @returns {boolean}
 */
export function isAppleMobile (nav) {
  if (/iPhone|iPad|iPod/.test(nav.userAgent || '')) return true
  return nav.platform === 'MacIntel' && (nav.maxTouchPoints || 0) > 1
}

/**
 * Decide what the page can offer in this browser.
 * - "supported": notifications, a service worker and push are all here.
 * - "ios-home-screen": iPhone or iPad in a browser tab; push works only from the Home Screen.
 * - "ios-update": on the Home Screen (or a known old version) but older than iOS 16.4.
 * - "unsupported": this browser cannot receive web push.
 * @param {{userAgent: string, platform?: string, maxTouchPoints?: number, standalone: boolean,
 *   hasServiceWorker: boolean, hasPushManager: boolean, hasNotification: boolean}} env
 * @returns {'supported'|'ios-home-screen'|'ios-update'|'unsupported'}
 */
export function pushSupport (env) {
  const ready = env.hasServiceWorker && env.hasPushManager && env.hasNotification
  if (isAppleMobile(env)) {
    const version = iosVersion(env.userAgent)
    const old = version && (version[0] < 16 || (version[0] === 16 && version[1] < 4))
    if (old) return 'ios-update'
    if (!env.standalone) return 'ios-home-screen'
    return ready ? 'supported' : 'ios-update'
  }
  return ready ? 'supported' : 'unsupported'
}

/**
 * Guess which browser's settings to describe when notifications are blocked.
 * @param {{userAgent: string, platform?: string, maxTouchPoints?: number}} nav
 * @returns {'ios'|'android'|'firefox'|'safari'|'chromium'}
 */
export function browserFamily (nav) {
  const ua = nav.userAgent || ''
  if (isAppleMobile(nav)) return 'ios'
  if (/Android/.test(ua)) return 'android'
  if (ua.includes('Firefox/')) return 'firefox'
  if (ua.includes('Safari/') && !['Chrome/', 'Chromium/', 'Edg/'].some(name => ua.includes(name))) return 'safari'
  return 'chromium'
}

/**
 * Turn a base64url string (the server's VAPID public key) into bytes for
 * pushManager.subscribe({applicationServerKey}).
 * @param {string} base64url
 * @returns {Uint8Array}
 */
export function base64UrlToBytes (base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/')
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
  const binary = atob(padded)
  return Uint8Array.from(binary, c => c.charCodeAt(0))
}

/**
 * A reminder with sensible defaults for a new form: the form's first kind
 * (a breathing break) at 09:00 every day.
 * @returns {{kind: string, time: string, days: string[]}}
 */
export function suggestedReminder () {
  requireVocabulary()
  return { kind: KINDS[0], time: '09:00', days: DAYS.slice() }
}

/**
 * Explain an API error response in plain words.
 * @param {number} status HTTP status (0 when the request never reached the server)
 * @param {{error?: string, message?: string}|null} [body] the server's JSON, if any
 * @returns {string}
 */
export function explainFailure (status, body) {
  if (status === 0) return 'Could not reach Wayfinder. Check your connection and try again.'
  if (status === 429) return 'That was a lot of changes at once. Please wait a minute and try again.'
  if (status === 400 || status === 422) {
    const detail = typeof body?.message === 'string' ? body.message.trim() : ''
    return detail ? `That did not work. ${detail}` : 'That did not work. Please check the form and try again.'
  }
  if (status === 401 || status === 404) return 'Wayfinder no longer has reminders for this device. You can turn them on again.'
  return 'Something went wrong on our side. Please try again in a little while.'
}
