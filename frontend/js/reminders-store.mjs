/**
 * This device's reminders record: one record of type `reminders` in the
 * personal store, which both the page and the service worker read and write
 * (the worker's assembler takes this module in, so the names live only here).
 * It holds the server's subscription id and management token (they never
 * leave this device except to call our own API), the push endpoint, and the
 * settings last saved on the server. It is never encrypted by the lock: the
 * worker needs it to snooze, and it says nothing about health.
 */
import { personalStore } from './personal-store.mjs'
import { REMINDERS_ID } from './personal-model.mjs'

/**
 * Read this device's reminders record.
 * @param {import('./personal-store.mjs').PersonalStore} [store]
 * @returns {Promise<{id: string, token: string, endpoint: string, settings: object, synced: object}|undefined>}
 */
export async function loadRecord (store = personalStore()) {
  return (await store.get(REMINDERS_ID))?.data
}

/**
 * Save this device's reminders record.
 * @param {object} record
 * @param {import('./personal-store.mjs').PersonalStore} [store]
 * @returns {Promise<void>}
 */
export async function saveRecord (record, store = personalStore()) {
  await store.save('reminders', record, { id: REMINDERS_ID })
}

/**
 * Forget the record (after reminders are turned off).
 * @param {import('./personal-store.mjs').PersonalStore} [store]
 * @returns {Promise<void>}
 */
export function clearRecord (store = personalStore()) {
  return store.remove(REMINDERS_ID)
}
