/**
 * A help card ([data-module="help-card"]): shows the crisis line and
 * emergency number of the country chosen on /help (or guessed from the
 * browser's languages, as /help does), and every country when nothing is
 * chosen. The rows are in the page, so this works offline; without
 * JavaScript every listed country stays on show.
 */
import { OTHER, cardRows, initialCountry } from './country-picker-model.mjs'
import { COUNTRY_EVENT, readCountry } from './country-picker-store.mjs'
import { planFlagged } from './plan-flag.mjs'

/**
 * The country's name as it reads after "in" ("the United Kingdom", "Ireland").
 * @param {string} name
 * @returns {string}
 */
function inName (name) {
  return name.startsWith('United ') ? `the ${name}` : name
}

/**
 * Offer the safety plan: "My safety plan" beside the call buttons when this
 * device holds one (plan-flag.mjs), "Make a safety plan" below them when not.
 * @param {HTMLElement} $card
 */
function showPlan ($card) {
  const exists = planFlagged()
  const $button = $card.querySelector('[data-plan-button]')
  const $more = $card.querySelector('[data-plan-more]')
  $button.hidden = !exists
  if ($more) {
    $more.textContent = 'Make a safety plan'
    $more.hidden = exists
    const $sep = $more.previousSibling
    if (exists && $sep?.nodeType === Node.TEXT_NODE) $sep.textContent = ''
  }
  $card.dataset.planShown = exists ? 'yes' : 'no'
}

/**
 * Start one help card.
 * @param {HTMLElement} $card
 */
export function init ($card) {
  const $rows = [...$card.querySelectorAll('[data-help-country]')]
  const listed = $rows.map(($r) => $r.dataset.helpCountry).filter((code) => code !== OTHER)
  const $chosen = $card.querySelector('[data-help-chosen]')

  const show = (country) => {
    const rows = cardRows(country, listed)
    for (const $row of $rows) $row.hidden = !rows.includes($row.dataset.helpCountry)
    const single = rows.length === 1 && rows[0] !== OTHER
      ? $rows.find(($r) => $r.dataset.helpCountry === rows[0])
      : null
    $card.classList.toggle('help-card--one', single !== null)
    $card.dataset.helpShown = rows.join(' ')
    if ($chosen) {
      const name = single?.querySelector('.help-card__name')?.textContent.trim()
      $chosen.textContent = name ? `For ${inName(name)}:` : ''
      $chosen.hidden = !name
    }
  }

  if ($card.querySelector('[data-plan-button]')) showPlan($card)

  const start = initialCountry({ saved: readCountry(), languages: navigator.languages, listed })
  show(start.country)
  document.addEventListener(COUNTRY_EVENT, (event) => show(event.detail.country))
  window.addEventListener('storage', (event) => {
    if (event.key === null || event.key.startsWith('wayfinder.')) {
      show(initialCountry({ saved: readCountry(), languages: navigator.languages, listed }).country)
    }
  })
}
