/**
 * The PHQ-9 and the GAD-7, without I/O: each instrument's published items and
 * answer options (shown exactly as published, because changing them changes
 * what the score means; the authors allow this with their notice), the
 * scoring, the score ranges in plain words, when item 9 must lead to help,
 * and when the PHQ-9 is offered again. Tested with node --test.
 *
 * Source: Kroenke, Spitzer, Williams, J Gen Intern Med 2001;16(9):606-613
 * (PHQ-9); Spitzer et al., Arch Intern Med 2006;166(10):1092-1097 (GAD-7).
 */

/** The notice the authors ask for wherever the questionnaires are shown. */
export const NOTICE = 'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.'

/* BEGIN PUBLISHED INSTRUMENT TEXT: quoted verbatim, do not reword. */
const STEM = 'Over the last 2 weeks, how often have you been bothered by any of the following problems?'

/** The four answers and their points, the same for both questionnaires. */
export const OPTIONS = Object.freeze([
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' }
])

const DIFFICULTY = Object.freeze({
  question: 'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
  options: Object.freeze(['Not difficult at all', 'Somewhat difficult', 'Very difficult', 'Extremely difficult'])
})

const PHQ9_ITEMS = Object.freeze([
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way'
])

const GAD7_ITEMS = Object.freeze([
  'Feeling nervous, anxious, or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid, as if something awful might happen'
])
/* END PUBLISHED INSTRUMENT TEXT */

/**
 * Score ranges: the lowest score of each, and the authors' name for it.
 * The PHQ-9's cut points are 5, 10, 15 and 20; the GAD-7's 5, 10 and 15.
 */
const PHQ9_BANDS = Object.freeze([
  { from: 0, to: 4, name: 'minimal' },
  { from: 5, to: 9, name: 'mild' },
  { from: 10, to: 14, name: 'moderate' },
  { from: 15, to: 19, name: 'moderately severe' },
  { from: 20, to: 27, name: 'severe' }
])

const GAD7_BANDS = Object.freeze([
  { from: 0, to: 4, name: 'minimal' },
  { from: 5, to: 9, name: 'mild' },
  { from: 10, to: 14, name: 'moderate' },
  { from: 15, to: 21, name: 'severe' }
])

/**
 * @typedef {object} Instrument
 * @property {'phq9'|'gad7'} id the record type its answers are kept as
 * @property {string} name as people know it
 * @property {string} stem
 * @property {readonly string[]} items
 * @property {readonly {from: number, to: number, name: string}[]} bands
 * @property {number|null} helpItem the index of the item whose answer above 0 leads to help
 */

/** @type {Readonly<Record<'phq9'|'gad7', Instrument>>} */
export const INSTRUMENTS = Object.freeze({
  phq9: Object.freeze({ id: 'phq9', name: 'PHQ-9', stem: STEM, items: PHQ9_ITEMS, bands: PHQ9_BANDS, helpItem: 8, difficulty: DIFFICULTY }),
  gad7: Object.freeze({ id: 'gad7', name: 'GAD-7', stem: STEM, items: GAD7_ITEMS, bands: GAD7_BANDS, helpItem: null, difficulty: DIFFICULTY })
})

/** How long after a PHQ-9 the check-in page offers the next one. */
export const PHQ9_EVERY_DAYS = 14

/**
 * Whether a list of answers is complete and each one is 0 to 3.
 * @param {Instrument} instrument
 * @param {unknown} answers
 * @returns {boolean}
 */
export function complete (instrument, answers) {
  return Array.isArray(answers) && answers.length === instrument.items.length &&
    answers.every(a => Number.isInteger(a) && a >= 0 && a <= 3)
}

/**
 * The total: the sum of every item (PHQ-9 0 to 27, GAD-7 0 to 21).
 * @param {Instrument} instrument
 * @param {number[]} answers
 * @returns {number}
 */
export function score (instrument, answers) {
  if (!complete(instrument, answers)) throw new RangeError(`${instrument.name}: every item needs an answer from 0 to 3`)
  return answers.reduce((sum, a) => sum + a, 0)
}

/**
 * The published range a total falls in.
 * @param {Instrument} instrument
 * @param {number} total
 * @returns {{from: number, to: number, name: string}}
 */
export function band (instrument, total) {
  const found = instrument.bands.find(b => total >= b.from && total <= b.to)
  if (!Number.isInteger(total) || !found) throw new RangeError(`${instrument.name}: no score of ${total}`)
  return found
}

/**
 * What a total means, in plain words: the range's name, as something to talk
 * over with a clinician. Never a diagnosis, and a low score is never called safe.
 * @param {Instrument} instrument
 * @param {number} total
 * @returns {string}
 */
export function bandWords (instrument, total) {
  const b = band(instrument, total)
  const max = instrument.bands.at(-1).to
  return `Your ${instrument.name} score is ${total} out of ${max}. ` +
    `Scores from ${b.from} to ${b.to} are in the range the authors call "${b.name}". ` +
    'This is a measure to talk over with your doctor or therapist, not a diagnosis.'
}

/**
 * Whether this answer must lead at once to the help screen: any answer above
 * "Not at all" to the PHQ-9's item 9. There is no risk score; an answer of 0
 * says nothing about being safe, so it simply leads nowhere special.
 * @param {Instrument} instrument
 * @param {number} index the item answered (0-based)
 * @param {number} value its answer
 * @returns {boolean}
 */
export function leadsToHelp (instrument, index, value) {
  return instrument.helpItem !== null && index === instrument.helpItem && value > 0
}

/**
 * Whether a finished set of answers needs the help screen beside the result.
 * @param {Instrument} instrument
 * @param {number[]} answers
 * @returns {boolean}
 */
export function resultNeedsHelp (instrument, answers) {
  return instrument.helpItem !== null && (answers[instrument.helpItem] ?? 0) > 0
}

/**
 * Whether the check-in page may mention that a PHQ-9 is due: none kept yet,
 * or 14 days or more since the last one. It is only ever offered, never asked.
 * @param {{at: string}[]} results the PHQ-9 results kept
 * @param {number} now ms since 1970
 * @returns {{due: boolean, last: string|null, days: number|null}}
 */
export function phq9Due (results, now) {
  const times = results.map(r => Date.parse(r.at)).filter(Number.isFinite)
  if (times.length === 0) return { due: true, last: null, days: null }
  const last = Math.max(...times)
  const days = Math.floor((now - last) / 86400000)
  return { due: days >= PHQ9_EVERY_DAYS, last: new Date(last).toISOString(), days }
}

/**
 * The record data to keep for a finished questionnaire.
 * @param {Instrument} instrument
 * @param {number[]} answers
 * @param {number} now ms since 1970
 * @returns {{at: string, answers: number[], score: number}}
 */
export function resultData (instrument, answers, now) {
  return { at: new Date(now).toISOString(), answers: [...answers], score: score(instrument, answers) }
}
