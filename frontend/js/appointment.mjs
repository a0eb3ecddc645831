/**
 * Appointment preparation: reads the appointment record, the treatment log
 * and check-ins from the personal store, offers first drafts of what
 * changed and the side effects to raise, and saves every change to the one
 * `appointment` record as it is typed. Nothing is sent anywhere.
 */
import { LockedError, personalStore } from './personal-store.mjs'
import {
  APPOINTMENT_ID, normalizeAppointment, ownQuestionsFrom, sideEffectsDraft, whatChanged
} from './appointment-model.mjs'
import { dateWords, deviceZone } from './check-in-model.mjs'
import { dayNumber, localToday } from './treatment-model.mjs'

const TEXT_FIELDS = ['changes', 'sideEffectsToRaise', 'bring', 'wants']

const readJson = id => JSON.parse(document.getElementById(id)?.textContent || '[]')
const withIds = records => records.map(r => ({ id: r.id, ...r.data }))

/**
 * Read everything the page works from.
 * @param {import('./personal-store.mjs').PersonalStore} store
 */
async function load (store) {
  const [record, treatments, checkIns, phq9] = await Promise.all([
    store.get(APPOINTMENT_ID), store.list('treatment'), store.list('check-in'), store.list('phq9')
  ])
  return {
    appointment: normalizeAppointment(record?.data),
    saved: Boolean(record),
    treatments: withIds(treatments),
    checkIns: checkIns.map(r => r.data),
    phq9: phq9.map(r => r.data)
  }
}

/**
 * Start the page.
 * @param {HTMLElement} $root
 */
export async function init ($root, store = personalStore()) {
  const $form = /** @type {HTMLFormElement} */ ($root.querySelector('[data-appt-form]'))
  const $status = $root.querySelector('[data-appt-status]')
  const sideEffects = readJson('side-effects')
  const field = name => /** @type {HTMLInputElement|HTMLTextAreaElement} */ ($form.elements.namedItem(name))
  let data
  try {
    data = await load(store)
  } catch (error) {
    if (!(error instanceof LockedError)) throw error
    $root.querySelector('[data-appt-locked]').hidden = false
    $form.hidden = true
    $root.dataset.apptReady = 'locked'
    return
  }
  const zone = deviceZone()
  const drafts = () => {
    const lastVisit = field('lastVisit').value || null
    const changed = whatChanged({ ...data, lastVisit, today: localToday(), timeZone: zone })
    return {
      changes: changed.lines.join('\n'),
      sideEffectsToRaise: sideEffectsDraft(data.treatments, sideEffects),
      from: changed.from
    }
  }
  const showFrom = () => {
    const from = drafts().from
    $root.querySelector('[data-appt-changes-hint]').textContent =
      `Filled in from your treatment log and check-ins since ${dateWords(dayNumber(from))}. Change anything you like.`
  }

  // Fill the form from the record; empty drafts get a first draft.
  const a = data.appointment
  field('date').value = a.date ?? ''
  field('lastVisit').value = a.lastVisit ?? ''
  field('ownQuestions').value = a.ownQuestions.join('\n')
  const chosen = new Set(a.questions)
  for (const $box of $form.querySelectorAll('input[name=questions]')) /** @type {HTMLInputElement} */ ($box).checked = chosen.has($box.value)
  const first = drafts()
  for (const name of TEXT_FIELDS) field(name).value = a[name] || first[name] || ''
  showFrom()
  countChosen($root)
  for (const $el of $root.querySelectorAll('[data-appt-js]')) /** @type {HTMLInputElement} */ ($el).disabled = false

  // Save as typed: one write at a time, the newest state last.
  let queue = Promise.resolve()
  let newest = 0
  const save = () => {
    const mine = ++newest
    const record = normalizeAppointment({
      date: field('date').value || null,
      lastVisit: field('lastVisit').value || null,
      questions: [...$form.querySelectorAll('input[name=questions]:checked')].map($b => /** @type {HTMLInputElement} */ ($b).value),
      ownQuestions: ownQuestionsFrom(field('ownQuestions').value),
      ...Object.fromEntries(TEXT_FIELDS.map(name => [name, field(name).value]))
    })
    $root.dataset.apptState = 'saving'
    queue = queue.then(() => store.save('appointment', record, { id: APPOINTMENT_ID })).then(() => {
      // An older write finishing says nothing while a newer one is on its way.
      if (mine !== newest) return
      $root.dataset.apptState = 'saved'
      $status.textContent = 'Saved on this device.'
    }, error => {
      $root.dataset.apptState = 'failed'
      $status.textContent = error instanceof LockedError
        ? 'Your data was locked, so this was not saved. Unlock it on the Your data page.'
        : 'This browser did not let Wayfinder save here.'
    })
  }
  $form.addEventListener('input', event => {
    if (/** @type {HTMLElement} */ (event.target).matches('input[name=questions]')) countChosen($root)
    if (/** @type {HTMLInputElement} */ (event.target).name === 'lastVisit') showFrom()
    save()
  })
  for (const $button of $root.querySelectorAll('[data-appt-refill]')) {
    $button.addEventListener('click', () => {
      const name = /** @type {HTMLElement} */ ($button).dataset.apptRefill
      field(name).value = drafts()[name]
      save()
      $status.textContent = field(name).value ? 'Filled in again from your log.' : 'Your log has nothing new to add here.'
    })
  }
  $root.dataset.apptReady = 'true'
}

/** Show how many questions are ticked, in all and in each topic. */
function countChosen ($root) {
  let total = 0
  for (const $box of $root.querySelectorAll('[data-appt-box]')) {
    const n = $box.querySelectorAll('input[name=questions]:checked').length
    total += n
    $box.querySelector('[data-appt-box-count]').textContent = n > 0 ? `(${n} chosen)` : ''
  }
  $root.querySelector('[data-appt-chosen-count]').textContent =
    total === 0 ? 'No questions chosen yet.' : total === 1 ? '1 question chosen.' : `${total} questions chosen.`
}
