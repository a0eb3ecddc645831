/**
 * Which country's crisis lines to show first: the one chosen on this device,
 * else a guess from the browser's languages. Pure logic, no DOM.
 */

/** Shown when the person is somewhere we do not list: the international directory. */
export const OTHER = 'other'
/** Where the choice is kept on the device. */
export const STORAGE_KEY = 'wayfinder.country'
/** Region codes people's browsers send that are not ISO 3166 codes. */
const REGION_ALIASES = { UK: 'GB' }
const REGION_RE = new RegExp('^([A-Za-z]{2}|[0-9]{3})$')
const SCRIPT_RE = new RegExp('^[A-Za-z]{4}$')

/**
 * The region of a language tag ("en-GB" gives "GB", "zh-Hant-TW" gives "TW").
 * @param {string} tag a BCP 47 language tag such as navigator.languages has
 * @returns {string | null} an upper-case region code, or null if the tag has none
 */
export function regionOf (tag) {
  const parts = String(tag || '').trim().split(/[-_]/)
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]
    if (i === 1 && SCRIPT_RE.test(part)) continue
    if (!REGION_RE.test(part)) return null
    const region = part.toUpperCase()
    return REGION_ALIASES[region] || region
  }
  return null
}

/**
 * Guess the country from the browser's languages. The first language that
 * names a region decides: a listed country gives its code, any other region
 * gives OTHER (the international directory). A language with no region
 * ("en") says nothing about where someone is, so with no region anywhere
 * there is no guess and every country stays on show.
 * @param {readonly string[]} languages e.g. navigator.languages
 * @param {readonly string[]} listed the country codes on the page
 * @returns {string | null} a listed code, OTHER, or null
 */
export function guessCountry (languages, listed) {
  for (const tag of languages || []) {
    const region = regionOf(tag)
    if (region) return listed.includes(region) ? region : OTHER
  }
  return null
}

/**
 * The country to show first: a valid saved choice wins over the guess.
 * @param {{saved?: string | null, languages?: readonly string[], listed: readonly string[]}} input
 * @returns {{country: string | null, source: 'saved' | 'guess' | 'none'}}
 */
export function initialCountry ({ saved, languages, listed }) {
  if (saved && (saved === OTHER || listed.includes(saved))) return { country: saved, source: 'saved' }
  const guess = guessCountry(languages, listed)
  return guess ? { country: guess, source: 'guess' } : { country: null, source: 'none' }
}

/**
 * Which rows a help card shows: the chosen country's, the international
 * directory's for OTHER, or every listed country's when nothing is chosen.
 * @param {string | null} country from initialCountry()
 * @param {readonly string[]} listed the country codes on the card
 * @returns {string[]} codes of the rows to show (OTHER for the directory)
 */
export function cardRows (country, listed) {
  if (country === OTHER) return [OTHER]
  if (country && listed.includes(country)) return [country]
  return [...listed]
}
