// The treatment log in a personal store of the test's own: kept normalized, edited in place, deleted,
// the profile under its fixed id, secret under the lock, and the bands the trends chart draws.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { treatmentBands } from '../../frontend/js/check-in-store.mjs'
import { isSecret } from '../../frontend/js/personal-model.mjs'
import { listTreatments, loadProfile, removeTreatment, saveProfile, saveTreatment } from '../../frontend/js/treatment-store.mjs'
import { freshStore, QUICK } from './personal-fixtures.mjs'

test('the kinds are secret', () => {
  for (const type of ['treatment', 'treatment-profile', 'appointment']) assert.equal(isSecret(type), true)
})

test('a treatment is kept normalized, changed in place and deleted', async () => {
  const store = freshStore()
  const saved = await saveTreatment({ name: 'sertraline', medicine: 'sertraline', effect: 'loads' }, {}, store)
  assert.equal(saved.effect, null)
  const record = await store.get(saved.id)
  assert.equal(record.type, 'treatment')
  assert.equal(record.data.name, 'sertraline')
  const changed = await saveTreatment({ ...saved, effect: 'a-little', start: '2026-01-01' }, { id: saved.id }, store)
  assert.equal(changed.id, saved.id)
  assert.deepEqual((await listTreatments(store)).map(t => [t.id, t.effect, t.start]), [[saved.id, 'a-little', '2026-01-01']])
  await removeTreatment(saved.id, store)
  assert.deepEqual(await listTreatments(store), [])
})

test('the profile has one record; a bad date is dropped', async () => {
  const store = freshStore()
  assert.deepEqual(await loadProfile(store), { episodeStart: null })
  await saveProfile({ episodeStart: '2025-06-01' }, store)
  await saveProfile({ episodeStart: '2025-07-01' }, store)
  assert.deepEqual(await loadProfile(store), { episodeStart: '2025-07-01' })
  assert.equal((await store.all()).filter(r => r.type === 'treatment-profile').length, 1)
  assert.deepEqual(await saveProfile({ episodeStart: 'June' }, store), { episodeStart: null })
})

test('the trends chart gets each dated course as a band, oldest first', async () => {
  const store = freshStore()
  assert.deepEqual(await treatmentBands(store), [])
  await saveTreatment({ name: 'venlafaxine', start: '2026-02-01', ongoing: true }, {}, store)
  await saveTreatment({ name: 'sertraline', start: '2025-10-01', end: '2026-01-10' }, {}, store)
  await saveTreatment({ category: 'stimulation', kind: 'ect', name: 'ECT', start: '2025-12-01' }, {}, store)
  await saveTreatment({ name: 'undated' }, {}, store)
  assert.deepEqual(await treatmentBands(store), [
    { start: '2025-10-01', end: '2026-01-10', label: 'sertraline' },
    { start: '2025-12-01', end: '2025-12-01', label: 'ECT' },
    { start: '2026-02-01', end: null, label: 'venlafaxine' }
  ])
})

test('with the lock on, treatments save while locked, read only after unlocking, never in clear', async () => {
  const store = freshStore()
  await store.setLock('quiet river morning', QUICK)
  store.lock()
  await saveTreatment({ name: 'very private medicine' }, {}, store)
  const raw = JSON.stringify(await (await store.db()).getAll('records'))
  assert.doesNotMatch(raw, /very private|treatment/)
  await assert.rejects(listTreatments(store), { name: 'LockedError' })
  await assert.rejects(loadProfile(store), { name: 'LockedError' })
  await store.unlock('quiet river morning')
  assert.deepEqual((await listTreatments(store)).map(t => t.name), ['very private medicine'])
})
