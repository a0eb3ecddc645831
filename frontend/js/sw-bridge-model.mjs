/**
 * Pure decisions for the page side of offline support (sw-bridge.mjs and the
 * offline panel on /about): when to check for updates, what a worker's state
 * change means for the person, and how to describe storage. No DOM.
 */

/** Words the page shows; kept here so tests and pages agree. */
export const MESSAGES = {
  update: 'Updated content is ready.',
  reload: 'Reload',
  later: 'Not now',
  ready: 'Ready to use offline',
  ok: 'OK',
  install: 'Install app'
}

/** How long to wait for the browser to answer a storage or permission request. */
export const BROWSER_ANSWER_WAIT_MS = 10 * 1000

/**
 * A promise that settles like `promise`, or gives `fallback` once `ms` have
 * passed: some browsers never answer `navigator.storage.persist()` or
 * `Notification.requestPermission()`, and a button must not wait forever.
 * @template T, F
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {F} fallback
 * @param {(fn: () => void, ms: number) => any} [setTimer] for tests
 * @returns {Promise<T | F>}
 */
export function settleWithin (promise, ms, fallback, setTimer = setTimeout) {
  return new Promise((resolve, reject) => {
    setTimer(() => resolve(fallback), ms)
    Promise.resolve(promise).then(resolve, reject)
  })
}

/** Check for a new version at most this often when the app comes back into view. */
export const UPDATE_CHECK_GAP_MS = 10 * 60 * 1000
/** While the app stays open and visible, check this often. */
export const UPDATE_CHECK_EVERY_MS = 60 * 60 * 1000

/**
 * Whether enough time has passed since the last check for a new version.
 * @param {number} now milliseconds
 * @param {number} lastCheck milliseconds, 0 if never
 * @param {number} gap minimum milliseconds between checks
 * @returns {boolean}
 */
export function isUpdateCheckDue (now, lastCheck, gap = UPDATE_CHECK_GAP_MS) {
  return now - lastCheck >= gap
}

/**
 * What a worker's state change means for the page.
 * - 'offer-update': a new version finished installing while an older one
 *   controls the page; offer to reload (never reload by ourselves).
 * - 'ready': the very first version is active; the site now works offline.
 * @param {{state: string, firstInstall: boolean, controlled: boolean}} facts
 *   `firstInstall`: no worker controlled the page when this one began installing.
 * @returns {'offer-update'|'ready'|null}
 */
export function workerStateAction ({ state, firstInstall, controlled }) {
  if (state === 'installed' && controlled && !firstInstall) return 'offer-update'
  if (state === 'activated' && firstInstall) return 'ready'
  return null
}

/**
 * What to do when another worker takes control of the page.
 * - 'reload': the person asked for the update; reload once.
 * - 'offer-reload': another tab accepted an update, so this page is older
 *   than the worker now serving it; offer a reload.
 * - null: the first worker took control (nothing changes) or a reload is
 *   already under way (no loops).
 * @param {{reloadRequested: boolean, reloading: boolean, hadController: boolean}} facts
 * @returns {'reload'|'offer-reload'|null}
 */
export function controllerChangeAction ({ reloadRequested, reloading, hadController }) {
  if (reloading) return null
  if (reloadRequested) return 'reload'
  return hadController ? 'offer-reload' : null
}

/**
 * Whether Wayfinder already runs as an installed app.
 * @param {{displayModeStandalone: boolean, navigatorStandalone?: boolean}} facts
 *   the `(display-mode: standalone)` media query and iOS's `navigator.standalone`
 * @returns {boolean}
 */
export function isStandalone ({ displayModeStandalone, navigatorStandalone }) {
  return Boolean(displayModeStandalone || navigatorStandalone)
}

/**
 * A number with at most one decimal, without a trailing ".0".
 * @param {number} value
 * @returns {string}
 */
function oneDecimal (value) {
  return value.toFixed(1).replace(/\.0$/, '')
}

/**
 * A byte count in words people use: "0 KB", "640 KB", "1 MB", "1.4 MB".
 * Never "1000 KB": a rounded 1,000 KB is shown as 1 MB.
 * @param {number} bytes
 * @returns {string}
 */
export function formatBytes (bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown'
  if (bytes > 0 && bytes < 500) return 'less than 1 KB'
  const kb = Math.round(bytes / 1e3)
  if (kb < 1000) return `${kb} KB`
  const mb = Math.round(bytes / 1e5) / 10
  if (mb < 1000) return `${oneDecimal(mb)} MB`
  return `${oneDecimal(Math.round(bytes / 1e8) / 10)} GB`
}

/**
 * Describe what the worker has saved. The version people see is the date of
 * the content (its newest review), not the worker's hash.
 * @param {{entries: number, version: string} | null} status the worker's STATUS reply
 * @param {boolean} supported whether this browser has service workers
 * @param {string} [contentDate] the saved content's date, as the page shows it
 * @returns {string}
 */
export function describeSaved (status, supported, contentDate) {
  if (!supported) return 'Not available in this browser.'
  if (!status) return 'Not yet. Wayfinder is saving its pages now.'
  const dated = contentDate ? `, content of ${contentDate}` : ''
  return `Yes: ${status.entries} pages and files${dated}.`
}

/**
 * Describe whether the browser promised to keep Wayfinder's saved copy.
 * @param {boolean | null} persisted `navigator.storage.persisted()`, null if unsupported
 * @returns {string}
 */
export function describePersisted (persisted) {
  if (persisted === null) return 'This browser does not say.'
  if (persisted) return 'Yes. The browser will keep it until you remove it.'
  return 'Not yet. If the device runs low on space, the browser may clear it.'
}

/**
 * Describe the answer to a "Keep available offline" request.
 * @param {boolean | null | 'no-answer'} granted what `navigator.storage.persist()` gave ('no-answer': nothing in time)
 * @returns {string}
 */
export function describePersistAnswer (granted) {
  if (granted === 'no-answer') return 'Your browser has not answered. The saved pages still work offline, and you can try again later.'
  if (granted === null) return 'This browser cannot promise to keep saved sites.'
  if (granted) return 'Done. Your browser will keep Wayfinder available offline.'
  return 'Your browser did not promise this yet. Browsers often agree once the app is installed or used more. The saved pages still work offline.'
}
