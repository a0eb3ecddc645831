/**
 * The trends page ([data-module="check-in-trends"]): choose 2 weeks, 3
 * months, a year or everything; read the plain summary; see mood and PHQ-9 on
 * one time axis (SVG drawn here, check-in-chart-model.mjs); read the same
 * numbers as a table; download CSV files. All from this device's store.
 */
import { chartSvg } from './check-in-chart-model.mjs'
import {
  GRAIN_DAYS, RANGES, checkInsCsv, csvFileName, dateWords, deviceZone, groupDays, localDay,
  moodLabel, rangeDays, resultsCsv, summary
} from './check-in-model.mjs'
import { allCheckIns, allResults, treatmentBands } from './check-in-store.mjs'
import { INSTRUMENTS, band } from './questionnaire-model.mjs'

const DAY_MS = 86400000

/**
 * @typedef {object} Prepared the data placed on local days once, so a range
 * change only filters, groups and draws
 * @property {object[]} checkIns
 * @property {object[]} phq9
 * @property {object[]} gad7
 * @property {{day: number, value: number, at: string, mood: number}[]} mood
 * @property {{day: number, score: number, at: string}[]} scores
 * @property {{from: number, to: number|null, label: string}[]} bands
 * @property {number|null} firstDay
 */

/**
 * Place every check-in and result on its local day.
 * @param {{checkIns: object[], phq9: object[], gad7?: object[], bands?: {start: string, end: string|null, label: string}[]}} data
 * @param {string} zone
 * @returns {Prepared}
 */
export function prepare ({ checkIns, phq9, gad7 = [], bands = [] }, zone) {
  const mood = checkIns.map(c => ({ day: localDay(Date.parse(c.at), zone), value: c.mood, at: c.at, mood: c.mood }))
  const scores = phq9.map(r => ({ day: localDay(Date.parse(r.at), zone), score: r.score, at: r.at }))
  const dayOf = text => Date.parse(text + 'T00:00:00Z') / DAY_MS
  const days = [...mood, ...scores].map(p => p.day)
  return {
    checkIns,
    phq9,
    gad7,
    mood,
    scores,
    bands: bands.map(b => ({ from: dayOf(b.start), to: b.end ? dayOf(b.end) : null, label: b.label })),
    firstDay: days.length ? Math.min(...days) : null
  }
}

const MONTH_WORDS = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' })

function periodWords (day, grain) {
  if (grain === 'day') return dateWords(day)
  if (grain === 'week') return `Week from ${dateWords(day)}`
  return MONTH_WORDS.format(new Date(day * DAY_MS))
}

function table (caption, heads, rows) {
  const $table = document.createElement('table')
  const $caption = $table.createCaption()
  $caption.textContent = caption
  const $head = $table.createTHead().insertRow()
  for (const head of heads) {
    const $th = document.createElement('th')
    $th.scope = 'col'
    $th.textContent = head
    $head.append($th)
  }
  const $body = $table.createTBody()
  for (const row of rows) {
    const $tr = $body.insertRow()
    row.forEach((cell, i) => {
      const $cell = document.createElement(i === 0 ? 'th' : 'td')
      if (i === 0) $cell.scope = 'row'
      $cell.textContent = cell
      $tr.append($cell)
    })
  }
  return $table
}

/**
 * Draw one range: the summary, the chart and the tables.
 * @param {{summary: HTMLElement, chart: HTMLElement, tables: HTMLElement, figure: HTMLElement}} $parts
 * @param {Prepared} data
 * @param {string} range one of RANGES' ids
 * @param {{now: number, zone: string, width: number, fontPx: number}} view
 * @returns {{moodPoints: number, scores: number}}
 */
export function draw ($parts, data, range, { now, zone, width, fontPx }) {
  const today = localDay(now, zone)
  const { from, to, grain } = rangeDays(range, today, data.firstDay)
  const inRange = p => p.day >= from && p.day <= to
  const mood = data.mood.filter(inRange)
  const scores = data.scores.filter(inRange)
  const grouped = groupDays(mood, grain)

  $parts.summary.replaceChildren(...summary({ mood, phq9: scores }, zone).map(text => {
    const $p = document.createElement('p')
    $p.className = 'trends__sentence'
    $p.textContent = text
    return $p
  }))
  const empty = mood.length === 0 && scores.length === 0
  $parts.figure.hidden = empty
  if (!empty) {
    $parts.chart.innerHTML = chartSvg({
      width, fontPx, from, to, mood: grouped, phq9: scores, bands: data.bands, span: GRAIN_DAYS[grain]
    }).markup
  } else {
    $parts.chart.replaceChildren()
  }
  const moodRows = grouped.map(g => [
    periodWords(g.day, grain),
    grain === 'day' && g.count === 1 ? `${g.value} (${moodLabel(g.value)})` : (Math.round(g.value * 10) / 10).toFixed(1),
    String(g.count)
  ])
  const phq9 = INSTRUMENTS.phq9
  const scoreRows = scores.map(s => [dateWords(s.day), String(s.score), band(phq9, s.score).name])
  $parts.tables.replaceChildren(
    table(grain === 'day' ? 'Mood by day (1 very low to 5 very good)' : `Average mood by ${grain} (1 very low to 5 very good)`,
      [grain === 'day' ? 'Day' : grain === 'week' ? 'Week' : 'Month', 'Mood', 'Check-ins'], moodRows),
    table('PHQ-9 results', ['Date', 'Score (0 to 27)', 'Range'], scoreRows)
  )
  return { moodPoints: grouped.length, scores: scores.length }
}

function download (text, name) {
  const url = URL.createObjectURL(new Blob(['\ufeff' + text], { type: 'text/csv;charset=utf-8' }))
  const $a = document.createElement('a')
  $a.href = url
  $a.download = name
  document.body.append($a)
  $a.click()
  $a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/**
 * Start the trends page.
 * @param {HTMLElement} $root
 * @param {{store?: object, now?: () => number}} [options] for tests
 */
export async function init ($root, options = {}) {
  const { store, now = () => Date.now() } = options
  const q = sel => $root.querySelector(sel)
  const $parts = { summary: q('[data-summary]'), chart: q('[data-chart]'), tables: q('[data-tables]'), figure: q('[data-figure]') }
  const zone = deviceZone()
  let data
  try {
    const [checkIns, phq9, gad7, bands] = await Promise.all([
      allCheckIns(store), allResults('phq9', store), allResults('gad7', store), treatmentBands(store)
    ])
    data = prepare({ checkIns, phq9, gad7, bands }, zone)
  } catch (error) {
    const $p = document.createElement('p')
    if (error.name === 'LockedError') {
      $p.append('Your check-ins are locked. ')
      const $a = document.createElement('a')
      $a.href = '/my-data'
      $a.textContent = 'Unlock them on the Your data page'
      $p.append($a, ' to see your trends.')
    } else {
      console.warn('Wayfinder: could not read check-ins', error)
      $p.textContent = 'This browser is not letting Wayfinder keep anything on this device, so there is nothing to show.'
    }
    $parts.summary.replaceChildren($p)
    $root.dataset.ready = 'true'
    return
  }

  let range = '3m'
  const $ranges = RANGES.map(r => {
    const $b = document.createElement('button')
    $b.type = 'button'
    $b.className = 'button button--quiet'
    $b.dataset.range = r.id
    $b.textContent = r.label
    $b.addEventListener('click', () => { range = r.id; redraw() })
    return $b
  })
  q('[data-ranges]').replaceChildren(...$ranges)

  const redraw = () => {
    for (const $b of $ranges) $b.setAttribute('aria-pressed', String($b.dataset.range === range))
    const fontPx = parseFloat(getComputedStyle($parts.chart).fontSize) || 16
    const width = Math.max(240, $parts.chart.clientWidth || $root.clientWidth)
    draw($parts, data, range, { now: now(), zone, width, fontPx })
    $root.dataset.range = range
  }
  const hasAny = data.checkIns.length + data.phq9.length + data.gad7.length > 0
  q('[data-table-wrap]').hidden = !hasAny
  q('[data-export]').hidden = !hasAny
  redraw()
  let lastWidth = $parts.chart.clientWidth
  new ResizeObserver(() => {
    if ($parts.chart.clientWidth !== lastWidth && !$parts.figure.hidden) {
      lastWidth = $parts.chart.clientWidth
      redraw()
    }
  }).observe($root)

  const $toggle = q('[data-table-toggle]')
  $toggle.addEventListener('click', () => {
    const show = $toggle.getAttribute('aria-expanded') !== 'true'
    $toggle.setAttribute('aria-expanded', String(show))
    $toggle.textContent = show ? 'Hide the table' : 'Show the numbers as a table'
    $parts.tables.classList.toggle('trends__tables--offscreen', !show)
  })

  for (const $b of $root.querySelectorAll('[data-csv]')) {
    $b.addEventListener('click', () => {
      const which = $b.dataset.csv
      const text = which === 'check-ins'
        ? checkInsCsv(data.checkIns, zone)
        : resultsCsv([...data.phq9.map(r => ({ ...r, type: 'phq9' })), ...data.gad7.map(r => ({ ...r, type: 'gad7' }))], zone)
      const name = csvFileName(which, now(), zone)
      download(text, name)
      q('[data-csv-status]').textContent = `Saved ${name}.`
    })
  }
  $root.dataset.ready = 'true'
}
