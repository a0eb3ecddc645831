/**
 * The treatment timeline without I/O: each dated treatment as a bar on one
 * time axis, in SVG markup, with the same left and right margins as the
 * check-in chart (check-in-chart-model.mjs) so that, drawn below it at the
 * same width and dates, mood and PHQ-9 line up with the bars. Labels sit
 * above their bars so they never need to fit inside. Tested with node --test.
 */
import { ticks } from './check-in-chart-model.mjs'
import { dayNumber } from './treatment-model.mjs'

/** The check-in chart's margins, in font sizes (chartSvg's PAD_LEFT, PAD_RIGHT). */
export const PAD_LEFT = 2.2
export const PAD_RIGHT = 0.9
const ROW = 2.6 // a row's height in font sizes: a label line and a bar
const BAR = 0.9
const CHAR = 0.56 // an average character's width, in font sizes

const round = n => Math.round(n * 10) / 10

function escape (text) {
  return String(text).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
}

/**
 * A label short enough for the width, ending in "…" when cut.
 * @param {string} text
 * @param {number} width
 * @param {number} f font size
 * @returns {string}
 */
export function fitText (text, width, f) {
  const most = Math.max(4, Math.floor(width / (f * CHAR)))
  return text.length <= most ? text : text.slice(0, most - 1).trimEnd() + '…'
}

/**
 * @typedef {object} TimelineRow
 * @property {string} id
 * @property {string} label
 * @property {string} category
 * @property {number} from first day number
 * @property {number} to last day number (today while ongoing)
 * @property {boolean} ongoing
 * @property {boolean} open the end is not known (drawn to the start day only)
 */

/**
 * The treatments that can be drawn (those with a name and a start date),
 * oldest start first, as day numbers.
 * @param {object[]} treatments normalized, with ids
 * @param {string} today 'YYYY-MM-DD'
 * @returns {TimelineRow[]}
 */
export function timelineRows (treatments, today) {
  const now = dayNumber(today)
  const rows = []
  for (const t of treatments) {
    const from = dayNumber(t.start)
    if (from === null || !t.name) continue
    const end = t.ongoing ? now : dayNumber(t.end)
    const to = end === null ? from : Math.max(from, end)
    rows.push({ id: t.id, label: t.name, category: t.category, from, to, ongoing: t.ongoing === true, open: end === null })
  }
  return rows.sort((a, b) => a.from - b.from || a.to - b.to || a.label.localeCompare(b.label))
}

/**
 * The days the timeline spans: from the earliest start (or the first check-in
 * when earlier) to today, with a few days either side; null with nothing to draw.
 * @param {TimelineRow[]} rows
 * @param {string} today
 * @param {number|null} [firstCheckIn] the first check-in's day number
 * @returns {{from: number, to: number}|null}
 */
export function timelineRange (rows, today, firstCheckIn = null) {
  if (rows.length === 0) return null
  const now = dayNumber(today)
  const starts = rows.map(r => r.from)
  if (firstCheckIn !== null) starts.push(firstCheckIn)
  const from = Math.min(...starts)
  const to = Math.max(now, ...rows.map(r => r.to))
  const pad = Math.max(3, Math.round((to - from) * 0.02))
  return { from: from - pad, to: to + pad }
}

/**
 * How finely to group check-ins for a span of days.
 * @param {number} days
 * @returns {'day'|'week'|'month'}
 */
export function grainFor (days) {
  return days <= 92 ? 'day' : days <= 730 ? 'week' : 'month'
}

/**
 * The bars as SVG markup and its height.
 * @param {{rows: TimelineRow[], width: number, fontPx: number, from: number, to: number}} input
 * @returns {{markup: string, height: number}}
 */
export function timelineSvg ({ rows, width, fontPx, from, to }) {
  const f = fontPx
  const left = PAD_LEFT * f
  const right = width - PAD_RIGHT * f
  const plot = Math.max(1, right - left)
  const days = Math.max(1, to - from + 1)
  const x = day => round(left + ((day - from) / days) * plot)
  const parts = []
  const top = f * 0.4
  rows.forEach((row, i) => {
    const y = top + i * ROW * f
    const x0 = Math.max(left, x(row.from))
    const x1 = Math.min(right, Math.max(x(row.to + 1), x0 + f * 0.5))
    const cls = `timeline__bar timeline__bar--${row.category}${row.ongoing ? ' timeline__bar--ongoing' : ''}`
    // The label starts at its bar, moved left when it would run off the right edge,
    // and shortened when even the whole width is too narrow (SVG text does not wrap).
    const text = fitText(row.label + (row.ongoing ? ' (ongoing)' : ''), width, f)
    const lx = round(Math.max(0, Math.min(x0, width - text.length * f * CHAR)))
    parts.push(`<text class="timeline__label" x="${lx}" y="${round(y + f)}">${escape(text)}</text>`,
      `<rect class="${cls}" x="${round(x0)}" y="${round(y + f * 1.35)}" width="${round(x1 - x0)}" height="${round(f * BAR)}" rx="${round(f * 0.25)}"/>`)
  })
  const axis = top + rows.length * ROW * f + f * 0.4
  parts.push(`<line class="timeline__grid" x1="${left}" x2="${round(right)}" y1="${round(axis)}" y2="${round(axis)}"/>`)
  const slots = Math.floor(plot / (f * 6))
  for (const t of ticks(from, to, slots)) {
    const tx = round(left + ((t.day - from + 0.5) / days) * plot)
    parts.push(`<line class="timeline__grid" x1="${tx}" x2="${tx}" y1="${round(axis)}" y2="${round(axis + f * 0.3)}"/>`,
      `<text class="timeline__label" x="${tx}" y="${round(axis + f * 1.4)}" text-anchor="middle">${escape(t.label)}</text>`)
  }
  const height = Math.ceil(axis + f * 1.8)
  const markup = `<svg xmlns="http://www.w3.org/2000/svg" class="timeline__svg" viewBox="0 0 ${round(width)} ${height}" width="${round(width)}" height="${height}" font-size="${f}" aria-hidden="true" focusable="false">${parts.join('')}</svg>`
  return { markup, height }
}

/**
 * The timeline in words, one sentence a row, for screen readers and the table.
 * @param {TimelineRow[]} rows
 * @param {(day: number) => string} dateText
 * @returns {string[]}
 */
export function timelineWords (rows, dateText) {
  return rows.map(r => {
    if (r.ongoing) return `${r.label}: from ${dateText(r.from)}, ongoing.`
    if (r.open) return `${r.label}: from ${dateText(r.from)}, end not given.`
    return `${r.label}: ${dateText(r.from)} to ${dateText(r.to)}.`
  })
}
