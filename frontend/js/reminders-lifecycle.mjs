/**
 * The life of this browser's push subscription, for the reminders page:
 * asking for permission, subscribing with the server's key, mending a
 * subscription the browser dropped or replaced, and unsubscribing; plus the
 * record kept on the device once the server has said yes. Each step takes the
 * browser parts it needs as arguments, so node tests pass fakes. No DOM.
 */
import { base64UrlToBytes, settingsBody } from './reminders-model.mjs'

/**
 * The time zone this device is in now.
 * @returns {string}
 */
export function currentTimezone () {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/**
 * Ask for notification permission, unless it is granted already. Call it
 * straight away inside the tap, as Safari requires.
 * @param {{permission: NotificationPermission, requestPermission: () => Promise<NotificationPermission>}} [notification]
 * @returns {Promise<NotificationPermission>}
 */
export function askPermission (notification = globalThis.Notification) {
  return notification.permission === 'granted'
    ? Promise.resolve('granted')
    : notification.requestPermission()
}

/**
 * This browser's push subscription, subscribing with the server's VAPID key
 * when there is none. Rejects with the API's status and data when the key
 * cannot be had.
 * @param {ServiceWorkerRegistration} registration
 * @param {{publicKey: () => Promise<{status: number, data: any}>}} api
 * @returns {Promise<PushSubscription>}
 */
export async function subscribe (registration, api) {
  const existing = await registration.pushManager.getSubscription()
  if (existing) return existing
  const { status, data } = await api.publicKey()
  if (status !== 200 || !data?.publicKey) throw Object.assign(new Error('no public key'), { status, data })
  return registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(data.publicKey)
  })
}

/**
 * The subscription the server should be told about, if the browser dropped
 * or replaced the one the record names; null when nothing changed.
 * @param {ServiceWorkerRegistration} registration
 * @param {{endpoint: string}} record
 * @param {{publicKey: () => Promise<{status: number, data: any}>}} api
 * @returns {Promise<PushSubscription|null>}
 */
export async function changedSubscription (registration, record, api) {
  const current = await registration.pushManager.getSubscription()
  if (current && current.endpoint === record.endpoint) return null
  return current || subscribe(registration, api)
}

/**
 * Drop this browser's push subscription, if it has one. Never rejects: the
 * server has forgotten it already, so a failure here only leaves a dead
 * subscription in the browser.
 * @param {ServiceWorkerContainer} [container] navigator.serviceWorker
 * @returns {Promise<void>}
 */
export async function unsubscribe (container = globalThis.navigator?.serviceWorker) {
  try {
    const registration = await container.getRegistration('/')
    const subscription = await registration?.pushManager.getSubscription()
    await subscription?.unsubscribe()
  } catch (error) {
    console.warn('Wayfinder reminders: unsubscribe failed', error)
  }
}

/**
 * The record to keep once the server created the subscription.
 * @param {{id: string, token: string}} created the server's answer
 * @param {{endpoint: string}} subscription
 * @param {object} settings what was sent
 * @returns {{id: string, token: string, endpoint: string, settings: object, synced: object}}
 */
export function newRecord (created, subscription, settings) {
  return {
    id: created.id,
    token: created.token,
    endpoint: subscription.endpoint,
    settings,
    synced: settingsBody(settings)
  }
}

/**
 * The record after the server saved new settings (and perhaps a new subscription).
 * @param {object} record
 * @param {object} settings
 * @param {{endpoint?: string}} [subscription]
 * @returns {object}
 */
export function savedRecord (record, settings, subscription) {
  return {
    ...record,
    endpoint: subscription?.endpoint || record.endpoint,
    settings,
    synced: settingsBody(settings)
  }
}

/**
 * Adopt the server's reminders, quiet hours and wording into the record.
 * While paused the server keeps no reminder times, so the device's list stays.
 * @param {object} record
 * @param {{reminders?: any[], quiet_hours?: object|null, discreet?: boolean}|null} data
 *   the server's view of the subscription
 * @returns {object}
 */
export function adoptServerSettings (record, data) {
  if (!data || record.settings.paused) return record
  const settings = {
    ...record.settings,
    reminders: Array.isArray(data.reminders) ? data.reminders : record.settings.reminders,
    quietHours: data.quiet_hours ?? null,
    discreet: data.discreet !== false
  }
  return { ...record, settings }
}

/**
 * Which panels the reminders page shows: exactly one state at a time.
 * - offline with nothing set up: only "Reminders need a connection";
 * - offline with reminders: only the saved list, read-only (changes need a connection);
 * - notifications blocked (or no longer allowed): only the help to allow them;
 * - nothing set up: the setup words and the first reminder's form;
 * - set up: the list, settings and manage panels, plus the editor while editing.
 * @param {{hasRecord: boolean, permission: NotificationPermission, online: boolean, editing: boolean}} state
 * @returns {string[]} data-panel names, plus "editor" and "settings"
 */
export function visiblePanels ({ hasRecord, permission, online, editing }) {
  if (!online) return hasRecord ? ['list'] : ['offline']
  if (permission === 'denied' || (hasRecord && permission !== 'granted')) return ['blocked']
  if (!hasRecord) return ['setup', 'editor']
  return editing ? ['list', 'settings', 'manage', 'editor'] : ['list', 'settings', 'manage']
}
