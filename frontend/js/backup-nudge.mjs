/**
 * A gentle line suggesting a backup ([data-module="backup-nudge"]), shown
 * only when there is personal data and no backup (or "Not now") in 30 days.
 * No badge, no count, and "Not now" puts it away for another 30 days.
 */
import { personalStore } from './personal-store.mjs'
import { backupDue } from './personal-model.mjs'

/**
 * Show the line if a backup is due, and wire "Not now".
 * @param {HTMLElement} $el the hidden line
 * @param {{store?: import('./personal-store.mjs').PersonalStore}} [options]
 */
export async function init ($el, { store = personalStore() } = {}) {
  try {
    const { records, locked } = await store.overview()
    const personal = records.filter(r => r.type !== 'preference').length + locked
    const due = backupDue({
      records: personal,
      lastBackup: (await store.getMeta('lastBackup')) ?? null,
      dismissedAt: (await store.getMeta('nudgeDismissedAt')) ?? null,
      now: Date.now()
    })
    if (!due) return
    $el.hidden = false
    $el.querySelector('[data-nudge-dismiss]').addEventListener('click', async () => {
      $el.hidden = true
      await store.setMeta('nudgeDismissedAt', Date.now())
    })
  } catch (error) {
    console.warn('Wayfinder: could not check for a backup', error)
  } finally {
    $el.dataset.checked = 'true'
  }
}
