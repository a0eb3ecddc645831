/**
 * Getting ready for an appointment, without I/O: the shape of the one
 * `appointment` record, the guide's questions as one list with their
 * article and a link back to their box, and the first drafts the page
 * offers: what changed since the last visit (from the treatment log and
 * check-ins) and the side effects of current treatments. The person edits
 * every draft; what they type is kept as typed. Dates are local calendar
 * dates, 'YYYY-MM-DD'. Tested with node --test (tests/js/appointment-model.test.mjs).
 * No template literal sits inside another: the asset minifier (rjsmin) does not read them.
 */
import { dateWords, localDay } from './check-in-model.mjs'
import { dayNumber, doseText, normalizeTreatment, STOP_REASONS, validDate } from './treatment-model.mjs'

/** The id of the one appointment record. */
export const APPOINTMENT_ID = 'appointment-next'
/** Without a last visit, "what changed" looks back this many weeks. */
export const CHANGE_WEEKS = 8
/** How much one text field keeps. */
export const TEXT_MAX = 4000
/** At most this many questions of one's own. */
export const OWN_MAX = 40

const DAY_MS = 86400000
const text = (value, max = TEXT_MAX) => (typeof value === 'string' ? value.slice(0, max) : '')
const strings = (value, max) => (Array.isArray(value) ? value.filter(s => typeof s === 'string' && s.trim()).slice(0, max) : [])

/**
 * An appointment record's data with every field present.
 * @param {object} [data]
 * @returns {{date: string|null, lastVisit: string|null, questions: string[], ownQuestions: string[],
 *   changes: string, sideEffectsToRaise: string, bring: string, wants: string}}
 */
export function normalizeAppointment (data = {}) {
  const d = data && typeof data === 'object' ? data : {}
  return {
    date: validDate(d.date),
    lastVisit: validDate(d.lastVisit),
    questions: [...new Set(strings(d.questions, 200))],
    ownQuestions: strings(d.ownQuestions, OWN_MAX).map(q => q.slice(0, 500)),
    changes: text(d.changes),
    sideEffectsToRaise: text(d.sideEffectsToRaise),
    bring: text(d.bring),
    wants: text(d.wants)
  }
}

/**
 * Own questions from a text box: one on each line, blank lines dropped.
 * @param {string} value
 * @returns {string[]}
 */
export function ownQuestionsFrom (value) {
  return String(value ?? '').split(/\r?\n/).map(line => line.trim()).filter(Boolean).slice(0, OWN_MAX)
}

/**
 * @typedef {object} GuideBox one "Questions to ask your clinician" box, as the server sends it
 * @property {string} slug the article's slug
 * @property {string} title the article's title
 * @property {string} url the box's address (the article, #questions-N)
 * @property {{id: string, text: string}[]} questions
 */

/**
 * Every guide question by its id, with the article and box it comes from.
 * @param {GuideBox[]} boxes
 * @returns {Map<string, {id: string, text: string, title: string, url: string}>}
 */
export function questionsById (boxes = []) {
  const out = new Map()
  for (const box of boxes) {
    for (const q of box.questions) out.set(q.id, { id: q.id, text: q.text, title: box.title, url: box.url })
  }
  return out
}

/**
 * The questions chosen, in the guide's order, then one's own; chosen ids the
 * guide no longer has are left out.
 * @param {{questions: string[], ownQuestions: string[]}} appointment
 * @param {GuideBox[]} boxes
 * @returns {{text: string, title: string|null, url: string|null}[]}
 */
export function chosenQuestions (appointment, boxes = []) {
  const chosen = new Set(appointment.questions)
  const out = []
  for (const [id, q] of questionsById(boxes)) {
    if (chosen.has(id)) out.push({ text: q.text, title: q.title, url: q.url })
  }
  for (const own of appointment.ownQuestions) out.push({ text: own, title: null, url: null })
  return out
}

/**
 * The first day "what changed" counts from: the last visit when it is known
 * and before today, else CHANGE_WEEKS weeks before today.
 * @param {string|null} lastVisit
 * @param {string} today
 * @returns {string}
 */
export function changesFrom (lastVisit, today) {
  const end = dayNumber(today)
  const last = dayNumber(lastVisit)
  if (last !== null && last <= end) return /** @type {string} */ (lastVisit)
  return new Date((end - CHANGE_WEEKS * 7) * DAY_MS).toISOString().slice(0, 10)
}

const words = iso => dateWords(dayNumber(iso))
const inWindow = (iso, from, to) => {
  const d = dayNumber(iso)
  return d !== null && d >= from && d <= to
}

function stopWords (t) {
  if (t.stopReason === 'other') return t.stopReasonOther.trim()
  return t.stopReason ? STOP_REASONS[t.stopReason].toLowerCase() : ''
}

/**
 * Changes in the treatment log between two days: started, stopped, dose raised.
 * @param {object[]} treatments
 * @param {number} from day number
 * @param {number} to day number
 * @returns {{day: number, line: string}[]}
 */
function treatmentChanges (treatments, from, to) {
  const out = []
  for (const raw of treatments) {
    const t = normalizeTreatment(raw)
    if (!t.name) continue
    if (inWindow(t.start, from, to)) {
      const dose = doseText(t.highestFrom === t.start ? t.highestDose : null) || doseText(t.dose)
      out.push({ day: dayNumber(t.start), line: `Started ${t.name}${dose ? ' ' + dose : ''} on ${words(t.start)}.` })
    }
    if (t.highestDose && t.highestFrom && t.highestFrom !== t.start && inWindow(t.highestFrom, from, to)) {
      out.push({ day: dayNumber(t.highestFrom), line: `${t.name} went up to ${doseText(t.highestDose)} on ${words(t.highestFrom)}.` })
    }
    if (!t.ongoing && inWindow(t.end, from, to)) {
      const why = stopWords(t)
      const reason = why ? ' (' + why + ')' : ''
      out.push({ day: dayNumber(t.end), line: `Stopped ${t.name} on ${words(t.end)}${reason}.` })
    }
  }
  return out
}

/** Records with a readable time, each with its local day. */
function byDay (records, timeZone) {
  return records
    .map(r => ({ r, time: Date.parse(r.at) }))
    .filter(({ time }) => Number.isFinite(time))
    .map(({ r, time }) => ({ ...r, day: localDay(time, timeZone) }))
}

function phq9Change (phq9, from, to, timeZone) {
  const scores = byDay(phq9, timeZone)
    .filter(r => Number.isFinite(r.score) && r.day <= to)
    .sort((a, b) => a.day - b.day)
  const inside = scores.filter(r => r.day >= from)
  if (inside.length === 0) return null
  const before = scores.filter(r => r.day < from).at(-1)
  const first = before ?? inside[0]
  const last = inside.at(-1)
  if (first === last) return `My PHQ-9 was ${last.score} on ${dateWords(last.day)}.`
  return `My PHQ-9 went from ${first.score} (${dateWords(first.day)}) to ${last.score} (${dateWords(last.day)}).`
}

const mean = values => Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10

function moodChange (checkIns, from, to, timeZone) {
  const days = byDay(checkIns, timeZone).filter(c => Number.isFinite(c.mood))
  const inside = days.filter(c => c.day >= from && c.day <= to).map(c => c.mood)
  if (inside.length === 0) return null
  const length = to - from + 1
  const earlier = days.filter(c => c.day < from && c.day >= from - length).map(c => c.mood)
  const times = inside.length === 1 ? '1 mood check-in' : `${inside.length} mood check-ins`
  const then = earlier.length > 0 ? ` (${mean(earlier).toFixed(1)} over the same length of time before)` : ''
  return `${times} since ${dateWords(from)}: ${mean(inside).toFixed(1)} out of 5 on average${then}.`
}

/**
 * A first draft of "what changed since my last visit", one sentence a line:
 * treatments started, raised and stopped, then the PHQ-9 and mood
 * check-ins. Facts only; empty when nothing changed that the app knows of.
 * @param {{treatments: object[], checkIns?: {at: string, mood: number}[], phq9?: {at: string, score: number}[],
 *   lastVisit?: string|null, today: string, timeZone?: string}} input
 * @returns {{from: string, lines: string[]}}
 */
export function whatChanged ({ treatments, checkIns = [], phq9 = [], lastVisit = null, today, timeZone }) {
  const fromIso = changesFrom(lastVisit, today)
  const from = dayNumber(fromIso)
  const to = dayNumber(today)
  const lines = treatmentChanges(treatments, from, to)
    .sort((a, b) => a.day - b.day)
    .map(c => c.line)
  const phq = phq9Change(phq9, from, to, timeZone)
  if (phq) lines.push(phq)
  const mood = moodChange(checkIns, from, to, timeZone)
  if (mood) lines.push(mood)
  return { from: fromIso, lines }
}

/**
 * A first draft of the side effects to raise: one line for each current
 * treatment that has any, the tapped ones by their words, then free text.
 * @param {object[]} treatments
 * @param {{id: string, label: string}[]} [labels] the common side effects list
 * @returns {string}
 */
export function sideEffectsDraft (treatments, labels = []) {
  const byId = new Map(labels.map(l => [l.id, l.label]))
  const lines = []
  for (const raw of treatments) {
    const t = normalizeTreatment(raw)
    if (!t.ongoing || !t.name) continue
    const named = t.sideEffects.map(id => byId.get(id) ?? id)
    const other = t.sideEffectsOther.trim()
    if (other) named.push(other)
    if (named.length > 0) lines.push(`${t.name}: ${named.join(', ')}`)
  }
  return lines.join('\n')
}
