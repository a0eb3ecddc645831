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
 * Start every component on the page.
 * @param {ParentNode} $root where to look for [data-module] elements
 */
async function startAll ($root = document) {
  const $modules = $root.querySelectorAll('[data-module]')
  for (const $el of $modules) {
    const name = $el.dataset.module
    if (!/^[a-z0-9-]+$/.test(name)) continue
    try {
      const mod = await import(`./${name}.mjs`)
      mod.init($el)
    } catch (error) {
      console.warn(`Wayfinder: could not start ${name}`, error)
    }
  }
}

// The page's own ready signal (tests in every engine wait on it).
startAll().then(() => { document.documentElement.dataset.started = '' })
