/**
 * Offline full-text search: tokenising, light stemming, typo and spacing
 * tolerance, BM25F ranking and highlighted snippets. Pure logic, no DOM.
 *
 * server/search/ implements the same steps in Python so that /search
 * without JavaScript ranks exactly like the live search; keep them in step.
 * Only code is mirrored: the stop words, weights and sizes both use come
 * inside the index data (its "tuning"), written once by server/search/tuning.py.
 */

const WORD_RE = new RegExp('[\\p{L}\\p{N}]+(?:[\\u0027\\u2019][\\p{L}\\p{N}]+)*', 'gu')
const MARKS_RE = new RegExp('[\\u0300-\\u036f]', 'g')
const APOSTROPHES_RE = new RegExp('[\\u0027\\u2019]', 'g')
const ASCII_WORD_RE = new RegExp('^[a-z0-9]+$')
const DIGIT_RE = new RegExp('[0-9]')
const IOUR_RE = new RegExp('iour', 'g')
const ISATION_RE = new RegExp('isation', 'g')
const UNDOUBLE_RE = new RegExp('([bcdfghjkmnpqrtvwxy])\\1$')

/**
 * Fold a word to its search form: lower case, accents and apostrophes removed.
 * @param {string} word
 * @returns {string}
 */
export function normalizeWord (word) {
  const lower = word.toLowerCase()
  if (ASCII_WORD_RE.test(lower)) return lower
  return lower.normalize('NFKD').replace(MARKS_RE, '').replace(APOSTROPHES_RE, '')
}

/**
 * Split text into words with their positions in the original string.
 * @param {string} text
 * @returns {{word: string, start: number, end: number}[]}
 */
export function tokenize (text) {
  const out = []
  for (const match of text.matchAll(WORD_RE)) {
    out.push({ word: normalizeWord(match[0]), start: match.index, end: match.index + match[0].length })
  }
  return out
}

/**
 * Read the tuning sent inside the index data.
 * @param {object} data the "tuning" of /search-index.json
 * @returns {{stopWords: Set<string>, fieldWeights: number[], fieldB: number[], k1: number,
 *   prefixWeight: number, typoWeights: number[], typoLengths: number[], maxExpansions: number,
 *   snippetWords: number, snippetLead: number, snippetFigureReach: number, maxMore: number}}
 */
export function readTuning (data) {
  return {
    stopWords: new Set(data.stop_words),
    fieldWeights: data.field_weights,
    fieldB: data.field_b,
    k1: data.k1,
    prefixWeight: data.prefix_weight,
    typoWeights: data.typo_weights,
    typoLengths: data.typo_lengths,
    maxExpansions: data.max_expansions,
    snippetWords: data.snippet_words,
    snippetLead: data.snippet_lead,
    snippetFigureReach: data.snippet_figure_reach,
    maxMore: data.max_more
  }
}

/**
 * Whether a normalised word is worth indexing or searching for.
 * @param {string} word
 * @param {Set<string>} stopWords
 * @returns {boolean}
 */
export function isSearchable (word, stopWords) {
  return (word.length > 1 || DIGIT_RE.test(word)) && !stopWords.has(word)
}

/**
 * Drop a doubled final consonant ("stopp" becomes "stop").
 * @param {string} word
 * @returns {string}
 */
function undouble (word) {
  return UNDOUBLE_RE.test(word) ? word.slice(0, -1) : word
}

/**
 * Light English stemming: British spellings (-iour, -isation), plurals, -ing,
 * -ed, -ly and a final e, so that "therapies" meets "therapy", "behavioural"
 * meets "behavioral" and "ketamin" meets "ketamine".
 * @param {string} word a normalised word
 * @returns {string}
 */
export function stem (word) {
  let cached = STEMS.get(word)
  if (cached === undefined) {
    if (STEMS.size > 50000) STEMS.clear()
    cached = stemUncached(word)
    STEMS.set(word, cached)
  }
  return cached
}

/** Stems already worked out: the guide has a few thousand distinct words. */
const STEMS = new Map()

/**
 * stem() without the memo.
 * @param {string} word
 * @returns {string}
 */
function stemUncached (word) {
  let w = word
  if (w.length <= 3 || DIGIT_RE.test(w)) return w
  w = w.replace(IOUR_RE, 'ior').replace(ISATION_RE, 'ization')
  if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) {
    w = w.slice(0, -3) + 'y'
  } else if (w.endsWith('es') && !w.endsWith('aes') && !w.endsWith('ees') && !w.endsWith('oes')) {
    w = w.slice(0, -1)
  } else if (w.endsWith('s') && !w.endsWith('us') && !w.endsWith('ss')) {
    w = w.slice(0, -1)
  }
  if (w.endsWith('ing') && w.length >= 7) {
    w = undouble(w.slice(0, -3))
  } else if (w.endsWith('ied') && w.length >= 5) {
    w = w.slice(0, -3) + 'y'
  } else if (w.endsWith('ed') && w.length >= 6) {
    w = undouble(w.slice(0, -2))
  } else if (w.endsWith('ly') && w.length >= 6) {
    w = w.slice(0, -2)
  }
  if (w.endsWith('e') && w.length >= 5) w = w.slice(0, -1)
  return w
}

/**
 * The index terms of a text, in order (stop words left out).
 * @param {string} text
 * @param {Set<string>} stopWords
 * @returns {string[]}
 */
export function terms (text, stopWords) {
  const out = []
  for (const match of text.matchAll(WORD_RE)) {
    const word = normalizeWord(match[0])
    if (isSearchable(word, stopWords)) out.push(stem(word))
  }
  return out
}

/**
 * Split text into words with positions and their index term (null for stop words).
 * @param {string} text
 * @param {Set<string>} stopWords
 * @returns {{word: string, start: number, end: number, term: string | null}[]}
 */
export function indexTokens (text, stopWords) {
  const tokens = tokenize(text)
  for (const token of tokens) token.term = isSearchable(token.word, stopWords) ? stem(token.word) : null
  return tokens
}

/** Rows reused by editDistance(), so a query makes no garbage per word compared. */
let SCRATCH = [0, 1, 2].map(() => new Uint16Array(64))

/**
 * Optimal string alignment distance (edits, with swaps of neighbours), or
 * max + 1 as soon as it is certain to exceed max.
 * @param {string} a
 * @param {string} b
 * @param {number} max
 * @returns {number}
 */
export function editDistance (a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1
  const width = b.length + 1
  if (SCRATCH[0].length < width) SCRATCH = [0, 1, 2].map(() => new Uint16Array(width * 2))
  let [prev2, prev, row] = SCRATCH
  for (let j = 0; j < width; j++) prev[j] = j
  for (let i = 1; i <= a.length; i++) {
    row[0] = i
    let best = i
    for (let j = 1; j < width; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2] + 1)
      }
      row[j] = d
      if (d < best) best = d
    }
    if (best > max) return max + 1
    const spare = prev2
    prev2 = prev
    prev = row
    row = spare
  }
  return prev[b.length]
}

/**
 * How many typos a query word of this length may carry.
 * @param {number} length
 * @param {number[]} typoLengths one more typo from each of these lengths on
 * @returns {number}
 */
export function typoBudget (length, typoLengths) {
  return typoLengths.filter((atLeast) => length >= atLeast).length
}

/**
 * Build the searchable index from the data served at /search-index.json.
 * @param {{v: number, tuning: object, kinds: Object<string, string>, pages: Array<[string, string, string]>,
 *   sections: Array<[number, string, string, string, string]>, quiet?: number[], crisis?: string[]}} data
 *   quiet: sections never shown as a snippet; crisis: phrases that make results lead with help
 * @returns {object} an index for search()
 */
export function buildIndex (data) {
  const tuning = readTuning(data.tuning)
  const pages = data.pages.map(([kind, url, title]) => ({ kind, url, title }))
  const postings = new Map()
  const lengthSums = [0, 0, 0]
  const sections = data.sections.map(([page, heading, anchor, sub, body], id) => {
    const fields = [pages[page].title, heading + '\n' + sub, body]
    const lengths = []
    fields.forEach((text, f) => {
      const list = terms(text, tuning.stopWords)
      lengths.push(list.length)
      lengthSums[f] += list.length
      for (const term of list) {
        let byDoc = postings.get(term)
        if (!byDoc) postings.set(term, (byDoc = new Map()))
        let tf = byDoc.get(id)
        if (!tf) byDoc.set(id, (tf = [0, 0, 0]))
        tf[f] += 1
      }
    })
    const url = pages[page].url + (anchor ? '#' + anchor : '')
    return { id, page, heading, anchor, body, bodyTokens: null, url, lengths }
  })
  const count = sections.length
  const averages = lengthSums.map((sum) => (count && sum ? sum / count : 1))
  const vocab = [...postings.keys()].sort(compareStrings)
  const byLength = new Map()
  for (const term of vocab) {
    if (!byLength.has(term.length)) byLength.set(term.length, [])
    byLength.get(term.length).push(term)
  }
  const idf = new Map()
  for (const [term, byDoc] of postings) {
    const df = byDoc.size
    idf.set(term, Math.log(1 + (count - df + 0.5) / (df + 0.5)))
  }
  const quiet = new Set(data.quiet || [])
  const crisis = data.crisis || []
  return { tuning, kinds: data.kinds, pages, sections, postings, averages, vocab, byLength, idf, quiet, crisis }
}

/**
 * Compare strings by code unit, the same order Python uses for these terms.
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
function compareStrings (a, b) {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * First position in the sorted vocabulary not before term.
 * @param {string[]} vocab
 * @param {string} term
 * @returns {number}
 */
function lowerBound (vocab, term) {
  let lo = 0
  let hi = vocab.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (vocab[mid] < term) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Split a word into two known words ("selfcare" into "self care"), if it can be.
 * @param {object} index
 * @param {string} word a normalised word
 * @returns {string[] | null}
 */
function splitWord (index, word) {
  for (let i = 3; i <= word.length - 3; i++) {
    const left = word.slice(0, i)
    const right = word.slice(i)
    const stopWords = index.tuning.stopWords
    if (isSearchable(left, stopWords) && isSearchable(right, stopWords) &&
        index.postings.has(stem(left)) && index.postings.has(stem(right))) {
      return [left, right]
    }
  }
  return null
}

/**
 * Turn a query into groups of weighted alternative index terms, one group per
 * word meant. Words typed apart that the index knows as one are joined;
 * a word the index does not know is split if both halves are known.
 * @param {object} index from buildIndex()
 * @param {string} query
 * @returns {{word: string, alternatives: {term: string, weight: number}[]}[]}
 */
export function parseQuery (index, query) {
  const words = tokenize(query).map((t) => t.word).filter((w) => w.length > 0)
  const wanted = []
  for (let i = 0; i < words.length; i++) {
    if (i + 1 < words.length && index.postings.has(stem(words[i] + words[i + 1]))) {
      wanted.push(words[i] + words[i + 1])
      i++
      continue
    }
    if (!isSearchable(words[i], index.tuning.stopWords)) continue
    const split = index.postings.has(stem(words[i])) ? null : splitWord(index, words[i])
    wanted.push(...(split || [words[i]]))
  }
  return wanted.map((word, position) => ({
    word,
    alternatives: expand(index, stem(word), position === wanted.length - 1)
  }))
}

/**
 * The index terms a query term may stand for, best first.
 * @param {object} index
 * @param {string} term a stemmed query term
 * @param {boolean} last whether it is the last word (maybe still being typed)
 * @returns {{term: string, weight: number}[]}
 */
function expand (index, term, last) {
  const { prefixWeight, typoWeights, typoLengths, maxExpansions } = index.tuning
  const found = new Map()
  const exact = index.postings.has(term)
  if (exact) found.set(term, 1)
  if (term.length >= (last ? 3 : 4)) {
    for (let i = lowerBound(index.vocab, term); i < index.vocab.length; i++) {
      const other = index.vocab[i]
      if (!other.startsWith(term)) break
      if (!found.has(other)) found.set(other, prefixWeight)
    }
  }
  const budget = exact ? 0 : typoBudget(term.length, typoLengths)
  for (let len = term.length - budget; budget > 0 && len <= term.length + budget; len++) {
    for (const other of index.byLength.get(len) || []) {
      const distance = editDistance(term, other, budget)
      if (distance <= budget && distance > 0 && (found.get(other) || 0) < typoWeights[distance]) {
        found.set(other, typoWeights[distance])
      }
    }
  }
  const list = [...found].map(([t, weight]) => ({ term: t, weight, df: index.postings.get(t).size }))
  list.sort((a, b) => b.weight - a.weight || b.df - a.df || compareStrings(a.term, b.term))
  return list.slice(0, maxExpansions).map(({ term: t, weight }) => ({ term: t, weight }))
}

/**
 * Round a score so that both implementations order ties the same way.
 * @param {number} score
 * @returns {number}
 */
export function roundScore (score) {
  return Math.floor(score * 1e6 + 0.5) / 1e6
}

/**
 * Score every section against a parsed query (BM25F with a bonus for
 * matching more of the query's words).
 * @param {object} index
 * @param {ReturnType<typeof parseQuery>} groups
 * @returns {{id: number, score: number, matched: Set<string>}[]} best first
 */
export function scoreSections (index, groups) {
  const { fieldWeights, fieldB, k1 } = index.tuning
  const hits = new Map()
  groups.forEach((group, g) => {
    for (const { term, weight } of group.alternatives) {
      const idf = index.idf.get(term)
      for (const [id, tf] of index.postings.get(term)) {
        const section = index.sections[id]
        let weighted = 0
        for (let f = 0; f < 3; f++) {
          const norm = 1 - fieldB[f] + fieldB[f] * section.lengths[f] / index.averages[f]
          weighted += fieldWeights[f] * tf[f] / norm
        }
        const value = weight * idf * weighted * (k1 + 1) / (weighted + k1)
        let hit = hits.get(id)
        if (!hit) hits.set(id, (hit = { best: new Array(groups.length).fill(0), matched: new Set() }))
        if (value > hit.best[g]) hit.best[g] = value
        hit.matched.add(term)
      }
    }
  })
  const scored = []
  for (const [id, hit] of hits) {
    let sum = 0
    let matchedGroups = 0
    for (const value of hit.best) {
      sum += value
      if (value > 0) matchedGroups++
    }
    scored.push({ id, score: roundScore(sum * matchedGroups / groups.length), matched: hit.matched })
  }
  scored.sort((a, b) => b.score - a.score || a.id - b.id)
  return scored
}

/**
 * Split text into plain and highlighted parts: words whose index term is in
 * terms are marked.
 * @param {string} text
 * @param {Set<string>} matched index terms to mark
 * @param {Set<string>} stopWords
 * @param {number} [from] first character to include
 * @param {number} [to] last character (exclusive)
 * @param {ReturnType<typeof indexTokens>} [tokens] the text's tokens, if known
 * @returns {{text: string, mark: boolean}[]}
 */
export function highlight (text, matched, stopWords, from = 0, to = text.length, tokens = indexTokens(text, stopWords)) {
  const parts = []
  let at = from
  for (const token of tokens) {
    if (token.start < from) continue
    if (token.end > to) break
    if (token.term !== null && matched.has(token.term)) {
      if (token.start > at) parts.push({ text: text.slice(at, token.start), mark: false })
      parts.push({ text: text.slice(token.start, token.end), mark: true })
      at = token.end
    }
  }
  if (at < to) parts.push({ text: text.slice(at, to), mark: false })
  return parts
}

/**
 * Whether a word is (part of) a figure.
 * @param {{word: string}} token
 * @returns {boolean}
 */
function hasDigit (token) {
  return DIGIT_RE.test(token.word)
}

/**
 * Widen a snippet window so that it neither starts nor ends inside a figure
 * ("30 in 100 responded", never "… in 100 responded").
 * @param {{word: string}[]} tokens
 * @param {number} start first word of the window
 * @param {number} end word after the window
 * @param {number} reach at most this many words more at each end
 * @returns {[number, number]}
 */
function keepFigures (tokens, start, end, reach) {
  for (let i = 0; i < reach; i++) {
    if (start > 0 && (hasDigit(tokens[start]) || hasDigit(tokens[start - 1]))) start--
  }
  for (let i = 0; i < reach; i++) {
    if (end < tokens.length && (hasDigit(tokens[end - 1]) || hasDigit(tokens[end]))) end++
  }
  return [start, end]
}

/**
 * The passage of text with the most distinct matched terms, highlighted.
 * @param {string} text
 * @param {Set<string>} matched index terms to mark
 * @param {ReturnType<typeof readTuning>} tuning
 * @param {ReturnType<typeof indexTokens>} [tokens] the text's tokens, if known
 * @returns {{text: string, mark: boolean}[]}
 */
export function snippet (text, matched, tuning, tokens = indexTokens(text, tuning.stopWords)) {
  const { snippetWords, snippetLead } = tuning
  if (tokens.length === 0) return []
  const isHit = tokens.map((t) => t.term !== null && matched.has(t.term))
  let start = 0
  let best = [-1, -1]
  tokens.forEach((_, h) => {
    if (!isHit[h]) return
    let from = Math.max(0, h - snippetLead)
    const to = Math.min(tokens.length, from + snippetWords)
    from = Math.max(0, to - snippetWords)
    const distinct = new Set()
    let count = 0
    for (let i = from; i < to; i++) {
      if (isHit[i]) {
        distinct.add(tokens[i].term)
        count++
      }
    }
    if (distinct.size > best[0] || (distinct.size === best[0] && count > best[1])) {
      best = [distinct.size, count]
      start = from
    }
  })
  const [first, end] = keepFigures(tokens, start, Math.min(tokens.length, start + snippetWords), tuning.snippetFigureReach)
  start = first
  const from = start > 0 ? tokens[start].start : 0
  const to = end < tokens.length ? tokens[end - 1].end : text.length
  const parts = highlight(text, matched, tuning.stopWords, from, to, tokens)
  if (start > 0) parts.unshift({ text: '… ', mark: false })
  if (end < tokens.length) parts.push({ text: ' …', mark: false })
  return mergeParts(parts)
}

/**
 * Join neighbouring parts that are both plain or both marked.
 * @param {{text: string, mark: boolean}[]} parts
 * @returns {{text: string, mark: boolean}[]}
 */
function mergeParts (parts) {
  const out = []
  for (const part of parts) {
    const last = out[out.length - 1]
    if (last && !last.mark && !part.mark) last.text += part.text
    else out.push({ ...part })
  }
  return out
}

/**
 * Search the index. Results are pages (articles, tools, help), best first,
 * each with its best section, a highlighted snippet and other matching sections.
 * @param {object} index from buildIndex()
 * @param {string} query what the person typed
 * @param {{limit?: number}} [options]
 * @returns {object[]}
 */
export function search (index, query, { limit = 10 } = {}) {
  const groups = parseQuery(index, query)
  if (groups.length === 0) return []
  const stopWords = index.tuning.stopWords
  // A crisis query, and a quiet section, get no snippet: results then never
  // quote a list of warning signs or means.
  const quietAll = isCrisis(index, query)
  const results = []
  const byPage = new Map()
  for (const hit of scoreSections(index, groups)) {
    const section = index.sections[hit.id]
    const existing = byPage.get(section.page)
    if (existing) {
      if (existing.more.length < index.tuning.maxMore && section.heading) {
        existing.more.push({ heading: section.heading, anchor: section.anchor, url: section.url })
      }
      continue
    }
    if (results.length >= limit) continue
    const page = index.pages[section.page]
    const result = {
      kind: page.kind,
      url: page.url,
      title: page.title,
      titleParts: highlight(page.title, hit.matched, stopWords),
      section: { heading: section.heading, anchor: section.anchor, url: section.url },
      headingParts: highlight(section.heading, hit.matched, stopWords),
      snippet: quietAll || index.quiet.has(hit.id)
        ? []
        : snippet(section.body, hit.matched, index.tuning, (section.bodyTokens ??= indexTokens(section.body, stopWords))),
      score: hit.score,
      more: []
    }
    byPage.set(section.page, result)
    results.push(result)
  }
  return results
}

/** At most this many phrase words may be typed as one query word. */
const MAX_JOINED = 3

/**
 * The folded words of a crisis phrase or a query.
 * @param {string} text
 * @returns {string[]}
 */
export function phraseWords (text) {
  return tokenize(text).map((t) => t.word).filter((w) => w.length > 0)
}

/**
 * Whether a typed word stands for a phrase word, allowing typos.
 * @param {string} typed
 * @param {string} wanted
 * @param {number[]} typoLengths
 * @returns {boolean}
 */
function closeWord (typed, wanted, typoLengths) {
  const term = stem(typed)
  const target = stem(wanted)
  const budget = typoBudget(Math.min(term.length, target.length), typoLengths)
  return editDistance(term, target, budget) <= budget
}

/**
 * Whether phrase[p:] is met by the query words from q on.
 * @param {string[]} query
 * @param {number} q
 * @param {string[]} phrase
 * @param {number} p
 * @param {number[]} typoLengths
 * @returns {boolean}
 */
function matchesAt (query, q, phrase, p, typoLengths) {
  if (p === phrase.length) return true
  if (q === query.length) return false
  if (closeWord(query[q], phrase[p], typoLengths) && matchesAt(query, q + 1, phrase, p + 1, typoLengths)) {
    return true
  }
  if (q + 1 < query.length && stem(query[q] + query[q + 1]) === stem(phrase[p]) &&
      matchesAt(query, q + 2, phrase, p + 1, typoLengths)) {
    return true
  }
  for (let k = 2; k <= MAX_JOINED; k++) {
    if (p + k <= phrase.length && stem(query[q]) === stem(phrase.slice(p, p + k).join('')) &&
        matchesAt(query, q + 1, phrase, p + k, typoLengths)) {
      return true
    }
  }
  return false
}

/**
 * The first crisis phrase a query expresses, or null. server/search/crisis.py
 * takes the same steps: each phrase word is met by one query word within
 * search's typo budget, or exactly by two words typed apart, or two or three
 * phrase words by one typed together; whole words, in order.
 * @param {readonly string[]} phrases the reviewed phrases (the index's "crisis")
 * @param {string} query what the person typed
 * @param {number[]} typoLengths the tuning's typo lengths
 * @returns {string | null}
 */
export function crisisPhrase (phrases, query, typoLengths) {
  const words = phraseWords(query)
  for (const phrase of phrases) {
    const wanted = phraseWords(phrase)
    for (let q = 0; q < words.length; q++) {
      if (matchesAt(words, q, wanted, 0, typoLengths)) return phrase
    }
  }
  return null
}

/**
 * Whether a query expresses a crisis, so the results lead with the help block.
 * @param {object} index from buildIndex()
 * @param {string} query
 * @returns {boolean}
 */
export function isCrisis (index, query) {
  return crisisPhrase(index.crisis, query, index.tuning.typoLengths) !== null
}
