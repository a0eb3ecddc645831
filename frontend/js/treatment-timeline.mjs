/**
 * The timeline on /my-treatments: every dated treatment as a bar on one time
 * axis (treatment-timeline-model.mjs) and, when there are check-ins or PHQ-9
 * results, the check-in chart (check-in-chart-model.mjs) drawn below at the
 * same width and dates, so the lines and the bars share the axis. The SVG is
 * hidden from screen readers; the same facts are listed in words beside it.
 */
import { chartSvg } from './check-in-chart-model.mjs'
import { GRAIN_DAYS, dateWords, deviceZone, groupDays } from './check-in-model.mjs'
import { allCheckIns, allResults } from './check-in-store.mjs'
import { prepare } from './check-in-trends.mjs'
import { grainFor, timelineRange, timelineRows, timelineSvg, timelineWords } from './treatment-timeline-model.mjs'

/**
 * Check-ins and PHQ-9 results on local days; none when they cannot be read.
 * @param {object} [store]
 * @returns {Promise<{mood: object[], scores: object[], firstDay: number|null}>}
 */
async function readTrends (store) {
  try {
    const [checkIns, phq9] = await Promise.all([allCheckIns(store), allResults('phq9', store)])
    return prepare({ checkIns, phq9 }, deviceZone())
  } catch {
    return { mood: [], scores: [], firstDay: null }
  }
}

/**
 * Draw the timeline section's content.
 * @param {HTMLElement} $section an element to fill
 * @param {object[]} treatments normalized, with ids
 * @param {{today: string, store?: object}} options
 * @returns {Promise<{rows: number, trends: boolean}>}
 */
export async function drawTimeline ($section, treatments, { today, store }) {
  const rows = timelineRows(treatments, today)
  const trends = await readTrends(store)
  const range = timelineRange(rows, today, trends.firstDay)
  const $heading = document.createElement('h2')
  $heading.id = 'timeline-heading'
  $heading.textContent = 'Timeline'
  if (!range) {
    const $p = document.createElement('p')
    $p.textContent = 'Add a start date to a treatment to see it on a timeline.'
    $section.replaceChildren($heading, $p)
    return { rows: 0, trends: false }
  }
  const $figure = document.createElement('figure')
  $figure.className = 'timeline__figure'
  const $chart = document.createElement('div')
  $chart.className = 'timeline__chart'
  $chart.dataset.timelineChart = ''
  const $caption = document.createElement('figcaption')
  $caption.className = 'hint'
  const inRange = p => p.day >= range.from && p.day <= range.to
  const mood = trends.mood.filter(inRange)
  const scores = trends.scores.filter(inRange)
  const hasTrends = mood.length + scores.length > 0
  $caption.textContent = hasTrends
    ? 'Each bar is one treatment. Below them, on the same dates, are your mood check-ins and PHQ-9 totals.'
    : 'Each bar is one treatment. Your check-ins and PHQ-9 results will show here too once you have some.'
  $figure.append($chart, $caption)
  const $words = document.createElement('ul')
  $words.className = 'timeline__words visually-hidden'
  for (const line of timelineWords(rows, dateWords)) {
    const $li = document.createElement('li')
    $li.textContent = line
    $words.append($li)
  }
  $section.replaceChildren($heading, $figure, $words)

  const draw = () => {
    const fontPx = parseFloat(getComputedStyle($chart).fontSize) || 16
    const width = Math.max(240, $chart.clientWidth || $section.clientWidth || 320)
    let markup = timelineSvg({ rows, width, fontPx, from: range.from, to: range.to }).markup
    if (hasTrends) {
      const grain = grainFor(range.to - range.from)
      markup += chartSvg({
        width, fontPx, from: range.from, to: range.to, mood: groupDays(mood, grain), phq9: scores, span: GRAIN_DAYS[grain]
      }).markup
    }
    $chart.innerHTML = markup
  }
  draw()
  let lastWidth = $chart.clientWidth
  new ResizeObserver(() => {
    if ($chart.isConnected && $chart.clientWidth !== lastWidth) {
      lastWidth = $chart.clientWidth
      draw()
    }
  }).observe($chart)
  $section.dataset.rows = String(rows.length)
  $section.dataset.trends = String(hasTrends)
  return { rows: rows.length, trends: hasTrends }
}
