/**
 * The one-tap check-in on /check-in ([data-module="check-in"]): a tap on one
 * of five moods saves it at once; the optional extras (sleep, energy,
 * anxiety, a note) then add to the same check-in. Today's check-ins are
 * listed, and a gentle line offers the PHQ-9 when two weeks have passed since
 * the last one. No streaks, no counts of missed days.
 */
import { ANXIETY, ENERGY, MOODS, checkInData, deviceZone, localDay, moodLabel } from './check-in-model.mjs'
import { addCheckIn, allCheckIns, allResults, updateCheckIn } from './check-in-store.mjs'
import { phq9Due } from './questionnaire-model.mjs'

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })

/**
 * Radio buttons for a 1-to-5 scale.
 * @param {HTMLFieldSetElement} $fieldset
 * @param {readonly string[]} words
 */
function fillScale ($fieldset, words) {
  const name = $fieldset.dataset.scale
  $fieldset.querySelector('.choices').replaceChildren(...words.map((word, i) => {
    const $label = document.createElement('label')
    $label.className = 'choice'
    const $input = document.createElement('input')
    Object.assign($input, { type: 'radio', name, value: String(i + 1) })
    $label.append($input, ` ${i + 1}: ${word}`)
    return $label
  }))
}

/**
 * Start the check-in.
 * @param {HTMLElement} $root
 * @param {{store?: object, now?: () => number}} [options] for tests
 */
export function init ($root, options = {}) {
  const { store, now = () => Date.now() } = options
  const q = sel => $root.querySelector(sel)
  const $moods = q('[data-moods]')
  const $status = q('[data-mood-status]')
  const $extras = q('[data-extras]')
  const $extrasStatus = q('[data-extras-status]')
  let current = null

  const $buttons = MOODS.map(mood => {
    const $b = document.createElement('button')
    $b.type = 'button'
    $b.className = 'button mood-choice'
    $b.dataset.mood = String(mood.value)
    $b.setAttribute('aria-pressed', 'false')
    $b.innerHTML = `<span class="mood-choice__number" aria-hidden="true">${mood.value}</span><span class="mood-choice__label"></span>`
    $b.querySelector('.mood-choice__label').textContent = mood.label
    $b.addEventListener('click', () => chooseMood(mood.value))
    return $b
  })
  $moods.replaceChildren(...$buttons)
  fillScale(q('[data-scale="energy"]'), ENERGY)
  fillScale(q('[data-scale="anxiety"]'), ANXIETY)

  const press = mood => $buttons.forEach($b => $b.setAttribute('aria-pressed', String(Number($b.dataset.mood) === mood)))

  async function chooseMood (mood) {
    press(mood)
    q('[data-mood-low]').hidden = mood !== 1
    try {
      if (current) {
        current = await updateCheckIn(current.id, checkInData({ ...extrasInput(), at: current.at, mood }, now()), store)
      } else {
        current = await addCheckIn(checkInData({ mood }, now()), store)
        $extras.reset()
      }
      $status.textContent = `Saved: ${moodLabel(mood)}, at ${timeFormat.format(Date.parse(current.at))}.`
      $extras.hidden = false
      $root.dataset.saved = current.id
    } catch (error) {
      console.warn('Wayfinder: could not save the check-in', error)
      $status.textContent = 'This browser would not let us save your check-in on this device.'
    }
    await showToday()
  }

  function extrasInput () {
    const data = new FormData($extras)
    return {
      sleepHours: data.get('sleepHours'),
      energy: data.get('energy'),
      anxiety: data.get('anxiety'),
      note: data.get('note') ?? ''
    }
  }

  $extras.addEventListener('submit', async event => {
    event.preventDefault()
    if (!current) return
    const input = extrasInput()
    if (input.sleepHours !== '' && checkInData({ mood: 3, sleepHours: input.sleepHours }, 0).sleepHours === undefined) {
      $extrasStatus.textContent = 'Hours of sleep can be from 0 to 24.'
      q('#sleep-hours').setAttribute('aria-invalid', 'true')
      q('#sleep-hours').focus()
      return
    }
    q('#sleep-hours').removeAttribute('aria-invalid')
    try {
      current = await updateCheckIn(current.id, checkInData({ ...input, at: current.at, mood: current.mood }, now()), store)
      $extrasStatus.textContent = 'Added to this check-in.'
    } catch (error) {
      console.warn('Wayfinder: could not save the extras', error)
      $extrasStatus.textContent = 'This browser would not let us save that on this device.'
    }
    await showToday()
  })

  q('[data-again]').addEventListener('click', () => {
    current = null
    press(0)
    $extras.reset()
    $extras.hidden = true
    $status.textContent = ''
    $extrasStatus.textContent = ''
    q('[data-mood-low]').hidden = true
    $buttons[2].focus()
  })

  async function showToday () {
    const $today = q('[data-today]')
    try {
      const zone = deviceZone()
      const today = localDay(now(), zone)
      const mine = (await allCheckIns(store)).filter(c => localDay(Date.parse(c.at), zone) === today)
      $today.textContent = mine.length
        ? mine.map(c => `${timeFormat.format(Date.parse(c.at))} ${moodLabel(c.mood)}`).join(' · ')
        : 'Nothing yet today.'
    } catch (error) {
      $today.textContent = error.name === 'LockedError'
        ? 'Your check-ins are locked, so they are not listed here. What you save now is still kept.'
        : 'This browser is not letting Wayfinder keep anything on this device.'
    }
  }

  async function showDue () {
    const $due = q('[data-phq-due]')
    try {
      const due = phq9Due(await allResults('phq9', store), now())
      if (!due.due) return
      $due.textContent = due.last
        ? 'It has been two weeks or more since your last PHQ-9. If you feel up to it, you could do it again today. It is fine to skip it.'
        : 'If you like, the PHQ-9 below can help you and your doctor follow how things change. It takes a few minutes, and it is fine to skip it.'
      $due.hidden = false
    } catch {
      // Locked or no storage: say nothing; the link is there anyway.
    }
  }

  Promise.all([showToday(), showDue()]).then(() => { $root.dataset.ready = 'true' })
}
