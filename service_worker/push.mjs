/**
 * Reminders in the service worker: show every push as a notification, open
 * the right page when one is tapped, snooze on "Later", and re-subscribe when
 * the browser replaces the push subscription.
 *
 * Payloads use the Declarative Web Push shape the server builds
 * ({"web_push": 8030, "notification": {title, body, navigate, tag, data}}),
 * which Safari 18.4+ shows without running this worker and every other
 * browser hands to the `push` handler here.
 *
 * The decisions (parsing, options, which URL, which window) are plain
 * functions tested with node --test; the handlers at the end do the I/O and
 * take their dependencies as arguments so tests can pass fakes. The subscription
 * id and token come from the IndexedDB record the reminders page writes, read
 * through the page's own module.
 */
import { loadRecord, saveRecord } from '../frontend/js/reminders-store.mjs'

/** Where the push API lives on this origin. */
const PUSH_API = '/api/push'

/** What to show when a push arrives without a usable payload. */
export const FALLBACK_NOTIFICATION = {
  title: 'A moment for yourself',
  body: 'Tap to open Wayfinder.',
  navigate: '/reminders'
}

/** The two actions, for browsers that show them (Chromium). */
export const ACTIONS = [
  { action: 'start', title: 'Start now' },
  { action: 'later', title: 'Later' }
]

/**
 * Read a push payload: the declarative shape, a bare {notification} object,
 * or plain text. Anything unusable falls back to a neutral notification, so a
 * push always shows something (Safari revokes permission otherwise).
 * @param {string|null|undefined} text the push message as text
 * @returns {{title: string, body: string, navigate: string, tag: string, lang: string,
 *   dir: string, silent: boolean, icon: string, badge: string, data: object}}
 */
export function parsePushPayload (text) {
  let source = null
  if (typeof text === 'string' && text.trim()) {
    try {
      const parsed = JSON.parse(text)
      if (parsed && typeof parsed === 'object' && parsed.notification && typeof parsed.notification === 'object') {
        source = parsed.notification
      }
    } catch {
      source = { body: text.trim().slice(0, 300) }
    }
  }
  source = source || {}
  const pick = (key, fallback = '') => (typeof source[key] === 'string' && source[key].trim() ? source[key] : fallback)
  const data = source.data && typeof source.data === 'object' && !Array.isArray(source.data) ? source.data : {}
  return {
    title: pick('title', FALLBACK_NOTIFICATION.title),
    body: pick('body', source.title ? '' : FALLBACK_NOTIFICATION.body),
    navigate: pick('navigate', FALLBACK_NOTIFICATION.navigate),
    tag: pick('tag'),
    lang: pick('lang'),
    dir: ['ltr', 'rtl', 'auto'].includes(source.dir) ? source.dir : '',
    silent: source.silent === true,
    icon: pick('icon'),
    badge: pick('badge'),
    data
  }
}

/**
 * Make a URL absolute and keep it on this origin; anything else becomes the fallback.
 * @param {unknown} raw a path or URL
 * @param {string} origin this site's origin
 * @param {string} [fallback] a path on this site
 * @returns {string} an absolute URL on origin
 */
export function sameOriginUrl (raw, origin, fallback = '/') {
  if (typeof raw === 'string' && raw) {
    try {
      const url = new URL(raw, origin)
      if (url.origin === origin) return url.href
    } catch {
      // Not a URL: use the fallback.
    }
  }
  return new URL(fallback, origin).href
}

/**
 * Whether a notification can be snoozed: a reminder (not a test) with a tag.
 * @param {{tag: string, data: object}} message
 * @returns {boolean}
 */
function canSnooze (message) {
  const kind = message.data.kind
  return Boolean(message.tag) && typeof kind === 'string' && kind !== 'test'
}

/**
 * Build the arguments for registration.showNotification().
 * @param {ReturnType<typeof parsePushPayload>} message
 * @param {{origin: string, maxActions?: number, icon?: string, badge?: string}} env
 *   maxActions is Notification.maxActions (0 where actions are not shown);
 *   icon and badge are this site's defaults
 * @returns {{title: string, options: NotificationOptions}}
 */
export function notificationOptions (message, env) {
  const url = sameOriginUrl(message.data.url || message.navigate, env.origin, FALLBACK_NOTIFICATION.navigate)
  const options = {
    body: message.body,
    data: { ...message.data, url }
  }
  const icon = message.icon || env.icon
  const badge = message.badge || env.badge
  if (icon) options.icon = sameOriginUrl(icon, env.origin)
  if (badge) options.badge = sameOriginUrl(badge, env.origin)
  if (message.tag) options.tag = message.tag
  if (message.lang) options.lang = message.lang
  if (message.dir) options.dir = message.dir
  if (message.silent) options.silent = true
  const room = env.maxActions || 0
  if (room > 0) {
    const actions = canSnooze(message) ? ACTIONS : ACTIONS.filter(a => a.action !== 'later')
    options.actions = actions.slice(0, room).map(a => ({ ...a }))
  }
  return { title: message.title, options }
}

/**
 * The page to open for a tap: the notification's URL, or nothing for "Later".
 * @param {{url?: string}|null|undefined} data the notification's data
 * @param {string} action '' for a tap on the body, or an action name
 * @param {string} origin this site's origin
 * @returns {string|null} an absolute same-origin URL, or null to open nothing
 */
export function resolveClickUrl (data, action, origin) {
  if (action === 'later') return null
  return sameOriginUrl(data && data.url, origin, FALLBACK_NOTIFICATION.navigate)
}

/**
 * Choose which open window to use for a URL. A window already showing it is
 * focused as it is; otherwise the focused or visible window of this site is
 * navigated there; with none, the caller opens a new window.
 * @param {Array<{url: string, focused?: boolean, visibilityState?: string}>} windows
 *   from clients.matchAll({type: 'window', includeUncontrolled: true})
 * @param {string} url absolute URL to show
 * @returns {{client: object, navigate: boolean}|null}
 */
export function pickClient (windows, url) {
  const target = new URL(url)
  const same = windows.filter(w => {
    try { return new URL(w.url).origin === target.origin } catch { return false }
  })
  const withoutHash = u => u.split('#')[0]
  const showing = same.find(w => withoutHash(w.url) === withoutHash(target.href))
  if (showing) return { client: showing, navigate: false }
  const rank = w => (w.focused ? 2 : 0) + (w.visibilityState === 'visible' ? 1 : 0)
  const best = same.slice().sort((a, b) => rank(b) - rank(a))[0]
  return best ? { client: best, navigate: true } : null
}

/**
 * Find this site's icon and badge among the precached URLs (hashed names),
 * for notifications whose payload names none.
 * @param {Array<{url: string}|string>} entries the precache list
 * @returns {{icon: string, badge: string}} empty strings when not found
 */
export function notificationIcons (entries) {
  const urls = entries.map(e => (typeof e === 'string' ? e : e.url)).filter(u => u.includes('/icons/'))
  const find = words => urls.find(u => words.every(w => u.split('/').pop().includes(w))) || ''
  const icon = find(['192', '.png']) || find(['.png']) || find(['.svg'])
  const badge = find(['badge', '.png']) || find(['monochrome', '.png'])
  return { icon, badge }
}

/**
 * Call the push API for this device's subscription with its token.
 * @param {Function} fetchFn
 * @param {{id: string, token: string}} record
 * @param {string} method
 * @param {string} suffix '' or '/snooze' and so on
 * @param {object} [body]
 * @returns {Promise<Response>}
 */
function callApi (fetchFn, record, method, suffix, body) {
  return fetchFn(`${PUSH_API}/subscriptions/${encodeURIComponent(record.id)}${suffix}`, {
    method,
    headers: {
      Authorization: `Bearer ${record.token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json'
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit'
  })
}

/**
 * Show the notification for one push message. Never rejects without showing
 * something: a broken payload or bad options fall back to neutral words.
 * @param {{text(): string}|null} data event.data
 * @param {{registration: ServiceWorkerRegistration, origin: string, maxActions: number,
 *   icon?: string, badge?: string}} env
 * @returns {Promise<void>}
 */
async function showPush (data, env) {
  let text = null
  try { text = data ? data.text() : null } catch { /* unreadable: show the neutral words */ }
  const { title, options } = notificationOptions(parsePushPayload(text), env)
  try {
    await env.registration.showNotification(title, options)
  } catch (error) {
    console.warn('Wayfinder push: falling back to a plain notification', error)
    await env.registration.showNotification(FALLBACK_NOTIFICATION.title, {
      body: FALLBACK_NOTIFICATION.body,
      tag: options.tag,
      data: { url: sameOriginUrl(FALLBACK_NOTIFICATION.navigate, env.origin) }
    })
  }
}

/**
 * Focus a window already showing url, or navigate one of ours there, or open a new one.
 * @param {Clients} clients the worker's clients
 * @param {string} url absolute same-origin URL
 * @returns {Promise<void>}
 */
export async function openOrFocus (clients, url) {
  const windows = await clients.matchAll({ type: 'window', includeUncontrolled: true })
  const choice = pickClient(windows, url)
  if (!choice) {
    await clients.openWindow(url)
    return
  }
  let client = choice.client
  if (choice.navigate) {
    try {
      client = (await client.navigate(url)) || client
    } catch {
      // Only controlled windows can be navigated; open the page instead.
      await clients.openWindow(url)
      return
    }
  }
  await client.focus()
}

/**
 * Ask the server to send this reminder again in 15 minutes.
 * @param {{tag?: string, data?: object}} notification the tapped notification
 * @param {{fetchFn: Function, loadRecord: () => Promise<object|undefined>}} env
 * @returns {Promise<boolean>} whether the server accepted it
 */
export async function snooze (notification, env) {
  const record = await env.loadRecord()
  if (!record || !record.id || !record.token) return false
  const response = await callApi(env.fetchFn, record, 'POST', '/snooze', snoozeBody(notification))
  return response.status === 202
}

/**
 * The snooze request body: which notification to repeat.
 * @param {{tag?: string, data?: object}} notification
 * @returns {{tag: string}}
 */
function snoozeBody (notification) {
  return { tag: notification.tag || '' }
}

/**
 * After the browser replaced or dropped the push subscription: subscribe
 * again if needed and tell the server the new endpoint and keys.
 * @param {{oldSubscription?: PushSubscription|null, newSubscription?: PushSubscription|null}} event
 * @param {{pushManager: PushManager, fetchFn: Function, loadRecord: () => Promise<object|undefined>,
 *   saveRecord: (record: object) => Promise<any>}} env
 * @returns {Promise<boolean>} whether the server has the new subscription
 */
export async function resubscribe (event, env) {
  const record = await env.loadRecord()
  if (!record || !record.id || !record.token) return false
  let subscription = event.newSubscription || await env.pushManager.getSubscription()
  if (!subscription || subscription.endpoint === record.endpoint) {
    let key = event.oldSubscription && event.oldSubscription.options &&
      event.oldSubscription.options.applicationServerKey
    if (!key) {
      const response = await env.fetchFn(`${PUSH_API}/public-key`, { cache: 'no-store', credentials: 'omit' })
      key = (await response.json()).publicKey
    }
    if (subscription) await subscription.unsubscribe().catch(() => {})
    subscription = await env.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key })
  }
  const json = subscription.toJSON()
  const body = { ...(record.synced || {}), subscription: { endpoint: json.endpoint, expirationTime: json.expirationTime ?? null, keys: json.keys } }
  const response = await callApi(env.fetchFn, record, 'PUT', '', body)
  if (response.status !== 200) return false
  await env.saveRecord({ ...record, endpoint: json.endpoint })
  return true
}

/**
 * The environment the handlers need, taken from the worker's global scope.
 * @param {ServiceWorkerGlobalScope} scope
 * @param {{icon?: string, badge?: string}} [icons]
 * @returns {object}
 */
export function pushEnv (scope, icons = {}) {
  return {
    registration: scope.registration,
    pushManager: scope.registration.pushManager,
    origin: scope.location.origin,
    clients: scope.clients,
    maxActions: (scope.Notification && scope.Notification.maxActions) || 0,
    icon: icons.icon || '',
    badge: icons.badge || '',
    fetchFn: (...args) => scope.fetch(...args),
    loadRecord,
    saveRecord
  }
}

/**
 * `push`: always show a notification, inside waitUntil.
 * @param {PushEvent} event
 * @param {object} env from pushEnv
 */
export function onPush (event, env) {
  event.waitUntil(showPush(event.data, env))
}

/**
 * `notificationclick`: close it; "Later" snoozes; otherwise focus or open the page.
 * @param {NotificationEvent} event
 * @param {object} env from pushEnv, plus clients
 */
export function onNotificationClick (event, env) {
  const notification = event.notification
  notification.close()
  const url = resolveClickUrl(notification.data, event.action || '', env.origin)
  if (url === null) {
    event.waitUntil(snooze(notification, env).catch(error => {
      console.warn('Wayfinder push: could not snooze', error)
      return false
    }))
    return
  }
  event.waitUntil(openOrFocus(env.clients, url))
}

/**
 * `pushsubscriptionchange`: re-subscribe and update the server.
 * @param {Event & {oldSubscription?: PushSubscription, newSubscription?: PushSubscription}} event
 * @param {object} env from pushEnv
 */
export function onPushSubscriptionChange (event, env) {
  event.waitUntil(resubscribe(event, env).catch(error => {
    console.warn('Wayfinder push: could not renew the subscription', error)
    return false
  }))
}
