/**
 * The optional "How do you feel now?" check after a tool. One tap stores the
 * answer with the session, on this device only. "Worse" kindly offers help.
 */
import { setFeeling } from './tools-store.mjs'

const THANKS = {
  better: 'Thank you. We will list this tool on your tools page as one that helped.',
  same: 'Thank you. Some days a tool shifts things and some days it does not. Both are okay.',
  worse: 'Thank you for telling us.'
}

const bound = new WeakMap()

/**
 * Show the check for a session that just ended.
 * @param {HTMLElement} $section the [data-feeling] section
 * @param {{id: string}|null} session the stored session, or null if it could not be stored
 * @param {{store?: Function}} [options] the IndexedDB store, for tests
 */
export function offerFeelingCheck ($section, session, options = {}) {
  if (!$section) return
  const $status = $section.querySelector('[data-feeling-status]')
  const $worse = $section.querySelector('[data-feeling-worse]')
  const $buttons = [...$section.querySelectorAll('[data-feeling-choice]')]
  if (!bound.has($section)) {
    for (const $button of $buttons) {
      $button.addEventListener('click', () => choose($section, $button.dataset.feelingChoice))
    }
  }
  bound.set($section, { session, options })
  for (const $button of $buttons) $button.setAttribute('aria-pressed', 'false')
  $status.textContent = ''
  $worse.hidden = true
  $section.hidden = false
  $section.querySelector('h2')?.focus()
}

async function choose ($section, feeling) {
  const { session, options } = bound.get($section)
  const $status = $section.querySelector('[data-feeling-status]')
  for (const $button of $section.querySelectorAll('[data-feeling-choice]')) {
    $button.setAttribute('aria-pressed', String($button.dataset.feelingChoice === feeling))
  }
  $section.querySelector('[data-feeling-worse]').hidden = feeling !== 'worse'
  let saved = false
  if (session) {
    try {
      saved = Boolean(await setFeeling(session.id, feeling, options.store))
    } catch (error) {
      console.warn('Wayfinder: could not save how you feel', error)
    }
  }
  $status.textContent = saved ? THANKS[feeling] : 'Thank you. This browser would not let us save your answer, and that is okay.'
  $section.dispatchEvent(new CustomEvent('wayfinder:feeling', { bubbles: true, detail: { feeling, saved } }))
}
