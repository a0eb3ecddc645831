// Check-ins and questionnaire results in a personal store of the test's own; secret under the lock.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addCheckIn, addResult, allCheckIns, allResults, treatmentBands, updateCheckIn } from '../../frontend/js/check-in-store.mjs'
import { isSecret, KINDS } from '../../frontend/js/personal-model.mjs'
import { freshStore, QUICK } from './personal-fixtures.mjs'

test('the kinds are known and secret', () => {
  for (const type of ['check-in', 'phq9', 'gad7']) {
    assert.ok(Object.hasOwn(KINDS, type))
    assert.equal(isSecret(type), true)
  }
})

test('a check-in is kept at its time, then the extras are added to the same record', async () => {
  const store = freshStore()
  const saved = await addCheckIn({ at: '2026-03-29T08:00:00.000Z', mood: 2 }, store)
  const record = await store.get(saved.id)
  assert.equal(record.type, 'check-in')
  assert.equal(record.created, '2026-03-29T08:00:00.000Z')
  assert.deepEqual(record.data, { at: '2026-03-29T08:00:00.000Z', mood: 2 })
  const changed = await updateCheckIn(saved.id, { at: saved.at, mood: 2, sleepHours: 6, note: 'ok' }, store)
  assert.equal(changed.id, saved.id)
  await addCheckIn({ at: '2026-03-28T08:00:00.000Z', mood: 4 }, store)
  assert.deepEqual((await allCheckIns(store)).map(c => [c.at, c.mood, c.note]),
    [['2026-03-28T08:00:00.000Z', 4, undefined], ['2026-03-29T08:00:00.000Z', 2, 'ok']])
})

test('results are kept by questionnaire, oldest first', async () => {
  const store = freshStore()
  await addResult('phq9', { at: '2026-03-29T08:00:00.000Z', answers: Array(9).fill(1), score: 9 }, store)
  await addResult('phq9', { at: '2026-03-01T08:00:00.000Z', answers: Array(9).fill(2), score: 18 }, store)
  await addResult('gad7', { at: '2026-03-01T08:00:00.000Z', answers: Array(7).fill(0), score: 0 }, store)
  assert.deepEqual((await allResults('phq9', store)).map(r => r.score), [18, 9])
  assert.deepEqual((await allResults('gad7', store)).map(r => r.score), [0])
  assert.deepEqual(await treatmentBands(store), [], 'no treatments in the log')
})

test('with the lock on, a check-in saves while locked and reads only after unlocking', async () => {
  const store = freshStore()
  await store.setLock('quiet river morning', QUICK)
  store.lock()
  await addCheckIn({ at: '2026-03-29T08:00:00.000Z', mood: 1, note: 'very private' }, store)
  const raw = JSON.stringify(await (await store.db()).getAll('records'))
  assert.doesNotMatch(raw, /very private|check-in/)
  await assert.rejects(allCheckIns(store), { name: 'LockedError' })
  await store.unlock('quiet river morning')
  assert.equal((await allCheckIns(store))[0].note, 'very private')
})
