/**
 * Entry module: marks the page as enhanced, then starts each component found
 * in a [data-module] attribute by importing ./<name>.mjs and calling init().
 */
document.documentElement.classList.add('js')

/**
 * Start every component on the page.
 * @param {ParentNode} $root where to look for [data-module] elements
 */
export async function startAll ($root = document) {
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

startAll()
// Offline support and install (service worker registration waits for load).
import('./sw-bridge.mjs').then((bridge) => bridge.startServiceWorker())
