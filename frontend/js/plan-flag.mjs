/**
 * Whether this device holds a safety plan, as one localStorage flag
 * (`wayfinder.plan`), so help cards on every page can offer "My safety plan"
 * at once, while locked too, without loading the personal store. The plan
 * page keeps it in step with the plan itself (plan-store.mjs hasPlan() is the
 * truth); it is a preference, so backups carry it and "Delete everything"
 * removes it.
 */

/** The flag's localStorage key. */
export const PLAN_FLAG = 'wayfinder.plan'

/**
 * Whether the flag says a plan exists.
 * @param {Storage} [storage]
 * @returns {boolean}
 */
export function planFlagged (storage = globalThis.localStorage) {
  try {
    return storage.getItem(PLAN_FLAG) === 'yes'
  } catch {
    return false
  }
}

/**
 * Set or clear the flag.
 * @param {boolean} exists
 * @param {Storage} [storage]
 */
export function flagPlan (exists, storage = globalThis.localStorage) {
  try {
    if (exists) storage.setItem(PLAN_FLAG, 'yes')
    else storage.removeItem(PLAN_FLAG)
  } catch {
    // Blocked storage: help cards then offer "Make a safety plan"; the plan itself is kept.
  }
}
