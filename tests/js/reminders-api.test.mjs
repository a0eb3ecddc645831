// The push API client: paths, methods, headers, the token, and offline answers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createApi } from '../../frontend/js/reminders-api.mjs'

/** A fetch that records calls and answers with the given statuses in turn. */
function fakeFetch (...answers) {
  const calls = []
  const fn = async (url, init) => {
    calls.push({ url, init })
    const answer = answers.shift() ?? { status: 200, json: {} }
    if (answer.offline) throw new TypeError('Failed to fetch')
    return new Response(answer.status === 204 ? null : JSON.stringify(answer.json ?? {}), { status: answer.status })
  }
  fn.calls = calls
  return fn
}

test('each call goes to its path with its method, JSON in and out, never cached or with cookies', async () => {
  const fetchFn = fakeFetch({ status: 201, json: { id: 'a b', token: 't' } }, { status: 200 }, { status: 200 },
    { status: 204 }, { status: 202 }, { status: 200, json: { publicKey: 'k' } })
  const api = createApi({ base: '/api/push', fetchFn })
  assert.deepEqual(await api.create({ x: 1 }), { status: 201, data: { id: 'a b', token: 't' } })
  await api.read('a b')
  await api.update('a b', { y: 2 })
  assert.deepEqual(await api.remove('a b'), { status: 204, data: null })
  await api.sendTest('a b')
  assert.deepEqual((await api.publicKey()).data, { publicKey: 'k' })
  assert.deepEqual(fetchFn.calls.map(c => [c.init.method, c.url]), [
    ['POST', '/api/push/subscriptions'],
    ['GET', '/api/push/subscriptions/a%20b'],
    ['PUT', '/api/push/subscriptions/a%20b'],
    ['DELETE', '/api/push/subscriptions/a%20b'],
    ['POST', '/api/push/subscriptions/a%20b/test'],
    ['GET', '/api/push/public-key']
  ])
  const [create, read] = fetchFn.calls
  assert.equal(create.init.body, '{"x":1}')
  assert.equal(create.init.headers['Content-Type'], 'application/json')
  assert.equal(read.init.headers['Content-Type'], undefined)
  assert.equal(read.init.body, undefined)
  for (const { init } of fetchFn.calls) {
    assert.equal(init.cache, 'no-store')
    assert.equal(init.credentials, 'omit')
    assert.equal(init.headers.Accept, 'application/json')
  }
})

test('the token is read at each call and sent only when there is one', async () => {
  let token = null
  const fetchFn = fakeFetch()
  const api = createApi({ fetchFn, token: () => token })
  await api.publicKey()
  token = 'secret'
  await api.read('x')
  assert.equal(fetchFn.calls[0].init.headers.Authorization, undefined)
  assert.equal(fetchFn.calls[1].init.headers.Authorization, 'Bearer secret')
  assert.equal(fetchFn.calls[0].url, '/api/push/public-key', 'the default base')
})

test('offline answers status 0; a body that is not JSON answers data null', async () => {
  const api = createApi({ fetchFn: fakeFetch({ offline: true }) })
  assert.deepEqual(await api.read('x'), { status: 0, data: null })
  const broken = createApi({ fetchFn: async () => new Response('<html>', { status: 502 }) })
  assert.deepEqual(await broken.read('x'), { status: 502, data: null })
})
