/**
 * The trends chart as SVG markup, without I/O: two panels on one time axis
 * (mood 1 to 5 above, PHQ-9 0 to 27 below, with lines at the published cut
 * points 5, 10, 15 and 20), optional treatment bands behind both, and date
 * labels spaced for the width. Drawn by hand rather than with a charting
 * library: two line panels need about 200 lines, no dependency to vet or
 * keep up to date, nothing that animates, and output that follows the page's
 * colours (light and dark) through CSS classes. Tested with node --test.
 */

const PAD_LEFT = 2.2 // in font sizes: room for the left labels ("27")
const PAD_RIGHT = 0.9
const PANEL = 7.5 // a panel's height, in font sizes
/** Dots are drawn only while there are few enough to tell apart. */
export const MAX_DOTS = 120
/** The PHQ-9's published cut points. */
export const PHQ9_CUTS = Object.freeze([5, 10, 15, 20])

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAY_MS = 86400000

function escape (text) {
  return String(text).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
}

const round = n => Math.round(n * 10) / 10

/**
 * Where to put date labels: day numbers and their words, no closer than
 * about six font sizes apart.
 * @param {number} from first day
 * @param {number} to last day
 * @param {number} slots how many labels fit
 * @returns {{day: number, label: string}[]}
 */
export function ticks (from, to, slots) {
  const span = to - from + 1
  const out = []
  const date = d => new Date(d * DAY_MS)
  if (span <= 62) {
    const step = Math.max(1, Math.ceil(span / Math.max(1, slots)))
    for (let d = to; d >= from; d -= step) out.unshift({ day: d, label: `${date(d).getUTCDate()} ${SHORT_MONTHS[date(d).getUTCMonth()]}` })
    return out
  }
  const years = span > 730
  const months = []
  const start = date(from)
  let y = start.getUTCFullYear()
  let m = start.getUTCMonth() + 1
  for (;;) {
    if (m > 11) { m = 0; y += 1 }
    const d = Date.UTC(y, m, 1) / DAY_MS
    if (d > to) break
    if (!years || m === 0) months.push({ day: d, label: years ? String(y) : SHORT_MONTHS[m] })
    m += 1
  }
  const step = Math.max(1, Math.ceil(months.length / Math.max(1, slots)))
  return months.filter((_, i) => (months.length - 1 - i) % step === 0)
}

/**
 * @typedef {object} ChartInput
 * @property {number} width in CSS pixels
 * @property {number} fontPx the text size, so labels stay readable at 200% text
 * @property {number} from first day number shown
 * @property {number} to last day number shown
 * @property {{day: number, value: number}[]} mood grouped mood values (1 to 5), oldest first
 * @property {{day: number, score: number}[]} phq9 PHQ-9 totals, oldest first
 * @property {{from: number, to: number|null, label: string}[]} [bands] treatments, as day numbers (to: null while ongoing)
 * @property {number} [span] days each mood point stands for (1, 7, about 30)
 */

/**
 * The chart's SVG markup and its height.
 * @param {ChartInput} input
 * @returns {{markup: string, height: number}}
 */
export function chartSvg ({ width, fontPx, from, to, mood, phq9, bands = [], span = 1 }) {
  const f = fontPx
  const left = PAD_LEFT * f
  const right = width - PAD_RIGHT * f
  const plot = Math.max(1, right - left)
  const days = Math.max(1, to - from + 1)
  const x = day => round(left + ((day - from + span / 2) / days) * plot)
  const hasBands = bands.length > 0
  const top1 = f * (hasBands ? 3.2 : 1.8)
  const h = PANEL * f
  const top2 = top1 + h + f * 2.6
  const axis = top2 + h + f * 1.5
  const height = Math.ceil(axis + f * 0.6)
  const yMood = v => round(top1 + h - ((v - 1) / 4) * h)
  const yPhq = s => round(top2 + h - (s / 27) * h)
  const parts = []

  for (const b of bands) {
    const x0 = Math.max(left, x(b.from) - (span / 2 / days) * plot)
    const x1 = Math.min(right, b.to === null ? right : x(b.to) + (span / 2 / days) * plot)
    if (x1 <= x0) continue
    parts.push(`<rect class="chart__band" x="${round(x0)}" y="${round(f * 1.6)}" width="${round(x1 - x0)}" height="${round(top2 + h - f * 1.6)}"/>`,
      `<text class="chart__band-label" x="${round(x0 + f * 0.2)}" y="${round(f * 1.3)}">${escape(b.label)}</text>`)
  }

  // Titles: the long form when it fits the width, else the short one (SVG text does not wrap).
  const fits = text => text.length * f * 0.58 <= width
  const title = (long, short) => escape(fits(long) ? long : short)
  parts.push(`<text class="chart__title" x="0" y="${round(top1 - f * 0.6)}">${title('Mood, 1 (very low) to 5 (very good)', 'Mood, 1 to 5')}</text>`)
  for (const v of [1, 2, 3, 4, 5]) {
    parts.push(`<line class="chart__grid" x1="${left}" x2="${right}" y1="${yMood(v)}" y2="${yMood(v)}"/>`,
      `<text class="chart__label" x="${round(left - f * 0.4)}" y="${round(yMood(v) + f * 0.35)}" text-anchor="end">${v}</text>`)
  }
  parts.push(`<text class="chart__title" x="0" y="${round(top2 - f * 0.6)}">${title('PHQ-9, 0 to 27 (lines at 5, 10, 15, 20)', 'PHQ-9, 0 to 27')}</text>`)
  parts.push(`<line class="chart__grid" x1="${left}" x2="${right}" y1="${yPhq(0)}" y2="${yPhq(0)}"/>`,
    `<text class="chart__label" x="${round(left - f * 0.4)}" y="${round(yPhq(0) + f * 0.35)}" text-anchor="end">0</text>`)
  for (const cut of PHQ9_CUTS) {
    parts.push(`<line class="chart__cut" x1="${left}" x2="${right}" y1="${yPhq(cut)}" y2="${yPhq(cut)}"/>`)
  }
  for (const s of [10, 20]) {
    parts.push(`<text class="chart__label" x="${round(left - f * 0.4)}" y="${round(yPhq(s) + f * 0.35)}" text-anchor="end">${s}</text>`)
  }
  parts.push(`<text class="chart__label" x="${round(left - f * 0.4)}" y="${round(yPhq(27) + f * 0.35)}" text-anchor="end">27</text>`)

  parts.push(series(mood.map(p => [x(p.day), yMood(p.value)]), 'mood', f))
  parts.push(series(phq9.map(p => [x(p.day), yPhq(p.score)]), 'phq9', f))

  const slots = Math.floor(plot / (f * 6))
  for (const t of ticks(from, to, slots)) {
    const tx = round(left + ((t.day - from + 0.5) / days) * plot)
    parts.push(`<line class="chart__tick" x1="${tx}" x2="${tx}" y1="${round(top2 + h)}" y2="${round(top2 + h + f * 0.3)}"/>`,
      `<text class="chart__label" x="${tx}" y="${round(axis)}" text-anchor="middle">${escape(t.label)}</text>`)
  }
  const markup = `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${round(width)} ${height}" width="${round(width)}" height="${height}" font-size="${f}" aria-hidden="true" focusable="false">${parts.join('')}</svg>`
  return { markup, height }
}

/**
 * One series: a line through its points (when there are two or more) and a
 * dot for each while they are few.
 * @param {number[][]} points [x, y] pairs
 * @param {string} name
 * @param {number} f font size
 * @returns {string}
 */
function series (points, name, f) {
  if (points.length === 0) return ''
  let out = ''
  if (points.length > 1) {
    out += `<path class="chart__line chart__line--${name}" d="M${points.map(p => p.join(' ')).join('L')}"/>`
  }
  if (points.length <= MAX_DOTS) {
    const r = round(Math.max(3, f * 0.28))
    out += points.map(([px, py]) => `<circle class="chart__dot chart__dot--${name}" cx="${px}" cy="${py}" r="${r}"/>`).join('')
  }
  return out
}
