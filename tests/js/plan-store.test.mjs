// The safety plan and hope box in a personal store of the test's own: one plan
// record, hasPlan() (also while locked), hope items, photo bytes as base64.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PersonalStore } from '../../frontend/js/personal-store.mjs'
import { PLAN_ID } from '../../frontend/js/plan-model.mjs'
import {
  addHope, base64ToBlob, blobToBase64, hasPlan, listHope, loadPlan, removeHope, savePlan
} from '../../frontend/js/plan-store.mjs'
import { PLAN_FLAG, flagPlan, planFlagged } from '../../frontend/js/plan-flag.mjs'
import { freshStore } from './personal-fixtures.mjs'

test('the plan is one record, saved whole, and hasPlan() says when it has words', async () => {
  const store = freshStore()
  assert.equal(await hasPlan(store), false)
  assert.equal(await loadPlan(store), undefined)
  await savePlan({ steps: { reasons: { text: '', people: [] } }, removed: ['line:GB:0'] }, store)
  assert.equal(await hasPlan(store), false, 'an empty plan is not a plan')
  await savePlan({ steps: { reasons: { text: 'My pet', people: [] } }, removed: [] }, store)
  await savePlan({ steps: { reasons: { text: 'My pet\nMusic', people: [] } }, removed: [] }, store)
  assert.equal(await hasPlan(store), true)
  assert.equal(planFlagged(store.storage), true, 'help cards can tell at once')
  const records = await store.all()
  assert.deepEqual(records.map(r => [r.id, r.type]), [[PLAN_ID, 'safety-plan'], ['pref:wayfinder.plan', 'preference']])
  assert.equal((await loadPlan(store)).steps.reasons.text, 'My pet\nMusic')
  await savePlan({ steps: { reasons: { text: ' ', people: [] } }, removed: [] }, store)
  assert.equal(planFlagged(store.storage), false)
  store.storage.setItem(PLAN_FLAG, 'yes') // out of step, e.g. restored without the plan
  await loadPlan(store)
  assert.equal(planFlagged(store.storage), false, 'opening the plan puts the flag right')
  await store.deleteEverything()
  flagPlan(true, store.storage)
  await store.deleteEverything()
  assert.equal(store.storage.getItem(PLAN_FLAG), null, 'delete everything removes the flag')
  flagPlan(true, null)
  assert.equal(planFlagged(null), false)
})

test('while locked the plan is sealed, yet hasPlan() still knows it is there', async () => {
  const store = freshStore()
  await savePlan({ steps: { reasons: { text: 'My pet', people: [] } }, removed: [] }, store)
  await store.setLock('quiet river morning', { iterations: 1000 })
  const sealed = await (await store.openDb()).get('records', PLAN_ID)
  assert.ok(sealed.sealed, 'kept encrypted')
  assert.equal(JSON.stringify(sealed).includes('My pet'), false)
  const other = new PersonalStore({ open: store.openDb, storage: store.storage, legacy: false })
  assert.equal(await hasPlan(other), true)
  await assert.rejects(loadPlan(other), { name: 'LockedError' })
  assert.equal(await other.unlock('quiet river morning'), true)
  assert.equal((await loadPlan(other)).steps.reasons.text, 'My pet')
})

test('hope items are added, listed and removed', async () => {
  const store = freshStore()
  const letter = await addHope({ kind: 'letter', text: 'You got through before.' }, store)
  await addHope({ kind: 'message', text: 'Glad you are here.', from: 'Jo' }, store)
  assert.equal((await listHope(store)).length, 2)
  await removeHope(letter.id, store)
  assert.deepEqual((await listHope(store)).map(r => r.data.from), ['Jo'])
})

test('photo bytes survive base64 both ways', async () => {
  const bytes = new Uint8Array(200000).map((_, i) => (i * 7919) % 256)
  const text = await blobToBase64(new Blob([bytes], { type: 'image/jpeg' }))
  assert.match(text, /^[A-Za-z0-9+/]+={0,2}$/)
  const back = base64ToBlob(text, 'image/jpeg')
  assert.equal(back.type, 'image/jpeg')
  assert.deepEqual(new Uint8Array(await back.arrayBuffer()), bytes)
})
