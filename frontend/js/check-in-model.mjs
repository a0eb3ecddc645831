/**
 * Check-ins without I/O: the five moods in words, the shape of a check-in,
 * calendar days in the person's time zone (so a late-evening check-in counts
 * for that evening, across daylight-saving changes), grouping by day, week
 * or month, the trends' ranges, the plain summary sentences, and the CSV
 * export. Tested with node --test.
 */

/** The five-point mood scale, lowest first; the number is what is kept. */
export const MOODS = Object.freeze([
  { value: 1, label: 'Very low' },
  { value: 2, label: 'Low' },
  { value: 3, label: 'Okay' },
  { value: 4, label: 'Good' },
  { value: 5, label: 'Very good' }
])

/** The optional extras' scales (1 to 5). Anxiety: 1 is none, 5 is a great deal. */
export const ENERGY = Object.freeze(['Very low', 'Low', 'Some', 'Good', 'Lots'])
export const ANXIETY = Object.freeze(['None', 'A little', 'Some', 'A lot', 'A great deal'])
/** The longest note kept with a check-in, in characters. */
export const NOTE_MAX = 500

const DAY_MS = 86400000

/**
 * A mood's words.
 * @param {number} mood 1 to 5
 * @returns {string}
 */
export function moodLabel (mood) {
  return MOODS.find(m => m.value === mood)?.label ?? ''
}

/**
 * Check-in data in the kept shape, or null when the mood is missing or out
 * of range. Extras out of range are left out rather than refused.
 * @param {{at?: string|number, mood: number, sleepHours?: unknown, energy?: unknown, anxiety?: unknown, note?: unknown}} input
 * @param {number} now ms since 1970, when `at` is not given
 * @returns {{at: string, mood: number, sleepHours?: number, energy?: number, anxiety?: number, note?: string}|null}
 */
export function checkInData (input, now) {
  const mood = Number(input.mood)
  if (!Number.isInteger(mood) || mood < 1 || mood > 5) return null
  const at = new Date(input.at ?? now).toISOString()
  const out = { at, mood }
  const sleep = input.sleepHours === '' || input.sleepHours == null ? NaN : Number(input.sleepHours)
  if (Number.isFinite(sleep) && sleep >= 0 && sleep <= 24) out.sleepHours = Math.round(sleep * 2) / 2
  for (const key of ['energy', 'anxiety']) {
    const value = Number(input[key])
    if (Number.isInteger(value) && value >= 1 && value <= 5) out[key] = value
  }
  const note = typeof input.note === 'string' ? input.note.trim().slice(0, NOTE_MAX) : ''
  if (note) out.note = note
  return out
}

// --- calendar days in a time zone ------------------------------------------

const formatters = new Map()

function timeFormatter (timeZone) {
  const key = 'time:' + (timeZone ?? '')
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23'
    }))
  }
  return formatters.get(key)
}

/**
 * How far a zone's wall clock is ahead of UTC at a moment, in ms.
 * @param {number} time ms since 1970, whole seconds
 * @param {string} [timeZone]
 * @returns {number}
 */
function offsetAt (time, timeZone) {
  const parts = timeFormatter(timeZone).formatToParts(new Date(time))
  const get = type => Number(parts.find(p => p.type === type).value)
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - time
}

/** Offsets are looked up once per week of time: clocks change at most a few times a year. */
const WINDOW_MS = 7 * 86400000
const windows = new Map()

function windowOffset (start, timeZone) {
  const key = (timeZone ?? '') + '@' + start
  if (!windows.has(key)) {
    if (windows.size > 5000) windows.clear()
    const a = offsetAt(start, timeZone)
    windows.set(key, a === offsetAt(start + WINDOW_MS, timeZone) ? a : null)
  }
  return windows.get(key)
}

/**
 * The device's time zone (an IANA name), as the browser or node reports it.
 * @returns {string}
 */
export function deviceZone () {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone
}

/**
 * The calendar day a moment falls on in a time zone, as a day number: whole
 * days since 1970-01-01 of that local date. Days are counted on the calendar,
 * not in 24-hour steps, so a 23- or 25-hour day (a clock change) is still one
 * day. The zone's offset is read once per week of time when it is the same at
 * both ends of the week, and for each moment in a week with a clock change.
 * @param {number} time ms since 1970
 * @param {string} [timeZone] IANA name; the device's by default
 * @returns {number}
 */
export function localDay (time, timeZone) {
  const start = Math.floor(time / WINDOW_MS) * WINDOW_MS
  const offset = windowOffset(start, timeZone) ?? offsetAt(Math.floor(time / 1000) * 1000, timeZone)
  return Math.floor((time + offset) / 86400000)
}

/**
 * A day number as ISO date text ("2026-03-29").
 * @param {number} day
 * @returns {string}
 */
export function dayText (day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/**
 * The first day (a Monday) of the week a day is in.
 * @param {number} day
 * @returns {number}
 */
export function weekStart (day) {
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
  return day - ((day + 3) % 7 + 7) % 7
}

/**
 * The first day of the month a day is in.
 * @param {number} day
 * @returns {number}
 */
export function monthStart (day) {
  const date = new Date(day * DAY_MS)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS
}

/** How each grain groups days. */
const GRAINS = { day: d => d, week: weekStart, month: monthStart }

/**
 * Group values by day, week or month in a time zone, and average each group.
 * @param {{at: string, value: number}[]} points
 * @param {'day'|'week'|'month'} grain
 * @param {string} [timeZone]
 * @returns {{day: number, value: number, count: number}[]} oldest first; `day` is the group's first day
 */
export function bucket (points, grain, timeZone) {
  const days = []
  for (const point of points) {
    const time = Date.parse(point.at)
    if (Number.isFinite(time)) days.push({ day: localDay(time, timeZone), value: point.value })
  }
  return groupDays(days, grain)
}

/**
 * Group values already placed on their local days (see localDay), and
 * average each group.
 * @param {{day: number, value: number}[]} points
 * @param {'day'|'week'|'month'} grain
 * @returns {{day: number, value: number, count: number}[]} oldest first
 */
export function groupDays (points, grain) {
  const start = GRAINS[grain]
  const sums = new Map()
  for (const point of points) {
    if (!Number.isFinite(point.value)) continue
    const key = start(point.day)
    const sum = sums.get(key)
    if (sum) {
      sum.total += point.value
      sum.count += 1
    } else {
      sums.set(key, { total: point.value, count: 1 })
    }
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0])
    .map(([day, s]) => ({ day, value: s.total / s.count, count: s.count }))
}

/** Days each group of a grain stands for, on average (for the chart). */
export const GRAIN_DAYS = Object.freeze({ day: 1, week: 7, month: 30.44 })

// --- ranges ----------------------------------------------------------------

/** The trends' ranges, in the order of their buttons. */
export const RANGES = Object.freeze([
  { id: '2w', label: '2 weeks' },
  { id: '3m', label: '3 months' },
  { id: '1y', label: 'A year' },
  { id: 'all', label: 'Everything' }
])

/**
 * The days a range covers, up to and including today, and how finely to
 * group: by day up to three months, by week up to two years, then by month,
 * so a line stays readable on a 320 px screen.
 * @param {string} range one of RANGES' ids
 * @param {number} today a day number
 * @param {number|null} firstDay the earliest day with data ("Everything" starts there)
 * @returns {{from: number, to: number, grain: 'day'|'week'|'month'}}
 */
export function rangeDays (range, today, firstDay) {
  const date = new Date(today * DAY_MS)
  const monthsBack = n => Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - n, date.getUTCDate()) / DAY_MS
  const from = {
    '2w': today - 13,
    '3m': monthsBack(3) + 1,
    '1y': monthsBack(12) + 1,
    all: Math.min(firstDay ?? today, today)
  }[range]
  if (from === undefined) throw new RangeError(`Unknown range: ${range}`)
  const span = today - from + 1
  const grain = span <= 93 ? 'day' : span <= 731 ? 'week' : 'month'
  return { from, to: today, grain }
}

// --- the summary -----------------------------------------------------------

/**
 * A length of time in words: "5 days", "8 weeks", "7 months", "3 years".
 * @param {number} days
 * @returns {string}
 */
export function spanWords (days) {
  const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`
  if (days < 14) return plural(days, 'day')
  if (days < 7 * 13) return plural(Math.round(days / 7), 'week')
  if (days < 730) return plural(Math.round(days / 30.44), 'month')
  return plural(Math.round(days / 365.25), 'year')
}

/**
 * A day number as words ("3 March 2026").
 * @param {number} day
 * @returns {string}
 */
export function dateWords (day) {
  DATE_WORDS ??= new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
  return DATE_WORDS.format(new Date(day * DAY_MS))
}

/** Made once: building an Intl formatter costs far more than using one. */
let DATE_WORDS = null

/**
 * The plain sentences above the chart: how the PHQ-9 moved, and the mood on
 * average. Only facts about the numbers; no praise, no blame.
 * @param {{mood: {at: string, mood: number}[], phq9: {at: string, score: number}[]}} data only what is in the range
 * @param {string} [timeZone]
 * @returns {string[]}
 */
export function summary ({ mood, phq9 }, timeZone) {
  const sentences = []
  const scores = phq9.map(r => ({ time: Date.parse(r.at), score: r.score }))
    .filter(r => Number.isFinite(r.time)).sort((a, b) => a.time - b.time)
  if (scores.length === 1) {
    sentences.push(`Your PHQ-9 was ${scores[0].score} on ${dateWords(localDay(scores[0].time, timeZone))}.`)
  } else if (scores.length > 1) {
    const first = scores[0]
    const last = scores.at(-1)
    const span = spanWords(localDay(last.time, timeZone) - localDay(first.time, timeZone))
    sentences.push(first.score === last.score
      ? `Your PHQ-9 was ${first.score} at the start and at the end of ${span}.`
      : `Your PHQ-9 went from ${first.score} to ${last.score} over ${span}.`)
  }
  const moods = mood.map(c => c.mood).filter(Number.isFinite)
  if (moods.length > 0) {
    const mean = moods.reduce((a, b) => a + b, 0) / moods.length
    const times = moods.length === 1 ? '1 check-in' : `${moods.length} check-ins`
    sentences.push(`Across ${times}, your mood was ${(Math.round(mean * 10) / 10).toFixed(1)} out of 5 on average.`)
  }
  if (sentences.length === 0) sentences.push('Nothing was kept for this time. Check-ins you make will show here.')
  return sentences
}

// --- CSV -------------------------------------------------------------------

/**
 * One CSV field: quoted when it holds a comma, quote or line break, and with
 * a leading apostrophe when a spreadsheet would read it as a formula
 * (=, +, -, @, tab or carriage return first), so a note cannot run code.
 * @param {unknown} value
 * @returns {string}
 */
export function csvField (value) {
  if (value === undefined || value === null) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = "'" + text
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * Rows as CSV text (RFC 4180: CRLF line ends).
 * @param {unknown[][]} rows
 * @returns {string}
 */
export function csv (rows) {
  return rows.map(row => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}

function localParts (time, timeZone) {
  const key = 'parts:' + (timeZone ?? '')
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
    }))
  }
  const parts = formatters.get(key).formatToParts(new Date(time))
  const get = type => parts.find(p => p.type === type).value
  return [`${get('year')}-${get('month')}-${get('day')}`, `${get('hour')}:${get('minute')}`]
}

/**
 * The check-ins as a spreadsheet: local date and time, the numbers and their
 * words, the note, and the exact moment in UTC. Oldest first.
 * @param {{at: string, mood: number, sleepHours?: number, energy?: number, anxiety?: number, note?: string}[]} checkIns
 * @param {string} [timeZone]
 * @returns {string}
 */
export function checkInsCsv (checkIns, timeZone) {
  const rows = [['date', 'time', 'mood (1-5)', 'mood', 'sleep (hours)', 'energy (1-5)', 'anxiety (1-5)', 'note', 'recorded (UTC)']]
  for (const c of [...checkIns].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    rows.push([...localParts(Date.parse(c.at), timeZone), c.mood, moodLabel(c.mood), c.sleepHours, c.energy, c.anxiety, c.note, c.at])
  }
  return csv(rows)
}

/**
 * PHQ-9 (and GAD-7) results as a spreadsheet: one row each, with every item's answer.
 * @param {{type: string, at: string, answers: number[], score: number}[]} results
 * @param {string} [timeZone]
 * @returns {string}
 */
export function resultsCsv (results, timeZone) {
  const items = Array.from({ length: 9 }, (_, i) => `item ${i + 1}`)
  const rows = [['date', 'time', 'questionnaire', 'score', ...items, 'recorded (UTC)']]
  for (const r of [...results].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const answers = Array.from({ length: 9 }, (_, i) => r.answers[i])
    rows.push([...localParts(Date.parse(r.at), timeZone), r.type === 'gad7' ? 'GAD-7' : 'PHQ-9', r.score, ...answers, r.at])
  }
  return csv(rows)
}

/**
 * A download's file name for a day ("wayfinder-check-ins-2026-03-29.csv").
 * @param {string} what
 * @param {number} time
 * @param {string} [timeZone]
 * @returns {string}
 */
export function csvFileName (what, time, timeZone) {
  return `wayfinder-${what}-${dayText(localDay(time, timeZone))}.csv`
}
