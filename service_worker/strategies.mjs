/**
 * Caching strategies, one function each, named after the Offline Cookbook
 * patterns. Each takes its cache and its fetch function as arguments, so tests
 * can hand in fakes.
 *
 * Why pages are answered from the cache first (stale-while-revalidate, where
 * what gets revalidated is the whole version rather than one page):
 * - Every page is precached together with the exact CSS and JS it links to,
 *   under one version. Serving that set keeps HTML and assets matched. If the
 *   worker re-fetched single pages in the background instead, a new page could
 *   sit in the cache next to old assets, and after going offline it would show
 *   unstyled or broken.
 * - People open Wayfinder on weak or patchy signal, often on a hard day. A page
 *   from the cache appears at once; network-first would make every tap wait
 *   up to its timeout (3 s) whenever the signal is poor.
 * - The revalidation still happens: the browser re-checks /sw.js on
 *   navigations and the page asks again when it returns to the foreground. The
 *   worker's bytes change whenever any precached file changes, so a new version
 *   installs in the background and the page offers "Updated content is ready.
 *   Reload".
 * Navigations with a query string and pages not in the precache go to the
 * network first, with a 3 s timeout, so the server can answer them.
 */

/** How long a page waits for the network before using what is saved. */
export const NETWORK_TIMEOUT_MS = 3000

/**
 * Whether a response may be stored: a complete 200 answer from our own origin.
 * Never opaque, CORS, redirect, error or partial (206) responses.
 * @param {Response} response
 * @param {string} url the URL that was asked for
 * @param {string} origin our origin
 * @returns {boolean}
 */
export function isCacheable (response, url, origin) {
  // 'basic' is a same-origin fetch; 'default' is a Response built in code.
  const sameOriginType = response.type === 'basic' || response.type === 'default'
  return response.status === 200 && sameOriginType && new URL(url).origin === origin
}

/**
 * Settle with the network's answer, or reject once `ms` have passed.
 * The request itself carries on in the background.
 * @param {Promise<Response>} pending
 * @param {number} ms
 * @returns {Promise<Response>}
 */
export function withTimeout (pending, ms) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Cache first: answer from the precache; on a miss, from the network.
 * A miss is not stored: everything meant for offline use is precached with a
 * revision, and anything else would never be cleaned up.
 * @param {Request} request
 * @param {{cache: Cache, fetchFn: (r: Request) => Promise<Response>}} deps
 * @returns {Promise<Response>}
 */
export async function cacheFirst (request, { cache, fetchFn }) {
  const cached = await cache.match(request, { ignoreVary: true })
  return cached || fetchFn(request)
}

/**
 * Pages: the precached copy at once. With a query string or with no saved
 * copy, the network first (up to `timeoutMs`), then the saved copy, then the
 * offline page (status 200), so a person never sees the browser's error page.
 * @param {Request} request a navigation
 * @param {{cache: Cache, fetchFn: (r: Request) => Promise<Response>,
 *   offlineUrl: string, pageUrl: string, query: boolean, timeoutMs?: number}} deps
 *   `pageUrl` is the precache key of the page, `query` whether the URL has a
 *   query string (see routes.mjs).
 * @returns {Promise<Response>}
 */
export async function servePage (request, deps) {
  const { cache, fetchFn, offlineUrl, pageUrl, query } = deps
  const saved = await cache.match(pageUrl, { ignoreVary: true })
  if (saved && !query) return saved
  try {
    return await withTimeout(fetchFn(request), deps.timeoutMs ?? NETWORK_TIMEOUT_MS)
  } catch {
    return saved || (await cache.match(offlineUrl, { ignoreVary: true })) || Response.error()
  }
}
