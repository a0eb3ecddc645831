// The unlocked state between the pages of a tab: kept until the idle time
// runs out, pushed forward by activity, never revived once expired.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SESSION_KEY, keepUnlock, readUnlock, touchUnlock, watchActivity, wipeUnlock } from '../../frontend/js/unlock-session.mjs'
import { fakeStorage } from './fake-storage.mjs'

test('an entry is used until the idle time runs out, then wiped', () => {
  const tab = fakeStorage()
  assert.equal(keepUnlock(tab, { key: 'a2V5', idleMs: 60000 }, 1000), true)
  assert.deepEqual(readUnlock(tab, 60999), { key: 'a2V5', idleMs: 60000, until: 61000 })
  assert.equal(readUnlock(tab, 61000), null)
  assert.equal(tab.getItem(SESSION_KEY), null)
})

test('activity pushes the expiry forward, at most once a second, and cannot revive an expired one', () => {
  const tab = fakeStorage()
  keepUnlock(tab, { key: 'k', idleMs: 60000 }, 0)
  assert.equal(touchUnlock(tab, 500), true)
  assert.equal(readUnlock(tab, 500).until, 60000, 'not written again within a second')
  assert.equal(touchUnlock(tab, 50000), true)
  assert.equal(readUnlock(tab, 50000).until, 110000)
  assert.equal(touchUnlock(tab, 110000), false)
  assert.equal(tab.getItem(SESSION_KEY), null)
  assert.equal(touchUnlock(tab, 110001), false)
})

test('broken, far-future and missing entries count as locked', () => {
  const tab = fakeStorage()
  for (const text of ['{', 'null', '{"key":1,"until":5,"idleMs":5}', JSON.stringify({ key: 'k', idleMs: 60000, until: 10 ** 13 }), JSON.stringify({ key: 'k', idleMs: 0, until: 10 })]) {
    tab.setItem(SESSION_KEY, text)
    assert.equal(readUnlock(tab, 1), null, text)
    assert.equal(tab.getItem(SESSION_KEY), null)
  }
  assert.equal(readUnlock(null, 1), null)
  assert.equal(keepUnlock(null, { key: 'k', idleMs: 1 }, 0), false)
  const blocked = { getItem () { throw new Error('blocked') }, setItem () { throw new Error('blocked') }, removeItem () { throw new Error('blocked') } }
  assert.equal(readUnlock(blocked, 1), null)
  assert.equal(keepUnlock(blocked, { key: 'k', idleMs: 1 }, 0), false)
  wipeUnlock(blocked)
})

test('a page\'s taps and keys push it forward; coming back into sight after the time wipes it', () => {
  const tab = fakeStorage()
  const clock = { t: 0 }
  const target = new EventTarget()
  watchActivity({ storage: tab, now: () => clock.t, target })
  keepUnlock(tab, { key: 'k', idleMs: 60000 }, 0)
  clock.t = 30000
  target.dispatchEvent(new Event('keydown'))
  assert.equal(readUnlock(tab, clock.t).until, 90000)
  clock.t = 90000
  target.dispatchEvent(new Event('visibilitychange'))
  assert.equal(tab.getItem(SESSION_KEY), null)
})
