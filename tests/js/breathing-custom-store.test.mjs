// Custom breathing patterns: validation, phases for the engine, and saving on the device.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { validate, toPhases, save, loadAll, find, remove, summary, MAX_PATTERNS } from '../../frontend/js/breathing-custom-store.mjs'
import { makePattern } from '../../frontend/js/breathing-model.mjs'
import { freshStore } from './personal-fixtures.mjs'

test('custom patterns: 0 to 20 seconds each, a name, and at least 1 s in and out', () => {
  const good = validate({ name: '  Evening   wind-down ', inhale: '4', holdIn: '0', exhale: '6.5', holdOut: '2' })
  assert.equal(good.ok, true)
  assert.deepEqual(good.value, { name: 'Evening wind-down', inhale: 4, holdIn: 0, exhale: 6.5, holdOut: 2 })
  const bad = validate({ name: '', inhale: '21', holdIn: '-1', exhale: '0', holdOut: 'x' })
  assert.equal(bad.ok, false)
  assert.deepEqual(Object.keys(bad.errors).sort(), ['exhale', 'holdIn', 'holdOut', 'inhale', 'name'])
  assert.equal(validate({ name: 'x'.repeat(41), inhale: 1, holdIn: 0, exhale: 1, holdOut: 0 }).errors.name, 'Keep the name to 40 characters or fewer.')
  assert.equal(validate({ name: 'Max', inhale: 20, holdIn: 20, exhale: 20, holdOut: 20 }).ok, true)
  // A custom pattern runs in the engine, holds of 0 skipped.
  const pattern = makePattern('Evening', toPhases(good.value))
  assert.deepEqual(pattern.phases.map(p => [p.kind, p.ms]), [['in', 4000], ['out', 6500], ['hold', 2000]])
  assert.equal(summary(good.value), 'In 4, out 6.5, hold 2 seconds')
})

test('several custom patterns are saved on the device, found and deleted', async () => {
  const store = freshStore()
  const a = await save({ name: 'A', inhale: 4, holdIn: 0, exhale: 6, holdOut: 0 }, store)
  store.clock.t += 1
  const b = await save({ name: 'B', inhale: 5, holdIn: 5, exhale: 5, holdOut: 5 }, store)
  assert.deepEqual((await loadAll(store)).map(p => p.name), ['A', 'B'])
  assert.deepEqual(await find(b.id, store), b)
  assert.equal(await find('nope', store), null)
  assert.equal(await remove(a.id, store), true)
  assert.equal(await remove(a.id, store), false)
  assert.deepEqual((await loadAll(store)).map(p => p.id), [b.id])
  // A record that is not a valid pattern (say, from a damaged restore) is skipped.
  await store.save('breathing-pattern', { name: 'Bad', inhale: 99, holdIn: 0, exhale: 1, holdOut: 0 }, { id: 'x' })
  assert.deepEqual(await loadAll(store), [b])
  assert.equal(await find('x', store), null)
  for (let i = 1; i < MAX_PATTERNS; i++) await save({ name: `P${i}`, inhale: 1, holdIn: 0, exhale: 1, holdOut: 0 }, store)
  await assert.rejects(save({ name: 'One too many', inhale: 1, holdIn: 0, exhale: 1, holdOut: 0 }, store), RangeError)
})
