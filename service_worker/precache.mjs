/**
 * Filling and cleaning the precache. Install is all or nothing: if one URL
 * fails, the promise rejects, the new version is not installed and the one in
 * use keeps working. Entries whose revision is already saved (in this cache or
 * an older precache) are copied instead of downloaded again, so an update only
 * fetches what changed, and an interrupted install resumes where it stopped.
 */
import { PRECACHE_PREFIX, isOldPrecache } from './routes.mjs'
import { isCacheable } from './strategies.mjs'

/** Header stored with each precached response: the content hash it was saved at. */
export const REVISION_HEADER = 'x-wf-revision'

/**
 * Copy a response with its revision recorded in a header. Building a new
 * Response also drops the `redirected` flag, which browsers refuse for
 * navigations.
 * @param {Response} response
 * @param {string} revision
 * @returns {Promise<Response>}
 */
export async function withRevision (response, revision) {
  const headers = new Headers(response.headers)
  headers.set(REVISION_HEADER, revision)
  const body = await response.blob()
  return new Response(body, { status: response.status, statusText: response.statusText, headers })
}

/**
 * Find a saved response for a URL at exactly this revision.
 * @param {string} url
 * @param {string} revision
 * @param {Cache[]} stores where to look, in order
 * @returns {Promise<{response: Response, cache: Cache} | null>}
 */
async function findSaved (url, revision, stores) {
  for (const cache of stores) {
    const response = await cache.match(url, { ignoreVary: true })
    if (response && response.headers.get(REVISION_HEADER) === revision) {
      return { response, cache }
    }
  }
  return null
}

/**
 * Save every entry into the cache `cacheName`, bypassing the HTTP cache for
 * what must be downloaded. Resolves with how many were fetched and reused.
 * @param {{url: string, revision: string}[]} entries
 * @param {{cacheStorage: CacheStorage, cacheName: string,
 *   fetchFn: (r: Request) => Promise<Response>, origin: string}} deps
 * @returns {Promise<{fetched: number, reused: number}>}
 */
export async function installPrecache (entries, { cacheStorage, cacheName, fetchFn, origin }) {
  const target = await cacheStorage.open(cacheName)
  const olderNames = (await cacheStorage.keys()).filter(
    (name) => name.startsWith(PRECACHE_PREFIX) && name !== cacheName
  )
  const sources = [target, ...(await Promise.all(olderNames.map((name) => cacheStorage.open(name))))]
  const counts = { fetched: 0, reused: 0 }
  await Promise.all(entries.map(async ({ url: path, revision }) => {
    const url = new URL(path, origin).href
    const saved = await findSaved(url, revision, sources)
    if (saved) {
      if (saved.cache !== target) await target.put(url, saved.response)
      counts.reused += 1
      return
    }
    const response = await fetchFn(new Request(url, { cache: 'reload', credentials: 'same-origin' }))
    if (!isCacheable(response, url, origin)) {
      throw new Error(`precache: ${path} answered ${response.status} (${response.type})`)
    }
    await target.put(url, await withRevision(response, revision))
    counts.fetched += 1
  }))
  return counts
}

/**
 * Delete our precaches from other versions; leave every other cache alone.
 * @param {CacheStorage} cacheStorage
 * @param {string} current the precache in use
 * @returns {Promise<string[]>} the names deleted
 */
export async function removeOldPrecaches (cacheStorage, current) {
  const old = (await cacheStorage.keys()).filter((name) => isOldPrecache(name, current))
  await Promise.all(old.map((name) => cacheStorage.delete(name)))
  return old
}
