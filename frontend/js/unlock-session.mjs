/**
 * The unlocked state across the pages of one tab. Wayfinder is a multi-page
 * app, so after the person unlocks, the data key's bytes (base64) are kept in
 * sessionStorage (this tab only; gone when the tab closes) with the time they
 * expire: the idle time the person chose, pushed forward by every tap, key or
 * input. A page uses the key only while it has not expired; an expired or
 * broken entry is wiped when it is read. Hidden pages see no activity, so
 * being out of sight for that long expires it too. This module is small on
 * purpose: every page loads it (main.mjs) to keep the time moving.
 */

/** The sessionStorage entry. */
export const SESSION_KEY = 'wayfinder.unlocked'

/** Activity writes at most this often. */
const TOUCH_EVERY_MS = 1000

/**
 * @typedef {object} Unlocked
 * @property {string} key the data key's bytes, base64
 * @property {number} idleMs the idle time the person chose
 * @property {number} until when it expires (ms since 1970)
 */

/**
 * Wipe the entry.
 * @param {Storage|null} storage
 */
export function wipeUnlock (storage) {
  try {
    storage?.removeItem(SESSION_KEY)
  } catch {
    // Blocked storage holds nothing.
  }
}

/**
 * The entry, if there is one that has not expired; wipes any other.
 * @param {Storage|null} storage
 * @param {number} now
 * @returns {Unlocked|null}
 */
export function readUnlock (storage, now) {
  let entry
  try {
    const text = storage?.getItem(SESSION_KEY)
    if (text === null || text === undefined) return null
    entry = JSON.parse(text)
  } catch {
    entry = null
  }
  const fine = entry && typeof entry.key === 'string' && Number.isFinite(entry.until) &&
    Number.isFinite(entry.idleMs) && entry.idleMs > 0 && now < entry.until && entry.until <= now + entry.idleMs
  if (fine) return { key: entry.key, idleMs: entry.idleMs, until: entry.until }
  wipeUnlock(storage)
  return null
}

/**
 * Keep the unlocked key until idleMs from now.
 * @param {Storage|null} storage
 * @param {{key: string, idleMs: number}} entry
 * @param {number} now
 * @returns {boolean} whether it could be kept
 */
export function keepUnlock (storage, { key, idleMs }, now) {
  try {
    if (!storage) return false
    storage.setItem(SESSION_KEY, JSON.stringify({ key, idleMs, until: now + idleMs }))
    return true
  } catch {
    return false
  }
}

/**
 * Activity: push the expiry forward, if the entry has not expired yet.
 * @param {Storage|null} storage
 * @param {number} now
 * @returns {boolean} whether there was an unexpired entry
 */
export function touchUnlock (storage, now) {
  const entry = readUnlock(storage, now)
  if (!entry) return false
  if (entry.until - entry.idleMs <= now - TOUCH_EVERY_MS) keepUnlock(storage, entry, now)
  return true
}

function sessionStorageOrNull () {
  try {
    return globalThis.sessionStorage ?? null
  } catch {
    return null
  }
}

/**
 * On this page, let every tap, key and input push the expiry forward, and
 * wipe an expired entry when the page comes back into sight.
 * @param {{storage?: Storage|null, now?: () => number, target?: EventTarget}} [options]
 */
export function watchActivity ({ storage = sessionStorageOrNull(), now = Date.now, target = globalThis.document } = {}) {
  if (!storage || !target) return
  const touch = () => touchUnlock(storage, now())
  for (const type of ['pointerdown', 'keydown', 'input']) target.addEventListener(type, touch, { passive: true, capture: true })
  target.addEventListener('visibilitychange', () => readUnlock(storage, now()))
}
