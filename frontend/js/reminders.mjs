/**
 * The reminders page component, the DOM side only: turns Web Push reminders
 * on (asking for notification permission only after "Turn on reminders" is
 * tapped), lets people add, change and remove reminders, set quiet hours and
 * wording, send a test, pause, and turn everything off. The calls to
 * /api/push are in reminders-api.mjs, the push subscription's life in
 * reminders-lifecycle.mjs, the rules in reminders-model.mjs. The management
 * token and the subscription id stay on this device, in IndexedDB (see
 * reminders-store.mjs), where the service worker can read them too.
 */
import {
  browserFamily, createBody, describeReminder, explainFailure, placeReminder,
  pushSupport, removeReminder, suggestedReminder, updateBody,
  useVocabulary, validateQuietHours, validateReminder, countCharacters, MAX_TEXT
} from './reminders-model.mjs'
import { createApi } from './reminders-api.mjs'
import {
  adoptServerSettings, askPermission, changedSubscription, currentTimezone, newRecord,
  savedRecord, subscribe, unsubscribe, visiblePanels
} from './reminders-lifecycle.mjs'
import { clearRecord, loadRecord, saveRecord } from './reminders-store.mjs'
import { readyRegistration, requestPersistentStorage } from './sw-bridge.mjs'
import { BROWSER_ANSWER_WAIT_MS, settleWithin } from './sw-bridge-model.mjs'

const WORKER_WAIT_MS = 15000
/** What to say when the browser never answers the request to allow notifications. */
const NO_ANSWER = 'Your browser did not answer the request to allow notifications, so reminders are still off. You can try again, or allow notifications for this site in your browser settings.'

/**
 * Start the component.
 * @param {HTMLElement} $root the element with data-module="reminders"
 */
export function init ($root) {
  // Reminder kinds and weekday names reach reminders-model.mjs as data from
  // the page (server/push/vocabulary.json): hand them over before rendering.
  useVocabulary(JSON.parse($root.ownerDocument.getElementById('reminder-vocabulary').textContent))
  const page = new RemindersPage($root)
  page.start().catch(error => {
    console.warn('Wayfinder reminders:', error)
    page.say('Reminders could not start on this page. Please reload to try again.')
  })
}

/** The reminders page: state and rendering, and what each button does. */
class RemindersPage {
  /** @param {HTMLElement} $root */
  constructor ($root) {
    this.$root = $root
    this.api = createApi({ base: $root.dataset.api || '/api/push', token: () => this.record?.token })
    this.$status = $root.querySelector('[data-status]')
    this.$editor = $root.querySelector('[data-editor]')
    this.$settings = $root.querySelector('[data-settings]')
    this.$list = $root.querySelector('[data-list]')
    this.record = null
    this.editing = null
    this.offline = false
    this.busy = false
  }

  /** Decide what this browser can do, read the record, and render. */
  async start () {
    const support = pushSupport({
      userAgent: navigator.userAgent,
      platform: navigator.platform,
      maxTouchPoints: navigator.maxTouchPoints,
      standalone: navigator.standalone === true || matchMedia('(display-mode: standalone)').matches,
      hasServiceWorker: 'serviceWorker' in navigator,
      hasPushManager: 'PushManager' in window,
      hasNotification: 'Notification' in window
    })
    if (support !== 'supported') {
      this.showOnly([support])
      this.$root.dataset.ready = 'true'
      return
    }
    this.listen()
    this.record = (await loadRecord()) || null
    this.render()
    if (this.record) await this.refresh()
    else await this.probe()
    this.$root.dataset.ready = 'true'
  }

  /**
   * With nothing set up, ask the server once whether it can be reached:
   * navigator.onLine can say online when it is not (a weak signal, a captive
   * portal, or a page the worker answered offline), and the form would then
   * fail only after the person had filled it in and allowed notifications.
   */
  async probe () {
    if (navigator.onLine === false) return
    const { status } = await settleWithin(this.api.publicKey(), BROWSER_ANSWER_WAIT_MS, { status: -1 })
    if (this.record) return
    this.offline = status === 0
    this.render()
  }

  /** Wire up the buttons and forms, and follow the connection. */
  listen () {
    window.addEventListener('offline', () => this.render())
    window.addEventListener('online', () => {
      this.offline = false
      this.render()
      if (this.record) this.refresh()
    })
    this.$root.addEventListener('click', event => {
      const $button = event.target.closest('[data-action]')
      if ($button && this.$root.contains($button)) this.act($button.dataset.action, $button)
    })
    this.$editor.addEventListener('submit', event => {
      event.preventDefault()
      if (this.record) this.saveReminder()
      else this.turnOn()
    })
    this.$settings.addEventListener('submit', event => {
      event.preventDefault()
      this.saveSettings()
    })
    this.$editor.elements.kind.addEventListener('change', () => this.showTextField())
    this.$editor.elements.text.addEventListener('input', () => this.countText())
    this.$settings.querySelector('[data-quiet-toggle]').addEventListener('change', () => this.showQuietTimes())
  }

  /**
   * Handle a [data-action] button.
   * @param {string} action
   * @param {HTMLElement} $button
   */
  act (action, $button) {
    const index = Number($button.dataset.index)
    const actions = {
      add: () => this.openEditor('new'),
      edit: () => this.openEditor(index),
      cancel: () => this.closeEditor(),
      remove: () => this.removeAt(index),
      test: () => this.sendTest(),
      pause: () => this.setPaused(true),
      resume: () => this.setPaused(false),
      off: () => this.confirmOff(true),
      keep: () => this.confirmOff(false),
      'confirm-off': () => this.turnOff(),
      recheck: () => this.recheck(),
      retry: () => this.retry()
    }
    actions[action]?.()
  }

  /**
   * Show the named panels and hide the others.
   * @param {string[]} names data-panel names, plus "editor" and "settings"
   */
  showOnly (names) {
    for (const $panel of this.$root.querySelectorAll('[data-panel]')) {
      $panel.hidden = !names.includes($panel.dataset.panel)
    }
    this.$editor.hidden = !names.includes('editor')
    this.$settings.hidden = !names.includes('settings')
  }

  /**
   * Announce a message in the polite status region.
   * @param {string} message
   */
  say (message) {
    this.$status.textContent = message
  }

  /** After "Check again" on the offline panel: ask the server again and say what was found. */
  async retry () {
    this.say('Checking the connection…')
    await this.probe()
    this.say(this.online() ? 'You are back online.' : 'Still no connection. Nothing is lost; try again later.')
    if (this.online()) this.$editor.querySelector('select, input')?.focus()
  }

  /** Whether the server can be reached: the browser says so and the last request got through. */
  online () {
    return navigator.onLine !== false && !this.offline
  }

  /** Draw the page from the record, the permission and the connection: one state at a time. */
  render () {
    this.showBrowserHelp()
    const panels = visiblePanels({
      hasRecord: Boolean(this.record),
      permission: Notification.permission,
      online: this.online(),
      editing: this.editing !== null
    })
    this.$root.dataset.state = panels[0]
    this.showOnly(panels)
    if (panels.includes('editor') && !this.record && this.editing !== 'first') this.openEditor('first', false)
    if (this.record) {
      this.renderList()
      this.renderSettings()
    }
  }

  /** Draw the list of reminders. */
  renderList () {
    const { reminders, paused } = this.record.settings
    this.$list.replaceChildren(...reminders.map((reminder, index) => {
      const $item = document.createElement('li')
      const $text = document.createElement('span')
      $text.className = 'reminder-list__text'
      $text.textContent = describeReminder(reminder)
      const $buttons = document.createElement('span')
      $buttons.className = 'reminder-list__buttons'
      $buttons.append(
        this.listButton('Change', 'edit', index, reminder),
        this.listButton('Remove', 'remove', index, reminder)
      )
      $item.append($text, $buttons)
      return $item
    }))
    this.$root.querySelector('[data-empty]').hidden = reminders.length > 0
    this.$root.querySelector('[data-paused-note]').hidden = !paused
    const online = this.online()
    this.$root.querySelector('[data-offline-note]').hidden = online
    this.$root.querySelector('[data-action="pause"]').hidden = paused
    this.$root.querySelector('[data-action="resume"]').hidden = !paused
    this.$root.querySelector('[data-action="add"]').hidden = this.editing !== null || !online
    for (const $button of this.$list.querySelectorAll('button')) $button.hidden = !online
  }

  /**
   * A Change or Remove button for one reminder, named for screen readers.
   * @param {string} label
   * @param {string} action
   * @param {number} index
   * @param {object} reminder
   * @returns {HTMLButtonElement}
   */
  listButton (label, action, index, reminder) {
    const $button = document.createElement('button')
    $button.type = 'button'
    $button.className = 'button button--quiet'
    $button.dataset.action = action
    $button.dataset.index = String(index)
    const $hidden = document.createElement('span')
    $hidden.className = 'visually-hidden'
    $hidden.textContent = ` ${describeReminder(reminder)}`
    $button.append(label, $hidden)
    return $button
  }

  /** Put the saved quiet hours and wording into the settings form. */
  renderSettings () {
    const { quietHours, discreet } = this.record.settings
    const fields = this.$settings.elements
    fields.quiet.checked = Boolean(quietHours)
    fields.quiet_start.value = quietHours?.start || '22:00'
    fields.quiet_end.value = quietHours?.end || '07:00'
    fields.discreet.checked = discreet !== false
    this.showQuietTimes()
    this.showError(this.$settings, 'quiet', '')
  }

  /** Show the quiet-hours times only when quiet hours are on. */
  showQuietTimes () {
    this.$settings.querySelector('[data-quiet-times]').hidden = !this.$settings.elements.quiet.checked
  }

  /** Show how to allow notifications in this browser. */
  showBrowserHelp () {
    const family = browserFamily(navigator)
    for (const $help of this.$root.querySelectorAll('[data-help]')) {
      $help.hidden = $help.dataset.help !== family
    }
  }

  /**
   * Open the reminder editor.
   * @param {'first'|'new'|number} mode the first reminder, a new one, or the index to change
   * @param {boolean} [focus] move focus to the editor
   */
  openEditor (mode, focus = true) {
    this.editing = mode
    const reminder = typeof mode === 'number' ? this.record.settings.reminders[mode] : suggestedReminder()
    if (!reminder) return
    const fields = this.$editor.elements
    fields.kind.value = reminder.kind
    fields.text.value = reminder.text || ''
    fields.time.value = reminder.time
    for (const $day of fields.days) $day.checked = reminder.days.includes($day.value)
    const words = {
      first: ['Your first reminder', 'Turn on reminders'],
      new: ['Add a reminder', 'Add reminder'],
      edit: ['Change reminder', 'Save changes']
    }[typeof mode === 'number' ? 'edit' : mode]
    this.$editor.querySelector('[data-editor-heading]').textContent = words[0]
    this.$editor.querySelector('[data-editor-submit]').textContent = words[1]
    this.$editor.querySelector('[data-action="cancel"]').hidden = mode === 'first'
    this.clearErrors(this.$editor)
    this.showTextField()
    if (mode !== 'first') {
      this.$editor.hidden = false
      this.$root.querySelector('[data-action="add"]').hidden = true
    }
    if (focus) this.$editor.querySelector('[data-editor-heading]').focus()
  }

  /** Close the editor and go back to the list. */
  closeEditor () {
    this.editing = null
    this.$editor.hidden = true
    this.$root.querySelector('[data-action="add"]').hidden = false
    this.$root.querySelector('[data-panel="list"]').focus()
  }

  /** Show the custom-text field only for custom reminders. */
  showTextField () {
    this.$editor.querySelector('[data-text-field]').hidden = this.$editor.elements.kind.value !== 'custom'
    this.countText()
  }

  /** Say how many characters are left for custom text. */
  countText () {
    const left = MAX_TEXT - countCharacters(this.$editor.elements.text.value.trim())
    this.$editor.querySelector('[data-count]').textContent = left >= 0
      ? `${left} characters left`
      : `${-left} characters too many`
  }

  /**
   * Read the editor's fields.
   * @returns {{kind: string, time: string, days: string[], text: string}}
   */
  readEditor () {
    const fields = this.$editor.elements
    return {
      kind: fields.kind.value,
      time: fields.time.value,
      days: [...fields.days].filter($day => $day.checked).map($day => $day.value),
      text: fields.text.value
    }
  }

  /**
   * Show or clear one field's error message.
   * @param {HTMLFormElement} $form
   * @param {string} name the data-error name
   * @param {string} message empty to clear
   */
  showError ($form, name, message) {
    const $error = $form.querySelector(`[data-error="${name}"]`)
    if (!$error) return
    $error.textContent = message
    $error.hidden = !message
    $error.closest('.field')?.classList.toggle('field--invalid', Boolean(message))
  }

  /**
   * Clear every error in a form.
   * @param {HTMLFormElement} $form
   */
  clearErrors ($form) {
    for (const $error of $form.querySelectorAll('[data-error]')) this.showError($form, $error.dataset.error, '')
  }

  /**
   * Show the editor's validation errors and focus the first bad field.
   * @param {Object<string, string>} errors
   * @returns {boolean} whether there were any
   */
  showEditorErrors (errors) {
    this.clearErrors(this.$editor)
    const order = ['kind', 'text', 'time', 'days', 'form']
    const bad = order.filter(name => errors[name])
    for (const name of bad) this.showError(this.$editor, name, errors[name])
    if (!bad.length) return false
    const first = bad[0] === 'days' ? this.$editor.elements.days[0] : this.$editor.elements[bad[0]]
    ;(first || this.$editor.querySelector('[data-error="form"]')).focus?.()
    return true
  }

  /**
   * Run an async task with the buttons disabled, so taps cannot overlap.
   * @param {() => Promise<void>} task
   */
  async guarded (task) {
    if (this.busy) return
    this.busy = true
    this.$root.setAttribute('aria-busy', 'true')
    const $buttons = [...this.$root.querySelectorAll('button')]
    for (const $button of $buttons) $button.disabled = true
    try {
      await task()
    } catch (error) {
      console.warn('Wayfinder reminders:', error)
      this.say('Something went wrong. Please try again.')
    } finally {
      for (const $button of $buttons) $button.disabled = false
      this.$root.removeAttribute('aria-busy')
      this.busy = false
    }
  }

  /** The active worker's registration (sw-bridge.mjs registers it). */
  registration () {
    return readyRegistration(WORKER_WAIT_MS)
  }

  /** "Turn on reminders": permission, push subscription, then POST to the server. */
  turnOn () {
    const { reminder, errors } = validateReminder(this.readEditor())
    if (this.showEditorErrors(errors)) return
    // Ask straight away, inside the tap, as Safari requires.
    const asking = askPermission()
    return this.guarded(async () => {
      const permission = await settleWithin(asking, BROWSER_ANSWER_WAIT_MS, 'no-answer')
      if (permission === 'no-answer') {
        this.say(NO_ANSWER)
        return
      }
      if (permission !== 'granted') {
        this.record = null
        this.render()
        if (permission === 'denied') {
          this.$root.querySelector('[data-panel="blocked"]').focus()
        } else {
          this.say('Reminders are still off, because notifications were not allowed. You can turn them on whenever you like.')
        }
        return
      }
      this.say('Turning on reminders…')
      let subscription
      try {
        subscription = await subscribe(await this.registration(), this.api)
      } catch (error) {
        console.warn('Wayfinder reminders: subscribe failed', error)
        this.say(error.status !== undefined
          ? explainFailure(error.status, error.data)
          : 'This browser could not set up notifications. Please check your connection and try again.')
        return
      }
      const settings = {
        timezone: currentTimezone(),
        reminders: [reminder],
        quietHours: null,
        discreet: true,
        paused: false
      }
      const body = createBody(subscription.toJSON(), settings)
      const { status, data } = await this.api.create(body)
      if (status !== 201 || !data?.id || !data?.token) {
        this.say(explainFailure(status, data))
        return
      }
      this.record = newRecord(data, subscription, settings)
      await saveRecord(this.record)
      this.editing = null
      this.offline = false
      this.render()
      await keepStorage()
      this.say(`Reminders are on. ${describeReminder(reminder)}.`)
      this.$root.querySelector('[data-panel="list"]').focus()
    })
  }

  /**
   * Save new settings on the server (PUT), then on this device.
   * @param {object} settings the full new settings
   * @param {object} [subscription] a changed PushSubscription JSON to send too
   * @returns {Promise<boolean>} whether it was saved
   */
  async push (settings, subscription) {
    const next = { ...settings, timezone: currentTimezone() }
    const { status, data } = await this.api.update(this.record.id, updateBody(next, subscription))
    if (status === 401 || status === 404) {
      await this.forget(explainFailure(status, data))
      return false
    }
    if (status !== 200) {
      this.offline = status === 0
      this.say(explainFailure(status, data))
      return false
    }
    this.offline = false
    this.record = savedRecord(this.record, next, subscription)
    await saveRecord(this.record)
    return true
  }

  /** Save the editor as a new or changed reminder. */
  saveReminder () {
    const { reminder, errors } = validateReminder(this.readEditor())
    if (this.showEditorErrors(errors)) return
    const index = typeof this.editing === 'number' ? this.editing : undefined
    const placed = placeReminder(this.record.settings.reminders, reminder, index)
    if (placed.error) {
      this.showEditorErrors({ form: placed.error })
      return
    }
    return this.guarded(async () => {
      if (!(await this.push({ ...this.record.settings, reminders: placed.list }))) return
      this.editing = null
      this.render()
      this.say(`${index === undefined ? 'Added' : 'Saved'}: ${describeReminder(reminder)}.`)
      this.$root.querySelector('[data-panel="list"]').focus()
    })
  }

  /**
   * Remove one reminder.
   * @param {number} index
   */
  removeAt (index) {
    const reminder = this.record.settings.reminders[index]
    if (!reminder) return
    return this.guarded(async () => {
      const reminders = removeReminder(this.record.settings.reminders, index)
      if (!(await this.push({ ...this.record.settings, reminders }))) return
      this.editing = null
      this.render()
      this.say(`Removed: ${describeReminder(reminder)}.`)
      this.$root.querySelector('[data-panel="list"]').focus()
    })
  }

  /** Save quiet hours and wording. */
  saveSettings () {
    const fields = this.$settings.elements
    const { quietHours, error } = validateQuietHours({
      enabled: fields.quiet.checked,
      start: fields.quiet_start.value,
      end: fields.quiet_end.value
    })
    this.showError(this.$settings, 'quiet', error || '')
    if (error) {
      fields.quiet_start.focus()
      return
    }
    return this.guarded(async () => {
      const discreet = fields.discreet.checked
      if (!(await this.push({ ...this.record.settings, quietHours, discreet }))) return
      this.render()
      this.say(`Settings saved. ${discreet ? 'Notifications use discreet wording.' : 'Notifications say which reminder it is.'}`)
    })
  }

  /**
   * Pause or resume every reminder. While paused the server keeps no reminder
   * times, so nothing can be sent; the list waits on this device.
   * @param {boolean} paused
   */
  setPaused (paused) {
    return this.guarded(async () => {
      if (!(await this.push({ ...this.record.settings, paused }))) return
      this.render()
      this.say(paused ? 'Reminders are paused.' : 'Reminders are back on.')
      this.$root.querySelector(`[data-action="${paused ? 'resume' : 'pause'}"]`).focus()
    })
  }

  /** Ask the server to send a test notification now. */
  sendTest () {
    return this.guarded(async () => {
      if (Notification.permission !== 'granted') {
        this.render()
        this.say('Notifications are blocked in this browser, so the test cannot show.')
        return
      }
      const { status, data } = await this.api.sendTest(this.record.id)
      if (status === 202) {
        this.say('Test sent. It should arrive in a few seconds.')
      } else if (status === 401 || status === 404) {
        await this.forget(explainFailure(status, data))
      } else {
        this.say(explainFailure(status, data))
      }
    })
  }

  /**
   * Show or hide the "turn off" confirmation.
   * @param {boolean} open
   */
  confirmOff (open) {
    const $confirm = this.$root.querySelector('[data-confirm]')
    $confirm.hidden = !open
    const target = open ? '[data-action="confirm-off"]' : '[data-action="off"]'
    this.$root.querySelector(target).focus()
  }

  /** Delete the subscription on the server, unsubscribe, and forget it here. */
  turnOff () {
    return this.guarded(async () => {
      const { status, data } = await this.api.remove(this.record.id)
      if (status !== 204 && status !== 401 && status !== 404) {
        this.say(explainFailure(status, data))
        return
      }
      await unsubscribe()
      await this.forget('Reminders are off, and your reminder details are deleted from our server.')
      this.$root.querySelector('[data-confirm]').hidden = true
    })
  }

  /**
   * Forget this device's record and show the setup again.
   * @param {string} message what to tell the person
   */
  async forget (message) {
    await clearRecord()
    this.record = null
    this.editing = null
    this.offline = false
    this.render()
    this.say(message)
  }

  /** After "I have allowed them": look at the permission again (asking, if the browser lets us). */
  async recheck () {
    if (Notification.permission === 'default') {
      const answer = await settleWithin(Notification.requestPermission(), BROWSER_ANSWER_WAIT_MS, 'no-answer')
      if (answer === 'no-answer') return this.say(NO_ANSWER)
    }
    if (Notification.permission === 'granted') {
      this.render()
      this.say('Notifications are allowed. Thank you.')
      if (this.record) await this.mend()
    } else if (!this.record) {
      this.say('Notifications still look blocked. Once they are allowed, tap Turn on reminders.')
    } else {
      this.say('Notifications still look blocked. Reminders will show once they are allowed.')
    }
  }

  /**
   * Check the saved record against the server and this browser's push
   * subscription, adopting the server's settings and mending what changed.
   */
  async refresh () {
    const { status, data } = await this.api.read(this.record.id)
    if (status === 401 || status === 404) {
      await this.forget('Your reminders were switched off, perhaps because the browser reset its notifications. You can turn them on again below.')
      return
    }
    if (status !== 200) {
      this.offline = status === 0
      this.render()
      if (!this.offline) this.say(explainFailure(status, data))
      return
    }
    this.record = adoptServerSettings(this.record, data)
    this.render()
    await this.mend()
  }

  /**
   * Re-subscribe if the browser dropped or replaced the push subscription,
   * and follow the person to a new time zone.
   */
  async mend () {
    if (Notification.permission !== 'granted') return
    let subscription = null
    try {
      subscription = await changedSubscription(await this.registration(), this.record, this.api)
    } catch (error) {
      console.warn('Wayfinder reminders: could not check the push subscription', error)
      return
    }
    const moved = this.record.settings.timezone !== currentTimezone()
    if (!subscription && !moved) return
    if (await this.push(this.record.settings, subscription?.toJSON())) {
      this.render()
      if (moved) this.say(`Reminders now follow your time zone here (${currentTimezone()}).`)
    }
  }
}

/** Ask the browser to keep Wayfinder's storage (the reminders record and offline pages). */
async function keepStorage () {
  try {
    await requestPersistentStorage()
  } catch (error) {
    console.warn('Wayfinder reminders: persist failed', error)
  }
}
