/**
 * Entry module: marks the page as enhanced, then starts the lock's activity
 * watch, the service worker's bridge and each component found in a
 * [data-module] attribute (by importing ./<name>.mjs and calling init()).
 * Every module is requested at once; each step then runs in a task of its
 * own, so no part of the start-up is one long task after the first paint.
 */
// The first-paint script has marked the page already; adding the class
// again would still make the browser check every style.
if (!document.documentElement.classList.contains('js')) document.documentElement.classList.add('js')

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
 * Start the page: every module is requested at once (one round trip, not
 * one per module); each step starts in a task of its own, in page order.
 * A step that fails is reported and the others still start.
 * @param {ParentNode} $root where to look for [data-module] elements
 */
async function startAll ($root = document) {
  const found = [...$root.querySelectorAll('[data-module]')]
    .filter(($el) => /^[a-z0-9-]+$/.test($el.dataset.module))
  const steps = [
    // With the lock on and unlocked, every tap and key keeps this tab unlocked a little longer.
    { name: 'unlock-session', loading: import('./unlock-session.mjs'), start: (mod) => mod.watchActivity() },
    // Offline support and install (an early install offer is kept by the first-paint script).
    { name: 'sw-bridge', loading: import('./sw-bridge.mjs'), start: (mod) => mod.startServiceWorker() },
    ...found.map(($el) => ({
      name: $el.dataset.module,
      loading: import(`./${$el.dataset.module}.mjs`),
      start: (mod) => mod.init($el)
    }))
  ]
  // A failed import is reported below, in its turn, not as unhandled.
  for (const step of steps) step.loading.catch(() => {})
  for (const step of steps) {
    try {
      step.start(await step.loading)
    } catch (error) {
      console.warn(`Wayfinder: could not start ${step.name}`, error)
    }
    await nextTask()
  }
}

// The page's own ready signal (tests in every engine wait on it).
startAll().then(() => { document.documentElement.dataset.started = '' })
