/**
 * What check-ins keep on the device: mood check-ins (`check-in`) and
 * questionnaire results (`phq9`, `gad7`), as records in the one personal store
 * (personal-store.mjs), secret under the lock. Saving works while locked
 * (the store seals the record); reading needs the data unlocked. The store is
 * a default argument, so tests can hand in their own.
 */
import { personalStore } from './personal-store.mjs'
import { listTreatments } from './treatment-store.mjs'

/** @typedef {import('./personal-store.mjs').PersonalStore} PersonalStore */

const withId = record => ({ id: record.id, ...record.data })
const byTime = (a, b) => Date.parse(a.at) - Date.parse(b.at)

/**
 * Keep a new check-in.
 * @param {{at: string, mood: number}} data from checkInData()
 * @param {PersonalStore} [store]
 * @returns {Promise<object>} the check-in with its id
 */
export async function addCheckIn (data, store = personalStore()) {
  return withId(await store.save('check-in', data, { created: data.at }))
}

/**
 * Replace a check-in's data (adding the extras after the one tap).
 * @param {string} id
 * @param {object} data the whole check-in, from checkInData()
 * @param {PersonalStore} [store]
 * @returns {Promise<object>}
 */
export async function updateCheckIn (id, data, store = personalStore()) {
  return withId(await store.save('check-in', data, { id }))
}

/**
 * Every check-in, oldest first.
 * @param {PersonalStore} [store]
 * @returns {Promise<object[]>}
 */
export async function allCheckIns (store = personalStore()) {
  return (await store.list('check-in')).map(withId).sort(byTime)
}

/**
 * Keep a questionnaire's result.
 * @param {'phq9'|'gad7'} type
 * @param {{at: string, answers: number[], score: number}} data
 * @param {PersonalStore} [store]
 * @returns {Promise<object>}
 */
export async function addResult (type, data, store = personalStore()) {
  return withId(await store.save(type, data, { created: data.at }))
}

/**
 * Every result of one questionnaire, oldest first.
 * @param {'phq9'|'gad7'} type
 * @param {PersonalStore} [store]
 * @returns {Promise<object[]>}
 */
export async function allResults (type, store = personalStore()) {
  return (await store.list(type)).map(withId).sort(byTime)
}

/**
 * The treatments to show as bands on the trends chart, as
 * `{start: 'YYYY-MM-DD', end: 'YYYY-MM-DD'|null, label}` (end null while
 * ongoing; a finished course with no end date is drawn on its start day),
 * from the treatment log's records (treatment-store.mjs). Courses without a
 * start date or a name are left out. check-in-trends.mjs passes them to
 * chartSvg as `bands`.
 * @param {PersonalStore} [store]
 * @returns {Promise<{start: string, end: string|null, label: string}[]>}
 */
export async function treatmentBands (store = personalStore()) {
  return (await listTreatments(store))
    .filter(t => t.start && t.name)
    .map(t => ({ start: t.start, end: t.ongoing ? null : (t.end ?? t.start), label: t.name }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
}
