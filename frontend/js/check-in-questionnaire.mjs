/**
 * A questionnaire page ([data-module="check-in-questionnaire"],
 * data-instrument="phq9" or "gad7"): the published items and answers, the
 * score and its range in plain words, kept on this device. On the PHQ-9, any
 * answer above "Not at all" to item 9 at once opens the help screen (the
 * chosen country's crisis lines and the safety plan), before anything else.
 */
import { INSTRUMENTS, NOTICE, OPTIONS, bandWords, complete, leadsToHelp, resultData, resultNeedsHelp } from './questionnaire-model.mjs'
import { addResult } from './check-in-store.mjs'

/**
 * One item as a fieldset of four radio buttons.
 * @param {string} text the item's published words
 * @param {number} index 0-based
 * @param {string} prefix for ids and names
 * @param {readonly {value: number, label: string}[]|readonly string[]} options
 * @returns {HTMLFieldSetElement}
 */
function itemFieldset (text, index, prefix, options) {
  const $fieldset = document.createElement('fieldset')
  $fieldset.className = 'questionnaire__item'
  $fieldset.dataset.item = String(index)
  $fieldset.id = `${prefix}-${index + 1}`
  const $legend = document.createElement('legend')
  $legend.textContent = prefix === 'item' ? `${index + 1}. ${text}` : text
  const $choices = document.createElement('div')
  $choices.className = 'choices choices--stacked'
  options.forEach((option, i) => {
    const value = typeof option === 'string' ? i : option.value
    const label = typeof option === 'string' ? option : option.label
    const $label = document.createElement('label')
    $label.className = 'choice'
    const $input = document.createElement('input')
    Object.assign($input, { type: 'radio', name: `${prefix}-${index + 1}`, value: String(value) })
    $label.append($input, ` ${label}`)
    $choices.append($label)
  })
  $fieldset.append($legend, $choices)
  return $fieldset
}

/**
 * Start a questionnaire.
 * @param {HTMLElement} $root
 * @param {{store?: object, now?: () => number}} [options] for tests
 */
export function init ($root, options = {}) {
  const { store, now = () => Date.now() } = options
  const instrument = INSTRUMENTS[$root.dataset.instrument]
  const q = sel => $root.querySelector(sel)
  const $form = q('[data-form]')
  const $help = q('[data-help-now]')
  const $error = q('[data-form-error]')
  q('[data-stem]').textContent = instrument.stem
  q('[data-notice]').textContent = NOTICE

  const $items = instrument.items.map((text, i) => itemFieldset(text, i, 'item', OPTIONS))
  const $difficulty = itemFieldset(instrument.difficulty.question, 0, 'difficulty', instrument.difficulty.options)
  $difficulty.classList.add('questionnaire__difficulty')
  q('[data-items]').replaceChildren(...$items, $difficulty)
  $form.hidden = false

  const answers = () => $items.map($f => {
    const $checked = $f.querySelector('input:checked')
    return $checked ? Number($checked.value) : null
  })

  const openHelp = $after => {
    if ($help.hidden) {
      $after.after($help)
      $help.hidden = false
      $root.dataset.help = 'open'
    }
    q('#help-now-heading').focus()
  }

  $items.forEach(($fieldset, index) => {
    $fieldset.addEventListener('change', event => {
      $fieldset.classList.remove('is-missing')
      if (leadsToHelp(instrument, index, Number(event.target.value))) openHelp($fieldset)
    })
  })

  q('[data-help-continue]').addEventListener('click', () => {
    const $next = $difficulty.querySelector('input')
    $next.focus()
  })

  $form.addEventListener('submit', async event => {
    event.preventDefault()
    const given = answers()
    const missing = given.map((a, i) => (a === null ? i : -1)).filter(i => i >= 0)
    $items.forEach(($f, i) => $f.classList.toggle('is-missing', missing.includes(i)))
    if (!complete(instrument, given)) {
      $error.textContent = missing.length === 1
        ? `Question ${missing[0] + 1} has no answer yet. Every question needs one for a score.`
        : `Questions ${missing.map(i => i + 1).join(', ')} have no answer yet. Every question needs one for a score.`
      $items[missing[0]].querySelector('input').focus()
      return
    }
    $error.textContent = ''
    const data = resultData(instrument, given, now())
    const $difficultyChoice = $difficulty.querySelector('input:checked')
    if ($difficultyChoice) data.difficulty = Number($difficultyChoice.value)
    const $result = q('[data-result]')
    q('[data-score]').textContent = `${data.score} out of ${instrument.bands.at(-1).to}`
    q('[data-band]').textContent = bandWords(instrument, data.score)
    $form.hidden = true
    if (resultNeedsHelp(instrument, given)) {
      $result.before($help)
      $help.hidden = false
      q('[data-help-continue]').hidden = true
    }
    $result.hidden = false
    try {
      await addResult(instrument.id, data, store)
      q('[data-saved]').textContent = 'Saved on this device.'
    } catch (error) {
      console.warn('Wayfinder: could not save the result', error)
      q('[data-saved]').textContent = 'This browser would not let us save this result on this device.'
    }
    ;(resultNeedsHelp(instrument, given) ? q('#help-now-heading') : q('#result-heading')).focus()
    $root.dataset.done = 'true'
  })
  $root.dataset.ready = 'true'
}
