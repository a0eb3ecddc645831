/**
 * What the treatment log keeps on the device: one `treatment` record per
 * course and the one `treatment-profile` record, in the personal store
 * (personal-store.mjs), secret under the lock. The store is a default
 * argument, so tests can hand in their own.
 */
import { LockedError, personalStore } from './personal-store.mjs'
import { PROFILE_ID, normalizeProfile, normalizeTreatment } from './treatment-model.mjs'

/** @typedef {import('./personal-store.mjs').PersonalStore} PersonalStore */

const withId = record => ({ id: record.id, created: record.created, ...normalizeTreatment(record.data) })

/**
 * Every treatment, normalized, with its id.
 * @param {PersonalStore} [store]
 * @returns {Promise<object[]>}
 */
export async function listTreatments (store = personalStore()) {
  return (await store.list('treatment')).map(withId)
}

/**
 * Keep a treatment: a new one, or a newer version of id.
 * @param {object} data
 * @param {{id?: string}} [options]
 * @param {PersonalStore} [store]
 * @returns {Promise<object>} the treatment with its id
 */
export async function saveTreatment (data, { id } = {}, store = personalStore()) {
  return withId(await store.save('treatment', normalizeTreatment(data), { id }))
}

/**
 * Delete a treatment; add-ons that pointed at it keep their own details.
 * @param {string} id
 * @param {PersonalStore} [store]
 */
export async function removeTreatment (id, store = personalStore()) {
  await store.remove(id)
}

/**
 * The treatment profile (when the current episode began).
 * @param {PersonalStore} [store]
 * @returns {Promise<{episodeStart: string|null}>}
 */
export async function loadProfile (store = personalStore()) {
  if (await store.isLocked()) throw new LockedError()
  const record = await store.get(PROFILE_ID)
  return normalizeProfile(record?.data)
}

/**
 * Keep the treatment profile.
 * @param {{episodeStart: string|null}} data
 * @param {PersonalStore} [store]
 * @returns {Promise<{episodeStart: string|null}>}
 */
export async function saveProfile (data, store = personalStore()) {
  const clean = normalizeProfile(data)
  await store.save('treatment-profile', clean, { id: PROFILE_ID })
  return clean
}
