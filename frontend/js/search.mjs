/**
 * Live search: enhances the search form on /guide and /search. Loads the
 * index (precached for offline use) when the box is first used, then shows
 * results as the person types. A query that expresses a crisis shows the
 * help block first (its phrases come inside the index). Without JavaScript the form still works: it
 * asks the server, which ranks the same way.
 */
import { buildIndex, isCrisis, search } from './search-model.mjs'

/** Wait this long after the last key press before announcing the count. */
const ANNOUNCE_DELAY_MS = 700

let loading = null

/**
 * Load and build the index once per page.
 * @param {string} url where the index lives (the service worker precaches it)
 * @returns {Promise<object>}
 */
export function loadIndex (url) {
  loading ??= fetch(url)
    .then((response) => {
      if (!response.ok) throw new Error(`search index: HTTP ${response.status}`)
      return response.json()
    })
    .then(buildIndex)
  loading.catch(() => { loading = null })
  return loading
}

/**
 * Create an element with a class and optional text.
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function el (tag, className, text) {
  const $el = document.createElement(tag)
  if (className) $el.className = className
  if (text !== undefined) $el.textContent = text
  return $el
}

/**
 * Append text parts to an element, wrapping highlighted parts in <mark>.
 * @param {HTMLElement} $el
 * @param {{text: string, mark: boolean}[]} parts
 * @returns {HTMLElement} the element
 */
function appendParts ($el, parts) {
  for (const part of parts) {
    $el.append(part.mark ? el('mark', '', part.text) : document.createTextNode(part.text))
  }
  return $el
}

/**
 * Build a link.
 * @param {string} href
 * @returns {HTMLAnchorElement}
 */
function link (href) {
  const $a = el('a')
  $a.href = href
  return $a
}

/**
 * Describe how many results there are, as the server does.
 * @param {number} count
 * @param {string} query
 * @returns {string}
 */
export function summaryText (count, query) {
  return `${count} ${count === 1 ? 'result' : 'results'} for “${query}”`
}

/**
 * Render results into the container, replacing what was there.
 * @param {HTMLElement} $results
 * @param {string} query
 * @param {object[]} results from search()
 * @param {{kinds: Object<string, string>, guideUrl: string, helpUrl: string}} labels
 *   what each kind of page is called (from the index), and where to go instead
 */
export function renderResults ($results, query, results, { kinds, guideUrl, helpUrl }) {
  $results.replaceChildren()
  if (!query) return
  $results.append(el('h2', 'search__summary', summaryText(results.length, query)))
  if (results.length === 0) {
    const $empty = el('p', 'search__empty', 'Nothing matched. Try fewer words or a different word, or ')
    $empty.append(Object.assign(link(guideUrl), { textContent: 'browse the guide' }),
      '. If you need help now, ', Object.assign(link(helpUrl), { textContent: 'see crisis lines' }), '.')
    $results.append($empty)
    return
  }
  const $list = el('ol', 'search-results')
  for (const result of results) {
    const $item = el('li', 'search-result')
    $item.append(el('p', 'search-result__kind', kinds[result.kind] || 'Page'))
    const $title = el('h3', 'search-result__title')
    $title.append(appendParts(link(result.url), result.titleParts))
    $item.append($title)
    if (result.section.heading) {
      const $section = el('p', 'search-result__section', 'Section: ')
      $section.append(appendParts(link(result.section.url), result.headingParts))
      $item.append($section)
    }
    if (result.snippet.length) $item.append(appendParts(el('p', 'search-result__snippet'), result.snippet))
    if (result.more.length) {
      const $more = el('p', 'search-result__more', 'Also here: ')
      result.more.forEach((other, i) => {
        if (i) $more.append(', ')
        $more.append(Object.assign(link(other.url), { textContent: other.heading }))
      })
      $item.append($more)
    }
    $list.append($item)
  }
  $results.append($list)
}

/**
 * Start live search on a [data-module="search"] element.
 * @param {HTMLElement} $root
 */
export function init ($root) {
  const $form = $root.querySelector('form')
  const $input = $root.querySelector('input[name="q"]')
  const $results = $root.querySelector('[data-search-results]')
  const $status = $root.querySelector('[data-search-status]')
  if (!$form || !$input || !$results) return
  const onPage = $root.dataset.searchMode === 'page'
  let index = null
  // On the page, the server already shows the results for the query it was
  // asked (the input's value attribute); anything typed before this module
  // started is searched once the index is ready.
  let shown = onPage ? $input.defaultValue.trim() : ''
  // Offline, the worker answers /search?q=... with the precached /search, so
  // take the query from the address and search here.
  const asked = onPage ? new URLSearchParams(location.search).get('q') : null
  if (asked && !$input.value.trim()) $input.value = asked
  let announceTimer = 0

  const run = () => {
    if (!index) {
      prepare()
      return
    }
    const query = $input.value.trim().replace(/\s+/g, ' ')
    if (query === shown) return
    shown = query
    const results = search(index, query)
    // A crisis query leads with the help block, before any result.
    const $help = $root.querySelector('[data-crisis-help]')
    if ($help) $help.hidden = !(query && isCrisis(index, query))
    const { guideUrl, helpUrl } = $root.dataset
    renderResults($results, query, results, { kinds: index.kinds, guideUrl, helpUrl })
    $root.dataset.searchShown = query
    if (onPage) {
      const page = $form.getAttribute('action')
      const url = query ? `${page}?q=${encodeURIComponent(query)}` : page
      history.replaceState(null, '', url)
      document.title = (query ? `Search: ${query}` : 'Search') + ' · Wayfinder'
    }
    clearTimeout(announceTimer)
    if ($status) {
      announceTimer = setTimeout(() => {
        $status.textContent = query ? summaryText(results.length, query) : ''
      }, ANNOUNCE_DELAY_MS)
    }
  }

  function prepare () {
    return loadIndex($root.dataset.indexUrl).then((built) => {
      index = built
      $root.dataset.searchIndex = 'ready'
      run()
    }).catch((error) => {
      console.warn('Wayfinder: search works through the server for now', error)
    })
  }

  $input.addEventListener('focus', prepare, { once: true })
  $input.addEventListener('input', run)
  $form.addEventListener('submit', (event) => {
    if (!index) return
    event.preventDefault()
    run()
    $results.querySelector('.search__summary')?.setAttribute('tabindex', '-1')
    $results.querySelector('.search__summary')?.focus()
  })
  if (onPage || document.activeElement === $input) prepare()
}
