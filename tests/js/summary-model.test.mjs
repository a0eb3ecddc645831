// The one-page summary's data: current medicines, the table in order, other treatments, the PHQ-9 trend, side effects, text to share.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CHART_DAYS, datesText, factsLine, minimumDoseText, phq9ChartSvg, shortDate, summaryData, summaryText
} from '../../frontend/js/summary-model.mjs'

const MEDICINES = [
  { id: 'sertraline', name: 'Sertraline', brands: ['Zoloft'], class: 'SSRI', minimumDose: { amount: 50, unit: 'mg', source: { title: 'A dose table', url: 'https://example.org/doses' } } },
  { id: 'citalopram', name: 'Citalopram', brands: [], class: 'SSRI' },
  { id: 'aripiprazole', name: 'Aripiprazole', brands: [], class: 'Antipsychotic' }
]
const SIDE_EFFECTS = [{ id: 'nausea', label: 'Feeling sick' }, { id: 'sleep', label: 'Trouble sleeping' }]

const TREATMENTS = [
  { id: 't3', name: 'Aripiprazole', medicine: 'aripiprazole', category: 'medicine', role: 'add-on', addedTo: 't1', start: '2026-10-01', ongoing: true, dose: { amount: 5, unit: 'mg' }, sideEffects: ['sleep'] },
  { id: 't1', name: 'Sertraline', medicine: 'sertraline', category: 'medicine', start: '2026-03-02', ongoing: true, dose: { amount: 150, unit: 'mg' }, highestDose: { amount: 200, unit: 'mg' }, highestFrom: '2026-05-04', effect: 'a-little' },
  { id: 't0', name: 'Citalopram', medicine: 'citalopram', category: 'medicine', start: '2025-01-06', end: '2025-07-07', dose: { amount: 20, unit: 'mg' }, effect: 'none', stopReason: 'did-not-help', sideEffects: ['nausea'], sideEffectsOther: 'headaches' },
  { id: 'tx', name: 'St John\'s wort', category: 'medicine', stopReason: 'other', stopReasonOther: 'Interactions' },
  { id: 'c1', name: 'CBT', category: 'therapy', kind: 'cbt', start: '2025-02-01', end: '2025-05-01', sessions: 16, effect: 'a-little', stopReason: 'felt-better' },
  { id: 'c2', name: 'ECT course', category: 'stimulation', kind: 'ect', start: '2026-01-05', end: '2026-02-05', sessions: 12, effect: 'a-lot' },
  { id: 'c3', name: '', category: 'hospital' }
]

const PHQ9 = [
  { at: '2025-10-01T10:00:00Z', score: 25 },
  { at: '2026-01-03T10:00:00Z', score: 22 },
  { at: '2026-06-01T10:00:00Z', score: 17 },
  { at: '2026-11-29T10:00:00Z', score: 11 }
]

const DATA = summaryData({
  treatments: TREATMENTS,
  profile: { episodeStart: '2024-12-02' },
  appointment: { date: '2026-12-09', wants: ' To talk about what to try next. ' },
  phq9: PHQ9,
  today: '2026-12-02',
  medicines: MEDICINES,
  sideEffects: SIDE_EFFECTS,
  timeZone: 'UTC'
})

test('dates as short words, and a course\'s dates whether it ended, is ongoing or is undated', () => {
  assert.equal(shortDate('2024-02-29'), '29 Feb 2024')
  assert.equal(shortDate(null), '')
  assert.equal(datesText({ start: '2026-03-02', end: null, ongoing: true }), 'Since 2 Mar 2026')
  assert.equal(datesText({ start: '2025-01-06', end: '2025-07-07', ongoing: false }), '6 Jan 2025 to 7 Jul 2025')
  assert.equal(datesText({ start: null, end: '2025-07-07', ongoing: false }), 'Until 7 Jul 2025')
  assert.equal(datesText({ start: null, end: null, ongoing: true }), 'Ongoing')
  assert.equal(datesText({ start: null, end: null, ongoing: false }), '')
})

test('the medicine table: oldest first, undated last, with doses, weeks and why each stopped', () => {
  assert.deepEqual(DATA.trials.map(r => r.name), ['Citalopram', 'Sertraline', 'Aripiprazole', 'St John\'s wort'])
  const [cit, ser, ari, wort] = DATA.trials
  assert.equal(cit.dose, '20 mg')
  assert.equal(cit.weeksOn, 26)
  assert.equal(cit.weeksAtHighest, null, 'no highest dose entered')
  assert.equal(cit.effect, 'Did not help')
  assert.equal(cit.stopped, 'It did not help')
  assert.equal(ser.dose, '150 mg (highest 200 mg)')
  assert.equal(ser.dates, 'Since 2 Mar 2026')
  assert.equal(ser.weeksOn, 39)
  assert.equal(ser.weeksAtHighest, 30)
  assert.equal(ser.stopped, 'Still taking')
  assert.equal(minimumDoseText(ser), '30 weeks at or above a usual minimum dose')
  assert.equal(ser.class, 'SSRI')
  assert.equal(ari.addedTo, 'Added to Sertraline')
  assert.equal(minimumDoseText(ari), '', 'no published minimum in the list')
  assert.equal(wort.stopped, 'Interactions')
  assert.equal(wort.dates, '')
  assert.deepEqual(DATA.sources, [{ title: 'A dose table', url: 'https://example.org/doses' }])
})

test('current medicines are the ongoing ones; other treatments apart, nameless records left out', () => {
  assert.deepEqual(DATA.current.map(c => [c.name, c.dose, c.dates, c.weeksOn]), [
    ['Sertraline', '150 mg (highest 200 mg)', 'Since 2 Mar 2026', 39],
    ['Aripiprazole', '5 mg', 'Since 1 Oct 2026', 8]
  ])
  assert.deepEqual(DATA.others.map(o => [o.type, o.name, o.sessions, o.effect, o.stopped]), [
    ['Talking therapy', 'CBT', 16, 'Helped a little', 'I felt better'],
    ['Brain stimulation or other course', 'ECT course (ECT)', 12, 'Helped a lot', '']
  ])
})

test('the history in one neutral sentence', () => {
  assert.equal(factsLine(DATA), '4 medicines tried from 2 classes. This episode began on 2 Dec 2024 (104 weeks ago).')
  assert.equal(factsLine(summaryData({ treatments: [], today: '2026-12-02' })), '')
})

test('the PHQ-9 trend covers the last year, at least four weeks wide', () => {
  assert.equal(CHART_DAYS, 365)
  assert.deepEqual(DATA.phq9.points.map(p => p.score), [22, 17, 11])
  assert.equal(DATA.phq9.line, 'Latest PHQ-9: 11 on 29 Nov 2026. 3 results since 3 Jan 2026, from 11 to 22.')
  const one = summaryData({ treatments: [], phq9: PHQ9.slice(3), today: '2026-12-02' })
  assert.equal(one.phq9.to - one.phq9.from, 27)
  assert.equal(one.phq9.line, 'Latest PHQ-9: 11 on 29 Nov 2026.')
  const chart = phq9ChartSvg(DATA.phq9, { width: 300, fontPx: 10 })
  assert.match(chart.markup, /^<svg [^>]*aria-hidden="true"/)
  assert.equal((chart.markup.match(/chart__dot--phq9/g) ?? []).length, 3)
  assert.equal((chart.markup.match(/chart__cut/g) ?? []).length, 4)
  assert.match(chart.markup, /chart__line--phq9/)
  assert.ok(chart.height < 100)
  assert.equal(summaryData({ treatments: [], today: '2026-12-02' }).phq9.line, '')
})

test('side effects: current medicines first, by their words, with free text', () => {
  assert.deepEqual(DATA.sideEffects, [
    { name: 'Aripiprazole', ongoing: true, list: ['Trouble sleeping'] },
    { name: 'Citalopram', ongoing: false, list: ['Feeling sick', 'headaches'] }
  ])
})

test('the text to share: every section, in order, saying it is the person\'s own record', () => {
  const text = summaryText(DATA)
  const order = ['My treatment summary', 'not medical advice', 'For my appointment on 9 Dec 2026.', 'Medicines I take now',
    'Medicines I have tried', 'Other treatments', 'PHQ-9', 'Side effects', 'What I want from this appointment', 'Usual minimum doses from']
  const at = order.map(s => text.indexOf(s))
  assert.ok(at.every(i => i >= 0), JSON.stringify(at))
  assert.deepEqual(at, [...at].sort((a, b) => a - b))
  assert.match(text, /- Aripiprazole, added to Sertraline, 5 mg, since 1 Oct 2026, 8 weeks/)
  assert.match(text, /- Citalopram, 20 mg, 6 Jan 2025 to 7 Jul 2025, 26 weeks in all, Did not help, why stopped: It did not help/)
  assert.match(text, /30 weeks at the highest dose, 30 weeks at or above a usual minimum dose/)
  assert.match(text, /- Talking therapy: CBT, 16 sessions/)
  assert.match(text, /To talk about what to try next\.$/m)
  assert.match(text, /St John's wort, why stopped: Interactions/)
  const empty = summaryText(summaryData({ treatments: [], today: '2026-12-02' }))
  assert.equal(empty.includes('Medicines I have tried'), false)
})
