// The trends chart's SVG: panels, cut lines, lines and dots, date labels, treatment bands.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_DOTS, chartSvg, ticks } from '../../frontend/js/check-in-chart-model.mjs'

const day = text => Date.parse(text + 'T00:00:00Z') / 86400000
const base = { width: 320, fontPx: 13, from: day('2026-03-16'), to: day('2026-03-29'), mood: [], phq9: [] }
const count = (markup, pattern) => (markup.match(pattern) || []).length

test('with no points: both panels and their scales, no line and no dot', () => {
  const { markup, height } = chartSvg(base)
  assert.match(markup, /^<svg [^>]*viewBox="0 0 320 \d+"[^>]*aria-hidden="true"/)
  assert.equal(count(markup, /<path/g), 0)
  assert.equal(count(markup, /<circle/g), 0)
  assert.equal(count(markup, /class="chart__cut"/g), 4, 'lines at 5, 10, 15 and 20')
  assert.match(markup, /Mood, 1 \(very low\) to 5 \(very good\)/)
  const big = chartSvg({ ...base, fontPx: 27 }).markup
  assert.match(big, />Mood, 1 to 5</, 'the short title when the long one would not fit')
  assert.match(big, />PHQ-9, 0 to 27</)
  assert.ok(height > 200 && height < 400, String(height))
})

test('one point is a dot; two or more are a line with dots', () => {
  const one = chartSvg({ ...base, mood: [{ day: day('2026-03-20'), value: 3 }] }).markup
  assert.equal(count(one, /<path/g), 0)
  assert.equal(count(one, /chart__dot--mood/g), 1)
  const two = chartSvg({ ...base, mood: [{ day: day('2026-03-20'), value: 3 }, { day: day('2026-03-21'), value: 5 }], phq9: [{ day: day('2026-03-21'), score: 12 }] }).markup
  assert.equal(count(two, /chart__line--mood/g), 1)
  assert.equal(count(two, /chart__dot--mood/g), 2)
  assert.equal(count(two, /chart__dot--phq9/g), 1)
})

test('points sit inside the plot: a higher mood higher up, a higher score higher up', () => {
  const { markup } = chartSvg({ ...base, mood: [{ day: base.from, value: 1 }, { day: base.to, value: 5 }], phq9: [{ day: base.from, score: 0 }, { day: base.to, score: 27 }] })
  const dots = [...markup.matchAll(/<circle class="chart__dot chart__dot--(\w+)" cx="([\d.]+)" cy="([\d.]+)"/g)].map(m => [m[1], Number(m[2]), Number(m[3])])
  const [m1, m5, p0, p27] = dots
  assert.ok(m1[1] < m5[1] && m1[2] > m5[2] && p0[2] > p27[2])
  for (const [, x] of dots) assert.ok(x > 0 && x < 320)
})

test('many points: one path, no dots past the limit', () => {
  const mood = Array.from({ length: 2000 }, (_, i) => ({ day: day('2021-01-01') + i, value: 1 + (i % 5) }))
  const { markup } = chartSvg({ ...base, from: day('2021-01-01'), to: day('2021-01-01') + 1999, mood })
  assert.equal(count(markup, /<path/g), 1)
  assert.equal(count(markup, /<circle/g), 0)
  assert.ok(MAX_DOTS < 2000)
})

test('date labels fit the width and use calendar steps', () => {
  assert.deepEqual(ticks(day('2026-03-16'), day('2026-03-29'), 4).map(t => t.label), ['17 Mar', '21 Mar', '25 Mar', '29 Mar'])
  assert.deepEqual(ticks(day('2025-12-30'), day('2026-03-29'), 6).map(t => t.label), ['Jan', 'Feb', 'Mar'])
  assert.deepEqual(ticks(day('2021-01-01'), day('2026-03-29'), 6).map(t => t.label), ['2022', '2023', '2024', '2025', '2026'])
  assert.ok(ticks(day('2021-01-01'), day('2026-03-29'), 2).length <= 3)
  const { markup } = chartSvg({ ...base, width: 320, fontPx: 26 })
  assert.ok(count(markup, /text-anchor="middle"/g) <= Math.floor((320 - 26 * 3.1) / (26 * 6)) + 1, 'fewer labels with larger text')
})

test('treatment bands are drawn behind, with their names escaped', () => {
  const { markup } = chartSvg({ ...base, bands: [{ from: day('2026-03-18'), to: null, label: 'Sertraline <50 mg> & "more"' }] })
  assert.equal(count(markup, /class="chart__band"/g), 1)
  assert.match(markup, /Sertraline &lt;50 mg&gt; &amp; &quot;more&quot;/)
  assert.ok(markup.indexOf('chart__band') < markup.indexOf('chart__title'), 'behind the panels')
  const outside = chartSvg({ ...base, bands: [{ from: day('2020-01-01'), to: day('2020-02-01'), label: 'old' }] }).markup
  assert.equal(count(outside, /class="chart__band"/g), 0)
})
