/**
 * The country chosen on /help, kept in this browser's localStorage only. Read
 * by the picker on /help and by every help card (help-card.mjs), and marked
 * on <html> for the CSS, first by the first-paint script (first-paint.js).
 */
import { STORAGE_KEY, cardRows } from './country-picker-model.mjs'

/** The event sent on document when the choice changes on this page. */
export const COUNTRY_EVENT = 'wayfinder:country'

/**
 * Read the saved choice, if storage can be used.
 * @param {Storage} [storage]
 * @returns {string | null}
 */
export function readCountry (storage = globalThis.localStorage) {
  try {
    return storage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

/**
 * Save or forget the choice, if storage can be used.
 * @param {string | null} country
 * @param {Storage} [storage]
 * @returns {boolean} whether it was kept
 */
export function saveCountry (country, storage = globalThis.localStorage) {
  try {
    if (country) storage.setItem(STORAGE_KEY, country)
    else storage.removeItem(STORAGE_KEY)
    return true
  } catch {
    // Private browsing can refuse storage; the choice then lasts for this page.
    return false
  }
}

/**
 * Mark on <html> whose help shows: data-help-first (a listed code, or OTHER)
 * and data-help-source ("guess" or "saved"), or neither when every country
 * shows. The CSS lays out the help card and /help from these.
 * @param {{country: string | null, source: string}} start from initialCountry()
 * @param {readonly string[]} listed the listed country codes
 * @param {HTMLElement} [root]
 * @returns {string[]} the rows shown (cardRows)
 */
export function markCountry ({ country, source }, listed, root = document.documentElement) {
  const rows = cardRows(country, listed)
  const one = rows.length === 1
  setData(root, 'helpFirst', one ? rows[0] : undefined)
  setData(root, 'helpSource', one ? source : undefined)
  return rows
}

/**
 * Set (or, with undefined, remove) a data attribute only when it changes:
 * writing the same value again still makes the browser check the styles of
 * the whole page when the element is <html>.
 * @param {HTMLElement} $el
 * @param {string} key the dataset name
 * @param {string | undefined} value
 */
export function setData ($el, key, value) {
  if (value === undefined) {
    if (key in $el.dataset) delete $el.dataset[key]
  } else if ($el.dataset[key] !== value) {
    $el.dataset[key] = value
  }
}
