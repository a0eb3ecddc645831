// The flag that tells help cards a safety plan exists, in localStorage.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PLAN_FLAG, flagPlan, planFlagged } from '../../frontend/js/plan-flag.mjs'
import { fakeStorage } from './fake-storage.mjs'

test('the flag is set, read and cleared; blocked storage says no plan', () => {
  const storage = fakeStorage()
  assert.equal(PLAN_FLAG, 'wayfinder.plan')
  assert.equal(planFlagged(storage), false)
  flagPlan(true, storage)
  assert.equal(storage.getItem(PLAN_FLAG), 'yes')
  assert.equal(planFlagged(storage), true)
  flagPlan(false, storage)
  assert.equal(storage.getItem(PLAN_FLAG), null)
  const blocked = { getItem () { throw new Error('blocked') }, setItem () { throw new Error('blocked') }, removeItem () {} }
  assert.equal(planFlagged(blocked), false)
  assert.doesNotThrow(() => flagPlan(true, blocked))
})
