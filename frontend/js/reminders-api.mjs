/**
 * The reminders page's client for our push API (/api/push): one function per
 * call, each answering {status, data} with status 0 when the network is out
 * of reach, so the component decides what to say. No DOM.
 */

/**
 * @typedef {object} Answer
 * @property {number} status the HTTP status, or 0 when offline
 * @property {any} data the JSON body, or null
 */

/**
 * Make a client for the push API.
 * @param {{base?: string, fetchFn?: typeof fetch, token?: () => (string|null|undefined)}} [options]
 *   base: where the API lives; fetchFn: for tests; token: this device's
 *   management token, read at each call (none before reminders are on)
 * @returns {{
 *   call: (method: string, path: string, body?: object) => Promise<Answer>,
 *   publicKey: () => Promise<Answer>,
 *   create: (body: object) => Promise<Answer>,
 *   read: (id: string) => Promise<Answer>,
 *   update: (id: string, body: object) => Promise<Answer>,
 *   remove: (id: string) => Promise<Answer>,
 *   sendTest: (id: string) => Promise<Answer>
 * }}
 */
export function createApi ({ base = '/api/push', fetchFn = (...args) => fetch(...args), token = () => null } = {}) {
  async function call (method, path, body) {
    const headers = { Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const bearer = token()
    if (bearer) headers.Authorization = `Bearer ${bearer}`
    let response
    try {
      response = await fetchFn(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit'
      })
    } catch {
      return { status: 0, data: null }
    }
    let data = null
    if (response.status !== 204) data = await response.json().catch(() => null)
    return { status: response.status, data }
  }
  const subscription = id => `/subscriptions/${encodeURIComponent(id)}`
  return {
    call,
    publicKey: () => call('GET', '/public-key'),
    create: body => call('POST', '/subscriptions', body),
    read: id => call('GET', subscription(id)),
    update: (id, body) => call('PUT', subscription(id), body),
    remove: id => call('DELETE', subscription(id)),
    sendTest: id => call('POST', `${subscription(id)}/test`)
  }
}
