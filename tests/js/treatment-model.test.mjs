// Treatment history: the record shape, week counts across clock changes and leap days, overlapping and
// ongoing trials, the sourced minimum-dose note, add-on links and the facts about the whole history.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import {
  PROFILE_ID, addOnsByTreatment, dayNumber, doseText, historyFacts, lastDay, linkedTreatment, localToday,
  medicinesById, normalizeProfile, normalizeTreatment, sortTreatments, treatmentFacts, treatmentProblems,
  validDate, weeksBetween, weeksText
} from '../../frontend/js/treatment-model.mjs'

const source = { title: 'Example label', url: 'https://www.accessdata.fda.gov/example.pdf' }
const MEDICINES = medicinesById([
  { id: 'sertraline', name: 'sertraline', brands: ['Zoloft'], class: 'SSRI', minimumDose: { amount: 50, unit: 'mg', source } },
  { id: 'fluoxetine', name: 'fluoxetine', brands: ['Prozac'], class: 'SSRI', minimumDose: { amount: 20, unit: 'mg', source } },
  { id: 'lithium', name: 'lithium', brands: [], class: 'Mood stabiliser' },
  { id: 'mirtazapine', name: 'mirtazapine', brands: ['Remeron'], class: 'NaSSA' }
])

test('whole weeks between calendar dates; never negative; null without both dates', () => {
  assert.equal(weeksBetween('2026-01-01', '2026-01-01'), 0)
  assert.equal(weeksBetween('2026-01-01', '2026-01-07'), 0)
  assert.equal(weeksBetween('2026-01-01', '2026-01-08'), 1)
  assert.equal(weeksBetween('2026-01-01', '2026-12-31'), 52)
  assert.equal(weeksBetween('2026-02-01', '2026-01-01'), 0)
  assert.equal(weeksBetween(null, '2026-01-01'), null)
  assert.equal(weeksBetween('2026-01-01', null), null)
  assert.equal(weeksBetween('2026-02-30', '2026-03-30'), null, 'not a real date')
  assert.equal(weeksBetween('1/1/2026', '2026-03-30'), null)
})

test('a clock change never shifts a day: spring and autumn, Europe and America', () => {
  // Europe: 29 March and 25 October 2026; USA: 8 March and 1 November 2026.
  assert.equal(weeksBetween('2026-03-22', '2026-03-29'), 1)
  assert.equal(weeksBetween('2026-03-26', '2026-04-02'), 1)
  assert.equal(weeksBetween('2026-03-01', '2026-03-15'), 2)
  assert.equal(weeksBetween('2026-10-18', '2026-10-25'), 1)
  assert.equal(weeksBetween('2026-10-25', '2026-11-08'), 2)
  assert.equal(weeksBetween('2026-03-02', '2026-03-08'), 0, 'six days stay under a week')
})

test('the same answers in every time zone (run in London, Los Angeles, Auckland)', () => {
  const script = `import('${new URL('../../frontend/js/treatment-model.mjs', import.meta.url)}').then(m => {
    console.log([m.weeksBetween('2026-03-22', '2026-03-29'), m.weeksBetween('2026-10-18', '2026-10-25'),
      m.weeksBetween('2024-02-22', '2024-03-07'), m.localToday(new Date(2026, 2, 29, 1, 30))].join(' '))
  })`
  const run = tz => execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }).trim()
  for (const tz of ['Europe/London', 'America/Los_Angeles', 'Pacific/Auckland']) {
    assert.equal(run(tz), '1 1 2 2026-03-29', tz)
  }
})

test('leap days are counted', () => {
  // 22 Feb to 7 Mar is 14 days in a leap year, 13 days otherwise.
  assert.equal(weeksBetween('2024-02-22', '2024-03-07'), 2)
  assert.equal(weeksBetween('2023-02-22', '2023-03-07'), 1)
  assert.equal(weeksBetween('2024-02-29', '2024-03-07'), 1)
  assert.equal(weeksBetween('2024-02-29', '2025-02-28'), 52)
  assert.equal(dayNumber('2023-02-29'), null)
  assert.equal(dayNumber('2024-02-29') - dayNumber('2024-02-28'), 1)
  assert.equal(weeksBetween('2000-02-22', '2000-03-07'), 2, '2000 was a leap year')
  assert.equal(weeksBetween('2100-02-22', '2100-03-07'), 1, '2100 will not be')
})

test('validDate and localToday', () => {
  assert.equal(validDate('2026-12-02'), '2026-12-02')
  assert.equal(validDate('2026-13-01'), null)
  assert.equal(validDate(20261202), null)
  assert.equal(localToday(new Date(2026, 0, 5, 23, 59)), '2026-01-05')
})

test('normalizeTreatment fills every field and drops unknown choices', () => {
  const t = normalizeTreatment({ name: '  Sertraline ' })
  assert.deepEqual(t, {
    category: 'medicine',
    name: 'Sertraline',
    medicine: null,
    role: null,
    addedTo: null,
    dose: null,
    highestDose: null,
    highestFrom: null,
    start: null,
    end: null,
    ongoing: false,
    regularity: null,
    effect: null,
    sideEffects: [],
    sideEffectsOther: '',
    stopReason: null,
    stopReasonOther: '',
    kind: null,
    sessions: null,
    notes: ''
  })
  const odd = normalizeTreatment({
    category: 'surgery', name: 'x', role: 'booster', regularity: 'sometimes', effect: 'great', stopReason: 'bored',
    dose: { amount: -5, unit: 'mg' }, highestDose: { amount: '150', unit: ' mg ' }, start: '2026-02-31',
    sideEffects: ['nausea', 'nausea', 3, ''], sessions: 2.5
  })
  assert.equal(odd.category, 'medicine')
  assert.equal(odd.role, null)
  assert.equal(odd.regularity, null)
  assert.equal(odd.effect, null)
  assert.equal(odd.stopReason, null)
  assert.equal(odd.dose, null)
  assert.deepEqual(odd.highestDose, { amount: 150, unit: 'mg' })
  assert.equal(odd.start, null)
  assert.deepEqual(odd.sideEffects, ['nausea'])
  assert.equal(odd.sessions, null)
  assert.deepEqual(normalizeTreatment(null).name, '')
})

test('medicine-only fields are dropped from other courses; ongoing has no end or stop reason', () => {
  const ect = normalizeTreatment({ category: 'stimulation', kind: 'ect', name: 'ECT', medicine: 'sertraline', role: 'add-on', addedTo: 'a', sessions: '12' })
  assert.equal(ect.medicine, null)
  assert.equal(ect.role, null)
  assert.equal(ect.addedTo, null)
  assert.equal(ect.sessions, 12)
  assert.equal(ect.kind, 'ect')
  const on = normalizeTreatment({ name: 'x', ongoing: true, end: '2026-01-01', stopReason: 'other', stopReasonOther: 'y' })
  assert.equal(on.end, null)
  assert.equal(on.stopReason, null)
  assert.equal(on.stopReasonOther, '')
  const single = normalizeTreatment({ name: 'x', role: 'single', addedTo: 'a' })
  assert.equal(single.addedTo, null, 'only add-ons and combinations link')
})

test('treatmentProblems: only a name is asked for; an end before the start is pointed out', () => {
  assert.deepEqual(treatmentProblems(normalizeTreatment({ name: 'x' })), [])
  assert.deepEqual(treatmentProblems(normalizeTreatment({})), ['Add a name.'])
  assert.deepEqual(treatmentProblems(normalizeTreatment({ name: 'x', start: '2026-02-01', end: '2026-01-01' })),
    ['The end date is before the start date.'])
})

test('weeks on a finished trial and at its highest dose', () => {
  const t = {
    name: 'sertraline', medicine: 'sertraline', start: '2026-01-01', end: '2026-03-26',
    highestDose: { amount: 100, unit: 'mg' }, highestFrom: '2026-02-05'
  }
  const facts = treatmentFacts(t, '2026-12-01', MEDICINES)
  assert.equal(facts.weeksOn, 12)
  assert.equal(facts.weeksAtHighest, 7)
  assert.deepEqual(facts.minimumDose, { weeks: 7, amount: 50, unit: 'mg', source })
})

test('an ongoing trial counts to today; without a known end nothing is counted', () => {
  const ongoing = { name: 'fluoxetine', medicine: 'fluoxetine', start: '2026-10-01', ongoing: true, highestDose: { amount: 20, unit: 'mg' } }
  const facts = treatmentFacts(ongoing, '2026-12-01', MEDICINES)
  assert.equal(facts.weeksOn, 8)
  assert.equal(facts.weeksAtHighest, 8, 'from the start when no date for the highest dose')
  assert.equal(facts.minimumDose.weeks, 8)
  assert.equal(lastDay(normalizeTreatment(ongoing), '2026-12-01'), '2026-12-01')
  const unknownEnd = treatmentFacts({ name: 'x', start: '2026-01-01' }, '2026-12-01', MEDICINES)
  assert.deepEqual(unknownEnd, { weeksOn: null, weeksAtHighest: null, minimumDose: null })
})

test('the minimum-dose note only with a sourced minimum, the same unit and a dose that reaches it', () => {
  const base = { name: 'sertraline', medicine: 'sertraline', start: '2026-01-01', end: '2026-04-01' }
  assert.equal(treatmentFacts({ ...base, highestDose: { amount: 25, unit: 'mg' } }, '2026-12-01', MEDICINES).minimumDose, null, 'below')
  assert.equal(treatmentFacts({ ...base, highestDose: { amount: 50, unit: 'ml' } }, '2026-12-01', MEDICINES).minimumDose, null, 'other unit')
  assert.equal(treatmentFacts({ ...base, highestDose: { amount: 50, unit: 'MG' } }, '2026-12-01', MEDICINES).minimumDose.weeks, 12)
  assert.equal(treatmentFacts({ ...base }, '2026-12-01', MEDICINES).minimumDose, null, 'no dose given')
  const lithium = { name: 'lithium', medicine: 'lithium', start: '2026-01-01', end: '2026-04-01', highestDose: { amount: 800, unit: 'mg' } }
  assert.equal(treatmentFacts(lithium, '2026-12-01', MEDICINES).minimumDose, null, 'no published minimum in the list')
  const freeText = { name: 'sertraline', start: '2026-01-01', end: '2026-04-01', highestDose: { amount: 100, unit: 'mg' } }
  assert.equal(treatmentFacts(freeText, '2026-12-01', MEDICINES).minimumDose, null, 'typed, not chosen from the list')
  const unsourced = medicinesById([{ id: 'sertraline', class: 'SSRI', minimumDose: { amount: 50, unit: 'mg' } }])
  assert.equal(treatmentFacts({ ...base, highestDose: { amount: 100, unit: 'mg' } }, '2026-12-01', unsourced).minimumDose, null)
})

test('overlapping trials are counted each on its own; the history counts medicines and classes', () => {
  const trials = [
    { id: 'a', name: 'sertraline', medicine: 'sertraline', start: '2025-01-01', end: '2025-04-01' },
    { id: 'b', name: 'sertraline', medicine: 'sertraline', start: '2025-09-01', end: '2025-10-01' },
    { id: 'c', name: 'fluoxetine', medicine: 'fluoxetine', start: '2025-03-15', end: '2025-06-01' },
    { id: 'd', name: 'lithium', medicine: 'lithium', role: 'add-on', addedTo: 'c', start: '2025-04-01', ongoing: true },
    { id: 'e', name: 'Agomelatine', start: '2026-01-01', ongoing: true },
    { id: 'f', name: 'agomelatine ', start: '2026-02-01', ongoing: true },
    { id: 'g', category: 'therapy', name: 'CBT', kind: 'cbt', sessions: 16 },
    { id: 'h', category: 'stimulation', name: 'ECT', kind: 'ect' }
  ]
  assert.equal(treatmentFacts(trials[0], '2026-12-01', MEDICINES).weeksOn, 12)
  assert.equal(treatmentFacts(trials[2], '2026-12-01', MEDICINES).weeksOn, 11)
  assert.equal(treatmentFacts(trials[3], '2026-12-01', MEDICINES).weeksOn, 87)
  assert.deepEqual(historyFacts(trials, { episodeStart: '2024-12-01' }, '2026-12-01', MEDICINES),
    { medicines: 4, classes: 2, episodeStart: '2024-12-01', episodeWeeks: 104 })
  assert.deepEqual(historyFacts([], null, '2026-12-01', MEDICINES), { medicines: 0, classes: 0, episodeStart: null, episodeWeeks: null })
})

test('add-on and combination links point at the medicine they were added to', () => {
  const trials = [
    { id: 'base', name: 'venlafaxine', start: '2025-01-01', ongoing: true },
    { id: 'li', name: 'lithium', role: 'add-on', addedTo: 'base' },
    { id: 'mir', name: 'mirtazapine', role: 'combination', addedTo: 'base' },
    { id: 'gone', name: 'aripiprazole', role: 'add-on', addedTo: 'deleted-record' },
    { id: 'self', name: 'odd', role: 'add-on', addedTo: 'self' }
  ]
  assert.deepEqual(addOnsByTreatment(trials), new Map([['base', ['li', 'mir']]]))
  assert.equal(linkedTreatment(trials[1], trials).id, 'base')
  assert.equal(linkedTreatment(trials[3], trials), null)
  assert.equal(linkedTreatment(trials[4], trials), null)
  assert.equal(linkedTreatment(trials[0], trials), null)
})

test('the log order: ongoing first, then newest start; helpers for words', () => {
  const order = sortTreatments([
    { name: 'old', start: '2020-01-01' },
    { name: 'undated' },
    { name: 'now', start: '2019-01-01', ongoing: true },
    { name: 'new', start: '2025-01-01' }
  ]).map(t => t.name)
  assert.deepEqual(order, ['now', 'new', 'old', 'undated'])
  assert.equal(doseText({ amount: 37.5, unit: 'mg' }), '37.5 mg')
  assert.equal(doseText(null), '')
  assert.equal(weeksText(1), '1 week')
  assert.equal(weeksText(0), '0 weeks')
  assert.equal(PROFILE_ID, 'treatment-profile')
  assert.deepEqual(normalizeProfile({ episodeStart: '2026-02-30' }), { episodeStart: null })
})

test('a typed name finds a listed medicine by generic name, brand or the offered text', async () => {
  const { findMedicine, optionText } = await import('../../frontend/js/treatment-model.mjs')
  const list = [{ id: 'sertraline', name: 'sertraline', brands: ['Zoloft', 'Lustral'] }, { id: 'lithium', name: 'lithium', brands: [] }]
  assert.equal(findMedicine('Sertraline ', list).id, 'sertraline')
  assert.equal(findMedicine('zoloft', list).id, 'sertraline')
  assert.equal(findMedicine('sertraline (Zoloft, Lustral)', list).id, 'sertraline')
  assert.equal(findMedicine('Lithium', list).id, 'lithium')
  assert.equal(findMedicine('agomelatine', list), null)
  assert.equal(findMedicine('', list), null)
  assert.equal(optionText(list[0]), 'sertraline (Zoloft, Lustral)')
  assert.equal(optionText(list[1]), 'lithium')
})
