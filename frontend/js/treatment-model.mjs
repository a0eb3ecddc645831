/**
 * The treatment history without I/O: the shape of a `treatment` record and
 * of the one `treatment-profile` record, the plain choices and their words,
 * and the facts worked out from them (weeks on a medicine, weeks at its
 * highest dose, how many medicines and classes). Dates are local calendar
 * dates, 'YYYY-MM-DD', counted in UTC so a clock change never moves a day.
 * Tested with node --test (tests/js/treatment-model.test.mjs).
 */

/** The id of the one treatment-profile record. */
export const PROFILE_ID = 'treatment-profile'

/** Choice lists: value -> the words shown for it. */
export const CATEGORIES = Object.freeze({
  medicine: 'Medicine',
  therapy: 'Talking therapy',
  stimulation: 'Brain stimulation or other course',
  hospital: 'Hospital stay'
})
export const ROLES = Object.freeze({
  single: 'On its own',
  'add-on': 'Added to another medicine',
  combination: 'Combined with another medicine'
})
export const REGULARITY = Object.freeze({
  'every-day': 'Every day',
  'most-days': 'Most days',
  'about-half': 'About half the days',
  'less-than-half': 'Less than half the days'
})
export const EFFECTS = Object.freeze({
  none: 'Did not help',
  'a-little': 'Helped a little',
  'a-lot': 'Helped a lot',
  'felt-well': 'I felt well'
})
export const STOP_REASONS = Object.freeze({
  'side-effects': 'Side effects',
  'did-not-help': 'It did not help',
  'felt-better': 'I felt better',
  'cost-or-access': 'Cost or could not get it',
  'clinician-advice': 'My clinician suggested it',
  other: 'Something else'
})
export const STIMULATION_KINDS = Object.freeze({
  ect: 'ECT',
  rtms: 'rTMS',
  itbs: 'iTBS',
  esketamine: 'Esketamine',
  ketamine: 'Ketamine',
  other: 'Other'
})
export const THERAPY_KINDS = Object.freeze({
  cbt: 'CBT',
  behavioural: 'Behavioural activation',
  interpersonal: 'Interpersonal therapy (IPT)',
  mbct: 'Mindfulness-based cognitive therapy (MBCT)',
  psychodynamic: 'Psychodynamic therapy',
  counselling: 'Counselling',
  cbasp: 'CBASP',
  other: 'Other'
})

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86400000
const MAX_TEXT = 2000
const MAX_NAME = 120
const MAX_UNIT = 20

/**
 * Days since 1970-01-01 of a calendar date, or null when it is not a real date.
 * @param {unknown} iso
 * @returns {number|null}
 */
export function dayNumber (iso) {
  const match = typeof iso === 'string' ? DATE.exec(iso) : null
  if (!match) return null
  const [year, month, day] = match.slice(1).map(Number)
  const time = Date.UTC(year, month - 1, day)
  const back = new Date(time)
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null
  return time / DAY_MS
}

/**
 * A real calendar date, or null.
 * @param {unknown} iso
 * @returns {string|null}
 */
export function validDate (iso) {
  return dayNumber(iso) === null ? null : /** @type {string} */ (iso)
}

/**
 * Today's local calendar date.
 * @param {Date} [now]
 * @returns {string}
 */
export function localToday (now = new Date()) {
  const pad = n => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/**
 * Whole weeks from one calendar date to a later one (0 when the end is
 * earlier; null when either is missing or not a date).
 * @param {string|null} startISO
 * @param {string|null} endISO
 * @returns {number|null}
 */
export function weeksBetween (startISO, endISO) {
  const start = dayNumber(startISO)
  const end = dayNumber(endISO)
  if (start === null || end === null) return null
  return Math.max(0, Math.floor((end - start) / 7))
}

const choice = (value, choices) => (typeof value === 'string' && Object.hasOwn(choices, value) ? value : null)
const text = (value, max = MAX_TEXT) => (typeof value === 'string' ? value.slice(0, max) : '')
const idOrNull = value => (typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : null)

/**
 * A dose {amount, unit}, or null when the amount is not a positive number.
 * @param {unknown} dose
 * @returns {{amount: number, unit: string}|null}
 */
export function normalizeDose (dose) {
  if (!dose || typeof dose !== 'object') return null
  const amount = Number(/** @type {any} */ (dose).amount)
  if (!Number.isFinite(amount) || amount <= 0) return null
  return { amount, unit: text(/** @type {any} */ (dose).unit, MAX_UNIT).trim() }
}

function wholeOrNull (value) {
  const n = Number(value)
  return value !== null && value !== '' && Number.isInteger(n) && n >= 0 && n <= 10000 ? n : null
}

/**
 * A treatment record's data with every field present: defaults filled,
 * unknown choices and malformed values dropped. Only `name` is asked for;
 * it may still be empty here (treatmentProblems says so).
 * @param {object} data
 * @returns {object}
 */
export function normalizeTreatment (data = {}) {
  const d = data && typeof data === 'object' ? data : {}
  const category = choice(d.category, CATEGORIES) ?? 'medicine'
  const isMedicine = category === 'medicine'
  const role = isMedicine ? choice(d.role, ROLES) : null
  const ongoing = d.ongoing === true
  const sideEffects = Array.isArray(d.sideEffects)
    ? [...new Set(d.sideEffects.filter(s => typeof s === 'string' && s && s.length <= 60))]
    : []
  return {
    category,
    name: text(d.name, MAX_NAME).trim(),
    medicine: isMedicine ? idOrNull(d.medicine) : null,
    role,
    addedTo: role === 'add-on' || role === 'combination' ? idOrNull(d.addedTo) : null,
    dose: normalizeDose(d.dose),
    highestDose: normalizeDose(d.highestDose),
    highestFrom: validDate(d.highestFrom),
    start: validDate(d.start),
    end: ongoing ? null : validDate(d.end),
    ongoing,
    regularity: choice(d.regularity, REGULARITY),
    effect: choice(d.effect, EFFECTS),
    sideEffects,
    sideEffectsOther: text(d.sideEffectsOther),
    stopReason: ongoing ? null : choice(d.stopReason, STOP_REASONS),
    stopReasonOther: ongoing ? '' : text(d.stopReasonOther),
    kind: typeof d.kind === 'string' && d.kind ? d.kind.slice(0, 60) : null,
    sessions: wholeOrNull(d.sessions),
    notes: text(d.notes)
  }
}

/**
 * What is wrong with a treatment, as short sentences (empty when nothing).
 * @param {object} treatment normalized
 * @returns {string[]}
 */
export function treatmentProblems (treatment) {
  const problems = []
  if (!treatment.name) problems.push('Add a name.')
  const start = dayNumber(treatment.start)
  const end = dayNumber(treatment.end)
  if (start !== null && end !== null && end < start) problems.push('The end date is before the start date.')
  return problems
}

/**
 * A treatment-profile record's data.
 * @param {object} data
 * @returns {{episodeStart: string|null}}
 */
export function normalizeProfile (data = {}) {
  return { episodeStart: validDate(data?.episodeStart) }
}

/**
 * The medicines list (from content/medicines.yaml) by id.
 * @param {{id: string}[]} list
 * @returns {Map<string, object>}
 */
export function medicinesById (list = []) {
  return new Map(list.map(entry => [entry.id, entry]))
}

/**
 * The last day a treatment counts to: its end, or today while ongoing;
 * null when neither is known.
 * @param {object} treatment
 * @param {string} today
 * @returns {string|null}
 */
export function lastDay (treatment, today) {
  if (treatment.ongoing) return today
  return validDate(treatment.end)
}

const sameUnit = (a, b) => String(a).trim().toLowerCase() === String(b).trim().toLowerCase()

/**
 * Facts about one treatment, stated as numbers: weeks on it, weeks at its
 * highest dose, and, only where the medicines list gives a sourced usual
 * minimum dose in the same unit and the highest dose reaches it, the weeks
 * at or above that dose with the source.
 * @param {object} treatment
 * @param {string} today 'YYYY-MM-DD'
 * @param {Map<string, object>} [medicines] from medicinesById
 * @returns {{weeksOn: number|null, weeksAtHighest: number|null,
 *   minimumDose: {weeks: number, amount: number, unit: string, source: {title: string, url: string}}|null}}
 */
export function treatmentFacts (treatment, today, medicines = new Map()) {
  const t = normalizeTreatment(treatment)
  const until = lastDay(t, today)
  const weeksOn = weeksBetween(t.start, until)
  const highestStart = t.highestFrom ?? t.start
  const weeksAtHighest = t.highestDose ? weeksBetween(highestStart, until) : null
  return { weeksOn, weeksAtHighest, minimumDose: minimumDoseFact(t, weeksAtHighest, medicines) }
}

function minimumDoseFact (t, weeksAtHighest, medicines) {
  const entry = t.medicine ? medicines.get(t.medicine) : null
  const minimum = entry?.minimumDose
  if (!minimum?.source?.url || !t.highestDose || weeksAtHighest === null) return null
  if (!sameUnit(t.highestDose.unit, minimum.unit) || t.highestDose.amount < minimum.amount) return null
  return {
    weeks: weeksAtHighest,
    amount: minimum.amount,
    unit: minimum.unit,
    source: { title: minimum.source.title, url: minimum.source.url }
  }
}

/**
 * The key that says two medicine trials are the same medicine.
 * @param {object} t normalized treatment
 * @returns {string}
 */
function medicineKey (t) {
  return t.medicine ? 'id:' + t.medicine : 'name:' + t.name.toLowerCase()
}

/**
 * Facts about the whole history: how many different medicines and classes
 * (classes only for medicines chosen from the list), and when the current
 * episode began with its length in weeks.
 * @param {object[]} treatments
 * @param {{episodeStart?: string|null}|null} profile
 * @param {string} today
 * @param {Map<string, object>} [medicines]
 * @returns {{medicines: number, classes: number, episodeStart: string|null, episodeWeeks: number|null}}
 */
export function historyFacts (treatments, profile, today, medicines = new Map()) {
  const keys = new Set()
  const classes = new Set()
  for (const raw of treatments) {
    const t = normalizeTreatment(raw)
    if (t.category !== 'medicine' || !t.name) continue
    keys.add(medicineKey(t))
    const cls = t.medicine ? medicines.get(t.medicine)?.class : null
    if (cls) classes.add(cls)
  }
  const episodeStart = normalizeProfile(profile ?? {}).episodeStart
  return {
    medicines: keys.size,
    classes: classes.size,
    episodeStart,
    episodeWeeks: episodeStart ? weeksBetween(episodeStart, today) : null
  }
}

/**
 * For each treatment id, the ids of the add-on and combination trials
 * linked to it. Links to records that are gone are left out.
 * @param {{id: string}[]} treatments with ids
 * @returns {Map<string, string[]>}
 */
export function addOnsByTreatment (treatments) {
  const ids = new Set(treatments.map(t => t.id))
  const links = new Map()
  for (const t of treatments) {
    const target = normalizeTreatment(t).addedTo
    if (!target || target === t.id || !ids.has(target)) continue
    if (!links.has(target)) links.set(target, [])
    links.get(target).push(t.id)
  }
  return links
}

/**
 * The treatment an add-on was linked to, when it still exists.
 * @param {{id: string, addedTo?: string|null}} treatment
 * @param {{id: string}[]} treatments
 * @returns {object|null}
 */
export function linkedTreatment (treatment, treatments) {
  const target = normalizeTreatment(treatment).addedTo
  if (!target || target === treatment.id) return null
  return treatments.find(t => t.id === target) ?? null
}

/**
 * Treatments in the order the log shows them: ongoing first, then by start
 * date, newest first; undated ones last.
 * @param {object[]} treatments
 * @returns {object[]}
 */
export function sortTreatments (treatments) {
  const key = t => dayNumber(t.start) ?? -Infinity
  return [...treatments].sort((a, b) =>
    (b.ongoing === true) - (a.ongoing === true) || key(b) - key(a) || String(a.name).localeCompare(String(b.name)))
}

/**
 * A dose as words: "150 mg".
 * @param {{amount: number, unit: string}|null} dose
 * @returns {string}
 */
export function doseText (dose) {
  return dose ? `${dose.amount}${dose.unit ? ' ' + dose.unit : ''}` : ''
}

/**
 * "1 week", "3 weeks".
 * @param {number} n
 * @returns {string}
 */
export function weeksText (n) {
  return n === 1 ? '1 week' : `${n} weeks`
}

/**
 * The listed medicine a typed name stands for: its generic name or a brand,
 * in any case, or "generic (Brand)" as the list offers it; null when none.
 * @param {string} text
 * @param {{id: string, name: string, brands?: string[]}[]} list
 * @returns {object|null}
 */
export function findMedicine (text, list = []) {
  const wanted = String(text ?? '').trim().toLowerCase().replace(/\s+/g, ' ')
  if (!wanted) return null
  return list.find(m => optionText(m).toLowerCase() === wanted ||
    m.name.toLowerCase() === wanted ||
    (m.brands ?? []).some(b => b.toLowerCase() === wanted)) ?? null
}

/**
 * How the medicine list offers an entry: "sertraline (Zoloft, Lustral)".
 * @param {{name: string, brands?: string[]}} medicine
 * @returns {string}
 */
export function optionText (medicine) {
  const brands = medicine.brands ?? []
  return brands.length ? `${medicine.name} (${brands.join(', ')})` : medicine.name
}
