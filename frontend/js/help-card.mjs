/**
 * A help card ([data-module="help-card"]): shows the crisis line and
 * emergency number of the country chosen on /help (or guessed from the
 * browser's languages, as /help does), and every country when nothing is
 * chosen. The rows are in the page, so this works offline; without
 * JavaScript every listed country stays on show.
 *
 * What shows is decided by two attributes on <html> that the CSS reads:
 * data-help-first (the country) and data-plan (whether a safety plan is
 * kept here). The first-paint script sets both before the first paint, from
 * the same country-picker-model; this module keeps them in step when the
 * choice changes, so the card never moves when it starts.
 */
import { initialCountry, OTHER } from './country-picker-model.mjs'
import { COUNTRY_EVENT, markCountry, readCountry, setData } from './country-picker-store.mjs'
import { planFlagged } from './plan-flag.mjs'

const root = document.documentElement

/**
 * Offer the safety plan: "My safety plan" beside the call buttons when this
 * device holds one (plan-flag.mjs), "Make a safety plan" below them when not.
 * @param {HTMLElement} $card
 */
function showPlan ($card) {
  const exists = planFlagged()
  setData(root, 'plan', exists ? 'yes' : 'no')
  setData($card, 'planShown', exists ? 'yes' : 'no')
}

/**
 * Start one help card.
 * @param {HTMLElement} $card
 */
export function init ($card) {
  const $rows = [...$card.querySelectorAll('[data-help-country]')]
  const listed = $rows.map(($r) => $r.dataset.helpCountry).filter((code) => code !== OTHER)

  const show = (start) => {
    setData($card, 'helpShown', markCountry(start, listed).join(' '))
  }
  const initial = () => initialCountry({ saved: readCountry(), languages: navigator.languages, listed })

  if ($card.querySelector('[data-plan-button]')) showPlan($card)

  show(initial())
  document.addEventListener(COUNTRY_EVENT, (event) => show({ country: event.detail.country, source: 'saved' }))
  window.addEventListener('storage', (event) => {
    if (event.key === null || event.key.startsWith('wayfinder.')) show(initial())
  })
}
