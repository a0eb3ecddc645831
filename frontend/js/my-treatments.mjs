/**
 * The treatment log ([data-module="my-treatments"]): a list of medicines,
 * talking therapies, brain stimulation and other courses, and hospital stays;
 * the facts worked out from them, stated as numbers; and a timeline. One
 * editor at a time. Saved as typed: once a course has a name, every change is
 * kept in the personal store straight away (no draft, no Save button), so a
 * reload mid-entry loses nothing. All on this device.
 */
import { dateWords } from './check-in-model.mjs'
import { drawTimeline } from './treatment-timeline.mjs'
import {
  CATEGORIES, EFFECTS, REGULARITY, ROLES, STIMULATION_KINDS, STOP_REASONS, THERAPY_KINDS, dayNumber, doseText,
  findMedicine, historyFacts, linkedTreatment, localToday, medicinesById, normalizeTreatment, optionText,
  sortTreatments, treatmentFacts, treatmentProblems, weeksText
} from './treatment-model.mjs'
import { listTreatments, loadProfile, removeTreatment, saveProfile, saveTreatment } from './treatment-store.mjs'

const HEADINGS = {
  medicine: 'Medicine',
  therapy: 'Talking therapy',
  stimulation: 'Brain stimulation or other course',
  hospital: 'Hospital stay'
}
const ADD_WORDS = {
  medicine: 'Add a medicine',
  therapy: 'Add a talking therapy',
  stimulation: 'Add brain stimulation or another course',
  hospital: 'Add a hospital stay'
}

/** Small DOM helper: an element with a class and children. */
function el (tag, props = {}, ...children) {
  const $e = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'className') $e.className = value
    else if (key === 'text') $e.textContent = value
    else if (key.startsWith('data-') || key.startsWith('aria-') || key === 'for' || key === 'list' || key === 'inputmode') $e.setAttribute(key, value === true ? '' : value)
    else $e[key] = value
  }
  $e.append(...children.filter(c => c !== null && c !== undefined && c !== false))
  return $e
}

const dateText = iso => (dayNumber(iso) === null ? '' : dateWords(dayNumber(iso)))

function readJson (id) {
  try {
    return JSON.parse(document.getElementById(id)?.textContent ?? '[]')
  } catch {
    return []
  }
}

/**
 * Start the treatment log.
 * @param {HTMLElement} $root
 * @param {{store?: object, today?: () => string}} [options] for tests
 */
export async function init ($root, options = {}) {
  const { store } = options
  const today = options.today ?? (() => localToday())
  const medicineList = readJson('medicines')
  const sideEffects = readJson('side-effects')
  const medicines = medicinesById(medicineList)
  const $view = $root.querySelector('[data-treatments-view]')
  const $status = $root.querySelector('[data-treatments-status]')
  const say = text => { $status.textContent = text }
  $root.hidden = false

  let treatments = []
  let profile = { episodeStart: null }
  try {
    [treatments, profile] = await Promise.all([listTreatments(store), loadProfile(store)])
  } catch (error) {
    if (error.name === 'LockedError') {
      $root.querySelector('[data-treatments-locked]').hidden = false
    } else {
      console.warn('Wayfinder: could not read treatments', error)
      $view.replaceChildren(el('p', { text: 'This browser is not letting Wayfinder keep anything on this device, so the list cannot be kept.' }))
    }
    $root.dataset.ready = 'true'
    return
  }

  const state = { editing: null }

  // ---- The list --------------------------------------------------------------

  function factsSection () {
    const facts = historyFacts(treatments, profile, today(), medicines)
    const lines = []
    if (facts.medicines > 0) {
      const meds = facts.medicines === 1 ? '1 different medicine' : `${facts.medicines} different medicines`
      const groups = facts.classes === 1 ? '1 group' : `${facts.classes} groups`
      lines.push(`${meds} so far, from ${groups} of medicine on our list.`)
    }
    const others = treatments.filter(t => t.category !== 'medicine').length
    if (others > 0) lines.push(others === 1 ? '1 other treatment or stay.' : `${others} other treatments or stays.`)
    if (facts.episodeStart) lines.push(`This episode began on ${dateText(facts.episodeStart)}: ${weeksText(facts.episodeWeeks)} ago.`)
    const $list = el('ul', { 'data-history-facts': true }, ...lines.map(text => el('li', { text })))
    const $date = el('input', { type: 'date', id: 'tr-episode', value: profile.episodeStart ?? '', max: today() })
    $date.addEventListener('change', async () => {
      profile = await saveProfile({ episodeStart: $date.value || null }, store)
      say(profile.episodeStart ? 'Saved the date this episode began.' : 'Removed the date this episode began.')
      const $new = factsSection()
      $section.replaceWith($new)
    })
    const $section = el('section', { className: 'treatments__facts', 'aria-labelledby': 'tr-facts-heading', 'data-facts': true },
      el('h2', { id: 'tr-facts-heading', text: 'Your list in numbers' }),
      lines.length ? $list : el('p', { text: 'Nothing added yet. Start with whatever you remember; you can fill in more later.' }),
      el('p', { className: 'tr-field' },
        el('label', { for: 'tr-episode', text: 'When did this episode of depression begin? (optional)' }),
        $date))
    return $section
  }

  function addButtons () {
    return el('div', { className: 'treatments__add' }, ...Object.keys(CATEGORIES).map(category => {
      const $b = el('button', { type: 'button', className: 'button', text: ADD_WORDS[category], 'data-add': category })
      $b.addEventListener('click', () => openEditor({ category, ongoing: false }, null))
      return $b
    }))
  }

  function cardLines (t) {
    const lines = []
    const facts = treatmentFacts(t, today(), medicines)
    if (t.dose) lines.push(`Dose: ${doseText(t.dose)}`)
    if (t.highestDose) lines.push(`Highest dose: ${doseText(t.highestDose)}${t.highestFrom ? ', from ' + dateText(t.highestFrom) : ''}`)
    if (t.start && t.ongoing) lines.push(`Since ${dateText(t.start)}, still going`)
    else if (t.start && t.end) lines.push(`${dateText(t.start)} to ${dateText(t.end)}`)
    else if (t.start) lines.push(`Started ${dateText(t.start)}`)
    else if (t.end) lines.push(`Ended ${dateText(t.end)}`)
    else if (t.ongoing) lines.push('Still going')
    if (facts.weeksOn !== null) {
      let text = `${weeksText(facts.weeksOn)} on it`
      if (facts.weeksAtHighest !== null) text += `; ${weeksText(facts.weeksAtHighest)} at the highest dose`
      lines.push(text)
    }
    if (t.sessions !== null) lines.push(`Sessions: ${t.sessions}`)
    if (t.regularity) lines.push(`Taken: ${REGULARITY[t.regularity].toLowerCase()}`)
    if (t.effect) lines.push(EFFECTS[t.effect])
    const effects = [...t.sideEffects.map(id => sideEffects.find(s => s.id === id)?.label ?? id), t.sideEffectsOther].filter(Boolean)
    if (effects.length) lines.push(`Side effects: ${effects.join(', ')}`)
    if (t.stopReason) lines.push(`Why it stopped: ${t.stopReason === 'other' && t.stopReasonOther ? t.stopReasonOther : STOP_REASONS[t.stopReason].toLowerCase()}`)
    if (t.notes) lines.push(`Notes: ${t.notes}`)
    const $lines = el('ul', { className: 'treatment__lines' }, ...lines.map(text => el('li', { text })))
    if (facts.minimumDose) {
      const m = facts.minimumDose
      $lines.append(el('li', { 'data-minimum-dose': true },
        `At or above a usual minimum dose (${m.amount} ${m.unit}) for ${weeksText(m.weeks)}. `,
        el('span', { className: 'treatment__source' }, 'Source: ', el('a', { href: m.source.url, rel: 'noreferrer', text: m.source.title }))))
    }
    return $lines
  }

  function kindLine (t) {
    const parts = [HEADINGS[t.category]]
    const entry = t.medicine ? medicines.get(t.medicine) : null
    if (entry) parts.push(entry.class)
    if (t.category === 'therapy' && t.kind && THERAPY_KINDS[t.kind] && THERAPY_KINDS[t.kind] !== t.name) parts.push(THERAPY_KINDS[t.kind])
    if (t.category === 'stimulation' && t.kind && STIMULATION_KINDS[t.kind] && STIMULATION_KINDS[t.kind] !== t.name) parts.push(STIMULATION_KINDS[t.kind])
    const target = linkedTreatment(t, treatments)
    if (target && t.role) parts.push(`${t.role === 'add-on' ? 'added to' : 'combined with'} ${target.name}`)
    return parts.join(' · ')
  }

  function card (t) {
    const $edit = el('button', { type: 'button', className: 'button button--quiet', 'data-edit': t.id }, 'Change ', el('span', { className: 'visually-hidden', text: t.name }))
    $edit.addEventListener('click', () => openEditor(t, t.id))
    const $delete = el('button', { type: 'button', className: 'button button--quiet', 'data-delete': t.id }, 'Delete ', el('span', { className: 'visually-hidden', text: t.name }))
    const $actions = el('div', { className: 'treatment__actions' }, $edit, $delete)
    $delete.addEventListener('click', () => confirmDelete(t, $actions))
    return el('li', { className: 'treatment', 'data-treatment': t.id },
      el('h3', { id: `tr-card-${t.id}`, tabIndex: -1, text: t.name }),
      el('p', { className: 'treatment__kind', text: kindLine(t) }),
      cardLines(t),
      $actions)
  }

  function confirmDelete (t, $actions) {
    const $yes = el('button', { type: 'button', className: 'button', text: `Yes, delete ${t.name}`, 'data-confirm-delete': t.id })
    const $no = el('button', { type: 'button', className: 'button button--quiet', text: 'Keep it' })
    const $ask = el('p', { className: 'treatment__confirm', text: 'Delete this from your list? This cannot be undone.' })
    $actions.replaceChildren($ask, $yes, $no)
    $yes.focus()
    $no.addEventListener('click', () => { renderList(); document.getElementById(`tr-card-${t.id}`)?.focus() })
    $yes.addEventListener('click', async () => {
      await removeTreatment(t.id, store)
      treatments = treatments.filter(x => x.id !== t.id)
      renderList()
      say(`Deleted ${t.name}.`)
      $root.querySelector('#tr-list-heading')?.focus()
    })
  }

  function renderList () {
    state.editing = null
    $root.dataset.mode = 'list'
    const sorted = sortTreatments(treatments)
    const $timeline = el('section', { className: 'timeline', 'aria-labelledby': 'timeline-heading', 'data-timeline': true })
    $view.replaceChildren(
      factsSection(),
      addButtons(),
      el('h2', { id: 'tr-list-heading', tabIndex: -1, text: 'Your list' }),
      sorted.length
        ? el('ul', { className: 'treatments__list', 'data-treatments-list': true }, ...sorted.map(card))
        : el('p', { text: 'Your list is empty.' }),
      $timeline)
    drawTimeline($timeline, treatments, { today: today(), store }).then(() => { $timeline.dataset.ready = 'true' })
  }

  // ---- The editor ------------------------------------------------------------

  function field (id, labelText, $input, hint) {
    const $hint = hint ? el('p', { className: 'tr-hint', id: `${id}-hint`, text: hint }) : null
    if ($hint) $input.setAttribute('aria-describedby', `${id}-hint`)
    return el('div', { className: 'tr-field' }, el('label', { for: id, text: labelText }), $hint, $input)
  }

  function choices (name, legend, options, value, { multiple = false, none = 'Not said' } = {}) {
    const entries = multiple ? options : [['', none], ...options]
    const $group = el('div', { className: 'tr-choices' }, ...entries.map(([v, words], i) => {
      const id = `tr-${name}-${i}`
      const checked = multiple ? value.includes(v) : (value ?? '') === v
      return el('span', { className: 'tr-choice' },
        el('input', { type: multiple ? 'checkbox' : 'radio', name, id, value: v, checked }),
        el('label', { for: id, text: words }))
    }))
    return el('fieldset', { className: 'tr-field', 'data-choices': name }, el('legend', { text: legend }), $group)
  }

  function doseInputs (prefix, legend, dose) {
    const $amount = el('input', { type: 'text', id: `tr-${prefix}-amount`, name: `${prefix}Amount`, inputmode: 'decimal', autocomplete: 'off', value: dose ? String(dose.amount) : '' })
    const $unit = el('input', { type: 'text', id: `tr-${prefix}-unit`, name: `${prefix}Unit`, list: 'tr-units', autocomplete: 'off', value: dose ? dose.unit : 'mg' })
    return el('fieldset', { className: 'tr-field' }, el('legend', { text: legend }),
      el('div', { className: 'tr-dose' },
        el('span', {}, el('label', { for: `tr-${prefix}-amount`, text: 'Amount' }), $amount),
        el('span', {}, el('label', { for: `tr-${prefix}-unit`, text: 'Unit' }), $unit)))
  }

  const text = (id, name, value, extra = {}) => el('input', { type: 'text', id, name, value: value ?? '', autocomplete: 'off', ...extra })
  const area = (id, name, value) => el('textarea', { id, name, rows: 3, value: value ?? '' })
  const date = (id, name, value) => el('input', { type: 'date', id, name, value: value ?? '' })

  function addedToSelect (t, id) {
    const others = sortTreatments(treatments.filter(x => x.category === 'medicine' && x.id !== id))
    const $select = el('select', { id: 'tr-added-to', name: 'addedTo' },
      el('option', { value: '', text: others.length ? 'Choose a medicine' : 'Add that medicine to your list first' }),
      ...others.map(o => el('option', { value: o.id, text: o.start ? `${o.name} (from ${dateText(o.start)})` : o.name, selected: o.id === t.addedTo })))
    return field('tr-added-to', 'Which medicine was it added to or combined with?', $select)
  }

  function formFor (t, id) {
    const c = t.category
    const parts = []
    if (c === 'medicine') {
      const $name = text('tr-name', 'name', t.name, { list: 'tr-medicine-list', required: true, 'aria-required': 'true' })
      parts.push(field('tr-name', 'Medicine name', $name, 'Start typing a generic or brand name to pick from the list, or type any name.'),
        el('p', { className: 'tr-hint', 'data-medicine-hint': true, 'aria-live': 'polite' }),
        el('datalist', { id: 'tr-medicine-list' }, ...medicineList.map(m => el('option', { value: optionText(m) }))),
        choices('role', 'How was it taken?', Object.entries(ROLES), t.role),
        el('div', { 'data-added-to': true }, addedToSelect(t, id)),
        el('datalist', { id: 'tr-units' }, ...['mg', 'mcg', 'ml', 'mg/ml', 'drops'].map(u => el('option', { value: u }))),
        doseInputs('dose', 'Dose now, or the last dose', t.dose))
    } else {
      const kinds = c === 'therapy' ? THERAPY_KINDS : c === 'stimulation' ? STIMULATION_KINDS : null
      if (kinds) parts.push(choices('kind', c === 'therapy' ? 'Type of therapy' : 'Type', Object.entries(kinds), t.kind))
      const label = c === 'hospital' ? 'Where (a hospital or unit)' : 'Name'
      parts.push(field('tr-name', label, text('tr-name', 'name', t.name, { required: true, 'aria-required': 'true' }),
        kinds ? 'Picking a type fills this in; you can change it.' : null))
    }
    parts.push(field('tr-start', 'Start date', date('tr-start', 'start', t.start)),
      el('label', { className: 'tr-check', for: 'tr-ongoing' }, el('input', { type: 'checkbox', id: 'tr-ongoing', name: 'ongoing', checked: t.ongoing }), c === 'medicine' ? 'I still take this' : 'This is still going'),
      el('div', { 'data-when-stopped': true }, field('tr-end', 'End date', date('tr-end', 'end', t.end))))
    if (c === 'medicine') {
      parts.push(doseInputs('highest', 'Highest dose', t.highestDose),
        field('tr-highest-from', 'When you reached the highest dose', date('tr-highest-from', 'highestFrom', t.highestFrom)),
        choices('regularity', 'How often did you take it as prescribed?', Object.entries(REGULARITY), t.regularity))
    }
    if (c === 'therapy' || c === 'stimulation') {
      parts.push(field('tr-sessions', 'Number of sessions', el('input', { type: 'number', id: 'tr-sessions', name: 'sessions', min: 0, max: 10000, step: 1, inputmode: 'numeric', value: t.sessions ?? '' })))
    }
    if (c !== 'hospital') parts.push(choices('effect', 'How much did it help?', Object.entries(EFFECTS), t.effect))
    if (c === 'medicine' || c === 'stimulation') {
      parts.push(choices('sideEffects', 'Side effects (tap all that fit)', sideEffects.map(s => [s.id, s.label]), t.sideEffects, { multiple: true }),
        field('tr-side-other', 'Other side effects', area('tr-side-other', 'sideEffectsOther', t.sideEffectsOther)))
    }
    if (c !== 'hospital') {
      parts.push(el('div', { 'data-when-stopped': true },
        choices('stopReason', 'Why did it stop?', Object.entries(STOP_REASONS), t.stopReason),
        field('tr-stop-other', 'In your own words (optional)', text('tr-stop-other', 'stopReasonOther', t.stopReasonOther))))
    }
    parts.push(field('tr-notes', 'Notes', area('tr-notes', 'notes', t.notes)))
    return parts
  }

  function readForm ($form, base) {
    const f = new FormData($form)
    const get = name => (f.has(name) ? String(f.get(name)) : null)
    const data = { ...base }
    data.name = (get('name') ?? '').trim()
    if (base.category === 'medicine') {
      const match = findMedicine(data.name, medicineList)
      data.medicine = match ? match.id : null
      if (match) data.name = match.name
      data.role = get('role') || null
      data.addedTo = get('addedTo') || null
      data.dose = dose(get('doseAmount'), get('doseUnit'))
      data.highestDose = dose(get('highestAmount'), get('highestUnit'))
      data.highestFrom = get('highestFrom') || null
      data.regularity = get('regularity') || null
    } else {
      data.kind = get('kind') || null
    }
    data.start = get('start') || null
    data.ongoing = f.has('ongoing')
    data.end = get('end') || null
    if (f.has('sessions')) data.sessions = get('sessions') === '' ? null : Number(get('sessions'))
    if ($form.querySelector('[data-choices=effect]')) data.effect = get('effect') || null
    if ($form.querySelector('[data-choices=sideEffects]')) {
      data.sideEffects = f.getAll('sideEffects').map(String)
      data.sideEffectsOther = get('sideEffectsOther') ?? ''
    }
    if ($form.querySelector('[data-choices=stopReason]')) {
      data.stopReason = get('stopReason') || null
      data.stopReasonOther = get('stopReasonOther') ?? ''
    }
    data.notes = get('notes') ?? ''
    return normalizeTreatment(data)
  }

  function dose (amount, unit) {
    const n = Number(String(amount ?? '').replace(',', '.').trim())
    return amount && Number.isFinite(n) && n > 0 ? { amount: n, unit: (unit ?? '').trim() } : null
  }

  function openEditor (start, id) {
    const base = normalizeTreatment(start)
    state.editing = { id, base }
    $root.dataset.mode = 'edit'
    const $heading = el('h2', { id: 'tr-edit-heading', tabIndex: -1, text: id ? `${HEADINGS[base.category]}: ${base.name}` : HEADINGS[base.category] })
    const $problems = el('p', { className: 'tr-problems', id: 'tr-problems', 'aria-live': 'polite', 'data-problems': true })
    const $saved = el('p', { className: 'status', role: 'status', 'data-save-status': true, text: id ? 'Changes are kept as you type.' : 'Add a name and it is kept as you type.' })
    const $form = el('form', { className: 'treatment-form', 'data-treatment-form': base.category, noValidate: true, 'aria-labelledby': 'tr-edit-heading' },
      ...formFor(base, id))
    const $done = el('button', { type: 'button', className: 'button', text: 'Done', 'data-done': true })
    const $actions = el('div', { className: 'treatment-form__actions' }, $done)
    $view.replaceChildren($heading, el('p', { className: 'tr-hint', text: 'Only the name is needed. Fill in what you remember.' }), $form, $problems, $saved, $actions)
    const sync = () => syncForm($form)
    sync()

    // Every change is kept at once; while one save is under way, the next
    // waits and then keeps the form as it is by then (changes coalesce).
    let running = null
    let again = false
    const saveNow = async () => {
      const data = readForm($form, state.editing.base)
      $problems.textContent = treatmentProblems(data).join(' ')
      if (!data.name) { $saved.textContent = 'Add a name and it is kept as you type.'; return }
      try {
        const saved = await saveTreatment(data, { id: state.editing?.id ?? undefined }, store)
        if (state.editing && !state.editing.id) state.editing.id = saved.id
        treatments = [...treatments.filter(x => x.id !== saved.id), saved]
        $saved.textContent = 'Saved on this device.'
      } catch (error) {
        console.warn('Wayfinder: could not keep the treatment', error)
        $saved.textContent = 'This could not be kept on this device.'
      }
    }
    const keep = () => {
      if (running) { again = true; return running }
      $root.dataset.pending = 'true'
      running = (async () => {
        do { again = false; await saveNow() } while (again)
        running = null
        $root.dataset.pending = 'false'
      })()
      return running
    }
    $form.addEventListener('input', event => {
      if (event.target.name === 'kind') fillName($form)
      sync()
      keep()
    })
    $form.addEventListener('change', () => { sync(); keep() })
    $form.addEventListener('submit', event => { event.preventDefault(); keep() })
    $done.addEventListener('click', async () => {
      await keep()
      const savedId = state.editing?.id
      renderList()
      say(savedId ? 'Saved on this device.' : 'Nothing was kept: it had no name.')
      const $target = savedId ? document.getElementById(`tr-card-${savedId}`) : $root.querySelector('#tr-list-heading')
      $target?.focus()
    })
    $heading.focus()
  }

  function fillName ($form) {
    const $kind = $form.querySelector('[name=kind]:checked')
    const $name = $form.querySelector('[name=name]')
    const kinds = state.editing.base.category === 'therapy' ? THERAPY_KINDS : STIMULATION_KINDS
    const known = Object.values(kinds)
    if ($kind && $kind.value && $kind.value !== 'other' && (!$name.value.trim() || known.includes($name.value.trim()))) {
      $name.value = kinds[$kind.value]
    }
  }

  function syncForm ($form) {
    const ongoing = $form.querySelector('[name=ongoing]')?.checked
    for (const $part of $form.querySelectorAll('[data-when-stopped]')) $part.hidden = Boolean(ongoing)
    const role = $form.querySelector('[name=role]:checked')?.value
    const $added = $form.querySelector('[data-added-to]')
    if ($added) $added.hidden = !(role === 'add-on' || role === 'combination')
    const $hint = $form.querySelector('[data-medicine-hint]')
    if ($hint) {
      const match = findMedicine($form.querySelector('[name=name]').value, medicineList)
      const words = match
        ? `From the list: ${match.name}, ${match.class}.${match.brands.length ? ' Also sold as ' + match.brands.join(', ') + '.' : ''}`
        : ''
      if ($hint.textContent !== words) $hint.textContent = words
    }
  }

  renderList()
  $root.dataset.ready = 'true'
}
