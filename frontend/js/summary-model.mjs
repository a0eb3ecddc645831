/**
 * The one-page summary for a clinician, without I/O: the treatment log,
 * the PHQ-9 results and the appointment record shaped into what the page
 * shows and prints (current medicines, the medicine table, other
 * treatments, the PHQ-9 trend as a small chart, side effects and what the
 * person wants from the visit), and the same as plain text to share.
 * Facts are stated as numbers, never as a verdict. The chart reuses the
 * trends chart's date ticks, cut points and classes (check-in-chart-model.mjs).
 * Tested with node --test (tests/js/summary-model.test.mjs). No template
 * literal sits inside another: the asset minifier (rjsmin) does not read them.
 */
import { PHQ9_CUTS, ticks } from './check-in-chart-model.mjs'
import { localDay } from './check-in-model.mjs'
import {
  CATEGORIES, EFFECTS, STIMULATION_KINDS, STOP_REASONS, THERAPY_KINDS,
  dayNumber, doseText, historyFacts, linkedTreatment, medicinesById, normalizeProfile,
  normalizeTreatment, treatmentFacts, weeksText
} from './treatment-model.mjs'
import { normalizeAppointment } from './appointment-model.mjs'

/** The chart shows at most this many days of PHQ-9 results, ending today. */
export const CHART_DAYS = 365

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAY_MS = 86400000

/**
 * A calendar date as short words: "3 Mar 2026" ('' when missing).
 * @param {string|null} iso
 * @returns {string}
 */
export function shortDate (iso) {
  const day = dayNumber(iso)
  if (day === null) return ''
  const d = new Date(day * DAY_MS)
  return `${d.getUTCDate()} ${SHORT_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`
}

/**
 * The dates of a course: "3 Mar 2026 to 9 Jun 2026", "Since 3 Mar 2026".
 * @param {{start: string|null, end: string|null, ongoing: boolean}} t normalized
 * @returns {string}
 */
export function datesText (t) {
  const start = shortDate(t.start)
  const end = shortDate(t.end)
  if (t.ongoing) return start ? `Since ${start}` : 'Ongoing'
  if (start && end) return `${start} to ${end}`
  if (start) return `From ${start}`
  return end ? `Until ${end}` : ''
}

function stopText (t) {
  if (t.ongoing) return 'Still taking'
  const other = t.stopReasonOther.trim()
  if (t.stopReason === 'other') return other || STOP_REASONS.other
  return t.stopReason ? STOP_REASONS[t.stopReason] : ''
}

/** Oldest first by start date; undated ones last; then by name. */
function byStart (a, b) {
  const key = t => dayNumber(t.start) ?? Infinity
  return key(a) - key(b) || a.name.localeCompare(b.name)
}

function sideEffectWords (t, labels) {
  const named = t.sideEffects.map(id => labels.get(id) ?? id)
  const other = t.sideEffectsOther.trim()
  if (other) named.push(other)
  return named
}

function trialRow (t, all, today, medicines) {
  const facts = treatmentFacts(t, today, medicines)
  const linked = linkedTreatment(t, all)
  const entry = t.medicine ? medicines.get(t.medicine) : null
  const dose = doseText(t.dose)
  const highest = doseText(t.highestDose)
  return {
    id: t.id,
    name: t.name,
    class: entry?.class ?? '',
    addedTo: linked ? `${t.role === 'combination' ? 'Combined with' : 'Added to'} ${normalizeTreatment(linked).name}` : '',
    dose: highest && highest !== dose ? (dose ? `${dose} (highest ${highest})` : `Highest ${highest}`) : dose,
    dates: datesText(t),
    ongoing: t.ongoing,
    weeksOn: facts.weeksOn,
    weeksAtHighest: facts.weeksAtHighest,
    minimumDose: facts.minimumDose,
    effect: t.effect ? EFFECTS[t.effect] : '',
    stopped: stopText(t)
  }
}

function otherRow (t) {
  const kinds = t.category === 'therapy' ? THERAPY_KINDS : t.category === 'stimulation' ? STIMULATION_KINDS : {}
  const kind = t.kind ? kinds[t.kind] ?? t.kind : ''
  return {
    id: t.id,
    type: CATEGORIES[t.category],
    name: kind && kind.toLowerCase() !== t.name.toLowerCase() ? `${t.name} (${kind})` : t.name,
    sessions: t.sessions,
    dates: datesText(t),
    ongoing: t.ongoing,
    effect: t.effect ? EFFECTS[t.effect] : '',
    stopped: t.ongoing ? 'Ongoing' : stopText(t)
  }
}

function phq9Trend (phq9, today, timeZone) {
  const to = dayNumber(today)
  const points = phq9
    .map(r => ({ time: Date.parse(r.at), score: r.score }))
    .filter(r => Number.isFinite(r.time) && Number.isFinite(r.score))
    .map(r => ({ day: localDay(r.time, timeZone), score: r.score }))
    .filter(r => r.day <= to && r.day > to - CHART_DAYS)
    .sort((a, b) => a.day - b.day)
  if (points.length === 0) return { points, from: to, to, line: '' }
  const from = Math.min(points[0].day, to - 27)
  const last = points.at(-1)
  const scores = points.map(p => p.score)
  const range = points.length > 1 ? ` ${points.length} results since ${shortDate(isoDay(points[0].day))}, from ${Math.min(...scores)} to ${Math.max(...scores)}.` : ''
  return { points, from, to, line: `Latest PHQ-9: ${last.score} on ${shortDate(isoDay(last.day))}.${range}` }
}

const isoDay = day => new Date(day * DAY_MS).toISOString().slice(0, 10)

/**
 * Everything the summary shows, shaped from the records.
 * @param {{treatments: {id: string}[], profile?: object|null, appointment?: object|null,
 *   phq9?: {at: string, score: number}[], today: string, medicines?: object[],
 *   sideEffects?: {id: string, label: string}[], timeZone?: string}} input
 *   treatments: the records' data with their ids
 * @returns {object}
 */
export function summaryData ({ treatments, profile = null, appointment = null, phq9 = [], today, medicines = [], sideEffects = [], timeZone }) {
  const byId = medicinesById(medicines)
  const labels = new Map(sideEffects.map(s => [s.id, s.label]))
  const all = treatments.map(t => ({ ...normalizeTreatment(t), id: t.id })).filter(t => t.name)
  const meds = all.filter(t => t.category === 'medicine').sort(byStart)
  const trials = meds.map(t => trialRow(t, all, today, byId))
  const facts = historyFacts(all, profile, today, byId)
  const sources = new Map()
  for (const row of trials) if (row.minimumDose) sources.set(row.minimumDose.source.url, row.minimumDose.source)
  const plan = normalizeAppointment(appointment ?? {})
  return {
    today,
    appointmentDate: plan.date,
    episodeStart: normalizeProfile(profile ?? {}).episodeStart,
    facts,
    current: trials.filter(r => r.ongoing).map(r => ({
      name: r.name,
      addedTo: r.addedTo,
      dose: r.dose,
      dates: r.dates,
      weeksOn: r.weeksOn
    })),
    trials,
    others: all.filter(t => t.category !== 'medicine').sort(byStart).map(otherRow),
    phq9: phq9Trend(phq9, today, timeZone),
    sideEffects: [...meds.filter(t => t.ongoing), ...all.filter(t => !(t.category === 'medicine' && t.ongoing)).sort(byStart)]
      .map(t => ({ name: t.name, ongoing: t.ongoing, list: sideEffectWords(t, labels) }))
      .filter(s => s.list.length > 0),
    sources: [...sources.values()],
    wants: plan.wants.trim()
  }
}

/**
 * The history's numbers as one plain sentence.
 * @param {{facts: object, episodeStart: string|null}} data
 * @returns {string}
 */
export function factsLine ({ facts, episodeStart }) {
  const parts = []
  if (facts.medicines > 0) {
    const meds = facts.medicines === 1 ? '1 medicine' : `${facts.medicines} medicines`
    const count = facts.classes === 1 ? '1 class' : facts.classes + ' classes'
    const classes = facts.classes > 0 ? ' from ' + count : ''
    parts.push(`${meds} tried${classes}.`)
  }
  if (episodeStart) {
    const ago = facts.episodeWeeks !== null ? ' (' + weeksText(facts.episodeWeeks) + ' ago)' : ''
    parts.push(`This episode began on ${shortDate(episodeStart)}${ago}.`)
  }
  return parts.join(' ')
}

/**
 * A trial's weeks as words: "12 weeks (8 at the highest dose)".
 * @param {{weeksOn: number|null, weeksAtHighest: number|null}} row
 * @returns {{on: string, atHighest: string}}
 */
export function weeksWords (row) {
  return {
    on: row.weeksOn === null ? '' : weeksText(row.weeksOn),
    atHighest: row.weeksAtHighest === null ? '' : weeksText(row.weeksAtHighest)
  }
}

/**
 * A minimum-dose note: "8 weeks at or above a usual minimum dose".
 * @param {{minimumDose: {weeks: number}|null}} row
 * @returns {string}
 */
export function minimumDoseText (row) {
  return row.minimumDose ? `${weeksText(row.minimumDose.weeks)} at or above a usual minimum dose` : ''
}

const join = parts => parts.filter(Boolean).join(', ')

/**
 * Words with their first letter made small, to go mid-sentence ("Since 2 Mar" -> "since 2 Mar").
 * @param {string} words
 * @returns {string}
 */
export function lowerFirst (words) {
  return words ? words[0].toLowerCase() + words.slice(1) : ''
}

/**
 * The summary as plain text, to share: the same sections, one line each.
 * @param {object} data from summaryData
 * @returns {string}
 */
export function summaryText (data) {
  const out = ['My treatment summary', `Written by me in Wayfinder on ${shortDate(data.today)}. My own record, not medical advice.`]
  if (data.appointmentDate) out.push(`For my appointment on ${shortDate(data.appointmentDate)}.`)
  const facts = factsLine(data)
  if (facts) out.push(facts)
  const section = (title, lines) => { if (lines.length > 0) out.push('', title, ...lines) }
  section('Medicines I take now', data.current.map(c => '- ' + join([c.name, lowerFirst(c.addedTo), c.dose, lowerFirst(c.dates), c.weeksOn === null ? '' : weeksText(c.weeksOn)])))
  section('Medicines I have tried', data.trials.map(r => {
    const w = weeksWords(r)
    return '- ' + join([r.name, lowerFirst(r.addedTo), r.dose, lowerFirst(r.dates), w.on && `${w.on} in all`,
      w.atHighest && `${w.atHighest} at the highest dose`, minimumDoseText(r), r.effect, r.ongoing ? 'still taking' : r.stopped && `why stopped: ${r.stopped}`])
  }))
  section('Other treatments', data.others.map(o => '- ' + join([`${o.type}: ${o.name}`,
    o.sessions === null ? '' : `${o.sessions} sessions`, lowerFirst(o.dates), o.effect, o.ongoing ? 'ongoing' : o.stopped && `why stopped: ${o.stopped}`])))
  section('PHQ-9', data.phq9.line ? [data.phq9.line] : [])
  section('Side effects', data.sideEffects.map(s => `- ${s.name}: ${s.list.join(', ')}`))
  section('What I want from this appointment', data.wants ? [data.wants] : [])
  if (data.sources.length > 0) {
    out.push('', 'Usual minimum doses from: ' + data.sources.map(s => `${s.title} (${s.url})`).join('; '))
  }
  return out.join('\n')
}

const round = n => Math.round(n * 10) / 10

/**
 * The PHQ-9 trend as a small SVG line chart: 0 to 27 with lines at the
 * published cut points, and the trends chart's date ticks and classes.
 * @param {{points: {day: number, score: number}[], from: number, to: number}} trend
 * @param {{width: number, fontPx: number}} size
 * @returns {{markup: string, height: number}}
 */
export function phq9ChartSvg ({ points, from, to }, { width, fontPx: f }) {
  const left = 2.2 * f
  const right = width - 0.9 * f
  const plot = Math.max(1, right - left)
  const days = Math.max(1, to - from + 1)
  const top = f * 0.6
  const h = 6 * f
  const axis = top + h + f * 1.4
  const height = Math.ceil(axis + f * 0.4)
  const x = day => round(left + ((day - from + 0.5) / days) * plot)
  const y = s => round(top + h - (s / 27) * h)
  const parts = [`<line class="chart__grid" x1="${left}" x2="${round(right)}" y1="${y(0)}" y2="${y(0)}"/>`]
  for (const cut of PHQ9_CUTS) parts.push(`<line class="chart__cut" x1="${left}" x2="${round(right)}" y1="${y(cut)}" y2="${y(cut)}"/>`)
  for (const s of [0, 10, 20, 27]) {
    parts.push(`<text class="chart__label" x="${round(left - f * 0.4)}" y="${round(y(s) + f * 0.35)}" text-anchor="end">${s}</text>`)
  }
  const xy = points.map(p => [x(p.day), y(p.score)])
  if (xy.length > 1) parts.push(`<path class="chart__line chart__line--phq9" d="M${xy.map(p => p.join(' ')).join('L')}"/>`)
  const r = round(Math.max(1.5, f * 0.18))
  for (const [px, py] of xy) parts.push(`<circle class="chart__dot chart__dot--phq9" cx="${px}" cy="${py}" r="${r}"/>`)
  for (const t of ticks(from, to, Math.floor(plot / (f * 6)))) {
    const tx = round(left + ((t.day - from + 0.5) / days) * plot)
    parts.push(`<line class="chart__tick" x1="${tx}" x2="${tx}" y1="${y(0)}" y2="${round(y(0) + f * 0.3)}"/>`,
      `<text class="chart__label" x="${tx}" y="${round(axis)}" text-anchor="middle">${t.label}</text>`)
  }
  const markup = `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${round(width)} ${height}" width="${round(width)}" height="${height}" font-size="${f}" aria-hidden="true" focusable="false">${parts.join('')}</svg>`
  return { markup, height }
}
