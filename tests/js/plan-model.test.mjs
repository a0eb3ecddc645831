// The safety plan without I/O: its shape, tapped examples, call and text links,
// pre-filled crisis lines, whether a plan exists, the share text, photo sizes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  MAX_PEOPLE, MAX_PHOTO_SIDE, PLAN_ID, addExample, dialable, emptyPlan, entries, filledPeople, fitWithin,
  hasContent, hopeOrder, isHopeItem, newPerson, normalisePlan, phoneLinks, prefilledServices, removeService,
  restoreServices, shareText
} from '../../frontend/js/plan-model.mjs'
import { KINDS, isSecret } from '../../frontend/js/personal-model.mjs'

const STEPS = [
  { slug: 'warning-signs', title: 'My warning signs', text: '', field: '', examples: ['I stop answering messages'], contacts: null },
  { slug: 'ask-for-help', title: 'People I can ask for help', text: '', field: '', examples: [], contacts: 'people' },
  { slug: 'professionals', title: 'Professionals and crisis services', text: '', field: '', examples: [], contacts: 'services' },
  { slug: 'reasons', title: 'My reasons for living', text: '', field: '', examples: [], contacts: null }
]

const SERVICES = {
  GB: [
    { id: 'line:GB:0', name: 'Samaritans', contacts: [{ kind: 'call', label: 'Call 116 123', href: 'tel:116123' }] },
    { id: 'line:GB:1', name: 'Shout', contacts: [{ kind: 'text', label: 'Text SHOUT to 85258', href: 'sms:85258?body=SHOUT' }] }
  ],
  US: [{ id: 'line:US:0', name: '988', contacts: [{ kind: 'call', label: 'Call 988', href: 'tel:988' }] }]
}

test('the plan and hope box are kinds of record the lock encrypts', () => {
  assert.equal(PLAN_ID, 'safety-plan')
  assert.deepEqual(KINDS['safety-plan'], { one: 'safety plan', many: 'safety plans', secret: true })
  assert.equal(isSecret('hope-item'), true)
})

test('an empty plan has every step, empty', () => {
  const plan = emptyPlan(STEPS)
  assert.deepEqual(Object.keys(plan.steps), STEPS.map(s => s.slug))
  assert.deepEqual(plan.steps.reasons, { text: '', people: [] })
  assert.deepEqual(plan.removed, [])
  assert.equal(hasContent(plan), false)
  assert.equal(hasContent(undefined), false)
})

test('a saved plan is brought into shape; unknown steps are kept, bad values dropped', () => {
  const plan = normalisePlan(STEPS, {
    steps: {
      'warning-signs': { text: 'I go quiet', people: 'nope' },
      'ask-for-help': { text: 7, people: [{ id: 'a', name: 'Sam', phone: '07700 900123' }, null, { name: 3 }] },
      'from-a-later-version': { text: 'kept' },
      broken: null
    },
    removed: ['line:GB:1', 5]
  })
  assert.equal(plan.steps['warning-signs'].text, 'I go quiet')
  assert.deepEqual(plan.steps['warning-signs'].people, [])
  assert.equal(plan.steps['ask-for-help'].text, '')
  assert.deepEqual(plan.steps['ask-for-help'].people, [
    { id: 'a', name: 'Sam', phone: '07700 900123' }, { id: 'p1', name: '', phone: '' }, { id: 'p2', name: '', phone: '' }
  ])
  assert.equal(plan.steps['from-a-later-version'].text, 'kept')
  assert.equal('broken' in plan.steps, false)
  assert.deepEqual(plan.steps.reasons, { text: '', people: [] })
  assert.deepEqual(plan.removed, ['line:GB:1'])
  const many = normalisePlan(STEPS, { steps: { 'ask-for-help': { people: Array.from({ length: 50 }, (_, i) => ({ id: `x${i}` })) } } })
  assert.equal(many.steps['ask-for-help'].people.length, MAX_PEOPLE)
  assert.deepEqual(normalisePlan(STEPS, 'junk'), emptyPlan(STEPS))
})

test('tapping an example adds it on its own line, once', () => {
  assert.equal(addExample('', 'My pet'), 'My pet')
  assert.equal(addExample('My family\n\n', 'My pet'), 'My family\nMy pet')
  assert.equal(addExample('My family\nMy pet', 'My pet'), 'My family\nMy pet')
  assert.deepEqual(entries(' My family \n\n  My pet\n'), ['My family', 'My pet'])
})

test('numbers become call and text links; words do not', () => {
  assert.deepEqual(phoneLinks('07700 900123'), { call: 'tel:07700900123', text: 'sms:07700900123' })
  assert.deepEqual(phoneLinks('+44 (0)20 7946-0000'), { call: 'tel:+4402079460000', text: 'sms:+4402079460000' })
  assert.equal(dialable('988'), '988')
  for (const bad of ['', 'call mum', '12', 'javascript:alert(1)', '0770?body=x', '1'.repeat(16)]) assert.equal(phoneLinks(bad), null, bad)
})

test('a new person gets an id not in use', () => {
  const values = [0.1, 0.1, 0.2]
  const first = newPerson([], () => 0.1)
  const second = newPerson([first], () => values.shift())
  assert.notEqual(first.id, second.id)
  assert.deepEqual({ ...second, id: '' }, { id: '', name: '', phone: '' })
})

test('the chosen country\'s crisis lines are pre-filled, each removable and restorable', () => {
  const plan = emptyPlan(STEPS)
  assert.deepEqual(prefilledServices(plan, SERVICES, 'GB').map(s => s.name), ['Samaritans', 'Shout'])
  assert.deepEqual(prefilledServices(plan, SERVICES, 'US').map(s => s.name), ['988'])
  assert.deepEqual(prefilledServices(plan, SERVICES, null), [])
  assert.deepEqual(prefilledServices(plan, SERVICES, 'other'), [])
  const fewer = removeService(plan, 'line:GB:0')
  assert.deepEqual(prefilledServices(fewer, SERVICES, 'GB').map(s => s.name), ['Shout'])
  assert.equal(removeService(fewer, 'line:GB:0'), fewer)
  assert.equal(hasContent(fewer), false, 'pre-filled lines are not the person\'s plan')
  assert.deepEqual(prefilledServices(restoreServices(fewer), SERVICES, 'GB').length, 2)
  assert.deepEqual(plan.removed, [], 'the plan given is not changed')
})

test('a plan exists once the person writes a word or adds a person', () => {
  const plan = emptyPlan(STEPS)
  plan.steps.reasons.text = '   \n '
  assert.equal(hasContent(plan), false)
  plan.steps['ask-for-help'].people.push({ id: 'a', name: ' ', phone: '' })
  assert.equal(hasContent(plan), false)
  plan.steps['ask-for-help'].people[0].phone = '988'
  assert.equal(hasContent(plan), true)
  assert.deepEqual(filledPeople(plan.steps['ask-for-help']).length, 1)
})

test('the share text has every filled step in order, the people and the lines', () => {
  const plan = emptyPlan(STEPS)
  plan.steps['warning-signs'].text = 'I stop answering messages\nI go quiet'
  plan.steps['ask-for-help'].people = [{ id: 'a', name: 'Sam', phone: '07700 900123' }, { id: 'b', name: '', phone: '' }, { id: 'c', name: 'Jo', phone: '' }]
  const services = prefilledServices(removeService(plan, 'line:GB:1'), SERVICES, 'GB')
  assert.equal(shareText(plan, STEPS, services), [
    'My safety plan',
    'My warning signs\n- I stop answering messages\n- I go quiet',
    'People I can ask for help\n- Sam: 07700 900123\n- Jo',
    'Professionals and crisis services\n- Samaritans: Call 116 123'
  ].join('\n\n'))
  assert.equal(shareText(emptyPlan(STEPS), STEPS, []), 'My safety plan')
})

test('photos are made at most 1,600 px on the longest side, keeping their shape', () => {
  assert.equal(MAX_PHOTO_SIDE, 1600)
  assert.deepEqual(fitWithin(3000, 2000), { width: 1600, height: 1067 })
  assert.deepEqual(fitWithin(1200, 4000), { width: 480, height: 1600 })
  assert.deepEqual(fitWithin(800, 600), { width: 800, height: 600 }, 'small photos are not enlarged')
  assert.deepEqual(fitWithin(10000, 1), { width: 1600, height: 1 })
})

test('hope box items: their shape, newest first', () => {
  assert.equal(isHopeItem({ kind: 'letter', text: 'You got through before.' }), true)
  assert.equal(isHopeItem({ kind: 'message', text: '  ' }), false)
  assert.equal(isHopeItem({ kind: 'photo', photo: { type: 'image/jpeg', data: 'AAAA' } }), true)
  assert.equal(isHopeItem({ kind: 'photo', photo: { type: 'text/html', data: 'AAAA' } }), false)
  assert.equal(isHopeItem({ kind: 'video', text: 'x' }), false)
  assert.equal(isHopeItem(null), false)
  const order = hopeOrder([{ created: '2026-01-01T00:00:00.000Z' }, { created: '2026-03-01T00:00:00.000Z' }, { created: '2026-02-01T00:00:00.000Z' }])
  assert.deepEqual(order.map(r => r.created.slice(5, 7)), ['03', '02', '01'])
})
