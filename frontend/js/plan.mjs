/**
 * My safety plan ([data-module="plan"]): the whole plan to read (with call
 * and text buttons), and one step per screen to change it (#step-<slug>).
 * Saved on the device as the person types, and at once when the page is
 * hidden or closed. Nothing is sent anywhere.
 */
import { initialCountry } from './country-picker-model.mjs'
import { readCountry } from './country-picker-store.mjs'
import { LockedError, personalStore } from './personal-store.mjs'
import {
  addExample, entries, filledPeople, newPerson, normalisePlan, phoneLinks, prefilledServices,
  removeService, restoreServices, shareText, MAX_PEOPLE
} from './plan-model.mjs'
import { loadPlan, savePlan } from './plan-store.mjs'

/** How long typing may pause before the plan is saved. */
const SAVE_AFTER_MS = 300

/**
 * Make an element.
 * @param {string} tag
 * @param {object} [props] properties, or attributes for names with a dash
 * @param {Array<Node|string|null|false>} [children]
 * @returns {HTMLElement}
 */
function el (tag, props = {}, children = []) {
  const $el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key.includes('-') || key === 'for' || key === 'role') $el.setAttribute(key, value === true ? '' : value)
    else $el[key] = value
  }
  for (const child of children) if (child !== null && child !== false) $el.append(child)
  return $el
}


/**
 * Start the plan.
 * @param {HTMLElement} $root
 */
export function init ($root) {
  const { steps, services } = JSON.parse($root.querySelector('[data-plan-steps]').textContent)
  const listed = Object.keys(services)
  const country = initialCountry({ saved: readCountry(), languages: navigator.languages, listed }).country
  const state = { steps, services, country, plan: null, dirty: false, timer: 0, saving: Promise.resolve(), lastStep: null }
  const $view = $root.querySelector('[data-plan-view]')
  const $locked = $root.querySelector('[data-plan-locked]')
  $root.hidden = false

  const open = async () => {
    try {
      state.plan = normalisePlan(steps, await loadPlan())
    } catch (error) {
      if (!(error instanceof LockedError)) throw error
      $locked.hidden = false
      return
    }
    $locked.hidden = true
    $root.dataset.planReady = ''
    route(state, $root, $view, false)
  }
  $root.querySelector('[data-plan-unlock]').addEventListener('submit', async (event) => {
    event.preventDefault()
    const $status = $root.querySelector('[data-plan-unlock-status]')
    const ok = await personalStore().unlock(event.target.elements.passphrase.value)
    $status.textContent = ok ? '' : 'That passphrase does not open your data. Try again.'
    if (ok) await open()
  })

  window.addEventListener('hashchange', () => state.plan && route(state, $root, $view, true))
  keepOnLeaving(state, $root)
  open()
}

/** Show the overview or one step, from the address's hash. */
function route (state, $root, $view, moveFocus) {
  const slug = location.hash.startsWith('#step-') ? location.hash.slice(6) : null
  const index = state.steps.findIndex(s => s.slug === slug)
  $view.replaceChildren(index >= 0 ? editStep(state, $root, index) : overview(state))
  document.body.classList.toggle('plan-editing', index >= 0)
  if (index >= 0) {
    state.lastStep = slug
    $view.querySelector('h2').focus()
  } else if (moveFocus) {
    const $heading = state.lastStep && $view.querySelector(`#overview-${state.lastStep} h2`)
    ;($heading || document.querySelector('h1')).focus?.()
  }
  if (moveFocus && index < 0 && !state.lastStep) window.scrollTo(0, 0)
}

/** Keep the plan soon (after typing pauses). */
function schedule (state, $root) {
  state.dirty = true
  $root.dataset.planState = 'saving'
  clearTimeout(state.timer)
  state.timer = setTimeout(() => flush(state, $root), SAVE_AFTER_MS)
  setSaved($root, 'Saving…')
}

/**
 * Keep the plan now, if anything changed: one save at a time, the newest
 * words last. Resolves when nothing is left to save.
 */
function flush (state, $root) {
  clearTimeout(state.timer)
  if (!state.dirty) return state.saving
  state.dirty = false
  const data = structuredClone(state.plan)
  state.saving = state.saving
    .then(() => savePlan(data))
    .then(() => {
      if (state.dirty) return
      $root.dataset.planState = 'saved'
      setSaved($root, 'Saved on this device.')
    })
    .catch(error => {
      console.warn('Wayfinder: could not save the safety plan', error)
      setSaved($root, 'Could not save just now. Your words are still here; we will try again as you type.')
      state.dirty = true
    })
  return state.saving
}

/**
 * Lose nothing when the page goes: save when it is hidden or left, let a link
 * to another page wait for the save, and while a save is under way ask the
 * browser to hold a closing tab (it shows its own "Leave site?" question).
 */
function keepOnLeaving (state, $root) {
  const unsaved = () => state.dirty || $root.dataset.planState === 'saving'
  window.addEventListener('pagehide', () => flush(state, $root))
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush(state, $root)
  })
  window.addEventListener('beforeunload', (event) => {
    if (!unsaved()) return
    flush(state, $root)
    event.preventDefault()
  })
  document.addEventListener('click', (event) => {
    const $link = event.target.closest?.('a[href]')
    if (!$link || !unsaved() || event.defaultPrevented || $link.target) return
    const url = new URL($link.href, location.href)
    if (url.origin !== location.origin || (url.pathname === location.pathname && url.hash)) return
    event.preventDefault()
    flush(state, $root).then(() => { location.href = url.href })
  })
}

function setSaved ($root, text) {
  const $saved = $root.querySelector('[data-plan-saved]')
  if ($saved) $saved.textContent = text
}

/** Call and text buttons for a person's number. */
function personButtons (person) {
  const links = phoneLinks(person.phone)
  if (!links) return null
  const who = person.name.trim() || person.phone.trim()
  return el('span', { className: 'plan-buttons plan-buttons--person' }, [
    el('a', { className: 'button', href: links.call, 'aria-label': `Call ${who}` }, ['Call']),
    el('a', { className: 'button button--quiet', href: links.text, 'aria-label': `Text ${who}` }, ['Text'])
  ])
}

/** A crisis line's own call and text buttons. */
function serviceButtons (service) {
  return el('span', { className: 'plan-buttons' }, service.contacts.map(c =>
    el('a', { className: 'button button--help', href: c.href }, [c.label])))
}

/** The list of people (or services) who have a name or number, to read. */
function peopleList (people) {
  return el('ul', { className: 'plan-people' }, people.map(p => el('li', {}, [
    el('span', { className: 'plan-people__name' }, [[p.name.trim(), p.phone.trim()].filter(Boolean).join(', ')]),
    personButtons(p)
  ])))
}

/** The whole plan, to read, print and share. */
function overview (state) {
  const { plan, steps } = state
  const services = prefilledServices(plan, state.services, state.country)
  const $actions = el('p', { className: 'plan-actions' }, [
    el('button', { type: 'button', className: 'button', onclick: () => window.print() }, ['Print my plan']),
    typeof navigator.share === 'function' && el('button', {
      type: 'button',
      className: 'button button--quiet',
      onclick: () => navigator.share({ title: 'My safety plan', text: shareText(plan, steps, services) }).catch(() => {})
    }, ['Share as text']),
    el('a', { className: 'button button--quiet', href: document.querySelector('[data-hope-url]').dataset.hopeUrl }, ['Open my hope box'])
  ])
  const $list = el('ol', { className: 'plan-steps' }, steps.map((step, i) => {
    const answer = plan.steps[step.slug]
    const items = entries(answer.text)
    const people = filledPeople(answer)
    const shown = step.contacts === 'services' ? services : []
    const empty = !items.length && !people.length && !shown.length
    return el('li', { className: 'plan-step', id: `overview-${step.slug}` }, [
      el('h2', { tabIndex: -1 }, [el('span', { className: 'plan-step__number' }, [`${i + 1}`]), ' ', step.title]),
      items.length ? el('ul', { className: 'plan-list' }, items.map(t => el('li', {}, [t]))) : null,
      shown.length ? el('ul', { className: 'plan-people' }, shown.map(s => el('li', {}, [el('span', { className: 'plan-people__name' }, [s.name]), serviceButtons(s)]))) : null,
      people.length ? peopleList(people) : null,
      empty ? el('p', { className: 'hint plan-empty' }, ['Nothing here yet.']) : null,
      el('p', { className: 'plan-step__edit' }, [
        el('a', { className: 'button button--quiet', href: `#step-${step.slug}`, 'aria-label': `${empty ? 'Add' : 'Change'}: ${step.title}` }, [empty ? 'Add' : 'Change'])
      ])
    ])
  }))
  return el('div', { className: 'plan-overview' }, [
    $actions,
    el('p', { className: 'hint plan-saved', 'data-plan-saved': true }, ['Kept only on this device. Changes save as you type.']),
    $list
  ])
}

/** One step, to change. */
function editStep (state, $root, index) {
  const step = state.steps[index]
  const answer = state.plan.steps[step.slug]
  const next = state.steps[index + 1]
  const $text = el('textarea', { id: 'plan-step-text', rows: 5, maxLength: 4000, value: answer.text, 'aria-describedby': 'plan-step-help' })
  $text.addEventListener('input', () => {
    answer.text = $text.value
    schedule(state, $root)
  })
  const $examples = step.examples.length
    ? el('div', { className: 'plan-examples' }, [
      el('h3', { id: 'plan-examples-heading' }, ['Ideas to tap']),
      el('ul', { 'aria-labelledby': 'plan-examples-heading' }, step.examples.map(example => el('li', {}, [
        el('button', {
          type: 'button',
          className: 'button button--quiet plan-example',
          'aria-label': `Add: ${example}`,
          onclick: () => {
            $text.value = answer.text = addExample(answer.text, example)
            schedule(state, $root)
            $root.querySelector('[data-plan-status]').textContent = `Added: ${example}`
          }
        }, [example])
      ])))
    ])
    : null
  return el('section', { className: 'plan-edit', 'aria-labelledby': 'plan-edit-heading' }, [
    el('p', { className: 'plan-edit__back' }, [el('a', { href: '#plan' }, ['← Back to my plan'])]),
    el('p', { className: 'plan-edit__count' }, [`Step ${index + 1} of ${state.steps.length}`]),
    el('h2', { id: 'plan-edit-heading', tabIndex: -1 }, [step.title]),
    el('p', { id: 'plan-step-help' }, [step.text]),
    el('p', { className: 'plan-field' }, [el('label', { for: 'plan-step-text' }, [step.field]), $text]),
    $examples,
    step.contacts ? contactsEditor(state, $root, step, answer) : null,
    el('p', { className: 'hint plan-saved', 'data-plan-saved': true }, ['Changes save as you type.']),
    el('p', { className: 'plan-edit__nav' }, [
      el('a', { className: 'button button--quiet', href: '#plan' }, ['Back to my plan']),
      next
        ? el('a', { className: 'button', href: `#step-${next.slug}`, 'aria-label': `Next step: ${next.title}` }, ['Next step'])
        : el('a', { className: 'button', href: '#plan' }, ['Done'])
    ])
  ])
}

/** The people of a step, or the crisis lines and the person's own professionals. */
function contactsEditor (state, $root, step, answer) {
  const services = step.contacts === 'services'
  const $box = el('div', { className: 'plan-contacts' })
  const draw = (focus) => {
    const parts = []
    if (services) parts.push(...serviceRows(state, $root, () => draw('services')))
    parts.push(el('h3', { id: 'plan-people-heading' }, [services ? 'My own doctor, therapist or care team' : 'People']))
    const $rows = el('ul', { className: 'plan-person-rows', 'aria-labelledby': 'plan-people-heading' })
    answer.people.forEach((person, i) => $rows.append(personRow(state, $root, answer, person, i, draw)))
    parts.push($rows)
    const $add = el('button', {
      type: 'button',
      className: 'button button--quiet',
      'data-plan-add-person': true,
      disabled: answer.people.length >= MAX_PEOPLE,
      onclick: () => {
        answer.people.push(newPerson(answer.people))
        schedule(state, $root)
        draw('new')
      }
    }, [services ? 'Add a professional' : 'Add a person'])
    parts.push(el('p', {}, [$add]))
    $box.replaceChildren(...parts)
    if (focus === 'new') $rows.lastElementChild?.querySelector('input')?.focus()
    if (focus === 'add') $add.focus()
    if (focus === 'services') ($box.querySelector('[data-plan-services] button') || $add).focus()
  }
  draw()
  return $box
}

/** The pre-filled crisis lines, each removable, and a way to bring them back. */
function serviceRows (state, $root, redraw) {
  const shown = prefilledServices(state.plan, state.services, state.country)
  const rows = [el('h3', { id: 'plan-services-heading' }, ['Crisis lines'])]
  if (!state.country || !state.services[state.country]) {
    rows.push(el('p', {}, ['Choose your country on ', el('a', { href: document.querySelector('[data-help-url]').dataset.helpUrl }, ['Get help now']), ' to add its crisis lines here.']))
    return rows
  }
  rows.push(el('ul', { className: 'plan-people', 'data-plan-services': true, 'aria-labelledby': 'plan-services-heading' }, shown.map(s => el('li', {}, [
    el('span', { className: 'plan-people__name' }, [s.name]),
    serviceButtons(s),
    el('button', {
      type: 'button',
      className: 'button button--quiet',
      onclick: () => {
        state.plan = removeService(state.plan, s.id)
        schedule(state, $root)
        $root.querySelector('[data-plan-status]').textContent = `Removed ${s.name}.`
        redraw()
      },
      'aria-label': `Remove ${s.name}`
    }, ['Remove'])
  ]))))
  if (state.plan.removed.length) {
    rows.push(el('p', {}, [el('button', {
      type: 'button',
      className: 'button button--quiet',
      onclick: () => {
        state.plan = restoreServices(state.plan)
        schedule(state, $root)
        redraw()
      }
    }, ['Put back the lines I removed'])]))
  }
  return rows
}

/** One person: name, number, their call and text buttons, and Remove. */
function personRow (state, $root, answer, person, i, redraw) {
  const id = `plan-person-${i}`
  const $name = el('input', { id: `${id}-name`, type: 'text', value: person.name, maxLength: 100, autocomplete: 'off' })
  const $phone = el('input', { id: `${id}-phone`, type: 'tel', value: person.phone, maxLength: 30, autocomplete: 'off', inputMode: 'tel' })
  const $buttons = el('span', { className: 'plan-person__buttons' }, [personButtons(person)])
  const update = () => {
    person.name = $name.value
    person.phone = $phone.value
    $buttons.replaceChildren(personButtons(person) ?? '')
    schedule(state, $root)
  }
  $name.addEventListener('input', update)
  $phone.addEventListener('input', update)
  return el('li', { className: 'plan-person' }, [
    el('fieldset', {}, [
      el('legend', {}, [`Contact ${i + 1}`]),
      el('p', { className: 'plan-field' }, [el('label', { for: `${id}-name` }, ['Name']), $name]),
      el('p', { className: 'plan-field' }, [el('label', { for: `${id}-phone` }, ['Phone number']), $phone]),
      $buttons,
      el('p', {}, [el('button', {
        type: 'button',
        className: 'button button--quiet',
        onclick: () => {
          answer.people.splice(i, 1)
          schedule(state, $root)
          redraw('add')
        },
        'aria-label': `Remove contact ${i + 1}`
      }, ['Remove'])])
    ])
  ])
}
