/**
 * Remembered on/off choices for the coping tools (tones, vibration, spoken
 * words, bell). Every choice is off until the person turns it on. Kept in
 * localStorage; the storage is a default argument so tests can pass their own.
 */

const PREFIX = 'wayfinder.tools.'

/**
 * The browser's localStorage, or null where it is blocked.
 * @returns {Storage|null}
 */
function defaultStorage () {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/**
 * Read a remembered choice; false unless it was turned on.
 * @param {string} name e.g. 'tones'
 * @param {Storage|null} [storage]
 * @returns {boolean}
 */
export function getPref (name, storage = defaultStorage()) {
  try {
    return storage?.getItem(PREFIX + name) === 'on'
  } catch {
    return false
  }
}

/**
 * Remember a choice.
 * @param {string} name
 * @param {boolean} on
 * @param {Storage|null} [storage]
 */
export function setPref (name, on, storage = defaultStorage()) {
  try {
    if (on) storage?.setItem(PREFIX + name, 'on')
    else storage?.removeItem(PREFIX + name)
  } catch {
    // Storage can be full or blocked; the choice then lasts for this visit only.
  }
}

/**
 * Read a remembered text value, such as the last session length.
 * @param {string} name
 * @param {string} fallback
 * @param {Storage|null} [storage]
 * @returns {string}
 */
export function getValue (name, fallback, storage = defaultStorage()) {
  try {
    return storage?.getItem(PREFIX + name) ?? fallback
  } catch {
    return fallback
  }
}

/**
 * Remember a text value.
 * @param {string} name
 * @param {string} value
 * @param {Storage|null} [storage]
 */
export function setValue (name, value, storage = defaultStorage()) {
  try {
    storage?.setItem(PREFIX + name, value)
  } catch {
    // As above: not remembered, but nothing breaks.
  }
}

/**
 * Tick each [data-pref] checkbox inside $root from storage and remember changes.
 * @param {ParentNode} $root
 * @param {Storage|null} [storage]
 */
export function bindPrefs ($root, storage = defaultStorage()) {
  for (const $box of $root.querySelectorAll('input[type="checkbox"][data-pref]')) {
    $box.checked = getPref($box.dataset.pref, storage)
    $box.addEventListener('change', () => setPref($box.dataset.pref, $box.checked, storage))
  }
}
