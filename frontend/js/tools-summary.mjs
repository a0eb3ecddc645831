/**
 * Gentle totals on /tools ([data-module="tools-summary"]): minutes in the past
 * seven days and the tools that left you feeling a little better. Read from
 * IndexedDB on this device. No streaks, no targets.
 */
import { allSessions, clearSessions } from './tools-store.mjs'
import { summarise, minutesInWords, times } from './tools-summary-model.mjs'

/**
 * Fill in the totals in $root.
 * @param {HTMLElement} $root
 * @param {{store?: Function, now?: () => number}} [options] for tests
 */
export async function init ($root, options = {}) {
  const { store, now = () => Date.now() } = options
  const q = sel => $root.querySelector(sel)
  const $empty = q('[data-summary-empty]')
  const $filled = q('[data-summary-filled]')
  const $status = q('[data-summary-status]')
  const $clear = q('[data-summary-clear]')
  const $confirm = q('#summary-confirm')

  const render = async () => {
    let sessions = []
    try {
      sessions = await allSessions(store)
    } catch (error) {
      if (error.name === 'LockedError') {
        $empty.textContent = 'Your tool history is locked. Unlock it on the Your data page to see it here.'
        return
      }
      console.warn('Wayfinder: could not read tool history', error)
      $empty.textContent = 'This browser is not letting Wayfinder keep anything on this device, so there are no totals to show. The tools still work.'
      return
    }
    const totals = summarise(sessions, now())
    if (totals.total === 0) {
      $empty.hidden = false
      $filled.hidden = true
      $empty.textContent = 'When you use a tool, the time you spent shows up here. It is kept only on this device.'
      return
    }
    $empty.hidden = true
    $filled.hidden = false
    q('[data-summary-minutes]').textContent = totals.weekSessions
      ? `In the past 7 days you spent ${minutesInWords(totals.weekMs)} with the tools`
      : 'You have not used the tools in the past 7 days, and that is okay.'
    q('[data-summary-sessions]').textContent = totals.weekSessions
      ? `(${totals.weekSessions} ${totals.weekSessions === 1 ? 'time' : 'times'}).`
      : 'They are here whenever you want them.'
    const $helpful = q('[data-summary-helpful]')
    $helpful.replaceChildren(...totals.helpful.map(item => {
      const $li = document.createElement('li')
      const $a = document.createElement('a')
      $a.href = `/tools/${item.tool}`
      $a.textContent = item.title
      $li.append($a, ` (${times(item.times)})`)
      return $li
    }))
    q('[data-summary-helpful-wrap]').hidden = totals.helpful.length === 0
    $root.dataset.ready = 'true'
  }

  $clear.addEventListener('click', () => {
    $confirm.hidden = false
    $clear.setAttribute('aria-expanded', 'true')
    q('[data-summary-keep]').focus()
  })
  q('[data-summary-keep]').addEventListener('click', () => {
    $confirm.hidden = true
    $clear.setAttribute('aria-expanded', 'false')
    $clear.focus()
  })
  q('[data-summary-confirm]').addEventListener('click', async () => {
    await clearSessions(store)
    $confirm.hidden = true
    $clear.setAttribute('aria-expanded', 'false')
    $status.textContent = 'Your tool history is cleared from this device.'
    await render()
    q('#summary-heading').setAttribute('tabindex', '-1')
    q('#summary-heading').focus()
  })
  await render()
  $root.dataset.ready = 'true'
}
