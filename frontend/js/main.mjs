/**
 * Entry module: marks the page as enhanced, then starts each component found
 * in a [data-module] attribute by importing ./<name>.mjs and calling init().
 */
import { startServiceWorker } from './sw-bridge.mjs'
import { watchActivity } from './unlock-session.mjs'

document.documentElement.classList.add('js')
// With the lock on and unlocked, every tap and key keeps this tab unlocked a little longer.
watchActivity()
// Offline support and install: listen for the install offer now (Chrome can
// fire it early); the worker is registered after load.
startServiceWorker()

/**
 * Resolve in a new task, so the browser can paint and answer a tap between
 * two components' start-up (a message, not a timer: a held clock in tests
 * does not hold it).
 * @returns {Promise<void>}
 */
function nextTask () {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}

/**
 * Start every component on the page, in page order. Their modules are all
 * requested at once (one round trip, not one per component); each starts in
 * a task of its own, so no start-up is one long task.
 * @param {ParentNode} $root where to look for [data-module] elements
 */
async function startAll ($root = document) {
  const found = [...$root.querySelectorAll('[data-module]')]
    .filter(($el) => /^[a-z0-9-]+$/.test($el.dataset.module))
  const loading = found.map(($el) => import(`./${$el.dataset.module}.mjs`))
  // A failed import is reported below, in its turn, not as unhandled.
  for (const promise of loading) promise.catch(() => {})
  for (const [i, $el] of found.entries()) {
    const name = $el.dataset.module
    try {
      const mod = await loading[i]
      mod.init($el)
    } catch (error) {
      console.warn(`Wayfinder: could not start ${name}`, error)
    }
    await nextTask()
  }
}

// The page's own ready signal (tests in every engine wait on it).
startAll().then(() => { document.documentElement.dataset.started = '' })
