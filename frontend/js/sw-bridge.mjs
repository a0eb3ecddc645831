/**
 * The page side of offline support. After the page has loaded it registers
 * /sw.js, says "Ready to use offline" once the first version is saved, and
 * offers "Updated content is ready. Reload" when a new version has been
 * saved. It reloads only when the person chooses to, and only once. It also
 * offers "Install app" when the browser allows it, and asks for persistent
 * storage after a meaningful action (never on load).
 */
import {
  BROWSER_ANSWER_WAIT_MS, MESSAGES, UPDATE_CHECK_EVERY_MS, controllerChangeAction, isStandalone,
  isUpdateCheckDue, settleWithin, workerStateAction
} from './sw-bridge-model.mjs'

const DISMISSED_KEY = 'wf-update-dismissed'

const state = {
  registration: null,
  lastCheck: 0,
  hadController: false,
  reloadRequested: false,
  reloading: false,
  installPrompt: null,
  $updateToast: null
}
const tracked = new WeakSet()

/**
 * Show a quiet message in one of the page's polite live regions.
 * @param {string} text
 * @param {{label: string, quiet?: boolean, onClick: () => void}[]} actions
 * @param {string} [where] the region: the floating toasts, or the footer's status line
 * @returns {HTMLElement | null} the toast, or null if the page has no region
 */
function showToast (text, actions, where = '[data-toast-region]') {
  const $region = document.querySelector(where)
  if (!$region) return null
  const $toast = document.createElement('div')
  $toast.className = 'toast'
  const $text = document.createElement('span')
  $text.textContent = text
  $toast.append($text)
  for (const action of actions) {
    const $button = document.createElement('button')
    $button.type = 'button'
    $button.className = action.quiet ? 'button button--quiet' : 'button'
    $button.textContent = action.label
    $button.addEventListener('click', action.onClick)
    $toast.append($button)
  }
  $region.append($toast)
  return $toast
}

function reloadOnce () {
  if (state.reloading) return
  state.reloading = true
  window.location.reload()
}

function acceptUpdate () {
  state.reloadRequested = true
  const waiting = state.registration && state.registration.waiting
  if (waiting) waiting.postMessage({ type: 'SKIP_WAITING' })
  else reloadOnce()
}

function dismissUpdate () {
  sessionStorage.setItem(DISMISSED_KEY, '1')
  state.$updateToast?.remove()
  state.$updateToast = null
  document.body.classList.remove('has-toast')
}

function offerUpdate ({ force = false } = {}) {
  if (state.$updateToast || (!force && sessionStorage.getItem(DISMISSED_KEY))) return
  state.$updateToast = showToast(MESSAGES.update, [
    { label: MESSAGES.reload, onClick: acceptUpdate },
    { label: MESSAGES.later, quiet: true, onClick: dismissUpdate }
  ])
  // Room below the page's end, so the floating offer never hides its last lines.
  if (state.$updateToast) document.body.classList.add('has-toast')
}

// "Ready to use offline" is news, not a question: it goes in the footer's
// status line, where it covers nothing and moves nothing above it, and is
// announced politely. OK dismisses it.
function showReady () {
  const $toast = showToast(MESSAGES.ready, [{ label: MESSAGES.ok, quiet: true, onClick: () => $toast.remove() }], '[data-ready-region]')
  $toast?.classList.add('toast--inline')
}

function track (worker) {
  if (!worker || tracked.has(worker)) return
  tracked.add(worker)
  const firstInstall = !navigator.serviceWorker.controller
  worker.addEventListener('statechange', () => {
    const action = workerStateAction({
      state: worker.state, firstInstall, controlled: Boolean(navigator.serviceWorker.controller)
    })
    if (action === 'offer-update') offerUpdate()
    else if (action === 'ready') showReady()
  })
}

function onControllerChange () {
  const action = controllerChangeAction(state)
  state.hadController = true
  if (action === 'reload') reloadOnce()
  // Another tab took the update: this page is now older than its worker.
  else if (action === 'offer-reload') offerUpdate({ force: true })
}

/**
 * Ask the worker whether a new version exists, if the last check is old enough.
 * Offline, the check fails quietly and the saved version keeps working.
 * @param {{force?: boolean}} options
 */
function checkForUpdate ({ force = false } = {}) {
  const reg = state.registration
  if (!reg || document.visibilityState !== 'visible') return
  if (!force && !isUpdateCheckDue(Date.now(), state.lastCheck)) return
  state.lastCheck = Date.now()
  reg.update().catch(() => {})
}

let registering = null

/**
 * Register /sw.js, once per page, however many callers ask.
 * @returns {Promise<ServiceWorkerRegistration>}
 */
function register () {
  registering ??= registerWorker()
  return registering
}

async function registerWorker () {
  const reg = await navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' })
  state.registration = reg
  state.lastCheck = Date.now()
  if (reg.waiting && navigator.serviceWorker.controller) offerUpdate()
  track(reg.installing)
  reg.addEventListener('updatefound', () => track(reg.installing))
  document.addEventListener('visibilitychange', () => checkForUpdate())
  setInterval(() => checkForUpdate(), UPDATE_CHECK_EVERY_MS)
  return reg
}

/**
 * The active worker's registration, registering /sw.js now if the page has
 * not yet (it normally does so after load).
 * @param {number} timeoutMs how long to wait for a worker to become active
 * @returns {Promise<ServiceWorkerRegistration>} rejects after timeoutMs
 */
export async function readyRegistration (timeoutMs) {
  if (!(await navigator.serviceWorker.getRegistration('/'))) await register()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), timeoutMs)
    navigator.serviceWorker.ready.then(
      reg => { clearTimeout(timer); resolve(reg) },
      error => { clearTimeout(timer); reject(error) }
    )
  })
}

/**
 * Ask the browser to keep Wayfinder's saved copy even when space runs low.
 * Call it only after a meaningful action (installing, turning on reminders,
 * "Keep available offline").
 * @returns {Promise<boolean | null | 'no-answer'>} whether storage is persistent; null if
 *   unsupported; 'no-answer' if the browser did not answer in time
 */
export async function requestPersistentStorage () {
  if (!navigator.storage || !navigator.storage.persist) return null
  if (await settleWithin(navigator.storage.persisted(), BROWSER_ANSWER_WAIT_MS, false)) return true
  return settleWithin(navigator.storage.persist(), BROWSER_ANSWER_WAIT_MS, 'no-answer')
}

/**
 * Ask the active worker what it has saved.
 * @param {number} timeoutMs how long to wait for an answer
 * @returns {Promise<{version: string, entries: number} | null>} null if nothing is saved yet
 */
export async function workerStatus (timeoutMs = 3000) {
  if (!('serviceWorker' in navigator)) return null
  const reg = await navigator.serviceWorker.getRegistration('/')
  const worker = reg && reg.active
  if (!worker) return null
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    const timer = setTimeout(() => resolve(null), timeoutMs)
    channel.port1.onmessage = (event) => {
      clearTimeout(timer)
      resolve(event.data)
    }
    worker.postMessage({ type: 'STATUS' }, [channel.port2])
  })
}

function installed () {
  return isStandalone({
    displayModeStandalone: window.matchMedia('(display-mode: standalone)').matches,
    navigatorStandalone: navigator.standalone
  })
}

function removeInstallButton () {
  document.querySelector('[data-install-app]')?.remove()
}

async function install () {
  const prompt = state.installPrompt
  if (!prompt) return
  state.installPrompt = null
  removeInstallButton()
  await prompt.prompt()
  const choice = await prompt.userChoice
  if (choice && choice.outcome === 'accepted') await requestPersistentStorage()
}

function offerInstall () {
  const $footer = document.querySelector('.site-footer')
  if (!$footer || installed() || document.querySelector('[data-install-app]')) return
  const $slot = document.createElement('p')
  $slot.dataset.installApp = ''
  const $button = document.createElement('button')
  $button.type = 'button'
  $button.className = 'button button--quiet'
  $button.textContent = MESSAGES.install
  $button.addEventListener('click', install)
  $slot.append($button)
  $footer.prepend($slot)
}

function listenForInstall () {
  // Keep the browser's own install banner from popping up uninvited; offer a
  // quiet button in the footer instead. An offer made before this module
  // started was kept by the first-paint script.
  if (window.wayfinderInstallPrompt) {
    state.installPrompt = window.wayfinderInstallPrompt
    window.wayfinderInstallPrompt = null
    offerInstall()
  }
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault()
    state.installPrompt = event
    offerInstall()
  })
  window.addEventListener('appinstalled', () => {
    state.installPrompt = null
    removeInstallButton()
    requestPersistentStorage()
  })
}

/**
 * Start offline support for this page: install prompts now, the worker after load.
 */
export function startServiceWorker () {
  listenForInstall()
  if (!('serviceWorker' in navigator)) return
  state.hadController = Boolean(navigator.serviceWorker.controller)
  navigator.serviceWorker.addEventListener('controllerchange', onControllerChange)
  const go = () => register().catch((error) => console.warn('Wayfinder: offline support is off', error))
  if (document.readyState === 'complete') go()
  else window.addEventListener('load', go, { once: true })
}
