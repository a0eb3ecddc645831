/**
 * The "Offline storage" panel on /about: what is saved, how much space it
 * takes, whether the browser promised to keep it, and a "Keep available
 * offline" button that asks for persistent storage.
 */
import { requestPersistentStorage, workerStatus } from './sw-bridge.mjs'
import { describePersistAnswer, describePersisted, describeSaved, formatBytes } from './sw-bridge-model.mjs'

async function persisted () {
  return navigator.storage && navigator.storage.persisted ? navigator.storage.persisted() : null
}

async function usage () {
  if (!navigator.storage || !navigator.storage.estimate) return 'This browser does not say.'
  const { usage: bytes } = await navigator.storage.estimate()
  return formatBytes(bytes)
}

/**
 * Fill in the panel and wire its button.
 * @param {HTMLElement} $el the panel ([data-module="offline-storage"])
 */
export async function init ($el) {
  const $facts = $el.querySelector('[data-offline-facts]')
  const $saved = $el.querySelector('[data-offline-saved]')
  const $usage = $el.querySelector('[data-offline-usage]')
  const $persisted = $el.querySelector('[data-offline-persisted]')
  const $keep = $el.querySelector('[data-keep-offline]')
  const $answer = $el.querySelector('[data-keep-offline-answer]')
  const supported = 'serviceWorker' in navigator

  async function refresh () {
    $saved.textContent = describeSaved(supported ? await workerStatus() : null, supported, $saved.dataset.contentDate)
    $usage.textContent = await usage()
    const kept = await persisted()
    $persisted.textContent = describePersisted(kept)
    $keep.hidden = kept !== false
  }

  $facts.hidden = false
  $keep.querySelector('button').addEventListener('click', async () => {
    const granted = await requestPersistentStorage()
    $answer.textContent = describePersistAnswer(granted)
    await refresh()
  })
  await refresh()
  if (supported) navigator.serviceWorker.ready.then(refresh)
}
