/**
 * /my-data ([data-module="my-data"]): save a backup, restore one, set or
 * remove the lock, and delete everything. The rules live in
 * personal-model.mjs and the storage in personal-store.mjs; this module only
 * reads the form and writes words.
 */
import { personalStore } from './personal-store.mjs'
import { backupFileName, describePlan, describeRecords, shouldLock } from './personal-model.mjs'
import { fillFacts } from './data-facts.mjs'
import { createApi } from './reminders-api.mjs'
import { unsubscribe } from './reminders-lifecycle.mjs'
import { loadRecord } from './reminders-store.mjs'

/** How often the idle lock looks at the clock. */
const CHECK_MS = 10000

/**
 * Start the page.
 * @param {HTMLElement} $root
 * @param {{store?: import('./personal-store.mjs').PersonalStore}} [options]
 */
export async function init ($root, { store = personalStore() } = {}) {
  const page = new MyData($root, store)
  await page.render()
  page.wire()
  return page
}

class MyData {
  constructor ($root, store) {
    this.$root = $root
    this.store = store
    this.appVersion = $root.dataset.appVersion || 'unknown'
    this.pending = null
    this.pendingFile = null
    this.lastActive = Date.now()
    this.hiddenSince = null
    this.idleMs = 0
    this.timer = 0
  }

  q (selector) {
    return this.$root.querySelector(selector)
  }

  say (name, text) {
    this.q(`[data-${name}-status]`).textContent = text
  }

  /** Show the locked or open view, the lock's state and the facts. */
  async render () {
    const locked = await this.store.isLocked()
    const lock = await this.store.lockRecord()
    this.q('[data-unlock]').hidden = !locked
    this.q('[data-open]').hidden = locked
    this.q('[data-delete]').hidden = false
    this.q('[data-lock-off]').hidden = Boolean(lock)
    this.q('[data-lock-on]').hidden = !lock
    this.q('[data-plain-choice]').hidden = !lock
    const minutes = (await this.store.getMeta('lockAfterMinutes')) ?? 5
    this.idleMs = lock && !locked ? minutes * 60000 : 0
    this.q('[data-lock-after-words]').textContent = minutes === 60 ? '1 hour' : `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`
    this.q('[data-backup-share]').hidden = !this.canShare()
    await fillFacts(this.$root, this.store)
  }

  canShare () {
    try {
      const file = new File(['{}'], 'test.json', { type: 'application/json' })
      return typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] })
    } catch {
      return false
    }
  }

  wire () {
    this.q('[data-unlock-form]').addEventListener('submit', event => this.onUnlock(event))
    this.q('[data-backup-save]').addEventListener('click', () => this.onBackup('download'))
    this.q('[data-backup-share]').addEventListener('click', () => this.onBackup('share'))
    this.q('[data-restore-file]').addEventListener('change', () => this.onChooseFile())
    this.q('[data-restore-passphrase]').addEventListener('submit', event => this.onRestorePassphrase(event))
    this.q('[data-restore-confirm]').addEventListener('click', () => this.onRestore())
    this.q('[data-restore-cancel]').addEventListener('click', () => this.resetRestore('Nothing was changed.'))
    this.q('[data-lock-form]').addEventListener('submit', event => this.onSetLock(event))
    this.q('[data-lock-now]').addEventListener('click', () => this.lockNow())
    this.q('[data-lock-remove]').addEventListener('click', () => this.onRemoveLock())
    this.q('[data-delete-ask]').addEventListener('click', () => this.toggleDelete(true))
    this.q('[data-delete-cancel]').addEventListener('click', () => this.toggleDelete(false))
    this.q('[data-delete-confirm-button]').addEventListener('click', () => this.onDeleteEverything())
    for (const type of ['pointerdown', 'keydown', 'input']) {
      document.addEventListener(type, () => { this.lastActive = Date.now() }, { passive: true })
    }
    document.addEventListener('visibilitychange', () => {
      this.hiddenSince = document.visibilityState === 'hidden' ? Date.now() : this.hiddenSince
      this.checkIdle()
      if (document.visibilityState === 'visible') this.hiddenSince = null
    })
    this.timer = setInterval(() => this.checkIdle(), CHECK_MS)
  }

  /** Lock when idle or hidden for the chosen time. */
  checkIdle () {
    const idle = shouldLock({ idleMs: this.idleMs, lastActive: this.lastActive, hiddenSince: this.hiddenSince, now: Date.now() })
    if (idle || (this.idleMs > 0 && this.store.expired())) {
      this.lockNow('Locked after a while without use.')
    }
  }

  async lockNow (message = 'Locked.') {
    this.store.lock()
    this.resetRestore('')
    await this.render()
    this.say('unlock', message)
  }

  async onUnlock (event) {
    event.preventDefault()
    const $input = event.target.elements.passphrase
    this.say('unlock', 'Checking…')
    const ok = await this.store.unlock($input.value)
    if (!ok) {
      $input.setAttribute('aria-invalid', 'true')
      this.say('unlock', 'That passphrase is not right. Check it and try again.')
      $input.focus()
      return
    }
    $input.value = ''
    $input.removeAttribute('aria-invalid')
    this.lastActive = Date.now()
    this.say('unlock', '')
    await this.render()
    this.say('lock', 'Unlocked.')
    this.q('#backup-heading').setAttribute('tabindex', '-1')
    this.q('#backup-heading').focus()
  }

  async onBackup (how) {
    try {
      const plain = this.q('[data-backup-plain]').checked
      const { text, encrypted, count } = await this.store.exportText({ appVersion: this.appVersion, plain })
      const name = backupFileName(Date.now(), encrypted)
      const blob = new Blob([text], { type: 'application/json' })
      if (how === 'share') {
        try {
          await navigator.share({ files: [new File([blob], name, { type: 'application/json' })], title: 'Wayfinder backup' })
        } catch (error) {
          if (error.name === 'AbortError') return this.say('backup', 'Not shared. Nothing was saved.')
          throw error
        }
      } else {
        const url = URL.createObjectURL(blob)
        const $a = Object.assign(document.createElement('a'), { href: url, download: name })
        document.body.append($a)
        $a.click()
        $a.remove()
        setTimeout(() => URL.revokeObjectURL(url), 60000)
      }
      await this.store.markBackedUp()
      const lockWords = encrypted ? ' It is locked with your passphrase.' : ''
      this.say('backup', `Saved ${name} with ${count} ${count === 1 ? 'record' : 'records'}.${lockWords}`)
      await fillFacts(this.$root, this.store)
    } catch (error) {
      console.warn('Wayfinder: backup failed', error)
      this.say('backup', 'The backup could not be made. Nothing was changed.')
    }
  }

  async onChooseFile () {
    const file = this.q('[data-restore-file]').files[0]
    this.q('[data-restore-preview]').hidden = true
    this.q('[data-restore-passphrase]').hidden = true
    if (!file) return
    this.say('restore', 'Reading the file…')
    this.pendingFile = { text: await readText(file), bytes: file.size }
    await this.preview()
  }

  async onRestorePassphrase (event) {
    event.preventDefault()
    this.say('restore', 'Opening the backup…')
    await this.preview(event.target.elements.passphrase.value)
  }

  async preview (passphrase) {
    const { text, bytes } = this.pendingFile
    const result = await this.store.previewImport(text, { bytes, passphrase })
    if (!result.ok) {
      this.q('[data-restore-passphrase]').hidden = !result.needsPassphrase
      this.say('restore', result.error)
      if (result.needsPassphrase) this.q('#restore-pass').focus()
      return
    }
    this.pending = result.records
    this.q('[data-restore-passphrase]').hidden = true
    this.q('[data-restore-summary]').textContent = `This backup holds ${describeRecords(result.records)}. ${describePlan(result.plan)}`
    this.q('[data-restore-preview]').hidden = false
    this.say('restore', '')
    this.q('[data-restore-confirm]').focus()
  }

  async onRestore () {
    if (!this.pending) return
    try {
      const done = await this.store.importRecords(this.pending)
      this.resetRestore(`Restored. ${done.added} added, ${done.updated} replaced by a newer copy, ${done.kept} already here.`)
      await fillFacts(this.$root, this.store)
    } catch (error) {
      console.warn('Wayfinder: restore failed', error)
      this.resetRestore('The restore could not be finished, so nothing was changed.')
    }
  }

  resetRestore (message) {
    this.pending = null
    this.pendingFile = null
    this.q('[data-restore-file]').value = ''
    this.q('[data-restore-preview]').hidden = true
    this.q('[data-restore-passphrase]').hidden = true
    this.q('#restore-pass').value = ''
    this.say('restore', message)
  }

  async onSetLock (event) {
    event.preventDefault()
    const $form = event.target
    const passphrase = $form.elements.passphrase.value
    const again = $form.elements.again.value
    const problem = passphrase.length < 8
      ? 'Use at least 8 characters.'
      : passphrase !== again ? 'The two passphrases are not the same.' : ''
    $form.elements.passphrase.setAttribute('aria-invalid', String(passphrase.length < 8))
    $form.elements.again.setAttribute('aria-invalid', String(Boolean(problem) && passphrase.length >= 8))
    if (problem) {
      this.say('lock', problem)
      $form.querySelector('[aria-invalid="true"]').focus()
      return
    }
    this.say('lock', 'Locking your data…')
    await this.store.setMeta('lockAfterMinutes', Number($form.elements.after.value))
    await this.store.setLock(passphrase)
    $form.reset()
    this.lastActive = Date.now()
    await this.render()
    this.say('lock', 'Your data is now locked with your passphrase.')
  }

  async onRemoveLock () {
    await this.store.removeLock()
    await this.render()
    this.say('lock', 'The passphrase is removed. Your data is kept, no longer encrypted.')
  }

  toggleDelete (open) {
    this.q('[data-delete-confirm]').hidden = !open
    this.q('[data-delete-ask]').setAttribute('aria-expanded', String(open))
    if (open) this.q('[data-delete-confirm-button]').focus()
    else this.q('[data-delete-ask]').focus()
  }

  async onDeleteEverything () {
    this.say('delete', 'Deleting…')
    let serverWords = ''
    try {
      const record = await loadRecord(this.store)
      if (record?.id && record?.token) {
        const api = createApi({ token: () => record.token })
        const { status } = await api.remove(record.id)
        serverWords = [204, 401, 404].includes(status)
          ? ' Our server has deleted your reminders.'
          : ' We could not reach our server just now; as this browser no longer accepts reminders, the server will delete its record at the next one.'
      }
      await unsubscribe()
      await this.store.deleteEverything()
    } catch (error) {
      console.warn('Wayfinder: delete everything failed', error)
      this.say('delete', 'Something stopped the deletion. Please try again.')
      return
    }
    this.q('[data-delete-confirm]').hidden = true
    this.q('[data-delete-ask]').setAttribute('aria-expanded', 'false')
    await this.render()
    this.say('delete', `Everything you kept on this device is deleted.${serverWords}`)
  }
}

/**
 * A file's text (File#text where there is one).
 * @param {File} file
 * @returns {Promise<string>}
 */
function readText (file) {
  if (file.size > 20 * 1024 * 1024) return Promise.resolve('')
  return file.text()
}
