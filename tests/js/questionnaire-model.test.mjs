// The PHQ-9 and GAD-7: published wording, scoring, score ranges, item-9 routing, and when the PHQ-9 is offered.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  INSTRUMENTS, NOTICE, OPTIONS, PHQ9_EVERY_DAYS, band, bandWords, complete, leadsToHelp, phq9Due,
  resultData, resultNeedsHelp, score
} from '../../frontend/js/questionnaire-model.mjs'

const { phq9, gad7 } = INSTRUMENTS
const DAY = 86400000

test('the items, answers and notice are the published ones, in order', () => {
  assert.equal(phq9.items.length, 9)
  assert.equal(gad7.items.length, 7)
  assert.equal(phq9.stem, 'Over the last 2 weeks, how often have you been bothered by any of the following problems?')
  assert.equal(gad7.stem, phq9.stem)
  assert.deepEqual(OPTIONS.map(o => [o.label, o.value]), [['Not at all', 0], ['Several days', 1], ['More than half the days', 2], ['Nearly every day', 3]])
  assert.equal(phq9.items[0], 'Little interest or pleasure in doing things')
  assert.equal(phq9.items[8], 'Thoughts that you would be better off dead or of hurting yourself in some way')
  assert.equal(gad7.items[0], 'Feeling nervous, anxious, or on edge')
  assert.equal(gad7.items[6], 'Feeling afraid, as if something awful might happen')
  assert.match(NOTICE, /^Developed by Drs\. Robert L\. Spitzer, Janet B\.W\. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc\. No permission required to reproduce, translate, display or distribute\.$/)
})

test('the score is the sum of the items: PHQ-9 0 to 27, GAD-7 0 to 21', () => {
  assert.equal(score(phq9, Array(9).fill(0)), 0)
  assert.equal(score(phq9, Array(9).fill(3)), 27)
  assert.equal(score(phq9, [1, 2, 3, 0, 1, 2, 3, 0, 1]), 13)
  assert.equal(score(gad7, Array(7).fill(3)), 21)
  assert.equal(score(gad7, [0, 1, 2, 3, 0, 1, 2]), 9)
  for (const bad of [Array(8).fill(1), [...Array(8).fill(1), 4], [...Array(8).fill(1), -1], [...Array(8).fill(1), 1.5], [...Array(8).fill(1), null], 'nine']) {
    assert.equal(complete(phq9, bad), false)
    assert.throws(() => score(phq9, bad), RangeError)
  }
})

test('PHQ-9 ranges cut at 5, 10, 15 and 20, with the authors\' names', () => {
  const names = Array.from({ length: 28 }, (_, s) => band(phq9, s).name)
  assert.deepEqual(names.slice(0, 5), Array(5).fill('minimal'))
  assert.deepEqual(names.slice(5, 10), Array(5).fill('mild'))
  assert.deepEqual(names.slice(10, 15), Array(5).fill('moderate'))
  assert.deepEqual(names.slice(15, 20), Array(5).fill('moderately severe'))
  assert.deepEqual(names.slice(20), Array(8).fill('severe'))
  assert.throws(() => band(phq9, 28), RangeError)
  assert.throws(() => band(phq9, -1), RangeError)
})

test('GAD-7 ranges cut at 5, 10 and 15', () => {
  const names = Array.from({ length: 22 }, (_, s) => band(gad7, s).name)
  assert.deepEqual([names[4], names[5], names[9], names[10], names[14], names[15], names[21]],
    ['minimal', 'mild', 'mild', 'moderate', 'moderate', 'severe', 'severe'])
  assert.throws(() => band(gad7, 22), RangeError)
})

test('the words are a measure to talk over, never a diagnosis, and never "safe"', () => {
  for (let s = 0; s <= 27; s++) {
    const words = bandWords(phq9, s)
    assert.match(words, new RegExp(`^Your PHQ-9 score is ${s} out of 27\\.`))
    assert.match(words, /not a diagnosis/)
    assert.match(words, /doctor or therapist/)
    assert.doesNotMatch(words, /\bsafe|risk|normal|fine\b/i)
  }
  assert.match(bandWords(phq9, 12), /from 10 to 14 are in the range the authors call "moderate"/)
  assert.match(bandWords(gad7, 3), /out of 21\. Scores from 0 to 4 .* "minimal"/)
})

test('item 9 above "Not at all" leads at once to help; nothing else does', () => {
  for (const value of [1, 2, 3]) assert.equal(leadsToHelp(phq9, 8, value), true)
  assert.equal(leadsToHelp(phq9, 8, 0), false)
  for (let i = 0; i < 8; i++) for (const v of [0, 1, 2, 3]) assert.equal(leadsToHelp(phq9, i, v), false)
  for (let i = 0; i < 7; i++) assert.equal(leadsToHelp(gad7, i, 3), false)
  assert.equal(resultNeedsHelp(phq9, [0, 0, 0, 0, 0, 0, 0, 0, 1]), true)
  assert.equal(resultNeedsHelp(phq9, [3, 3, 3, 3, 3, 3, 3, 3, 0]), false)
  assert.equal(resultNeedsHelp(gad7, Array(7).fill(3)), false)
})

test('the PHQ-9 is offered when none is kept or 14 days have passed', () => {
  const now = Date.UTC(2026, 2, 29, 12)
  assert.equal(PHQ9_EVERY_DAYS, 14)
  assert.deepEqual(phq9Due([], now), { due: true, last: null, days: null })
  const at = days => ({ at: new Date(now - days * DAY).toISOString() })
  assert.equal(phq9Due([at(13.9)], now).due, false)
  assert.equal(phq9Due([at(14)], now).due, true)
  assert.equal(phq9Due([at(40), at(3)], now).due, false, 'the latest one counts')
  assert.equal(phq9Due([at(3), at(40)], now).days, 3)
})

test('a result keeps the time, the answers and the score', () => {
  const now = Date.UTC(2026, 2, 29, 12)
  const answers = [1, 1, 1, 1, 1, 1, 1, 1, 0]
  const data = resultData(phq9, answers, now)
  assert.deepEqual(data, { at: '2026-03-29T12:00:00.000Z', answers, score: 8 })
  answers[0] = 3
  assert.equal(data.answers[0], 1, 'a copy')
})
