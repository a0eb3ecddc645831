/**
 * The one-page summary: reads the treatment log, the PHQ-9 results and the
 * appointment record from the personal store, draws them with
 * summary-model.mjs, and offers the browser's print (to paper or a PDF) and
 * the text to share or copy. Nothing leaves the device unless the person
 * prints or shares it.
 */
import { LockedError, personalStore } from './personal-store.mjs'
import { APPOINTMENT_ID } from './appointment-model.mjs'
import { deviceZone } from './check-in-model.mjs'
import { PROFILE_ID, localToday } from './treatment-model.mjs'
import {
  factsLine, lowerFirst, minimumDoseText, phq9ChartSvg, shortDate, summaryData, summaryText, weeksWords
} from './summary-model.mjs'

const readJson = id => JSON.parse(document.getElementById(id)?.textContent || '[]')

/**
 * Make an element.
 * @param {string} tag
 * @param {object} [props]
 * @param {(Node|string|null|false)[]} [children]
 * @returns {HTMLElement}
 */
function el (tag, props = {}, children = []) {
  const $el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key.includes('-') || key === 'role') $el.setAttribute(key, value === true ? '' : value)
    else $el[key] = value
  }
  for (const child of children) if (child !== null && child !== false && child !== '') $el.append(child)
  return $el
}

function section (id, title, children) {
  return el('section', { className: `summary-section summary-section--${id}`, 'aria-labelledby': `summary-${id}` }, [
    el('h2', { id: `summary-${id}` }, [title]), ...children
  ])
}

function table (label, heads, rows) {
  return el('div', { className: 'summary-scroll', tabIndex: 0, role: 'region', 'aria-label': `${label}: table` }, [
    el('table', { className: 'summary-table' }, [
      el('thead', {}, [el('tr', {}, heads.map(h => el('th', { scope: 'col' }, [h])))]),
      el('tbody', {}, rows.map(cells => el('tr', {}, cells.map((c, i) => el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, c)))))
    ])
  ])
}

const small = text => text ? el('span', { className: 'summary-small' }, [text]) : null

function trialsTable (data) {
  if (data.trials.length === 0) return [el('p', {}, ['No medicines entered yet.'])]
  return [table('Medicines I have tried', ['Medicine', 'Dose', 'Dates', 'Weeks', 'At highest dose', 'Effect', 'Why stopped'],
    data.trials.map(r => {
      const w = weeksWords(r)
      const note = minimumDoseText(r)
      return [
        [r.name, small(r.addedTo)],
        [r.dose],
        [r.dates],
        [w.on],
        [w.atHighest, note ? small(`${note}*`) : null],
        [r.effect],
        [r.ongoing ? 'Still taking' : r.stopped]
      ]
    }))]
}

function othersTable (data) {
  if (data.others.length === 0) return [el('p', {}, ['None entered.'])]
  return [table('Other treatments', ['Treatment', 'Type', 'Sessions', 'Dates', 'Effect', 'Why stopped'],
    data.others.map(o => [[o.name], [o.type], [o.sessions === null ? '' : String(o.sessions)], [o.dates], [o.effect], [o.stopped]]))]
}

function phq9Part (data) {
  if (!data.phq9.line) return [el('p', {}, ['No PHQ-9 results kept yet.'])]
  const $chart = el('div', { className: 'summary-chart' })
  $chart.innerHTML = phq9ChartSvg(data.phq9, { width: 320, fontPx: 11 }).markup
  return [el('p', {}, [data.phq9.line]), $chart, el('p', { className: 'summary-small' }, ['Scores 0 to 27; dashed lines at 5, 10, 15 and 20.'])]
}

/**
 * The summary, as elements.
 * @param {object} data from summaryData
 * @returns {HTMLElement[]}
 */
function render (data) {
  const meta = [`Made on ${shortDate(data.today)}`]
  if (data.appointmentDate) meta.push(`for my appointment on ${shortDate(data.appointmentDate)}`)
  const facts = factsLine(data)
  return [
    el('p', { className: 'summary-meta' }, [meta.join(', ') + '.', facts ? ' ' + facts : '']),
    section('current', 'Medicines I take now', [data.current.length === 0
      ? el('p', {}, ['None entered.'])
      : el('ul', { className: 'summary-list' }, data.current.map(c => el('li', {}, [
        el('strong', {}, [c.name]), [c.addedTo && ` (${lowerFirst(c.addedTo)})`, c.dose && `, ${c.dose}`, c.dates && `, ${lowerFirst(c.dates)}`].filter(Boolean).join('')
      ])))]),
    section('trials', 'Medicines I have tried', trialsTable(data)),
    section('others', 'Other treatments', othersTable(data)),
    el('div', { className: 'summary-pair' }, [
      section('phq9', 'PHQ-9', phq9Part(data)),
      section('side-effects', 'Side effects', [data.sideEffects.length === 0
        ? el('p', {}, ['None entered.'])
        : el('ul', { className: 'summary-list' }, data.sideEffects.map(s => el('li', {}, [el('strong', {}, [s.name]), `: ${s.list.join(', ')}`])))])
    ]),
    section('wants', 'What I want from this appointment', [
      data.wants ? el('p', { className: 'summary-wants' }, [data.wants]) : el('p', {}, ['Not written yet.'])
    ]),
    data.sources.length > 0 && el('p', { className: 'summary-small summary-sources' }, [
      '* Usual minimum doses from: ', data.sources.map(s => `${s.title} (${s.url})`).join('; '), '. This is a fact about dose and time, not a judgement of the trial.'
    ])
  ].filter(Boolean)
}

/**
 * Start the summary.
 * @param {HTMLElement} $root
 */
export async function init ($root, store = personalStore()) {
  const $view = $root.querySelector('[data-summary-view]')
  let records
  try {
    const [treatments, profile, appointment, phq9] = await Promise.all([
      store.list('treatment'), store.get(PROFILE_ID), store.get(APPOINTMENT_ID), store.list('phq9')
    ])
    records = { treatments, profile, appointment, phq9 }
  } catch (error) {
    if (!(error instanceof LockedError)) throw error
    $root.querySelector('[data-summary-locked]').hidden = false
    $root.dataset.summaryReady = 'locked'
    return
  }
  const data = summaryData({
    treatments: records.treatments.map(r => ({ id: r.id, ...r.data })),
    profile: records.profile?.data ?? null,
    appointment: records.appointment?.data ?? null,
    phq9: records.phq9.map(r => r.data),
    today: localToday(),
    medicines: readJson('medicines'),
    sideEffects: readJson('side-effects'),
    timeZone: deviceZone()
  })
  $view.replaceChildren(...render(data))
  const text = summaryText(data)
  wireActions($root, text)
  $root.dataset.summaryReady = 'true'
}

/** The print button, and share (or copy) as text. */
function wireActions ($root, text) {
  const $status = $root.querySelector('[data-summary-status]')
  const $share = /** @type {HTMLButtonElement} */ ($root.querySelector('[data-summary-share]'))
  const $wrap = /** @type {HTMLElement} */ ($root.querySelector('[data-summary-text-wrap]'))
  const $text = /** @type {HTMLTextAreaElement} */ ($root.querySelector('[data-summary-text]'))
  $text.value = text
  $root.querySelector('[data-summary-print]').addEventListener('click', () => window.print())
  const canShare = typeof navigator.share === 'function'
  $share.textContent = canShare ? 'Share as text' : 'Copy as text'
  $share.addEventListener('click', async () => {
    if (canShare) {
      try {
        await navigator.share({ title: 'My treatment summary', text })
      } catch {
        // Closing the share sheet is not a problem.
      }
      return
    }
    $wrap.hidden = false
    try {
      await navigator.clipboard.writeText(text)
      $status.textContent = 'Copied. You can paste it into a message or an email.'
    } catch {
      $text.focus()
      $text.select()
      $status.textContent = 'Select the text below and copy it.'
    }
  })
  $root.querySelector('[data-summary-actions]').hidden = false
}
