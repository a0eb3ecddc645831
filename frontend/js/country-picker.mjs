/**
 * Country choice on /help: shows the chosen (or guessed) country's lines
 * first and tucks the others under "Other countries". The choice is kept on
 * this device only and can be changed at any time. Without JavaScript every
 * country stays on show.
 */
import { OTHER, initialCountry } from './country-picker-model.mjs'
import { COUNTRY_EVENT, readCountry, saveCountry } from './country-picker-store.mjs'

/**
 * Create an element with optional text.
 * @param {string} tag
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function el (tag, text) {
  const $el = document.createElement(tag)
  if (text !== undefined) $el.textContent = text
  return $el
}

/**
 * The country's name as it reads after "in" ("the United Kingdom", "Ireland").
 * @param {string} name
 * @returns {string}
 */
function inName (name) {
  return name.startsWith('United ') ? `the ${name}` : name
}

/**
 * Start the picker inside its [data-module="country-picker"] element.
 * @param {HTMLElement} $picker
 */
export function init ($picker) {
  const $sections = [...document.querySelectorAll('section[data-country]')]
  if ($sections.length === 0) return
  const $other = document.getElementById('country-other')
  const $all = $other ? [...$sections, $other] : $sections
  const listed = $sections.map(($s) => $s.dataset.country)
  const nameOf = ($s) => ($s.querySelector('h2')?.textContent || '').trim()
  const $example = document.querySelector('[data-emergency-example]')
  const exampleNodes = $example ? [...$example.childNodes].map((n) => n.cloneNode(true)) : []

  const $label = el('label', 'Show crisis lines for')
  $label.htmlFor = 'country-choice'
  const $select = el('select')
  $select.id = 'country-choice'
  $select.setAttribute('aria-describedby', 'country-choice-hint')
  $select.append(new Option('Choose your country', ''))
  for (const $s of $sections) $select.append(new Option(nameOf($s), $s.dataset.country))
  if ($other) $select.append(new Option('Somewhere else', OTHER))
  const $hint = el('p')
  $hint.className = 'hint'
  $hint.id = 'country-choice-hint'
  $hint.setAttribute('aria-live', 'polite')
  const $details = el('details')
  $details.className = 'other-countries'
  const $summary = el('summary', 'Other countries')
  $picker.replaceChildren($label, $select, $hint)

  const showExample = ($chosen) => {
    if (!$example) return
    const $numbers = $chosen?.dataset.country
      ? [...$chosen.querySelectorAll('.emergency a[href^="tel:"]')]
      : []
    if ($numbers.length === 0) {
      $example.replaceChildren(...exampleNodes.map((n) => n.cloneNode(true)))
      return
    }
    const parts = [' (']
    $numbers.forEach(($n, i) => {
      const $a = el('a', $n.getAttribute('href').slice(4))
      $a.href = $n.getAttribute('href')
      if (i) parts.push(' or ')
      parts.push($a)
    })
    parts.push(` in ${inName(nameOf($chosen))})`)
    $example.replaceChildren(...parts)
  }

  const apply = (country, source) => {
    $select.value = country || ''
    const $chosen = country === OTHER
      ? $other
      : $sections.find(($s) => $s.dataset.country === country)
    if (!$chosen) {
      $details.remove()
      $picker.after(...$all)
      $hint.textContent = 'Choose your country to see its numbers first. The choice stays on this device.'
      showExample(null)
      return
    }
    $picker.after($chosen)
    $details.replaceChildren($summary, ...$all.filter(($s) => $s !== $chosen))
    $details.open = false
    $chosen.after($details)
    $hint.textContent = source === 'guess'
      ? 'We guessed this from your browser’s language. Change it if it is wrong.'
      : 'Saved on this device only. You can change it at any time.'
    showExample($chosen)
  }

  $select.addEventListener('change', () => {
    const country = $select.value || null
    saveCountry(country)
    apply(country, 'saved')
    document.dispatchEvent(new CustomEvent(COUNTRY_EVENT, { detail: { country } }))
  })

  const start = initialCountry({ saved: readCountry(), languages: navigator.languages, listed })
  apply(start.country, start.source)
  $picker.dataset.country = start.country || ''
  $select.addEventListener('change', () => { $picker.dataset.country = $select.value })
}
