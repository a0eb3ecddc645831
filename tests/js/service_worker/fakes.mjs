// In-memory stand-ins for the Cache API and fetch, for the service worker's node tests.

/** A Cache keyed by absolute URL; match() returns a fresh clone each time. */
export class FakeCache {
  constructor () {
    this.entries = new Map()
    this.matchOptions = []
  }

  async match (request, options = {}) {
    this.matchOptions.push(options)
    const url = typeof request === 'string' ? request : request.url
    const found = this.entries.get(url)
    return found ? found.clone() : undefined
  }

  async put (request, response) {
    const url = typeof request === 'string' ? request : request.url
    this.entries.set(url, response.clone())
  }
}

/** A CacheStorage holding FakeCaches by name. */
export class FakeCacheStorage {
  constructor () {
    this.stores = new Map()
  }

  async open (name) {
    if (!this.stores.has(name)) this.stores.set(name, new FakeCache())
    return this.stores.get(name)
  }

  async keys () {
    return [...this.stores.keys()]
  }

  async delete (name) {
    return this.stores.delete(name)
  }
}

/**
 * A fetch that answers from a table of url → body (or a function giving a
 * Response), records every request, and fails for unknown URLs like a network
 * with no signal.
 */
export function fakeFetch (table = {}) {
  const calls = []
  const fetchFn = async (request) => {
    calls.push(request)
    const url = typeof request === 'string' ? request : request.url
    const answer = table[url]
    if (answer === undefined) throw new TypeError('Failed to fetch')
    return typeof answer === 'function' ? answer(request) : new Response(answer, { status: 200 })
  }
  fetchFn.calls = calls
  return fetchFn
}
