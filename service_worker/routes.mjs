/**
 * Routing decisions for the service worker: which strategy answers a request,
 * and which caches are ours. Pure: plain values in, plain values out; no
 * caches, no network, no `self`, so `node --test` can check every rule.
 */

/** Prefix of the caches this worker owns. Other areas must use another prefix. */
export const PRECACHE_PREFIX = 'wf-precache-'

/** Paths the worker never answers: the browser fetches them as usual. */
const NETWORK_ONLY_PATHS = ['/sw.js']
const NETWORK_ONLY_PREFIXES = ['/api/']

/**
 * The name of the precache that holds one version of the site.
 * @param {string} version the version the server derived from the precache list
 * @returns {string}
 */
export function precacheName (version) {
  return PRECACHE_PREFIX + version
}

/**
 * Whether a cache is one of our own precaches from another version.
 * Caches with any other name (another area's, another app's) are never ours to delete.
 * @param {string} name a cache name from `caches.keys()`
 * @param {string} current the name of the precache in use
 * @returns {boolean}
 */
export function isOldPrecache (name, current) {
  return name.startsWith(PRECACHE_PREFIX) && name !== current
}

/**
 * The plain facts about a request that routing needs.
 * @param {Request} request
 * @returns {{method: string, url: string, mode: string, hasRange: boolean}}
 */
export function requestFacts (request) {
  return {
    method: request.method,
    url: request.url,
    mode: request.mode,
    hasRange: request.headers.has('range')
  }
}

/**
 * Decide how to answer a request.
 * - `page`: a navigation; answered by the page strategy.
 * - `precache`: another same-origin GET (hashed assets, the manifest, JSON
 *   listed in the precache); cache first.
 * - `network`: left to the browser. Other methods, other origins (never
 *   cached: opaque responses are useless offline and cost quota), range
 *   requests (media seeking), the API and the worker script itself.
 * @param {{method: string, url: string, mode?: string, hasRange?: boolean}} facts
 * @param {string} origin the worker's origin, e.g. `self.location.origin`
 * @returns {'page'|'precache'|'network'}
 */
export function routeRequest (facts, origin) {
  if (facts.method !== 'GET' || facts.hasRange) return 'network'
  const url = new URL(facts.url)
  if (url.origin !== origin) return 'network'
  if (NETWORK_ONLY_PATHS.includes(url.pathname)) return 'network'
  if (NETWORK_ONLY_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) {
    return 'network'
  }
  return facts.mode === 'navigate' ? 'page' : 'precache'
}

/**
 * The precache key of the page a navigation asks for: the URL without its
 * query string or fragment (`/search?q=sleep` is served by `/search`).
 * @param {string} url an absolute URL
 * @returns {string}
 */
export function pageKey (url) {
  const parsed = new URL(url)
  return parsed.origin + parsed.pathname
}

/**
 * Whether a navigation carries a query string, so the server may answer it
 * differently from the precached page: such navigations try the network first.
 * @param {string} url an absolute URL
 * @returns {boolean}
 */
export function hasQuery (url) {
  return new URL(url).search !== ''
}

/**
 * The canonical URL of a navigation whose path ends in a slash ("/help/" is
 * "/help", query kept), as the server's 308 gives it; null when the URL is
 * already canonical (the root "/" is).
 * @param {string} url an absolute URL
 * @returns {string | null}
 */
export function canonicalUrl (url) {
  const parsed = new URL(url)
  const bare = parsed.pathname.replace(/\/+$/, '')
  if (!bare || bare === parsed.pathname) return null
  return parsed.origin + bare + parsed.search + parsed.hash
}
