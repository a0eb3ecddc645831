// Getting ready for an appointment: the record's shape, the guide's questions, and the drafts of what changed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  APPOINTMENT_ID, CHANGE_WEEKS, changesFrom, chosenQuestions, normalizeAppointment, ownQuestionsFrom,
  questionsById, sideEffectsDraft, whatChanged
} from '../../frontend/js/appointment-model.mjs'

const BOXES = [
  { slug: 'what-is-trd', title: 'What TRD is', url: '/guide/what-is-trd#questions-1', questions: [{ id: 'what-is-trd/questions-1/1', text: 'Does it count?' }, { id: 'what-is-trd/questions-1/2', text: 'Was the dose enough?' }] },
  { slug: 'side-effects', title: 'Side effects', url: '/guide/side-effects#questions-1', questions: [{ id: 'side-effects/questions-1/1', text: 'Who do I call?' }] }
]

test('the record: every field present, unknown and malformed values dropped, text kept as typed', () => {
  assert.equal(APPOINTMENT_ID, 'appointment-next')
  assert.deepEqual(normalizeAppointment(), {
    date: null, lastVisit: null, questions: [], ownQuestions: [], changes: '', sideEffectsToRaise: '', bring: '', wants: ''
  })
  const d = normalizeAppointment({
    date: '2026-12-10', lastVisit: '2026-02-30', questions: ['a', 'a', 7, 'b'], ownQuestions: ['  Why?  ', '', 3],
    changes: 'Line one\n\nline two ', bring: 42, wants: 'To be heard', extra: 'x'
  })
  assert.equal(d.date, '2026-12-10')
  assert.equal(d.lastVisit, null, 'not a real date')
  assert.deepEqual(d.questions, ['a', 'b'])
  assert.deepEqual(d.ownQuestions, ['  Why?  '])
  assert.equal(d.changes, 'Line one\n\nline two ')
  assert.equal(d.bring, '')
  assert.equal(d.wants, 'To be heard')
  assert.equal('extra' in d, false)
})

test('own questions: one a line, blank lines dropped', () => {
  assert.deepEqual(ownQuestionsFrom('Can I drive?\r\n\n  What about alcohol? \n'), ['Can I drive?', 'What about alcohol?'])
  assert.deepEqual(ownQuestionsFrom(''), [])
})

test('guide questions: by id with their article and box; chosen ones in the guide\'s order, then one\'s own', () => {
  const byId = questionsById(BOXES)
  assert.equal(byId.size, 3)
  assert.deepEqual(byId.get('side-effects/questions-1/1'), { id: 'side-effects/questions-1/1', text: 'Who do I call?', title: 'Side effects', url: '/guide/side-effects#questions-1' })
  const chosen = chosenQuestions({ questions: ['side-effects/questions-1/1', 'gone/questions-1/1', 'what-is-trd/questions-1/2'], ownQuestions: ['Mine?'] }, BOXES)
  assert.deepEqual(chosen.map(q => q.text), ['Was the dose enough?', 'Who do I call?', 'Mine?'])
  assert.equal(chosen[2].url, null)
})

test('what changed counts from the last visit, or 8 weeks back without one (or with one in the future)', () => {
  assert.equal(CHANGE_WEEKS, 8)
  assert.equal(changesFrom('2026-10-01', '2026-12-02'), '2026-10-01')
  assert.equal(changesFrom(null, '2026-12-02'), '2026-10-07')
  assert.equal(changesFrom('2027-01-01', '2026-12-02'), '2026-10-07')
  // Across the March clock change and a leap day: calendar days, not hours.
  assert.equal(changesFrom(null, '2024-04-20'), '2024-02-24')
})

const TREATMENTS = [
  { id: 'a', name: 'Sertraline', category: 'medicine', start: '2026-03-01', ongoing: true, dose: { amount: 150, unit: 'mg' }, highestDose: { amount: 150, unit: 'mg' }, highestFrom: '2026-11-01', sideEffects: ['nausea', 'Vivid dreams'], sideEffectsOther: 'dry mouth' },
  { id: 'b', name: 'Aripiprazole', category: 'medicine', role: 'add-on', addedTo: 'a', start: '2026-11-15', ongoing: true, dose: { amount: 2, unit: 'mg' }, highestDose: { amount: 2, unit: 'mg' }, highestFrom: '2026-11-15' },
  { id: 'c', name: 'Mirtazapine', category: 'medicine', start: '2025-06-01', end: '2026-10-20', stopReason: 'side-effects', sideEffects: ['weight-gain'] },
  { id: 'd', name: 'CBT', category: 'therapy', start: '2026-10-10', ongoing: true },
  { id: 'e', name: 'Venlafaxine', category: 'medicine', start: '2024-01-01', end: '2025-01-01', stopReason: 'other', stopReasonOther: 'moved abroad' },
  { id: 'f', name: 'Lithium', category: 'medicine', start: '2026-06-01', end: '2026-11-20', stopReason: 'other', stopReasonOther: 'moved abroad' }
]
const LABELS = [{ id: 'nausea', label: 'Feeling sick' }, { id: 'weight-gain', label: 'Weight gain' }]

test('what changed: treatments started, raised and stopped since the last visit, oldest first', () => {
  const { from, lines } = whatChanged({ treatments: TREATMENTS, today: '2026-12-02', lastVisit: '2026-10-01', timeZone: 'Europe/London' })
  assert.equal(from, '2026-10-01')
  assert.deepEqual(lines, [
    'Started CBT on 10 October 2026.',
    'Stopped Mirtazapine on 20 October 2026 (side effects).',
    'Sertraline went up to 150 mg on 1 November 2026.',
    'Started Aripiprazole 2 mg on 15 November 2026.',
    'Stopped Lithium on 20 November 2026 (moved abroad).'
  ])
  // Without a last visit: 8 weeks back (from 7 October), so nothing from before then.
  const eight = whatChanged({ treatments: TREATMENTS, today: '2026-12-02', timeZone: 'Europe/London' })
  assert.equal(eight.from, '2026-10-07')
  assert.equal(eight.lines.length, 5)
  const none = whatChanged({ treatments: TREATMENTS, today: '2026-12-02', lastVisit: '2026-11-30' })
  assert.deepEqual(none.lines, [])
})

test('what changed: the PHQ-9 from the last score before the window, and mood check-ins against the time before', () => {
  const phq9 = [
    { at: '2026-09-20T10:00:00Z', score: 18 },
    { at: '2026-10-15T10:00:00Z', score: 16 },
    { at: '2026-11-28T23:30:00Z', score: 12 },
    { at: 'not a time', score: 3 }
  ]
  const checkIns = [
    { at: '2026-08-20T09:00:00Z', mood: 2 }, { at: '2026-09-01T09:00:00Z', mood: 1 },
    { at: '2026-10-20T09:00:00Z', mood: 3 }, { at: '2026-11-20T09:00:00Z', mood: 4 }
  ]
  const { lines } = whatChanged({ treatments: [], phq9, checkIns, today: '2026-12-02', lastVisit: '2026-10-01', timeZone: 'Pacific/Auckland' })
  // 23:30 UTC on 28 November is already 29 November in Auckland.
  assert.deepEqual(lines, [
    'My PHQ-9 went from 18 (20 September 2026) to 12 (29 November 2026).',
    '2 mood check-ins since 1 October 2026: 3.5 out of 5 on average (1.5 over the same length of time before).'
  ])
  const one = whatChanged({ treatments: [], phq9: phq9.slice(2), checkIns: checkIns.slice(3), today: '2026-12-02', lastVisit: '2026-10-01', timeZone: 'UTC' })
  assert.deepEqual(one.lines, ['My PHQ-9 was 12 on 28 November 2026.', '1 mood check-in since 1 October 2026: 4.0 out of 5 on average.'])
})

test('side effects to raise: current treatments only, tapped ones by their words, then free text', () => {
  assert.equal(sideEffectsDraft(TREATMENTS, LABELS), 'Sertraline: Feeling sick, Vivid dreams, dry mouth')
  assert.equal(sideEffectsDraft([], LABELS), '')
})
