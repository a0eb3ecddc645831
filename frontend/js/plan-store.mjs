/**
 * The safety plan and the hope box in the personal store (one record for the
 * plan, one per hope box item; both encrypted when the lock is on). Photos
 * arrive and leave as Blobs; inside the record they are kept as base64 text,
 * because a record passes through JSON when it is sealed by the lock and
 * when it goes into a backup file.
 */
import { flagPlan } from './plan-flag.mjs'
import { HOPE_TYPE, PLAN_ID, hasContent } from './plan-model.mjs'
import { LockedError, personalStore } from './personal-store.mjs'

/**
 * The saved plan's data, if there is one.
 * @param {object} [store]
 * @returns {Promise<object|undefined>}
 */
export async function loadPlan (store = personalStore()) {
  if (await store.isLocked()) throw new LockedError()
  const data = (await store.get(PLAN_ID))?.data
  flagPlan(hasContent(data), store.storage) // in step after a restore or a delete
  return data
}

/**
 * Keep the plan (the whole of it).
 * @param {object} data
 * @param {object} [store]
 */
export async function savePlan (data, store = personalStore()) {
  await store.save(PLAN_ID, data, { id: PLAN_ID })
  flagPlan(hasContent(data), store.storage)
}

/**
 * Whether this device holds a safety plan with something in it. While the
 * data is locked its content cannot be read, so a kept plan counts.
 * @param {object} [store]
 * @returns {Promise<boolean>}
 */
export async function hasPlan (store = personalStore()) {
  try {
    const record = await store.get(PLAN_ID)
    return Boolean(record) && hasContent(record.data)
  } catch (error) {
    if (error instanceof LockedError) return true
    console.warn('Wayfinder: could not check for a safety plan', error)
    return false
  }
}

/**
 * The hope box's items.
 * @param {object} [store]
 * @returns {Promise<object[]>}
 */
export function listHope (store = personalStore()) {
  return store.list(HOPE_TYPE)
}

/**
 * Keep a new hope box item.
 * @param {object} data
 * @param {object} [store]
 * @returns {Promise<object>}
 */
export function addHope (data, store = personalStore()) {
  return store.save(HOPE_TYPE, data)
}

/**
 * Remove one hope box item.
 * @param {string} id
 * @param {object} [store]
 */
export function removeHope (id, store = personalStore()) {
  return store.remove(id)
}

/**
 * A Blob's bytes as base64.
 * @param {Blob} blob
 * @returns {Promise<string>}
 */
export async function blobToBase64 (blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/**
 * base64 bytes as a Blob of a type.
 * @param {string} text
 * @param {string} type
 * @returns {Blob}
 */
export function base64ToBlob (text, type) {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return new Blob([bytes], { type })
}
