/**
 * The country chosen on /help, kept in this browser's localStorage only. Read
 * by the picker on /help and by every help card (help-card.mjs).
 */
import { STORAGE_KEY } from './country-picker-model.mjs'

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
