/**
 * Country choice on /help: shows the chosen (or guessed) country's lines
 * first and tucks the others under "Other countries". The choice is kept on
 * this device only and can be changed at any time. Without JavaScript every
 * country stays on show.
 *
 * The picker, its hint and the disclosure are in the page, and before the
 * first paint the CSS already shows them, the chosen country and its
 * emergency numbers where this module leaves them (help.css, and the rules
 * server/first_paint.py writes), so starting it moves nothing on screen.
 */
import { OTHER, initialCountry } from './country-picker-model.mjs'
import { COUNTRY_EVENT, markCountry, readCountry, saveCountry } from './country-picker-store.mjs'

/**
 * Start the picker inside its [data-module="country-picker"] element.
 * @param {HTMLElement} $picker
 */
export function init ($picker) {
  const $sections = [...document.querySelectorAll('section[data-country]')]
  const $select = $picker.querySelector('select')
  const $hint = $picker.querySelector('.hint')
  const $details = document.querySelector('details.other-countries')
  if ($sections.length === 0 || !$select || !$hint || !$details) return
  const $summary = $details.querySelector('summary')
  const $other = document.getElementById('country-other')
  const $all = $other ? [...$sections, $other] : $sections
  const listed = $sections.map(($s) => $s.dataset.country)
  // What the hint says for each way the country was found (none, guess,
  // saved): the page's own words, read before the first change replaces them.
  const HINTS = Object.fromEntries(
    [...$hint.querySelectorAll('[data-hint]')].map(($s) => [$s.dataset.hint, $s.textContent])
  )

  // keepOpen: at start, the disclosure stays as the person left it (they may
  // have opened it before this module ran); a new choice closes it.
  const apply = (country, source, keepOpen = false) => {
    $select.value = country || ''
    const $chosen = country === OTHER
      ? $other
      : $sections.find(($s) => $s.dataset.country === country)
    if (!$chosen) {
      $details.remove()
      $picker.after(...$all)
      $hint.textContent = HINTS.none
      return
    }
    $picker.after($chosen)
    $details.replaceChildren($summary, ...$all.filter(($s) => $s !== $chosen))
    if (!keepOpen) $details.open = false
    $chosen.after($details)
    $hint.textContent = HINTS[source] || HINTS.saved
  }

  $select.addEventListener('change', () => {
    const country = $select.value || null
    saveCountry(country)
    markCountry({ country, source: 'saved' }, listed)
    apply(country, 'saved')
    document.dispatchEvent(new CustomEvent(COUNTRY_EVENT, { detail: { country } }))
  })

  const start = initialCountry({ saved: readCountry(), languages: navigator.languages, listed })
  apply(start.country, start.source, true)
  $picker.dataset.country = start.country || ''
  $select.addEventListener('change', () => { $picker.dataset.country = $select.value })
}
