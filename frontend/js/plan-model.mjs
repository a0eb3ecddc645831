/**
 * The safety plan and hope box, without I/O: the plan's shape, tapping an
 * example into a step, people's numbers as call and text links, the crisis
 * lines pre-filled from the chosen country (each removable), whether a plan
 * has anything in it, the text for Web Share, and the size a photo is made
 * before it is kept. Tested with node --test.
 */

/** The plan's one record id (the record type is the same word). */
export const PLAN_ID = 'safety-plan'
/** The record type of each hope box item. */
export const HOPE_TYPE = 'hope-item'
/** Kinds of hope box item. */
export const HOPE_KINDS = Object.freeze(['photo', 'letter', 'message'])
/** The longest side of a photo once it is resized on the device. */
export const MAX_PHOTO_SIDE = 1600
/** The most people or services one step keeps. */
export const MAX_PEOPLE = 20

/**
 * @typedef {{slug: string, title: string, text: string, field: string,
 *   examples: string[], contacts: 'people'|'services'|null}} Step
 * @typedef {{id: string, name: string, phone: string}} Person
 * @typedef {{text: string, people: Person[]}} StepAnswer
 * @typedef {{steps: Object<string, StepAnswer>, removed: string[]}} Plan
 * @typedef {{id: string, name: string, contacts: Array<{kind: 'call'|'text', label: string, href: string}>}} Service
 */

/**
 * An empty plan for these steps.
 * @param {Step[]} steps
 * @returns {Plan}
 */
export function emptyPlan (steps) {
  return { steps: Object.fromEntries(steps.map(s => [s.slug, { text: '', people: [] }])), removed: [] }
}

const asText = value => (typeof value === 'string' ? value : '')

function cleanPerson (person, i) {
  const p = person && typeof person === 'object' ? person : {}
  return { id: asText(p.id) || `p${i}`, name: asText(p.name), phone: asText(p.phone) }
}

/**
 * A saved plan brought into shape for these steps: missing steps are empty,
 * wrong values are dropped, steps this version does not know are kept.
 * @param {Step[]} steps
 * @param {unknown} data a record's data, or undefined
 * @returns {Plan}
 */
export function normalisePlan (steps, data) {
  const plan = emptyPlan(steps)
  const saved = data && typeof data === 'object' ? data : {}
  const savedSteps = saved.steps && typeof saved.steps === 'object' ? saved.steps : {}
  for (const [slug, answer] of Object.entries(savedSteps)) {
    if (!answer || typeof answer !== 'object') continue
    const people = Array.isArray(answer.people) ? answer.people.slice(0, MAX_PEOPLE).map(cleanPerson) : []
    plan.steps[slug] = { text: asText(answer.text), people }
  }
  plan.removed = Array.isArray(saved.removed) ? saved.removed.filter(id => typeof id === 'string') : []
  return plan
}

/**
 * The lines of a step's free text that have words in them.
 * @param {string} text
 * @returns {string[]}
 */
export function entries (text) {
  return asText(text).split('\n').map(line => line.trim()).filter(Boolean)
}

/**
 * A step's text with an example added on its own line (once).
 * @param {string} text
 * @param {string} example
 * @returns {string}
 */
export function addExample (text, example) {
  if (entries(text).includes(example.trim())) return text
  const base = asText(text).replace(/\s+$/, '')
  return base ? `${base}\n${example}` : example
}

/**
 * The digits of a phone number as a link wants them, or '' if it is not a number.
 * @param {string} phone
 * @returns {string}
 */
export function dialable (phone) {
  const text = asText(phone).trim()
  if (!/^\+?[0-9 ()./-]+$/.test(text)) return ''
  const digits = text.replace(/[^0-9+]/g, '')
  return /^\+?[0-9]{3,15}$/.test(digits) ? digits : ''
}

/**
 * The call and text links for a person's number.
 * @param {string} phone
 * @returns {{call: string, text: string} | null}
 */
export function phoneLinks (phone) {
  const digits = dialable(phone)
  return digits ? { call: `tel:${digits}`, text: `sms:${digits}` } : null
}

/**
 * A new person with an id not used in the list.
 * @param {Person[]} people
 * @param {() => number} [random]
 * @returns {Person}
 */
export function newPerson (people, random = Math.random) {
  const used = new Set(people.map(p => p.id))
  let id
  do id = 'p' + Math.floor(random() * 1e9).toString(36); while (used.has(id))
  return { id, name: '', phone: '' }
}

/**
 * The crisis lines pre-filled for a country, less the ones the person removed.
 * @param {Plan} plan
 * @param {Object<string, Service[]>} services each country's crisis lines
 * @param {string|null} country the chosen country
 * @returns {Service[]}
 */
export function prefilledServices (plan, services, country) {
  const lines = (country && services[country]) || []
  return lines.filter(line => !plan.removed.includes(line.id))
}

/**
 * The plan without one pre-filled line.
 * @param {Plan} plan
 * @param {string} id
 * @returns {Plan}
 */
export function removeService (plan, id) {
  return plan.removed.includes(id) ? plan : { ...plan, removed: [...plan.removed, id] }
}

/**
 * The plan with every pre-filled line back.
 * @param {Plan} plan
 * @returns {Plan}
 */
export function restoreServices (plan) {
  return { ...plan, removed: [] }
}

/**
 * Whether a person wrote anything in the plan (pre-filled lines do not count).
 * @param {Plan|undefined} plan
 * @returns {boolean}
 */
export function hasContent (plan) {
  if (!plan || !plan.steps) return false
  return Object.values(plan.steps).some(a => entries(a.text).length > 0 || (a.people ?? []).some(p => p.name.trim() || p.phone.trim()))
}

/**
 * People in a step who have a name or a number.
 * @param {StepAnswer} answer
 * @returns {Person[]}
 */
export function filledPeople (answer) {
  return (answer?.people ?? []).filter(p => p.name.trim() || p.phone.trim())
}

/**
 * The whole plan as plain text, for Web Share or a message to oneself.
 * @param {Plan} plan
 * @param {Step[]} steps
 * @param {Service[]} services the pre-filled lines on show
 * @param {string} [title]
 * @returns {string}
 */
export function shareText (plan, steps, services, title = 'My safety plan') {
  const parts = [title]
  for (const step of steps) {
    const answer = plan.steps[step.slug] ?? { text: '', people: [] }
    const lines = entries(answer.text).map(e => `- ${e}`)
    for (const p of filledPeople(answer)) lines.push(`- ${[p.name.trim(), p.phone.trim()].filter(Boolean).join(': ')}`)
    if (step.contacts === 'services') {
      for (const s of services) lines.push(`- ${s.name}: ${s.contacts.map(c => c.label).join(', ')}`)
    }
    if (lines.length) parts.push(`${step.title}\n${lines.join('\n')}`)
  }
  return parts.join('\n\n')
}

/**
 * The size to draw a photo so its longest side is at most max, keeping its shape.
 * @param {number} width
 * @param {number} height
 * @param {number} [max]
 * @returns {{width: number, height: number}}
 */
export function fitWithin (width, height, max = MAX_PHOTO_SIDE) {
  const scale = Math.min(1, max / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/**
 * Whether a hope box item's data is in shape.
 * @param {unknown} data
 * @returns {boolean}
 */
export function isHopeItem (data) {
  if (!data || typeof data !== 'object' || !HOPE_KINDS.includes(data.kind)) return false
  if (data.kind === 'photo') return Boolean(data.photo && typeof data.photo.data === 'string' && /^image\//.test(data.photo.type))
  return typeof data.text === 'string' && data.text.trim() !== ''
}

/**
 * Hope box items in the order they show: newest first.
 * @param {Array<{created: string}>} records
 * @returns {Array<{created: string}>}
 */
export function hopeOrder (records) {
  return [...records].sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0))
}
