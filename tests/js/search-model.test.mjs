import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  buildIndex, crisisPhrase, editDistance, highlight, isCrisis, normalizeWord, parseQuery, readTuning, search, snippet,
  stem, terms, tokenize, typoBudget
} from '../../frontend/js/search-model.mjs'

const CASES = JSON.parse(readFileSync(new URL('../search-cases.json', import.meta.url), 'utf8'))
const indexes = Object.fromEntries(
  Object.entries(CASES.corpora).map(([name, data]) => [name, buildIndex({ ...data, tuning: CASES.tuning })])
)
const TUNING = readTuning(CASES.tuning)
const STOP = TUNING.stopWords

/** The marked words of a result, in title, heading and snippet order. */
function marks (result) {
  return [...result.titleParts, ...result.headingParts, ...result.snippet]
    .filter((p) => p.mark).map((p) => p.text)
}

for (const c of CASES.cases) {
  test(`search ${JSON.stringify(c.query)} in ${c.corpus}`, () => {
    const results = search(indexes[c.corpus], c.query)
    const got = results.slice(0, c.expect.length).map((r) => [r.url, r.section.anchor])
    assert.deepEqual(got, c.expect)
    if (c.expect.length === 0) assert.equal(results.length, 0)
    if (c.marks) assert.deepEqual(marks(results[0]), c.marks)
  })
}

test('stems match the shared table', () => {
  for (const [word, expected] of Object.entries(CASES.stems)) {
    assert.equal(stem(word), expected, word)
  }
})

test('edit distance is bounded and counts swapped neighbours as one', () => {
  for (const [a, b, max, expected] of CASES.distances) {
    assert.equal(editDistance(a, b, max), expected, `${a}/${b}`)
  }
})

test('words are folded: case, accents, curly apostrophes', () => {
  assert.equal(normalizeWord('Café'), 'cafe')
  assert.equal(normalizeWord('Don’t'), 'dont')
  assert.deepEqual(tokenize('Self-care, don’t stop!').map((t) => t.word), ['self', 'care', 'dont', 'stop'])
  assert.deepEqual(terms('The therapies and the sleeping', STOP), ['therapy', 'sleep'])
})

test('tokens keep their positions in the original text', () => {
  const text = 'Try ECT, then TMS.'
  for (const t of tokenize(text)) assert.equal(normalizeWord(text.slice(t.start, t.end)), t.word)
})

test('a query word typed apart is joined when the index knows it as one word', () => {
  const groups = parseQuery(indexes.guide, 'electro convulsive therapy')
  assert.deepEqual(groups.map((g) => g.word), ['electroconvulsive', 'therapy'])
  assert.equal(groups[0].alternatives[0].term, 'electroconvulsiv')
})

test('a word the index does not know is split into two it does', () => {
  assert.deepEqual(parseQuery(indexes.guide, 'selfcare').map((g) => g.word), ['self', 'care'])
})

test('the last word also matches as a prefix, for searching while typing', () => {
  const [group] = parseQuery(indexes.guide, 'ket')
  assert.deepEqual(group.alternatives.map((a) => a.term), ['ketamin'])
  assert.equal(search(indexes.guide, 'ket')[0].section.anchor, 'ketamine')
})

test('exact matches count more than typos', () => {
  const [group] = parseQuery(indexes.guide, 'lithum')
  assert.equal(group.alternatives[0].term, 'lithium')
  assert.ok(group.alternatives[0].weight < 1)
})

test('a title match outranks a heading match, which outranks a body match', () => {
  const order = search(indexes.ranking, 'hope').map((r) => r.url)
  assert.deepEqual(order, ['/a', '/b', '/c'])
})

test('results group sections by page and list other matching sections', () => {
  const [first] = search(indexes.guide, 'stimulation')
  assert.equal(first.url, '/guide/stim')
  assert.equal(first.section.anchor, 'tms')
  assert.deepEqual(first.more.map((m) => m.url), ['/guide/stim#electroconvulsive-therapy-ect'])
  assert.equal(search(indexes.guide, 'stimulation').length, 1)
})

test('a snippet shows the passage with the most query words, with ellipses', () => {
  const words = Array.from({ length: 80 }, (_, i) => `word${i}`)
  words[40] = 'lithium'
  words[43] = 'thyroid'
  const parts = snippet(words.join(' '), new Set(['lithium', 'thyroid']), TUNING)
  assert.equal(parts[0].text.startsWith('… '), true)
  assert.equal(parts.at(-1).text.endsWith(' …'), true)
  assert.deepEqual(parts.filter((p) => p.mark).map((p) => p.text), ['lithium', 'thyroid'])
  const text = parts.map((p) => p.text).join('')
  assert.ok(text.includes('word36 word37'))
})

test('a short text is shown whole; no match gives no marks', () => {
  assert.deepEqual(snippet('Rest is fine.', new Set(['rest']), TUNING), [
    { text: 'Rest', mark: true }, { text: ' is fine.', mark: false }
  ])
  assert.deepEqual(snippet('Rest is fine.', new Set(['sleep']), TUNING), [{ text: 'Rest is fine.', mark: false }])
  assert.deepEqual(snippet('', new Set(['sleep']), TUNING), [])
})

test('highlight marks every matching word, keeping the original spelling', () => {
  const parts = highlight('Therapies and therapy', new Set(['therapy']), STOP)
  assert.deepEqual(parts, [
    { text: 'Therapies', mark: true }, { text: ' and ', mark: false }, { text: 'therapy', mark: true }
  ])
})

test('stop words are never marked', () => {
  assert.deepEqual(highlight('the end', new Set(['the']), STOP), [{ text: 'the end', mark: false }])
})

test('the index reads its tuning from the data it is built from', () => {
  const index = buildIndex({ ...CASES.corpora.ranking, tuning: { ...CASES.tuning, max_more: 0 } })
  assert.equal(index.tuning.maxMore, 0)
  assert.equal(indexes.ranking.tuning.maxMore, CASES.tuning.max_more)
  assert.ok(index.tuning.stopWords.has('the'))
})

test('the typo budget grows with word length', () => {
  assert.deepEqual([3, 4, 7, 8, 20].map((n) => typoBudget(n, TUNING.typoLengths)), [0, 1, 1, 2, 2])
})

const CRISIS = JSON.parse(readFileSync(new URL('../crisis-cases.json', import.meta.url), 'utf8'))

for (const c of CRISIS.cases) {
  test(`crisis ${JSON.stringify(c.query)} is ${c.crisis ? '' : 'not '}a crisis query`, () => {
    const found = crisisPhrase(CRISIS.phrases, c.query, CRISIS.typo_lengths)
    assert.equal(found !== null, c.crisis, String(found))
  })
}

test('a crisis query gets no snippets, and a quiet section never does', () => {
  const data = {
    tuning: CASES.tuning,
    kinds: {},
    pages: [['guide', '/a', 'Feeling low'], ['guide', '/b', 'Warning signs']],
    sections: [
      [0, '', '', '', 'When you feel hopeless, small steps help. Sleep and routine matter.'],
      [1, 'Warning signs', 'signs', '', 'Signs to take seriously when someone feels hopeless.']
    ],
    quiet: [1],
    crisis: CRISIS.phrases
  }
  const index = buildIndex(data)
  assert.equal(isCrisis(index, 'feeling hopeless'), true)
  assert.ok(search(index, 'feeling hopeless').every((r) => r.snippet.length === 0))
  assert.equal(isCrisis(index, 'sleep'), false)
  const sleep = search(index, 'sleep')
  assert.ok(sleep[0].snippet.length > 0)
  const signs = search(index, 'signs')
  assert.equal(signs[0].url, '/b')
  assert.deepEqual(signs[0].snippet, [])
})

test('a snippet never cuts a figure from its context', () => {
  const tuning = readTuning({ ...CASES.tuning, snippet_words: 6, snippet_lead: 0 })
  const text = 'In one large study about 30 in 100 responded to the first medicine.'
  const parts = snippet(text, new Set(['respond']), tuning)
  const shown = parts.map((p) => p.text).join('')
  assert.match(shown, /30 in 100 responded/)
  assert.ok(!/… in 100/.test(shown))
})
