// Page-side offline decisions: update checks, what worker state changes mean, storage wording.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  MESSAGES, UPDATE_CHECK_EVERY_MS, UPDATE_CHECK_GAP_MS, controllerChangeAction, describePersistAnswer,
  describePersisted, describeSaved, formatBytes, isStandalone, isUpdateCheckDue, settleWithin,
  workerStateAction
} from '../../frontend/js/sw-bridge-model.mjs'

test('the messages are the words the page shows', () => {
  assert.equal(`${MESSAGES.update} ${MESSAGES.reload}`, 'Updated content is ready. Reload')
  assert.equal(MESSAGES.ready, 'Ready to use offline')
})

test('update checks happen again after a while in the background, not on every focus', () => {
  const now = 10 * UPDATE_CHECK_EVERY_MS
  assert.equal(isUpdateCheckDue(now, now - 1000), false)
  assert.equal(isUpdateCheckDue(now, now - UPDATE_CHECK_GAP_MS), true)
  assert.equal(isUpdateCheckDue(now, now - 5 * 60 * 60 * 1000), true, 'back after hours')
  assert.equal(isUpdateCheckDue(now, 0), true, 'never checked')
  assert.ok(UPDATE_CHECK_GAP_MS < UPDATE_CHECK_EVERY_MS)
})

test('a new version offers an update only when an older one controls the page', () => {
  assert.equal(workerStateAction({ state: 'installed', firstInstall: false, controlled: true }), 'offer-update')
  assert.equal(workerStateAction({ state: 'installed', firstInstall: true, controlled: false }), null)
  assert.equal(workerStateAction({ state: 'installing', firstInstall: false, controlled: true }), null)
  assert.equal(workerStateAction({ state: 'activated', firstInstall: false, controlled: true }), null)
  assert.equal(workerStateAction({ state: 'redundant', firstInstall: false, controlled: true }), null)
})

test('"Ready to use offline" is said once, for the first version only', () => {
  assert.equal(workerStateAction({ state: 'activated', firstInstall: true, controlled: true }), 'ready')
  assert.equal(workerStateAction({ state: 'activating', firstInstall: true, controlled: false }), null)
})

test('the page reloads once, only when the person asked', () => {
  assert.equal(controllerChangeAction({ reloadRequested: true, reloading: false, hadController: true }), 'reload')
  assert.equal(controllerChangeAction({ reloadRequested: true, reloading: true, hadController: true }), null, 'no loop')
  assert.equal(controllerChangeAction({ reloadRequested: false, reloading: false, hadController: false }), null,
    'the first worker taking control changes nothing on screen')
  assert.equal(controllerChangeAction({ reloadRequested: false, reloading: false, hadController: true }), 'offer-reload',
    'another tab took the update: offer, never force, a reload')
})

test('an installed app is recognised on Android, desktop and iOS', () => {
  assert.equal(isStandalone({ displayModeStandalone: true }), true)
  assert.equal(isStandalone({ displayModeStandalone: false, navigatorStandalone: true }), true)
  assert.equal(isStandalone({ displayModeStandalone: false, navigatorStandalone: undefined }), false)
})

test('bytes read as KB, MB or GB', () => {
  assert.equal(formatBytes(0), '0 KB')
  assert.equal(formatBytes(120), 'less than 1 KB')
  assert.equal(formatBytes(999_600), '1 MB')
  assert.equal(formatBytes(1_000_000), '1 MB')
  assert.equal(formatBytes(999_400), '999 KB')
  assert.equal(formatBytes(12_340_000), '12.3 MB')
  assert.equal(formatBytes(640_400), '640 KB')
  assert.equal(formatBytes(1_430_000), '1.4 MB')
  assert.equal(formatBytes(2_500_000_000), '2.5 GB')
  assert.equal(formatBytes(Number.NaN), 'unknown')
  assert.equal(formatBytes(-1), 'unknown')
})

test('storage descriptions are plain and never alarming', () => {
  assert.match(describeSaved({ entries: 57, version: 'abc123def456' }, true), /^Yes: 57 pages and files/)
  const dated = describeSaved({ entries: 57, version: 'abc123def456' }, true, '26 November 2026')
  assert.equal(dated, 'Yes: 57 pages and files, content of 26 November 2026.')
  assert.ok(!dated.includes('abc123'), 'the hash is not what people see')
  assert.match(describeSaved(null, true), /^Not yet/)
  assert.match(describeSaved(null, false), /Not available/)
  assert.match(describePersisted(true), /^Yes/)
  assert.match(describePersisted(false), /^Not yet/)
  assert.match(describePersisted(null), /does not say/)
  assert.match(describePersistAnswer(true), /^Done/)
  assert.match(describePersistAnswer(false), /still work offline/)
  assert.match(describePersistAnswer(null), /cannot/)
})

test('settleWithin gives the answer when the browser answers', async () => {
  const timers = []
  const answer = await settleWithin(Promise.resolve('granted'), 10, 'no-answer', (fn) => timers.push(fn))
  assert.equal(answer, 'granted')
})

test('settleWithin gives the fallback when the browser never answers', async () => {
  let fire
  const waiting = settleWithin(new Promise(() => {}), 10000, 'no-answer', (fn) => { fire = fn })
  fire()
  assert.equal(await waiting, 'no-answer')
})

test('settleWithin passes a refusal on', async () => {
  await assert.rejects(settleWithin(Promise.reject(new Error('nope')), 10, 'no-answer', () => {}), /nope/)
})

test('a persist request with no answer says so plainly', () => {
  assert.match(describePersistAnswer('no-answer'), /has not answered/)
  assert.match(describePersistAnswer('no-answer'), /still work offline/)
})
