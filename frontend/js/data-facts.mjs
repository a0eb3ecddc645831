/**
 * What is kept on this device, in words: counts per kind, the space it
 * takes, whether the browser promised to keep it, and the last backup. Used
 * on /about ([data-module="data-facts"]) and on /my-data.
 */
import { personalStore } from './personal-store.mjs'
import { describeLastBackup, describeRecords } from './personal-model.mjs'
import { formatBytes } from './sw-bridge-model.mjs'

/**
 * The size of some records as JSON, in words.
 * @param {object[]} records
 * @returns {string}
 */
function sizeInWords (records) {
  const bytes = new Blob([JSON.stringify(records)]).size
  return bytes < 1000 ? `${bytes} bytes` : formatBytes(bytes)
}

/**
 * Fill in the facts list inside $root.
 * @param {ParentNode} $root holds [data-facts]
 * @param {import('./personal-store.mjs').PersonalStore} [store]
 * @returns {Promise<{records: object[], locked: number}>} what was counted
 */
export async function fillFacts ($root, store = personalStore()) {
  const $facts = $root.querySelector('[data-facts]')
  const put = (name, text) => { $facts.querySelector(`[data-facts-${name}]`).textContent = text }
  const overview = await store.overview()
  const { records, locked } = overview
  let counts = records.length ? describeRecords(records) : (locked ? '' : 'nothing yet')
  if (locked) counts = `${counts ? counts + ' and ' : ''}${locked} locked ${locked === 1 ? 'record' : 'records'}`
  put('counts', counts)
  put('size', locked ? 'hidden while locked' : sizeInWords(records))
  const persisted = await globalThis.navigator?.storage?.persisted?.()
  put('persisted', persisted === undefined ? 'this browser does not say' : persisted ? 'yes' : 'not promised; the browser may clear it if space runs low')
  put('backup', describeLastBackup((await store.getMeta('lastBackup')) ?? null, Date.now()))
  $facts.hidden = false
  return overview
}

/**
 * Start the facts on /about.
 * @param {HTMLElement} $el
 */
export async function init ($el) {
  try {
    await fillFacts($el)
  } catch (error) {
    console.warn('Wayfinder: could not read what is stored', error)
  }
}
